/**
 * Early warnings on requests that succeeded (never on failures): deprecated endpoints still in
 * use (with the Sunset date), rate-limit headroom under 10%, tokens used within minutes of their
 * expiry, credentials over plain http or in query strings, APIs on a bare public IP.
 * Aggregated per kind and host; deprecations and credentials in queries also per route.
 */
import { createHash } from 'node:crypto';
import { jwtExpiresWithin } from './compile.js';
import { CREDENTIAL_QUERY_PARAMS, type Facts } from './facts.js';
import { deprecationMs, rateLimitState, sunsetMs } from './header-params.js';
import type { WarningKind, WarningRecord } from './types.js';

const SAMPLES_CAP = 20;
const EVIDENCE_CAP = 5;
/** Tokens used this close to their expiry are flagged. */
export const NEAR_EXPIRY_MS = 5 * 60_000;
/** Below this share of the limit left, rate-limit headroom is flagged. */
export const HEADROOM_RATIO = 0.1;
/** Signed-URL parameters are credentials by design; not flagged as "credentials in query". */
const SIGNED_URL_PARAMS = new Set(['sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token']);
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token'];

interface Hit {
  kind: WarningKind;
  title: string;
  evidence: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Warnings one successful request raises. */
export function detectWarnings(f: Facts): Hit[] {
  const out: Hit[] = [];
  const dep = f.respHeader('deprecation');
  const sunset = f.respHeader('sunset');
  const warning = f.respHeader('warning');
  if (dep !== null || sunset !== null || (warning !== null && warning.trimStart().startsWith('299'))) {
    const s = sunsetMs(sunset);
    const d = deprecationMs(dep);
    const parts: string[] = [];
    if (d !== null) parts.push(d > 0 ? `Deprecation since ${iso(d)}` : 'Deprecation header');
    if (s !== null) parts.push(`Sunset ${iso(s)}`);
    else if (sunset !== null) parts.push(`Sunset ${sunset}`);
    if (warning !== null && warning.trimStart().startsWith('299')) parts.push(`Warning: ${warning.slice(0, 120)}`);
    out.push({ kind: 'deprecated-endpoint', title: s !== null ? `Deprecated endpoint still in use (Sunset ${iso(s)})` : 'Deprecated endpoint still in use', evidence: parts.join('; ') });
  }
  const rl = rateLimitState((n) => f.respHeader(n));
  if (rl && rl.limit !== null && rl.limit > 0 && rl.remaining !== null && rl.remaining / rl.limit < HEADROOM_RATIO) {
    out.push({ kind: 'rate-limit-headroom', title: 'Rate-limit headroom under 10%', evidence: `${rl.remaining} of ${rl.limit} requests left` });
  }
  if (f.r.ts !== null && jwtExpiresWithin(f, NEAR_EXPIRY_MS)) {
    const j = f.jwts.find((x) => x.exp !== null && x.exp * 1000 > f.r.ts!)!;
    const mins = Math.round(((j.exp! * 1000 - f.r.ts) / 60_000) * 10) / 10;
    out.push({ kind: 'token-near-expiry', title: 'Tokens used within minutes of their expiry', evidence: `token ${j.hash ? '#' + j.hash : ''} used ${mins} min before exp`.replace('  ', ' ') });
  }
  const kinds = f.hostKind;
  if (f.r.scheme === 'http' && !kinds.has('localhost')) {
    const sent = CREDENTIAL_HEADERS.filter((h) => f.reqHeader(h) !== null);
    if (sent.length > 0) out.push({ kind: 'credentials-over-http', title: 'Credentials sent over plain http', evidence: `${sent.join(', ')} over http` });
  }
  if (f.r.query) {
    const names = f.r.query.split('&').map((p) => decodeName(p.split('=')[0] ?? '')).filter((n) => CREDENTIAL_QUERY_PARAMS.has(n) && !SIGNED_URL_PARAMS.has(n));
    if (names.length > 0) out.push({ kind: 'credentials-in-query', title: 'Credentials in query strings', evidence: `query parameter ${[...new Set(names)].join(', ')}` });
  }
  if (kinds.has('public-ip')) out.push({ kind: 'bare-public-ip', title: 'API served on a bare public IP address', evidence: `host ${f.r.host}` });
  return out;
}

function decodeName(s: string): string {
  try { return decodeURIComponent(s).toLowerCase(); } catch { return s.toLowerCase(); }
}

/** Kinds that are about a whole host (one warning per host), not about one endpoint. */
const HOST_LEVEL = new Set<WarningKind>(['credentials-over-http', 'bare-public-ip', 'rate-limit-headroom', 'token-near-expiry']);

/** Aggregates warnings per kind + host (+ route for endpoint-level kinds). */
export class WarningCollector {
  private readonly byKey = new Map<string, WarningRecord>();

  add(f: Facts, endpoint: string): void {
    const hits = detectWarnings(f);
    for (const h of hits) {
      const host = f.r.host;
      const route = HOST_LEVEL.has(h.kind) ? null : endpoint;
      const key = `${h.kind}\u0000${host ?? ''}\u0000${route ?? ''}`;
      let w = this.byKey.get(key);
      if (!w) {
        w = {
          id: 'warn-' + createHash('sha256').update(key).digest('hex').slice(0, 12),
          kind: h.kind, host, route, title: h.title, evidence: [], firstSeen: null, lastSeen: null, count: 0, sampleIds: [],
        };
        this.byKey.set(key, w);
      }
      w.count++;
      const ts = f.r.ts;
      if (ts !== null) {
        if (w.firstSeen === null || ts < w.firstSeen) w.firstSeen = ts;
        if (w.lastSeen === null || ts > w.lastSeen) w.lastSeen = ts;
      }
      if (w.evidence.length < EVIDENCE_CAP && !w.evidence.includes(h.evidence)) w.evidence.push(h.evidence);
      if (f.r.id !== undefined && w.sampleIds.length < SAMPLES_CAP) w.sampleIds.push(f.r.id);
    }
  }

  /** Most frequent first. */
  result(): WarningRecord[] {
    return [...this.byKey.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  }
}
