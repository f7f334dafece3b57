/**
 * Which response bodies we keep an excerpt of (R-M1) and how (R-B4).
 * Kept: JSON (`application/json`, any `+json` such as problem+json), text/plain, NDJSON, form data,
 * CSV, event streams: the bodies failure triage reads. Dropped (size and hash kept): HTML, JS, CSS,
 * XML, images, fonts, audio, video, octet streams and anything unknown.
 */

/** Lower-cased MIME essence: `Application/JSON; charset=utf-8` → `application/json`. */
export function mimeEssence(mime: string | null): string {
  if (mime === null) return '';
  let s = mime;
  const semi = s.indexOf(';');
  if (semi >= 0) s = s.slice(0, semi);
  s = s.trim().toLowerCase();
  // WebPageTest sometimes writes the header line itself: "Content-Type: application/json"
  if (s.startsWith('content-type:')) s = s.slice(13).trim();
  return s;
}

const KEEP_EXACT = new Set([
  'application/json', 'text/json', 'text/plain', 'application/x-ndjson', 'application/ndjson', 'application/jsonl',
  'application/x-jsonlines', 'application/x-www-form-urlencoded', 'text/csv', 'text/event-stream',
  'application/graphql-response+json', 'application/problem+json', 'application/json-seq',
]);

/** True when a body of this MIME type is worth keeping as an excerpt. */
export function keepsBody(essence: string): boolean {
  if (essence.length === 0) return false;
  if (KEEP_EXACT.has(essence)) return true;
  return essence.endsWith('+json');
}

/** Decoded length of base64 text (whitespace ignored, padding counted), without decoding it. */
export function base64DecodedLength(charCount: number, tail: string): number {
  let pad = 0;
  if (tail.endsWith('==')) pad = 2;
  else if (tail.endsWith('=')) pad = 1;
  return Math.max(0, Math.floor((charCount * 3) / 4) - pad);
}

/** Base64 text → UTF-8 text of at most about `maxChars` characters (only the needed prefix is decoded). */
export function decodeBase64Prefix(b64: string, maxChars: number): string {
  // a UTF-16 code unit takes at most 3 UTF-8 bytes, i.e. 4 base64 characters
  const take = Math.min(b64.length, maxChars * 4 + 4);
  const prefix = b64.slice(0, take - (take % 4));
  return Buffer.from(prefix, 'base64').toString('utf8');
}
