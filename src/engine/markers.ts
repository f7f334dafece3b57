/**
 * Reading the redaction markers the redactor leaves in place of secrets:
 *   [REDACTED:jwt alg=HS256 exp=1700000000 iat=1699990000 iss=… #0123456789ab]
 *   [REDACTED:jwt%20alg%3DHS256%20exp%3D1700000000%20%230123456789ab]   (inside URLs)
 *   [REDACTED:R-H1#0123456789ab]
 * The `#hash` is a per-database HMAC of the secret: the same token gives the same fingerprint.
 * src/redact owns the format and also exports a parser; this reader is a few times faster (it runs
 * on every 401/403 carrying a bearer token) and markers.test.ts checks that both agree.
 */

export interface JwtMarker {
  alg: string | null;
  /** Expiry, epoch seconds. */
  exp: number | null;
  iat: number | null;
  iss: string | null;
  hash: string | null;
}

const OPEN = '[REDACTED:jwt';
const MAX_MARKERS = 8;
const MAX_MARKER_LEN = 1024;

function readMarker(body: string): JwtMarker | null {
  // body: what follows "[REDACTED:jwt" up to (not including) "]"; URL form uses %20, %23, %3D.
  const text = body.includes('%') ? body.replace(/%20/gi, ' ').replace(/%23/gi, '#').replace(/%3D/gi, '=') : body;
  if (text !== '' && text[0] !== ' ') return null;
  const m: JwtMarker = { alg: null, exp: null, iat: null, iss: null, hash: null };
  for (const part of text.split(' ')) {
    if (part === '') continue;
    if (part[0] === '#') { m.hash = part.slice(1); continue; }
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (k === 'alg') m.alg = v;
    else if (k === 'iss') m.iss = v;
    else if (k === 'exp' || k === 'iat') { const n = Number(v); if (v !== '' && Number.isFinite(n)) m[k] = n; }
  }
  return m.hash === null ? null : m;
}

/** Every JWT marker in `text` (raw or URL-encoded form). */
export function findJwtMarkers(text: string): JwtMarker[] {
  const out: JwtMarker[] = [];
  let at = 0;
  while (out.length < MAX_MARKERS) {
    const start = text.indexOf(OPEN, at);
    if (start < 0) break;
    const end = text.indexOf(']', start);
    if (end < 0) break;
    if (end - start <= MAX_MARKER_LEN) {
      const m = readMarker(text.slice(start + OPEN.length, end));
      if (m) out.push(m);
    }
    at = end + 1;
  }
  return out;
}

/** The fingerprint (`#hash`) of the first marker in `text`, e.g. "#0123456789ab"; null when none. */
export function markerFingerprint(text: string): string | null {
  const start = text.indexOf('[REDACTED:');
  if (start < 0) return null;
  const end = text.indexOf(']', start);
  if (end < 0) return null;
  let hashAt = text.lastIndexOf('#', end);
  let skip = 1;
  if (hashAt < start) { hashAt = text.toUpperCase().lastIndexOf('%23', end); skip = 3; }
  if (hashAt < start) return null;
  const hash = text.slice(hashAt + skip, end);
  return /^[0-9a-f]{6,64}$/i.test(hash) ? '#' + hash : null;
}
