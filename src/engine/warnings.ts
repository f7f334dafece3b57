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

/** Order of observations: (ts, id), requests without a time first (as the store orders them). */
type Key = [ts: number, id: number];

function keyOf(ts: number | null, id: number | undefined): Key {
  return [ts === null ? -Infinity : ts, id ?? Infinity];
}

function before(a: Key, b: Key): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Keeps the `cap` smallest keys (with their values), sorted; a value is kept once, at its smallest key. */
class SmallestK<V> {
  readonly items: Array<{ key: Key; value: V }> = [];
  constructor(private readonly cap: number) {}

  offer(key: Key, value: V): void {
    const items = this.items;
    const at = items.findIndex((x) => x.value === value);
    if (at >= 0) {
      if (!before(key, items[at]!.key)) return;
      items.splice(at, 1);
    } else if (items.length >= this.cap && !before(key, items[items.length - 1]!.key)) {
      return;
    }
    let i = items.length;
    while (i > 0 && before(key, items[i - 1]!.key)) i--;
    items.splice(i, 0, { key, value });
    if (items.length > this.cap) items.pop();
  }
}

interface Pending {
  record: WarningRecord;
  titleKey: Key;
  evidence: SmallestK<string>;
  samples: SmallestK<number>;
}

/**
 * Aggregates warnings per kind + host (+ route for endpoint-level kinds). The result does not depend
 * on the order records are added in: title, evidence and samples are those of the earliest records
 * in (ts, id) order, so a store can feed successes in any order (analysis of a large store does).
 */
export class WarningCollector {
  private readonly byKey = new Map<string, Pending>();

  add(f: Facts, endpoint: string): void {
    const hits = detectWarnings(f);
    if (hits.length === 0) return;
    const key = keyOf(f.r.ts, f.r.id);
    for (const h of hits) {
      const host = f.r.host;
      const route = HOST_LEVEL.has(h.kind) ? null : endpoint;
      const k = `${h.kind}\u0000${host ?? ''}\u0000${route ?? ''}`;
      let p = this.byKey.get(k);
      if (!p) {
        p = {
          record: {
            id: 'warn-' + createHash('sha256').update(k).digest('hex').slice(0, 12),
            kind: h.kind, host, route, title: h.title, evidence: [], firstSeen: null, lastSeen: null, count: 0, sampleIds: [],
          },
          titleKey: key,
          evidence: new SmallestK(EVIDENCE_CAP),
          samples: new SmallestK(SAMPLES_CAP),
        };
        this.byKey.set(k, p);
      } else if (before(key, p.titleKey)) {
        p.record.title = h.title;
        p.titleKey = key;
      }
      const w = p.record;
      w.count++;
      const ts = f.r.ts;
      if (ts !== null) {
        if (w.firstSeen === null || ts < w.firstSeen) w.firstSeen = ts;
        if (w.lastSeen === null || ts > w.lastSeen) w.lastSeen = ts;
      }
      p.evidence.offer(key, h.evidence);
      if (f.r.id !== undefined) p.samples.offer(key, f.r.id);
    }
  }

  /** Most frequent first. */
  result(): WarningRecord[] {
    const out: WarningRecord[] = [];
    for (const p of this.byKey.values()) {
      p.record.evidence = p.evidence.items.map((x) => x.value);
      p.record.sampleIds = p.samples.items.map((x) => x.value);
      out.push(p.record);
    }
    return out.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  }
}
