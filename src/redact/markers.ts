/**
 * The marker format (O3) and the machine-readable JWT marker (R-P1):
 *   [REDACTED:R-H1#0123456789ab]
 *   [REDACTED:jwt alg=HS256 kid=k1 exp=1700000000 iat=1699990000 iss=https://issuer aud=client #0123456789ab]
 *   [REDACTED:error]
 * Inside URLs the same markers are written with ` `, `#` and `=` percent-encoded (%20, %23, %3D) so the URL
 * still parses: `?access_token=[REDACTED:jwt%20alg%3DRS256%20exp%3D1700000000%20%23abcdef012345]`.
 * Claim values are restricted to [A-Za-z0-9._:/,+-], so a marker never contains `%`, quotes or brackets
 * beyond its own, and percent-decoding it is unambiguous.
 */

export const OPEN = '[REDACTED:';

/** Marker ids we emit. A `[REDACTED:…]` with another id is treated as input, not as our marker. */
const KNOWN_IDS = new Set([
  'R-H1', 'R-H2', 'R-C1', 'R-Q1', 'R-Q2', 'R-U1', 'R-B1', 'R-B2', 'R-B4', 'R-M1', 'R-P1', 'R-P2', 'R-P3', 'R-P4',
  'R-L1', 'truncated',
]);

export interface JwtMarker {
  alg?: string;
  kid?: string;
  exp?: number;
  iat?: number;
  nbf?: number;
  iss?: string;
  aud?: string;
  hash: string;
}

const NUMERIC_CLAIMS = new Set(['exp', 'iat', 'nbf']);
const MAX_CLAIM = 64;

function isClaimChar(c: number): boolean {
  return (c >= 48 && c <= 58) /* 0-9 : */ || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    || c === 46 || c === 95 || c === 47 || c === 44 || c === 43 || c === 45; // . _ / , + -
}

/**
 * A claim value as it may appear in a marker, or null to leave the claim out: numbers for exp/iat/nbf,
 * short strings otherwise; anything with `@` (an e-mail) is dropped; other characters become `_`.
 */
export function sanitizeClaim(name: string, v: unknown): string | null {
  if (NUMERIC_CLAIMS.has(name)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    return String(Math.trunc(v));
  }
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else if (Array.isArray(v) && v.length > 0 && v.length <= 8 && v.every((x) => typeof x === 'string')) s = v.join(',');
  else return null;
  if (s.length === 0 || s.includes('@')) return null;
  if (s.length > MAX_CLAIM) s = s.slice(0, MAX_CLAIM);
  let out = '';
  for (let i = 0; i < s.length; i++) out += isClaimChar(s.charCodeAt(i)) ? s[i] : '_';
  return out;
}

/** Builds the JWT marker text from already sanitized claims. */
export function buildJwtMarker(claims: Array<[string, string]>, hash: string, url: boolean): string {
  let s = OPEN + 'jwt';
  for (const [k, v] of claims) s += ` ${k}=${v}`;
  s += ` #${hash}]`;
  return url ? encodeForUrl(s) : s;
}

/** Percent-encodes the three marker characters that would change a URL's structure. */
export function encodeForUrl(marker: string): string {
  let out = '';
  for (let i = 0; i < marker.length; i++) {
    const ch = marker[i]!;
    out += ch === ' ' ? '%20' : ch === '#' ? '%23' : ch === '=' ? '%3D' : ch;
  }
  return out;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `s` at `i` is `lit` or its percent-encoded form `enc` (case-insensitive hex): length consumed, or 0. */
function sepAt(s: string, i: number, lit: string, enc: string): number {
  if (s[i] === lit) return 1;
  if (s.charCodeAt(i) === 37 && s.slice(i, i + 3).toUpperCase() === enc) return 3;
  return 0;
}

interface Parsed { end: number; id: string; claims: Array<[string, string]>; hash: string | null }

/** Parses one of our markers starting at `i` (raw or URL form); null when there is none. Bounded work. */
function parseAt(s: string, i: number): Parsed | null {
  if (!s.startsWith(OPEN, i)) return null;
  let p = i + OPEN.length;
  const idStart = p;
  while (p < s.length && p - idStart <= 12) {
    const c = s.charCodeAt(p);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45) p++;
    else break;
  }
  const id = s.slice(idStart, p);
  if (id === 'error') return s[p] === ']' ? { end: p + 1, id, claims: [], hash: null } : null;
  const claims: Array<[string, string]> = [];
  if (id === 'jwt') {
    for (;;) {
      const sp = sepAt(s, p, ' ', '%20');
      if (sp === 0) return null;
      p += sp;
      if (sepAt(s, p, '#', '%23') > 0) break;
      if (claims.length >= 12) return null;
      const kStart = p;
      while (p < s.length && p - kStart < 8 && s.charCodeAt(p) >= 97 && s.charCodeAt(p) <= 122) p++;
      if (p === kStart) return null;
      const k = s.slice(kStart, p);
      const eq = sepAt(s, p, '=', '%3D');
      if (eq === 0) return null;
      p += eq;
      const vStart = p;
      while (p < s.length && p - vStart <= MAX_CLAIM && isClaimChar(s.charCodeAt(p))) p++;
      if (p === vStart || p - vStart > MAX_CLAIM) return null;
      claims.push([k, s.slice(vStart, p)]);
    }
  } else if (!KNOWN_IDS.has(id)) return null;
  const hs = sepAt(s, p, '#', '%23');
  if (hs === 0) return null;
  p += hs;
  for (let k = 0; k < 12; k++) if (!isHex(s.charCodeAt(p + k))) return null;
  if (s[p + 12] !== ']') return null;
  return { end: p + 13, id, claims, hash: s.slice(p, p + 12) };
}

/** End index (exclusive) of one of our markers starting at `i`, or -1. */
export function markerEndAt(s: string, i: number): number {
  const m = parseAt(s, i);
  return m ? m.end : -1;
}

/** Is the whole string one of our markers? */
export function isMarker(s: string): boolean {
  return markerEndAt(s, 0) === s.length;
}

function toJwtMarker(p: Parsed): JwtMarker {
  const m: JwtMarker = { hash: p.hash ?? '' };
  for (const [k, v] of p.claims) {
    if (k === 'exp' || k === 'iat' || k === 'nbf') {
      const n = Number(v);
      if (Number.isFinite(n)) m[k] = n;
    } else if (k === 'alg' || k === 'kid' || k === 'iss' || k === 'aud') m[k] = v;
  }
  return m;
}

/** Parses a whole `[REDACTED:jwt …]` marker (raw or URL form); null when `s` is not exactly one. */
export function parseJwtMarker(s: string): JwtMarker | null {
  const p = parseAt(s, 0);
  if (!p || p.id !== 'jwt' || p.end !== s.length) return null;
  return toJwtMarker(p);
}

/** Every JWT marker in `text` with its position. Linear: one indexOf pass, bounded parse per hit. */
export function findJwtMarkers(text: string): Array<JwtMarker & { start: number; end: number }> {
  const out: Array<JwtMarker & { start: number; end: number }> = [];
  const needle = OPEN + 'jwt';
  let at = 0;
  for (;;) {
    const start = text.indexOf(needle, at);
    if (start < 0) break;
    const p = parseAt(text, start);
    if (p && p.id === 'jwt') {
      out.push({ ...toJwtMarker(p), start, end: p.end });
      at = p.end;
    } else at = start + needle.length;
  }
  return out;
}
