/**
 * Small string helpers for values taken from a HAR. Linear time, no regular expressions.
 */

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Lone UTF-16 surrogates (JSON allows `"\ud800"`) become U+FFFD (T5). */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
}

/** A string from the input, or null when it is not a string. Lone surrogates fixed, length capped. */
export function str(v: unknown, cap = 65536): string | null {
  if (typeof v !== 'string') return null;
  return wellFormed(v.length > cap ? v.slice(0, cap) : v);
}

/** Like str() but an empty (or blank) string is null too. */
export function nonEmpty(v: unknown, cap = 65536): string | null {
  const s = str(v, cap);
  if (s === null) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return s;
  }
  return null;
}

/**
 * For short protocol tokens (method, HTTP version): control characters (C0, DEL, C1) are written
 * as `\xNN` so they are stored escaped, never raw (bad-input case B-6, httptoolkit#880).
 */
export function escapeControls(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return out;
}

/** A finite number, or null. Numeric strings ("200") are accepted: some exporters quote them. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.length > 0 && v.length < 32) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A number >= 0 (HAR uses -1 for "unknown"), or null. */
export function nonNegative(v: unknown): number | null {
  const n = num(v);
  return n !== null && n >= 0 ? n : null;
}

/** A plain object (not an array, not null), or null. */
export function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * HAR `startedDateTime` (ISO 8601, e.g. `2023-07-17T13:04:44.056651+00:00`, any number of fraction
 * digits, `Z`, `±HH:MM` or `±HHMM`; no offset means UTC) to epoch ms. Null when malformed.
 */
export function parseIsoTime(v: unknown): number | null {
  if (typeof v !== 'string' || v.length < 19 || v.length > 64) return null;
  const s = v;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32)) return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 60) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
    i++;
    let scale = 100;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return null;
  }
  let offsetMin = 0;
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122) i++;
    else if (c === 43 || c === 45) {
      const sign = c === 45 ? -1 : 1;
      const oh = digits(s, i + 1, 2);
      let om: number;
      if (s.charCodeAt(i + 3) === 58) {
        om = digits(s, i + 4, 2);
        i += 6;
      } else if (i + 5 <= s.length) {
        om = digits(s, i + 3, 2);
        i += 5;
      } else {
        om = 0;
        i += 3;
      }
      if (Number.isNaN(oh + om) || oh > 23 || om > 59) return null;
      offsetMin = sign * (oh * 60 + om);
    } else return null;
  }
  if (i !== s.length) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, se) + Math.floor(ms);
  return t - offsetMin * 60000;
}
