/**
 * Small value coercions shared by the structured formats (status codes, ip:port, text decodings).
 * Linear scans only; nothing here throws.
 */

import { splitTarget, type TargetParts } from '../../fields.js';

/**
 * splitTarget for a request target as logged from the wire. A client never sends a fragment, so a
 * `#` in a logged target is data (`/search.json?q=#BroIDS`) and is kept, where splitTarget would cut it.
 */
export function splitWireTarget(t: string): TargetParts {
  if (t.indexOf('#') < 0) return splitTarget(t);
  const q = t.indexOf('?');
  const head = q >= 0 ? t.slice(0, q) : t;
  const parts: TargetParts = head.indexOf('#') < 0 ? splitTarget(head) : { scheme: null, host: null, path: head, query: null };
  parts.query = q >= 0 ? t.slice(q + 1) : null;
  return parts;
}

/**
 * An HTTP status from a number or string: `200`, `"200"`, CloudFront `"000"` → 0. `-`, empty,
 * null and undefined → null (absent). Anything else → NaN (present but not a status: reject the line).
 */
export function statusOf(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 999 ? v : NaN;
  if (typeof v !== 'string') return NaN;
  if (v === '' || v === '-') return null;
  if (v.length > 3) return NaN;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** A non-negative number from a number or numeric string; `-`, empty and junk → null. */
export function numOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v === '' || v === '-') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

const toWellFormed = (String.prototype as unknown as { toWellFormed?: () => string }).toWellFormed;

/** Replaces lone UTF-16 surrogates (JSON `"\ud800"`) by U+FFFD (security.md T5). */
export function wellFormed(s: string): string {
  if (toWellFormed) return toWellFormed.call(s);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { out += s[i]! + s[i + 1]!; i++; continue; }
      out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += s[i]!;
  }
  return out;
}

/**
 * The address part of `ip:port`, `[v6]:port` or a bare address (v4 or v6). Unbracketed v6
 * (several colons) is returned whole.
 */
export function stripPort(s: string): string {
  if (s.charCodeAt(0) === 91) {
    const close = s.indexOf(']');
    return close > 0 ? s.slice(1, close) : s;
  }
  const colon = s.indexOf(':');
  if (colon < 0 || s.indexOf(':', colon + 1) >= 0) return s;
  return s.slice(0, colon);
}

/** Percent-decodes (CloudFront URL-encodes the user agent); malformed sequences leave the text as logged. */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * IIS writes a space as `+` in cs(User-Agent) and keeps a literal `+` as is, so `;++http` is `; +http`.
 * A `+` right after another `+` is taken as literal; the first of a run is a space.
 */
export function iisPlusToSpace(s: string): string {
  let plus = s.indexOf('+');
  if (plus < 0) return s;
  let out = '';
  let from = 0;
  while (plus >= 0) {
    out += s.slice(from, plus) + ' ';
    let j = plus + 1;
    while (s.charCodeAt(j) === 43) { out += '+'; j++; }
    from = j;
    plus = s.indexOf('+', j);
  }
  return out + s.slice(from);
}

/**
 * Sums a list of seconds as nginx writes upstream times for retried requests
 * (`0.100, 0.004` or `0.5 : 0.2`), into ms; `-` entries are skipped; null when none is a number.
 */
export function sumSecondsToMs(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1e6) / 1e3 : null;
  if (typeof v !== 'string') return null;
  let total = 0;
  let any = false;
  let start = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : 44;
    if (c === 44 || c === 58) { // , :
      const part = v.slice(start, i).trim();
      start = i + 1;
      if (part === '' || part === '-') continue;
      const n = Number(part);
      if (!Number.isFinite(n) || n < 0) continue;
      total += n;
      any = true;
    }
  }
  return any ? Math.round(total * 1e6) / 1e3 : null;
}

/** Longest string kept in `extra` (extra is meant to stay small). */
export const EXTRA_MAX = 256;

export function capExtra(s: string): string {
  return s.length > EXTRA_MAX ? s.slice(0, EXTRA_MAX) + '…' : s;
}
