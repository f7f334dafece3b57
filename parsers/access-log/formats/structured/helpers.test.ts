/**
 * The small helpers the structured formats are built from: JSON error offsets (checked against
 * V8's own positions), prefix detection, time and duration parsing, value coercions.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error.js';
import { findJsonStart, jsonTooDeep, readJsonLine } from './json-line.js';
import { durationMs, guessDurationUnit, impossibleTime, parseAnyTime, parseGoDuration, unitFromName, utcFromDateAndTime } from './time.js';
import { iisPlusToSpace, percentDecode, splitWireTarget, statusOf, stripPort, sumSecondsToMs } from './values.js';

/** V8's position, when its message has one. */
function v8Position(text: string): number | null | 'valid' {
  try {
    JSON.parse(text);
    return 'valid';
  } catch (e) {
    const m = /at position (\d+)/.exec((e as Error).message);
    return m ? Number(m[1]) : null;
  }
}

describe('jsonErrorOffset', () => {
  it('agrees with V8 on hand-picked errors', () => {
    for (const t of ['{"a":1', '{"a" 1}', '{"a":1}x', '{"a":"\u0001"}', '{a:1}', '{"a":1,}', '{"a":[1,]}', '{"a":-}', '{"a":1.}', '{"a":"\\x"}', '{"a":"\\u12g4"}']) {
      const v8 = v8Position(t);
      expect(v8, t).not.toBe('valid');
      if (typeof v8 === 'number') expect(jsonErrorOffset(t, 0), t).toBe(v8);
      else expect(jsonErrorOffset(t, 0), t).toBeGreaterThanOrEqual(0);
    }
    expect(jsonErrorOffset('{"a":tru}', 0)).toBe(8);
    expect(jsonErrorOffset('{"a":}', 0)).toBe(5);
  });

  test.prop([fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\u0001', '{', '-')], { numRuns: 500, seed: 20261123 })(
    'is -1 for valid JSON and matches V8 where V8 reports a position',
    (json, at, insert) => {
      expect(jsonErrorOffset(json, 0)).toBe(-1);
      const i = at % (json.length + 1);
      const mutated = json.slice(0, i) + insert + json.slice(i);
      const v8 = v8Position(mutated);
      if (v8 === 'valid') expect(jsonErrorOffset(mutated, 0)).toBe(-1);
      else if (typeof v8 === 'number') expect(jsonErrorOffset(mutated, 0)).toBe(v8);
      else expect(jsonErrorOffset(mutated, 0)).toBeGreaterThanOrEqual(0);
    },
  );

  it('handles 100k-deep arrays without recursion', () => {
    expect(jsonErrorOffset('['.repeat(100000) + ']'.repeat(100000), 0)).toBe(-1);
    expect(jsonErrorOffset('['.repeat(100000), 0)).toBe(100000);
  });
});

describe('JSON line reading', () => {
  it('accepts CRI, kubectl --timestamps and syslog-style prefixes; refuses CLF lines holding a brace', () => {
    expect(findJsonStart('{"a":1}')).toBe(0);
    expect(findJsonStart('\ufeff{"a":1}')).toBe(1);
    for (const line of [
      '2025-12-31T17:37:40.493035218+01:00 stdout F {"a":1}',
      '2021-11-12T16:59:46.613304+00:00 1.1.1.1  {"a":1}',
      '<134>Nov 12 16:59:46 cache-fra fastly[123]: {"a":1}',
    ]) expect(findJsonStart(line)).toBe(line.indexOf('{'));
    expect(findJsonStart('1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /{x} HTTP/1.0" 200 2326')).toBe('expected a JSON object');
    expect(findJsonStart('key={"a":1}')).toBe('expected a JSON object');
    expect(findJsonStart('x'.repeat(300) + ' {"a":1}')).toBe('expected a JSON object');
  });

  it('depth scan skips strings and escaped quotes', () => {
    expect(jsonTooDeep('{"a":"[[[[[[[[[[[["}', 0, 2)).toBe(false);
    expect(jsonTooDeep('{"a":"\\"[[[","b":[[1]]}', 0, 2)).toBe(true);
    expect(jsonTooDeep('{"a":"\\\\","b":[1]}', 0, 2)).toBe(false);
  });

  it('reports whether strings may need surrogate repair', () => {
    expect(readJsonLine('{"a":"x"}')).toEqual({ ok: true, obj: { a: 'x' }, escapes: false });
    expect(readJsonLine('{"a":"\\u00e9"}')).toEqual({ ok: true, obj: { a: 'é' }, escapes: true });
  });
});

describe('time', () => {
  it('reads W3C date and time as UTC, with fractions', () => {
    expect(utcFromDateAndTime('2015-01-13', '00:32:17')).toBe(Date.UTC(2015, 0, 13, 0, 32, 17));
    expect(utcFromDateAndTime('2012-08-15', '17:00:00.363')).toBe(Date.UTC(2012, 7, 15, 17, 0, 0, 363));
    expect(utcFromDateAndTime('2015-13-13', '00:32:17')).toBeNull();
    expect(utcFromDateAndTime('2015-01-13', '00:32')).toBeNull();
  });

  it('an impossible date or time is null in every shape, never rolled into another day (CLF, ISO, W3C)', () => {
    expect(utcFromDateAndTime('2025-02-29', '10:00:00')).toBeNull();
    expect(utcFromDateAndTime('2024-02-29', '10:00:00')).toBe(Date.UTC(2024, 1, 29, 10));
    expect(utcFromDateAndTime('2026-03-14', '24:00:00')).toBeNull();
    expect(utcFromDateAndTime('0000-01-01', '00:00:00')).toBeNull();
    for (const v of ['29/Feb/2025:10:00:00 +0000', '[14/Mar/2026:25:00:00 +0000]', '14/Mar/2026:10:00:00 +9999', '01/Jan/0000:00:00:00 +0000', '31/Jun/2026:00:00:00 +0000',
      '2025-02-29T10:00:00Z', '2026-03-14 25:00:00', '2026-04-31T00:00:00+02:00']) {
      expect(parseAnyTime(v), v).toBeNull();
      expect(impossibleTime(v), v).toMatch(/is not a real date and time/);
    }
    expect(parseAnyTime('14/Mar/2026:10:00:00.250 -0130')).toBe(Date.UTC(2026, 2, 14, 11, 30, 0, 250));
    expect(impossibleTime('yesterday at noon')).toBeNull();
    // a spelling faultline does not read is a request without a time, not a skip
    expect(impossibleTime('2024-06-01T10:00:00Z[UTC]')).toBeNull();
    expect(impossibleTime('2024-06-01T10:00Z[Europe/Paris]')).toBeNull();
    expect(impossibleTime('14/Mar/2026:10:00:00 CET')).toBeNull();
    expect(impossibleTime('2026-03-14T10:00:00+05:60')).toMatch(/not a real/);
    expect(impossibleTime(1700000000)).toBeNull();
  });

  it('parses any JSON time stamp; zone-less ISO is UTC whatever the machine zone', () => {
    expect(parseAnyTime(1693840791.7564995)).toBe(1693840791756);
    expect(parseAnyTime(1700000000123000000)).toBe(1700000000123);
    expect(parseAnyTime('1320279566.452687')).toBe(1320279566453);
    expect(parseAnyTime('2021-11-12T16:59:45+0000')).toBe(Date.UTC(2021, 10, 12, 16, 59, 45));
    expect(parseAnyTime('2024-06-01 10:00:00')).toBe(Date.UTC(2024, 5, 1, 10));
    expect(parseAnyTime('2024-06-01T10:00:00.5-02:00')).toBe(Date.UTC(2024, 5, 1, 12, 0, 0, 500));
    expect(parseAnyTime('10/Oct/2023:13:55:36 +0200')).toBe(Date.UTC(2023, 9, 10, 11, 55, 36));
    expect(parseAnyTime('[10/Oct/2023:13:55:36 +0200]')).toBe(Date.UTC(2023, 9, 10, 11, 55, 36));
    expect(parseAnyTime('yesterday')).toBeNull();
    expect(parseAnyTime({})).toBeNull();
  });

  it('durations: Go strings, units, names and guesses', () => {
    expect(parseGoDuration('1.5ms')).toBe(1.5);
    expect(parseGoDuration('2m3.5s')).toBe(123500);
    expect(parseGoDuration('300µs')).toBe(0.3);
    expect(parseGoDuration('0.002341s')).toBe(2.341);
    expect(parseGoDuration('12')).toBeNull();
    expect(parseGoDuration('5 parsecs')).toBeNull();
    expect(durationMs(215563, 'ns')).toBe(0.216);
    expect(durationMs('0.104', 's')).toBe(104);
    expect(durationMs('1.5s', 'ms')).toBe(1500);
    expect(durationMs(-1, 's')).toBeNull();
    expect(unitFromName('duration_ms')).toBe('ms');
    expect(unitFromName('latencyUs')).toBe('us');
    expect(unitFromName('elapsed_seconds')).toBe('s');
    expect(unitFromName('event.duration')).toBe('ns');
    expect(unitFromName('request_time')).toBe('s');
    expect(unitFromName('duration')).toBeNull();
    expect(unitFromName('status')).toBeNull();
    expect(guessDurationUnit(0.031)).toBe('s');
    expect(guessDurationUnit(873)).toBe('ms');
    expect(guessDurationUnit(215563000)).toBe('ns');
    expect(guessDurationUnit('1.5ms')).toBe('text');
  });
});

describe('values', () => {
  it('statusOf', () => {
    expect(statusOf('000')).toBe(0);
    expect(statusOf(502)).toBe(502);
    expect(statusOf('-')).toBeNull();
    expect(statusOf(undefined)).toBeNull();
    expect(statusOf('OK')).toBeNaN();
    expect(statusOf(1000)).toBeNaN();
    expect(statusOf(200.5)).toBeNaN();
  });

  it('stripPort, percentDecode, iisPlusToSpace, sumSecondsToMs, splitWireTarget', () => {
    expect(stripPort('10.0.0.1:5432')).toBe('10.0.0.1');
    expect(stripPort('[fd00::1]:443')).toBe('fd00::1');
    expect(stripPort('fd00:1234::5a24')).toBe('fd00:1234::5a24');
    expect(percentDecode('a%20b')).toBe('a b');
    expect(percentDecode('100%')).toBe('100%');
    expect(iisPlusToSpace('a+b;++c')).toBe('a b; +c');
    expect(sumSecondsToMs('0.100, 0.004')).toBe(104);
    expect(sumSecondsToMs('0.5 : 0.2, -')).toBe(700);
    expect(sumSecondsToMs('-')).toBeNull();
    expect(splitWireTarget('/s?q=#tag&x=1')).toEqual({ scheme: null, host: null, path: '/s', query: 'q=#tag&x=1' });
    expect(splitWireTarget('https://h/a?b')).toEqual({ scheme: 'https', host: 'h', path: '/a', query: 'b' });
  });
});
