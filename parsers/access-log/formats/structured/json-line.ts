/**
 * Reading one JSON-lines log line: an optional text prefix (Kubernetes CRI `<ts> stdout F `, a
 * syslog or `kubectl logs --timestamps` header), a nesting-depth cap checked before JSON.parse, and
 * a rejection reason that names the column of the first syntax error.
 */
import { jsonErrorOffset } from './json-error.js';

export type JsonObject = { [key: string]: unknown };

export type JsonLineResult =
  | { ok: true; obj: JsonObject; /** the line has `\u` escapes: strings may hold lone surrogates */ escapes: boolean }
  | { ok: false; reason: string };

/** Deepest nesting accepted (security.md B-12: beyond it the line is `json_too_deep`). */
export const MAX_JSON_DEPTH = 64;
/** Longest text prefix accepted before the `{`. */
export const MAX_PREFIX = 256;

export const REASON_TOO_DEEP = `json_too_deep: nesting deeper than ${MAX_JSON_DEPTH}`;
const REASON_NOT_OBJECT = 'expected a JSON object';

/**
 * Where the JSON object starts, or a reason. A prefix must be short, hold no quote or brace, and end
 * in a space or tab; this accepts CRI and syslog headers and refuses CLF-style lines that merely
 * contain a `{` somewhere in a quoted field.
 */
export function findJsonStart(line: string): number | string {
  const first = line.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (line.charCodeAt(first) === 123) return first;
  const limit = Math.min(line.length, first + MAX_PREFIX + 1);
  for (let j = first; j < limit; j++) {
    const c = line.charCodeAt(j);
    if (c === 123) {
      const before = line.charCodeAt(j - 1);
      if (before !== 32 && before !== 9) return REASON_NOT_OBJECT;
      return criPartial(line, first, j) ? 'partial CRI line (tag P): the JSON continues on the next line' : j;
    }
    if (c === 34 || c === 125 || (c < 32 && c !== 9)) break;
  }
  return line.charCodeAt(first) === 91 ? 'expected a JSON object per line, got an array' : REASON_NOT_OBJECT;
}

/** `2023-01-01T00:00:00.000000000Z stdout P ` (a partial line of a container runtime log). */
function criPartial(line: string, from: number, to: number): boolean {
  const head = line.slice(from, to).trimEnd();
  if (!head.endsWith(' P')) return false;
  return head.indexOf(' stdout ') > 0 || head.indexOf(' stderr ') > 0;
}

/**
 * True when the JSON text from `start` nests deeper than `max`. Strings are skipped with indexOf
 * (so brackets inside them do not count); linear, no allocation.
 */
export function jsonTooDeep(s: string, start: number, max: number): boolean {
  let depth = 0;
  const n = s.length;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      // skip to the closing quote: the next `"` not preceded by an odd run of backslashes
      let q = i;
      for (;;) {
        q = s.indexOf('"', q + 1);
        if (q < 0) return false; // unterminated: JSON.parse will report it
        let bs = 0;
        while (s.charCodeAt(q - 1 - bs) === 92) bs++;
        if ((bs & 1) === 0) break;
      }
      i = q;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Lines this short cannot nest deeper than MAX_JSON_DEPTH (each level costs two characters). */
const DEPTH_SCAN_FROM = 2 * MAX_JSON_DEPTH + 2;

/**
 * True when the text has more than `max` opening brackets in all (strings included): only then can
 * it nest deeper than `max`. indexOf runs at memchr speed, so typical lines (a handful of braces)
 * skip the character-by-character depth scan.
 */
function manyOpenings(s: string, start: number, max: number): boolean {
  let n = 0;
  for (let i = s.indexOf('{', start); i >= 0; i = s.indexOf('{', i + 1)) if (++n > max) return true;
  for (let i = s.indexOf('[', start); i >= 0; i = s.indexOf('[', i + 1)) if (++n > max) return true;
  return false;
}

/** Parses one line into a JSON object (see the module comment), or says why not. */
export function readJsonLine(line: string): JsonLineResult {
  const start = findJsonStart(line);
  if (typeof start === 'string') return { ok: false, reason: start };
  if (line.length - start >= DEPTH_SCAN_FROM && manyOpenings(line, start, MAX_JSON_DEPTH) && jsonTooDeep(line, start, MAX_JSON_DEPTH)) {
    return { ok: false, reason: REASON_TOO_DEEP };
  }
  const text = start === 0 ? line : line.slice(start);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    const at = jsonErrorOffset(text, 0);
    return { ok: false, reason: `invalid JSON at column ${start + (at < 0 ? 0 : at) + 1}` };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, reason: REASON_NOT_OBJECT };
  return { ok: true, obj: obj as JsonObject, escapes: text.indexOf('\\u') >= 0 };
}
