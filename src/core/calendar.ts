/**
 * Calendar arithmetic for time stamps read from logs and HARs, without Date objects: Date.UTC and
 * Date.parse silently roll impossible values into another date (31 Feb → 3 Mar, 25:00 → the next day)
 * and Date.UTC maps the years 0-99 to 1900-1999. Here an impossible value is null, so the caller counts
 * the line as a skip with a reason instead of storing a request at a time that never happened.
 * Linear, allocation-free scanners: this runs once per log line.
 */

/** Offsets wider than this are not time zones (real ones span −12:00…+14:00; ±18:00 is the widest any date library takes). */
export const MAX_OFFSET_MIN = 18 * 60;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1-12) of the proleptic Gregorian year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a valid civil date (H. Hinnant's days_from_civil; y ≥ 1). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Epoch ms of a UTC calendar time (month 1-12), or null when any field is out of range: year 1-9999,
 * the month's real day count, hour 0-23, minute 0-59, second 0-60 (a leap second is read as the next
 * second, as the clock that wrote it meant). NaN fields are null too.
 */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (!(y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) return null;
  if (d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000;
}

/** `n` decimal digits of `s` from `from`, or NaN. */
export function digitsAt(s: string, from: number, n: number): number {
  if (from + n > s.length) return NaN;
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** What a scanner says about a stamp that is well-formed but names no real moment (29 Feb 2025, hour 25, offset +99:99). */
export const IMPOSSIBLE = 'impossible';

/**
 * ISO 8601 / RFC 3339 date-time to epoch ms: `2023-07-17T13:04:44.056651+00:00`, `T`, `t` or a space
 * between date and time, any number of fraction digits (`.` or `,`, truncated to ms), then `Z`,
 * `±HH:MM`, `±HHMM`, `±HH` or nothing (UTC, never the machine's zone). `24:00:00` is the end of the
 * day (ISO 8601). Null when malformed or impossible (29 Feb 2025, hour 25, offset +99:99).
 */
export function parseIsoUtc(s: string): number | null {
  const t = scanIso(s);
  return typeof t === 'number' ? t : null;
}

/** True when `s` has the shape of an ISO date-time but names no real moment (a counted skip's reason, not "malformed"). */
export function isImpossibleIso(s: string): boolean {
  return scanIso(s) === IMPOSSIBLE;
}

function scanIso(s: string): number | null | typeof IMPOSSIBLE {
  if (s.length < 19 || s.length > 64) return null;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32)) return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const y = digitsAt(s, 0, 4), mo = digitsAt(s, 5, 2), d = digitsAt(s, 8, 2);
  let h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2), se = digitsAt(s, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + se)) return null;
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
  let badOffset = false;
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122) i++;
    else if (c === 43 || c === 45) {
      const oh = digitsAt(s, i + 1, 2);
      let om: number;
      if (s.charCodeAt(i + 3) === 58) {
        om = digitsAt(s, i + 4, 2);
        i += 6;
      } else if (i + 5 <= s.length) {
        om = digitsAt(s, i + 3, 2);
        i += 5;
      } else {
        om = 0;
        i += 3;
      }
      if (Number.isNaN(oh + om)) return null;
      if (om > 59) badOffset = true;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else return null;
  }
  if (i !== s.length) return null;
  // Well-formed from here on: what fails is the calendar, not the shape.
  if (badOffset || Math.abs(offsetMin) > MAX_OFFSET_MIN) return IMPOSSIBLE;
  let endOfDay = 0;
  if (h === 24 && mi === 0 && se === 0 && ms === 0) {
    h = 23;
    endOfDay = 3_600_000; // 24:00:00 is 00:00:00 of the next day
  }
  const t = utcMs(y, mo, d, h, mi, se);
  return t === null ? IMPOSSIBLE : t + endOfDay + Math.floor(ms) - offsetMin * 60_000;
}
