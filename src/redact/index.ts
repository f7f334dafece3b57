/**
 * faultline's redaction module (security.md section (a)). Every string from input passes through here
 * before it is written anywhere (O1). Markers are `[REDACTED:<rule>#<h>]` with h = first 12 hex of a keyed
 * HMAC (O3); JWTs become machine-readable `[REDACTED:jwt alg=… exp=… #h]` markers (R-P1); anything that
 * throws fails closed as `[REDACTED:error]` (O2). All scanning is linear: hand-written tokenizers, no regex
 * over input, caps on depth, nodes and characters.
 */
import type { Header, RequestRecord } from '../core/types.js';
import { redactBodyInner } from './body.js';
import { Ctx } from './context.js';
import { redactHarEntryInner, redactHarPageInner } from './har.js';
import { redactHeaderList } from './headers.js';
import { redactLogLineInner } from './loglines.js';
import { redactRecordInner } from './record.js';
import { redactTextCapped } from './text.js';
import { redactQueryInner, redactUrlInner } from './url.js';

export { decodeJwtClaims } from './jwt.js';
export { findJwtMarkers, isMarker, parseJwtMarker, type JwtMarker } from './markers.js';

/** Counts per rule id (never values). Ids: R-H1 R-H2 R-C1 R-Q1 R-Q2 R-U1 R-U3 R-B1 R-B2 R-B4 R-M1 R-P1 R-P2 R-P3 R-P4 R-L1 error truncated. */
export interface RedactionSummary { [ruleId: string]: number }

export interface Redactor {
  /**
   * Redacts a RequestRecord in place before it reaches the store: host userinfo, path (R-U3), query
   * (R-Q1/R-Q2), referer (R-U), headers (R-H1/R-H2/R-H3, R-C1), body (R-B1/R-B2/R-B3, R-M1, capped at
   * 64 KiB), errorText, userAgent, upstreamAddr (patterns) and extra values (key rules + patterns).
   */
  redactRecord(rec: RequestRecord): void;
  /** A full or origin-form URL: userinfo (R-U1), query, fragment (R-U2), path tokens (R-U3). */
  redactUrl(url: string): string;
  /** `a=b&c=d` form, keeping order and names. */
  redactQuery(query: string): string;
  redactHeaders(headers: Header[]): Header[];
  /** R-B3 and R-P* over free text, 1 MiB scan cap (past it dropped and marked). */
  redactText(text: string): string;
  /** R-B1/R-B2/R-B3/R-B4/R-M1 dispatch for a response body (`{ request: true }`: a request body, never dropped by R-M1). */
  redactBody(text: string, mime: string | null, opts?: { request?: boolean }): string;
  /** A raw access-log line kept for display (R-L1). */
  redactLogLine(line: string): string;
  /** Redacts a parsed HAR entry in place everywhere a secret can hide (B-8 list). */
  redactHarEntry(entry: Record<string, unknown>): void;
  /** pages[].title and the rest of a HAR page, in place. */
  redactHarPage(page: Record<string, unknown>): void;
  /**
   * Learns the secrets of a HAR entry without changing it or counting anything. `faultline sanitize` can
   * call it on every entry first, so a cookie value echoed in an *earlier* entry (an analytics beacon that
   * copies cookies into its query) is caught too; a single pass catches echoes in the same or later entries.
   */
  primeHarEntry(entry: Record<string, unknown>): void;
  summary(): RedactionSummary;
}

export const DEFAULT_JWT_CLAIMS = ['alg', 'kid', 'exp', 'iat', 'iss', 'aud'] as const;

export function createRedactor(opts: { key: Buffer; keepJwtClaims?: string[] }): Redactor {
  if (!Buffer.isBuffer(opts.key) || opts.key.length < 16) {
    throw new Error('createRedactor: the HMAC key must be a Buffer of at least 16 random bytes (one per database, O3)');
  }
  const ctx = new Ctx(Buffer.from(opts.key), new Set(opts.keepJwtClaims ?? DEFAULT_JWT_CLAIMS));
  /** O2 for whole-value entry points. */
  const safe = (fn: () => string): string => {
    try {
      return fn();
    } catch {
      return ctx.error();
    }
  };
  return {
    redactRecord: (rec) => redactRecordInner(ctx, rec),
    redactUrl: (url) => safe(() => ctx.sweep(redactUrlInner(ctx, url, 0), true)),
    redactQuery: (q) => safe(() => ctx.sweep(redactQueryInner(ctx, q, 0), true)),
    redactHeaders: (hs) => redactHeaderList(ctx, hs),
    redactText: (t) => safe(() => ctx.sweep(redactTextCapped(ctx, t), false)),
    redactBody: (t, mime, o) => safe(() => ctx.sweep(redactBodyInner(ctx, t, mime, { response: !o?.request }), false)),
    redactLogLine: (line) => safe(() => ctx.sweep(redactLogLineInner(ctx, line), false)),
    redactHarEntry: (entry) => {
      if (entry !== null && typeof entry === 'object') redactHarEntryInner(ctx, entry);
    },
    primeHarEntry: (entry) => {
      if (entry === null || typeof entry !== 'object') return;
      try {
        redactHarEntryInner(ctx.shadow(), structuredClone(entry));
      } catch {
        // Priming is best effort: the real pass still redacts everything its rules see.
      }
    },
    redactHarPage: (page) => {
      if (page !== null && typeof page === 'object') redactHarPageInner(ctx, page);
    },
    summary: () => {
      const out: RedactionSummary = {};
      for (const k of [...ctx.counts.keys()].sort()) out[k] = ctx.counts.get(k)!;
      return out;
    },
  };
}
