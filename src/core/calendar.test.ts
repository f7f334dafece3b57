import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { daysInMonth, parseIsoUtc, utcMs } from './calendar.js';

describe('utcMs: calendar time to epoch ms without Date rolling impossible values over', () => {
  it('agrees with Date.UTC on real dates, leap years included, and on the edges of the range', () => {
    for (const [y, mo, d, h, mi, s] of [
      [1970, 1, 1, 0, 0, 0], [2000, 2, 29, 12, 0, 0], [2024, 2, 29, 23, 59, 59], [2100, 2, 28, 0, 0, 0],
      [1900, 1, 1, 0, 0, 0], [9999, 12, 31, 23, 59, 59], [1600, 3, 1, 1, 2, 3], [2026, 3, 14, 10, 5, 0],
    ] as const) {
      const viaDate = new Date(0);
      viaDate.setUTCFullYear(y, mo - 1, d);
      viaDate.setUTCHours(h, mi, s, 0);
      expect(utcMs(y, mo, d, h, mi, s), `${y}-${mo}-${d}`).toBe(viaDate.getTime());
    }
  });

  it('null for what does not exist: 29 Feb of a common year, 31 Apr, hour 24/25, minute 60, year 0, NaN', () => {
    expect(utcMs(2025, 2, 29, 10, 0, 0)).toBeNull();
    expect(utcMs(2100, 2, 29, 10, 0, 0)).toBeNull(); // a century that is not a leap year
    expect(utcMs(2026, 4, 31, 0, 0, 0)).toBeNull();
    expect(utcMs(2026, 3, 14, 24, 0, 0)).toBeNull();
    expect(utcMs(2026, 3, 14, 25, 61, 61)).toBeNull();
    expect(utcMs(2026, 3, 14, 10, 60, 0)).toBeNull();
    expect(utcMs(0, 1, 1, 0, 0, 0)).toBeNull();
    expect(utcMs(2026, 13, 1, 0, 0, 0)).toBeNull();
    expect(utcMs(2026, 0, 1, 0, 0, 0)).toBeNull();
    expect(utcMs(Number.NaN, 1, 1, 0, 0, 0)).toBeNull();
  });

  it('a leap second (:60) is the next second', () => {
    expect(utcMs(2016, 12, 31, 23, 59, 60)).toBe(Date.UTC(2017, 0, 1));
  });

  test.prop([fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 59 })], { seed: 4242, numRuns: 2000 })(
    'any fields: null, or the very moment those fields name (it reads back as the same fields)',
    (y, mo, d, h, mi, s) => {
      const t = utcMs(y, mo, d, h, mi, s);
      const valid = d <= daysInMonth(y, mo) && h <= 23 && mi <= 59;
      expect(t !== null).toBe(valid);
      if (t === null) return;
      const back = new Date(t);
      expect([back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours(), back.getUTCMinutes(), back.getUTCSeconds()]).toEqual([y, mo, d, h, mi, s]);
    },
  );
});

describe('parseIsoUtc', () => {
  it('reads the spellings HARs and JSON logs use', () => {
    const t = Date.UTC(2023, 6, 17, 13, 4, 44, 56);
    expect(parseIsoUtc('2023-07-17T13:04:44.056651+00:00')).toBe(t);
    expect(parseIsoUtc('2023-07-17T13:04:44.056Z')).toBe(t);
    expect(parseIsoUtc('2023-07-17 13:04:44,056z')).toBe(t);
    expect(parseIsoUtc('2023-07-17T15:04:44.056+0200')).toBe(t);
    expect(parseIsoUtc('2023-07-17T15:04:44.056+02')).toBe(t);
    expect(parseIsoUtc('2023-07-17T13:04:44.056')).toBe(t); // no zone: UTC, never the machine's zone
    expect(parseIsoUtc('2023-07-17T24:00:00Z')).toBe(Date.UTC(2023, 6, 18)); // ISO 8601 end of day
  });

  it('null for impossible or malformed stamps instead of another date', () => {
    for (const s of ['2025-02-29T10:00:00Z', '2025-04-31T10:00:00Z', '2026-03-14T25:00:00Z', '2026-03-14T24:30:00Z', '2026-03-14T10:61:00Z',
      '0000-01-01T00:00:00Z', '2026-03-14T10:00:00+99:99', '2026-03-14T10:00:00+19:00', '2026-03-14T10:00:00+05:60', '2026-03-14T10:00:00.Z',
      '2026-03-14T10:00:00Zjunk', '2026-03-14X10:00:00Z', '2026-3-14T10:00:00Z']) {
      expect(parseIsoUtc(s), s).toBeNull();
    }
  });
});
