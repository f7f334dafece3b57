/**
 * Time stamps and durations as the structured formats write them. Hand-written scanners only:
 * every function here is linear in its input and never throws.
 */
import { digitsAt, isImpossibleIso, utcMs } from '../../../../src/core/calendar.js';
import { isImpossibleClf, parseClfTime, parseEpoch, parseIsoTime } from '../../fields.js';

/**
 * W3C / CloudFront `date` + `time` (`2015-01-13`, `00:32:17` or `17:00:00.363`), read as UTC
 * (IIS and CloudFront log in UTC). Returns epoch ms, or null when malformed or impossible.
 */
export function utcFromDateAndTime(date: string, time: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  if (time.length < 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return null;
  const y = digitsAt(date, 0, 4);
  const mo = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  const hh = digitsAt(time, 0, 2);
  const mm = digitsAt(time, 3, 2);
  const ss = digitsAt(time, 6, 2);
  let frac = 0;
  if (time.length > 8) {
    if (time.charCodeAt(8) !== 46) return null;
    let scale = 100;
    for (let i = 9; i < time.length; i++) {
      const c = time.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      frac += c * scale;
      scale /= 10;
    }
  }
  // A date that does not exist (2025-02-29, hour 24) is null, not rolled into the next day by Date.UTC.
  const t = utcMs(y, mo, d, hh, mm, ss);
  return t === null ? null : t + Math.round(frac);
}

/** True when an ISO-like stamp carries `Z` or a numeric offset after the time part. */
function hasZone(s: string): boolean {
  for (let i = 19; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122 || c === 43 || c === 45) return true; // Z z + -
  }
  return false;
}

/**
 * Any time stamp a JSON log may carry: epoch seconds/ms/µs/ns as a number or numeric string,
 * RFC 3339 / ISO 8601 (a space instead of `T` accepted; no zone means UTC, never the machine's zone),
 * or CLF `10/Oct/2000:13:55:36 -0700` (nginx `$time_local`).
 */
export function parseAnyTime(v: unknown): number | null {
  if (typeof v === 'number') return parseEpoch(v);
  if (typeof v !== 'string' || v.length < 8 || v.length > 40) return null;
  const c0 = v.charCodeAt(0);
  if (c0 === 91) return parseAnyTime(v.slice(1, v.charCodeAt(v.length - 1) === 93 ? -1 : undefined)); // [clf]
  if (v.charCodeAt(2) === 47) return parseClfTime(v);
  if (v.charCodeAt(4) === 45 && v.length >= 19) {
    let s = v;
    if (s.charCodeAt(10) === 32) s = s.slice(0, 10) + 'T' + s.slice(11);
    if (!hasZone(s)) s += 'Z';
    return parseIsoTime(s);
  }
  // numeric string: epoch
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return null;
  }
  return parseEpoch(v);
}

/**
 * A well-formed CLF or ISO stamp that parseAnyTime rejected because it names no real moment
 * (2025-02-29, hour 25, offset +99:99): the line is a counted skip with this reason, not a request
 * stored without its time (or, as Date would do it, at another time). Null for anything else:
 * an unknown spelling stays a request without a time, as before.
 */
export function impossibleTime(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 19 || v.length > 66) return null;
  const s = v.charCodeAt(0) === 91 ? v.slice(1, v.charCodeAt(v.length - 1) === 93 ? -1 : undefined) : v;
  const impossible = s.charCodeAt(2) === 47 ? isImpossibleClf(s) : isImpossibleIso(s);
  return impossible ? `time ${JSON.stringify(v)} is not a real date and time (day of month, hour 00-23, minute, offset up to ±18:00)` : null;
}

export type DurationUnit = 's' | 'ms' | 'us' | 'ns';

const FACTOR: Record<DurationUnit, number> = { s: 1000, ms: 1, us: 0.001, ns: 0.000001 };

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A Go-style duration string (`1.5ms`, `2m3.5s`, `300µs`, GCP `0.123s`) into ms, or null when the
 * string is not one. A bare number is not a Go duration (the caller knows its unit).
 */
