/**
 * Field helpers shared by every access-log format: time stamps, request lines, URLs, numbers.
 * All linear-time: no regular expression here can backtrack.
 */
import { digitsAt, IMPOSSIBLE, MAX_OFFSET_MIN, parseIsoUtc, utcMs } from '../../src/core/calendar.js';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
/** The same months keyed by their three character codes (no substring per line). */
const MONTH_CODES = new Map(Object.entries(MONTHS).map(([k, v]) => [(k.charCodeAt(0) << 16) | (k.charCodeAt(1) << 8) | k.charCodeAt(2), v]));

/**
 * Parses the CLF time `10/Oct/2000:13:55:36 -0700` (brackets already removed; fractional seconds
 * `13:55:36.123` accepted) into UTC epoch ms, honouring the offset. Returns null when malformed or
 * impossible (29/Feb/2025, hour 25, year 0000, offset +9999): src/core/calendar.ts, no Date object.
 */
export function parseClfTime(s: string): number | null {
  const t = scanClf(s);
  return typeof t === 'number' ? t : null;
}

/** True when `s` has the CLF shape but names no real moment (29/Feb/2025, 25:00:00, +9999). */
export function isImpossibleClf(s: string): boolean {
  return scanClf(s) === IMPOSSIBLE;
}

function scanClf(s: string): number | null | typeof IMPOSSIBLE {
  // dd/Mon/yyyy:HH:MM:SS[.fff] +zzzz
  if (s.length < 20 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58 || s.charCodeAt(14) !== 58 || s.charCodeAt(17) !== 58) return null;
  const m0 = s.charCodeAt(3), m1 = s.charCodeAt(4), m2 = s.charCodeAt(5);
  const mon = (m0 | m1 | m2) < 128 ? MONTH_CODES.get((m0 << 16) | (m1 << 8) | m2) : undefined;
  if (mon === undefined) return null;
  const day = digitsAt(s, 0, 2), year = digitsAt(s, 7, 4), hh = digitsAt(s, 12, 2), mm = digitsAt(s, 15, 2), ss = digitsAt(s, 18, 2);
  if (Number.isNaN(day + year + hh + mm + ss)) return null;
  let i = 20;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    let j = i + 1;
    let scale = 100;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
      frac += (s.charCodeAt(j) - 48) * scale;
      scale /= 10;
      j++;
    }
    i = j;
  }
  let offsetMin = 0;
  let badOffset = false;
  if (i < s.length) {
    if (s.charCodeAt(i) !== 32) return null;
    const sign = s.charCodeAt(i + 1);
    if (sign !== 43 && sign !== 45) return null;
    const oh = digitsAt(s, i + 2, 2);
    const om = digitsAt(s, i + 4, 2);
    if (Number.isNaN(oh + om)) return null;
    offsetMin = (oh * 60 + om) * (sign === 45 ? -1 : 1);
    badOffset = om > 59 || Math.abs(offsetMin) > MAX_OFFSET_MIN;
  }
  // Well-formed from here on: what fails is the calendar, not the shape.
  const utc = badOffset ? null : utcMs(year, mon + 1, day, hh, mm, ss);
  return utc === null ? IMPOSSIBLE : utc + Math.round(frac) - offsetMin * 60000;
}

/**
 * Parses ISO 8601 / RFC 3339 (`2019-10-01T12:00:00.123456Z`, `+02:00` offsets; no zone is UTC) into
 * epoch ms, or null when malformed or impossible (2025-02-29, hour 25).
 */
export function parseIsoTime(s: string): number | null {
  if (s.length < 19 || s.length > 40) return null;
  return parseIsoUtc(s);
}

/** Epoch seconds or ms as a number or numeric string (`1571133245.123`) into epoch ms. */
export function parseEpoch(v: string | number): number | null {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n > 1e17) return Math.round(n / 1e6); // nanoseconds
  if (n > 1e14) return Math.round(n / 1e3); // microseconds
  if (n > 1e11) return Math.round(n); // milliseconds
  return Math.round(n * 1000); // seconds
}

/** `-` and empty mean "absent" in every access-log format. */
export function dash(s: string | undefined | null): string | null {
  if (s === undefined || s === null || s === '' || s === '-') return null;
  return s;
}

