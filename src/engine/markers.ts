/**
 * Reading the redaction markers the redactor leaves in place of secrets:
 *   [REDACTED:jwt alg=HS256 exp=1700000000 iat=1699990000 iss=… #0123456789ab]
 *   [REDACTED:R-H1#0123456789ab]
 * The `#hash` is a per-database HMAC of the secret: the same token gives the same fingerprint.
 * JWT markers are parsed by src/redact (one owner of the format); this file adapts them.
 */
import { findJwtMarkers as findRaw } from '../redact/index.js';

export interface JwtMarker {
  alg: string | null;
  /** Expiry, epoch seconds. */
  exp: number | null;
  iat: number | null;
  iss: string | null;
  hash: string | null;
}

const OPEN = '[REDACTED:';
const MAX_MARKERS = 8;

/** Every JWT marker in `text` (raw or URL-encoded form). */
export function findJwtMarkers(text: string): JwtMarker[] {
  return findRaw(text).slice(0, MAX_MARKERS).map((m) => ({
    alg: m.alg ?? null, exp: m.exp ?? null, iat: m.iat ?? null, iss: m.iss ?? null, hash: m.hash || null,
  }));
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