export function parseGoDuration(s: string): number | null {
  if (s.length === 0 || s.length > 64) return null;
  let i = 0;
  let total = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  let parts = 0;
  while (i < s.length) {
    const numStart = i;
    while (i < s.length && ((s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) || s.charCodeAt(i) === 46)) i++;
    if (i === numStart) return null;
    const n = Number(s.slice(numStart, i));
    if (!Number.isFinite(n)) return null;
    const unitStart = i;
    while (i < s.length && !(s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) && s.charCodeAt(i) !== 46) i++;
    const unit = s.slice(unitStart, i);
    let f: number;
    switch (unit) {
      case 'h': f = 3600000; break;
      case 'm': f = 60000; break;
      case 's': f = 1000; break;
      case 'ms': f = 1; break;
      case 'us': case 'µs': case 'μs': f = 0.001; break;
      case 'ns': f = 0.000001; break;
      default: return null;
    }
    total += n * f;
    parts++;
  }
  return parts > 0 ? roundMs(sign * total) : null;
}

/** A duration in a known unit (number, numeric string, or a Go duration string) into ms; negative → null. */
export function durationMs(v: unknown, unit: DurationUnit): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    if (v === '' || v === '-') return null;
    n = Number(v);
    if (Number.isNaN(n)) {
      const g = parseGoDuration(v);
      return g === null || g < 0 ? null : g;
    }
  } else return null;
  if (!Number.isFinite(n) || n < 0) return null;
  return roundMs(n * FACTOR[unit]);
}

/**
 * The unit of a duration whose field name does not say it, guessed from the value:
 * a Go duration string carries its unit; an integer of 1e6 or more is nanoseconds (Go's
 * time.Duration), a smaller integer is milliseconds, a fraction is seconds.
 */
export function guessDurationUnit(v: unknown): DurationUnit | 'text' | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    n = Number(v);
    if (Number.isNaN(n)) return parseGoDuration(v) === null ? null : 'text';
  } else return null;
  if (!Number.isFinite(n) || n < 0) return null;
  if (Number.isInteger(n)) return n >= 1e6 ? 'ns' : 'ms';
  return 's';
}

/** The unit a field name announces (`duration_ms`, `latencyUs`, `elapsed_seconds`, `event.duration`), or null. */
export function unitFromName(path: string): DurationUnit | null {
  if (path === 'event.duration') return 'ns'; // ECS: nanoseconds
  const name = path.slice(path.lastIndexOf('.') + 1);
  const lower = name.toLowerCase();
  if (lower === 'request_time' || lower === 'upstream_response_time') return 's'; // nginx variables
  if (lower === 'responsetime' || lower === 'response-time' || lower === 'took') return 'ms'; // pino-http, morgan, Elasticsearch
  for (const [unit, snake, camel] of NAME_UNITS) {
    for (const x of snake) if (lower.endsWith(x)) return unit;
    for (const x of camel) if (name.endsWith(x)) return unit;
  }
  return null;
}

/** [unit, snake/kebab suffixes (lower-cased name), camelCase suffixes (name as written)]. */
const NAME_UNITS: readonly [DurationUnit, readonly string[], readonly string[]][] = [
  ['ms', ['_ms', '-ms', '_millis', '_msec', '_milliseconds'], ['Ms', 'MS', 'Millis', 'Msec', 'Milliseconds']],
  ['us', ['_us', '-us', '_micros', '_usec', '_microseconds'], ['Us', 'Micros', 'Usec', 'Microseconds']],
  ['ns', ['_ns', '-ns', '_nanos', '_nsec', '_nanoseconds'], ['Ns', 'Nanos', 'Nanoseconds']],
  ['s', ['_s', '_sec', '_secs', '_seconds', '-seconds'], ['Sec', 'Secs', 'Seconds']],
];