/** A number or null for `-`, empty or junk. */
export function num(s: string | undefined | null): number | null {
  const v = dash(s);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Seconds (as nginx/ALB log them) to ms, keeping -1 (ALB "no response") as null. */
export function secondsToMs(s: string | undefined | null): number | null {
  const n = num(s);
  if (n === null || n < 0) return null;
  return Math.round(n * 1000 * 1000) / 1000;
}

export interface TargetParts {
  scheme: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
}

/**
 * Splits a request target: origin-form `/a/b?x=1`, absolute-form `https://h:443/a?x`
 * (ALB, proxies), or anything else (kept as the path, so malformed URLs stay visible).
 */
export function splitTarget(target: string): TargetParts {
  let scheme: string | null = null;
  let host: string | null = null;
  let rest = target;
  const sep = target.indexOf('://');
  if (sep > 0 && sep < 10) {
    const sch = target.slice(0, sep).toLowerCase();
    if (sch === 'http' || sch === 'https' || sch === 'ws' || sch === 'wss') {
      scheme = sch;
      const after = target.slice(sep + 3);
      let end = after.length;
      for (let i = 0; i < after.length; i++) {
        const c = after.charCodeAt(i);
        if (c === 47 || c === 63 || c === 35) { end = i; break; }
      }
      host = after.slice(0, end) || null;
      rest = after.slice(end) || '/';
    }
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  if (q >= 0) return { scheme, host, path: rest.slice(0, q), query: rest.slice(q + 1) };
  return { scheme, host, path: rest, query: null };
}

export interface RequestLine extends TargetParts {
  method: string | null;
  httpVersion: string | null;
}

/**
 * Parses `GET /path?q HTTP/1.1`. Malformed request lines (scanners send raw bytes, `-`, or a bare path)
 * still yield what can be read: the method is null when the first word is not a token.
 */
export function parseRequestLine(s: string): RequestLine {
  if (s === '-' || s === '') return { method: null, path: null, query: null, scheme: null, host: null, httpVersion: null };
  const sp1 = s.indexOf(' ');
  if (sp1 < 0) {
    return { method: isToken(s) ? s : null, ...splitTarget(isToken(s) ? '' : s), httpVersion: null };
  }
  const method = s.slice(0, sp1);
  const sp2 = s.lastIndexOf(' ');
  let target: string;
  let httpVersion: string | null = null;
  if (sp2 > sp1 && s.startsWith('HTTP/', sp2 + 1)) {
    target = s.slice(sp1 + 1, sp2);
    httpVersion = s.slice(sp2 + 1);
  } else {
    target = s.slice(sp1 + 1);
  }
  return { method: isToken(method) ? method : null, ...splitTarget(target), httpVersion };
}

/** Request lines the cache below keeps before it is cleared, in entries and in characters. */
const REQUEST_LINES_MAX = 8192;
const REQUEST_LINES_CHARS = 2 * 1024 * 1024;
/** Longer request lines are parsed without the cache (rare, and keeping them would cost memory). */
const REQUEST_LINE_MAX_KEY = 2048;
const requestLines = new Map<string, Readonly<RequestLine>>();
let requestLineChars = 0;

/**
 * parseRequestLine through a bounded cache. Access logs repeat their request lines (1,733 distinct
 * in 10k lines of the real Apache seed), and a repeat then costs one lookup instead of four
 * substrings and three objects. Its parts are also the same string objects on every repeat, so the
 * lookups that follow on them (redaction memos, the batch string table) reuse their cached hash.
 * The result is shared: callers copy its fields and never change it.
 */
export function parseRequestLineCached(s: string): Readonly<RequestLine> {
  if (s.length > REQUEST_LINE_MAX_KEY) return parseRequestLine(s);
  const hit = requestLines.get(s);
  if (hit !== undefined) return hit;
  const own = detached(s);
  const q = parseRequestLine(own);
  if (requestLines.size >= REQUEST_LINES_MAX || requestLineChars >= REQUEST_LINES_CHARS) {
    requestLines.clear();
    requestLineChars = 0;
  }
  requestLines.set(own, q);
  requestLineChars += own.length;
  return q;
}

/**
 * A copy of `s` that shares no memory with the line it was cut from: V8 keeps a substring's whole
 * parent alive, and a cached request line must not pin a line of up to 1 MiB.
 */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** RFC 9110 token characters (method names). */
function isToken(s: string): boolean {
  if (s.length === 0 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || '!#$%&\'*+-.^_`|~'.includes(s[i]!);
    if (!ok) return false;
  }
  return true;
}
