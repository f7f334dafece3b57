/**
 * JWT / JWS / JWE recognition without regular expressions (R-P1).
 * A token is base64url runs joined by dots whose first run decodes to a JSON object with an `alg` key.
 * That covers `eyJ…` headers, headers with whitespace (`{\n` encodes to `ew…`), unsigned `header.payload.`,
 * detached-payload `header..signature`, and 5-segment JWE (header has `enc`).
 */
import type { Ctx } from './context.js';
import { buildJwtMarker, sanitizeClaim } from './markers.js';

const B64 = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  B64[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 ? 1 : 0;
}

/** [A-Za-z0-9_-] */
export function isB64Url(c: number): boolean {
  return c < 128 && B64[c] === 1;
}

/** End of the base64url run starting at `i`. */
export function b64End(s: string, i: number): number {
  let p = i;
  while (p < s.length && isB64Url(s.charCodeAt(p))) p++;
  return p;
}

/** A JWS/JWE header is small; even with an x5c chain 8 KiB is plenty. */
const MAX_HEADER = 8192;
/** Payloads larger than this are still redacted, only their claims are not read. */
const MAX_PAYLOAD = 64 * 1024;

/** Decodes a base64url segment to a JSON object, or null. */
export function decodeJsonSegment(seg: string): Record<string, unknown> | null {
  if (seg.length === 0) return null;
  let text: string;
  try {
    text = Buffer.from(seg, 'base64url').toString('utf8');
  } catch {
    return null;
  }
  let k = 0;
  while (k < text.length && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) k++;
  if (text[k] !== '{') return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface JwtMatch {
  /** Index just past the token. */
  end: number;
  header: Record<string, unknown>;
  /** Decoded payload claims (JWS only, when small enough and JSON). */
  payload: Record<string, unknown> | null;
}

/** Skips up to two `=` padding characters some producers leave on segments. */
function skipPad(s: string, p: number): number {
  let q = p;
  while (q < s.length && q - p < 2 && s[q] === '=') q++;
  return q;
}

/**
 * A JWT starting exactly at `start` (the caller knows `start` begins a base64url run), or null.
 * Work is linear in the characters examined (at most five runs).
 */
export function matchJwtAt(s: string, start: number): JwtMatch | null {
  if (s.charCodeAt(start) !== 101 /* e: every base64 of "{" starts with it */) return null;
  const h1 = b64End(s, start);
  if (h1 - start < 8 || h1 - start > MAX_HEADER) return null;
  let p = skipPad(s, h1);
  if (s[p] !== '.') return null;
  const header = decodeJsonSegment(s.slice(start, h1));
  if (!header || !('alg' in header)) return null;
  // Up to four more segments: [start, end) pairs.
  const segs: Array<[number, number]> = [];
  while (segs.length < 4 && s[p] === '.') {
    const a = p + 1;
    const b = b64End(s, a);
    segs.push([a, b]);
    p = skipPad(s, b);
  }
  const isJwe = typeof header['enc'] === 'string';
  if (isJwe) {
    if (segs.length < 4 || segs[2]![1] === segs[2]![0]) return null;
    return { end: skipPad(s, segs[3]![1]), header, payload: null };
  }
  const payloadSeg = segs[0]!;
  const payloadLen = payloadSeg[1] - payloadSeg[0];
  let end: number;
  if (segs.length >= 2) {
    const sig = segs[1]!;
    if (payloadLen === 0 && sig[1] === sig[0]) return null;
    end = skipPad(s, sig[1]);
  } else {
    // `header.payload` with no second dot: a truncated token; still a secret.
    if (payloadLen === 0) return null;
    end = skipPad(s, payloadSeg[1]);
  }
  const payload = payloadLen > 0 && payloadLen <= MAX_PAYLOAD ? decodeJsonSegment(s.slice(payloadSeg[0], payloadSeg[1])) : null;
  return { end, header, payload };
}

/** Is the whole (trimmed) string one JWT? */
export function wholeJwt(v: string): JwtMatch | null {
  const t = v.trim();
  if (t.length !== v.length) return null;
  const m = matchJwtAt(t, 0);
  return m && m.end === t.length ? m : null;
}

const HEADER_CLAIMS = new Set(['alg', 'kid', 'enc', 'typ', 'cty']);

/** The allow-listed, sanitized claims of a match, header claims first. */
export function markerClaims(m: JwtMatch, keep: ReadonlySet<string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of keep) {
    const src = HEADER_CLAIMS.has(name) ? m.header : m.payload;
    if (!src || !(name in src)) continue;
    const v = sanitizeClaim(name, src[name]);
    if (v !== null) out.push([name, v]);
  }
  // Header claims first, then payload claims, each in allow-list order.
  return out.sort((a, b) => Number(!HEADER_CLAIMS.has(a[0])) - Number(!HEADER_CLAIMS.has(b[0])));
}

/** `[REDACTED:jwt alg=… exp=… #h]` for a token, counted under R-P1. */
export function jwtMarker(ctx: Ctx, token: string, m: JwtMatch, url: boolean): string {
  ctx.count('R-P1');
  return buildJwtMarker(markerClaims(m, ctx.keepJwtClaims), ctx.hash(token), url);
}

/**
 * Reads the claims of a JWT before redaction (for expired-token detection). Accepts the bare token or
 * `Bearer <token>`; null when it is not a JWT. JWE payloads are encrypted: only `alg` comes back.
 */
export function decodeJwtClaims(token: string): { alg?: string; kid?: string; exp?: number; iat?: number; nbf?: number; iss?: string; aud?: string } | null {
  let t = token.trim();
  const sp = t.indexOf(' ');
  if (sp > 0 && sp < 32) t = t.slice(sp + 1).trim();
  const m = matchJwtAt(t, 0);
  if (!m || m.end !== t.length) return null;
  const out: { alg?: string; kid?: string; exp?: number; iat?: number; nbf?: number; iss?: string; aud?: string } = {};
  if (typeof m.header['alg'] === 'string') out.alg = m.header['alg'];
  if (typeof m.header['kid'] === 'string') out.kid = m.header['kid'];
  const p = m.payload;
  if (p) {
    for (const k of ['exp', 'iat', 'nbf'] as const) if (typeof p[k] === 'number' && Number.isFinite(p[k])) out[k] = p[k];
    if (typeof p['iss'] === 'string') out.iss = p['iss'];
    if (typeof p['aud'] === 'string') out.aud = p['aud'];
    else if (Array.isArray(p['aud']) && p['aud'].every((x) => typeof x === 'string')) out.aud = (p['aud'] as string[]).join(',');
  }
  return out;
}
