/**
 * Reading the redaction markers the redactor leaves in place of secrets:
 *   [REDACTED:jwt alg=HS256 exp=1700000000 iat=1699990000 iss=… #0123456789ab]
 *   [REDACTED:R-H1#0123456789ab]
 * The `#hash` is a per-database HMAC of the secret: the same token gives the same fingerprint.
 * Kept in one small file so it can be swapped for src/redact's parseJwtMarker once that exists.
 */

export interface JwtMarker {
  alg: string | null;
  /** Expiry, epoch seconds. */
  exp: number | null;
  iat: number | null;
  iss: string | null;
  hash: string | null;
}

const OPEN = '[REDACTED:';

/** Every JWT marker in `text`, scanned without regular expressions. */
export function findJwtMarkers(text: string): JwtMarker[] {
  const out: JwtMarker[] = [];
  let at = 0;
  while (out.length < 8) {
    const start = text.indexOf(OPEN + 'jwt', at);
    if (start < 0) break;
    const end = text.indexOf(']', start);
    if (end < 0) break;
    const m = parseJwtMarker(text.slice(start, end + 1));
    if (m) out.push(m);
    at = end + 1;
  }
  return out;
}

/** Parses one `[REDACTED:jwt …]` marker; null when `s` is not one. */
export function parseJwtMarker(s: string): JwtMarker | null {
  if (!s.startsWith(OPEN + 'jwt') || !s.endsWith(']')) return null;
  const m: JwtMarker = { alg: null, exp: null, iat: null, iss: null, hash: null };
  for (const part of s.slice(OPEN.length + 3, -1).split(' ')) {
    if (part.startsWith('#')) { m.hash = part.slice(1); continue; }
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (k === 'alg') m.alg = v;
    else if (k === 'exp' || k === 'iat') { const n = Number(v); if (Number.isFinite(n)) m[k] = n; }
    else if (k === 'iss') m.iss = v;
  }
  return m;
}

/** The fingerprint (`#hash`) of the first marker in `text`, e.g. "#0123456789ab"; null when none. */
export function markerFingerprint(text: string): string | null {
  const start = text.indexOf(OPEN);
  if (start < 0) return null;
  const end = text.indexOf(']', start);
  if (end < 0) return null;
  const hashAt = text.lastIndexOf('#', end);
  if (hashAt < start) return null;
  const hash = text.slice(hashAt + 1, end);
  return /^[0-9a-f]{6,64}$/i.test(hash) ? '#' + hash : null;
}
