// Locale-free formatting (the report must be byte-identical on every machine), the curl builder
// and the timeline arithmetic. Expected values are written by hand.
import { describe, expect, it } from 'vitest';
import { emptyRecord, type StoredRequest } from '../core/types.js';
import { curlCommand, shellQuote } from './curl.js';
import { fmtInt, fmtMs, fmtPct, fmtWindow, isoTime } from './format.js';
import { causeTimeline, rebucket, safeLabel, textBars, timeLabels } from './timeline.js';
import { hostileModel, T0 } from '../../test/report-fixture.js';
import { scorecardRows } from './scorecard.js';

describe('format', () => {
  it('times are UTC ISO 8601, milliseconds only when present', () => {
    expect(isoTime(Date.UTC(2026, 2, 14, 10, 2))).toBe('2026-03-14T10:02:00Z');
    expect(isoTime(Date.UTC(2026, 2, 14, 10, 2, 0, 250))).toBe('2026-03-14T10:02:00.250Z');
    expect(isoTime(null)).toBeNull();
    expect(isoTime(Number.NaN)).toBeNull();
    expect(isoTime(8.64e15 + 1)).toBeNull();
  });

  it('integers get thousands separators whatever the locale', () => {
    expect(fmtInt(0)).toBe('0');
    expect(fmtInt(999)).toBe('999');
    expect(fmtInt(1000)).toBe('1,000');
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtInt(-1234)).toBe('-1,234');
  });

  it('percentages keep two decimals under 1%', () => {
    expect(fmtPct(0)).toBe('0%');
    expect(fmtPct(0.00423)).toBe('0.42%');
    expect(fmtPct(0.005)).toBe('0.5%');
    expect(fmtPct(0.1234)).toBe('12.3%');
    expect(fmtPct(0.84)).toBe('84%');
    expect(fmtPct(1)).toBe('100%');
    expect(fmtPct(null)).toBe('n/a');
  });

  it('durations', () => {
    expect(fmtMs(3.25)).toBe('3.3 ms');
    expect(fmtMs(340)).toBe('340 ms');
    expect(fmtMs(1500)).toBe('1.5 s');
    expect(fmtMs(12 * 60_000)).toBe('12 min');
    expect(fmtMs(125 * 60_000)).toBe('2 h 5 min');
    expect(fmtMs(50 * 3_600_000)).toBe('2 d 2 h');
    expect(fmtWindow(T0, T0 + 720_000)).toBe('2026-03-14T10:00:00Z to 2026-03-14T10:12:00Z (12 min)');
    expect(fmtWindow(null, T0)).toBeNull();
  });

  it('scorecard marks n/a when nothing could be measured, never pass', () => {
    const rows = scorecardRows({ p95Ms: null, errorRate: 0.0099, timeoutRate: 0.005, authFailures: 0, validationErrors: 1, retrySuccessRate: 0.9 });
    expect(rows.map((r) => r.pass)).toEqual([null, true, false, true, false, false]);
  });
});

describe('curl', () => {
  const req = (over: Partial<StoredRequest>): StoredRequest => ({
    ...emptyRecord(), id: 1, sourceId: 1, sourcePath: 'a.har', sourceKind: 'har', format: 'har', line: null, entry: 0,
    failed: true, route: null, cause: null, subcause: null, ruleId: null, incidentId: null, raw: null, ...over,
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf /)`x`')).toBe(`'$(rm -rf /)\`x\`'`);
  });

  it('builds a runnable command: method, URL, headers; skips what curl sets itself', () => {
    const cmd = curlCommand(req({
      method: 'DELETE', host: 'api.example.com',
      reqHeaders: [['Host', 'api.example.com'], ['Accept', '*/*'], [':method', 'DELETE'], ['Accept-Encoding', 'gzip']],
    }), 'https://api.example.com/v1/x?y=1');
    expect(cmd).toBe("curl -sS -i -X 'DELETE' 'https://api.example.com/v1/x?y=1' \\\n  -H 'Accept: */*'");
  });

  it('log lines: BASE_URL placeholder and the logged user agent', () => {
    const cmd = curlCommand(req({ method: 'GET', path: '/a', userAgent: 'k6/0.50' }), '/a');
    expect(cmd.split('\n')).toEqual([
      "# the source logged no host: set BASE_URL to the server's origin, e.g. BASE_URL=https://api.example.com",
      `curl -sS -i "$BASE_URL"'/a' \\`,
      "  -A 'k6/0.50'",
    ]);
  });
});

describe('timeline', () => {
  it('per-cause series add up to the failures, clipped by the filters', () => {
    const m = hostileModel();
    const tl = causeTimeline(m)!;
    expect(tl.series.map((s) => [s.cause, s.total])).toEqual([['auth', 42], ['server-error', 8], ['not in a listed incident', 2]]);
    const sum = tl.series.reduce((a, s) => a.map((v, i) => v + s.values[i]!), new Array<number>(tl.starts.length).fill(0));
    expect(sum).toEqual(m.overview.timeline!.failed);
    m.filters = { since: T0 + 5 * 60_000, until: T0 + 6 * 60_000 + 59_999 };
    const clipped = causeTimeline(m)!;
    expect(clipped.starts).toEqual([T0 + 5 * 60_000, T0 + 6 * 60_000]);
  });

  it('rebuckets to at most N bars, keeping the sums', () => {
    const m = hostileModel();
    const tl = causeTimeline(m)!;
    const r = rebucket(tl, 5);
    expect(r.starts.length).toBe(4);
    expect(r.bucketMs).toBe(3 * 60_000);
    expect(r.series[0]!.values).toEqual([10, 25, 6, 1]);
  });

  it('labels are ours: times and sanitized cause ids', () => {
    expect(timeLabels([T0, T0 + 60_000], 60_000)).toEqual(['10:00', '10:01']);
    expect(timeLabels([T0, T0 + 86_400_000], 3_600_000)).toEqual(['03-14 10:00', '03-15 10:00']);
    expect(timeLabels([T0, T0 + 86_400_000], 86_400_000)).toEqual(['03-14', '03-15']);
    expect(timeLabels([T0, T0 + 400 * 86_400_000], 200 * 86_400_000)).toEqual(['2026-03-14', '2027-04-18']);
    expect(safeLabel('auth"]\n<script>')).toBe('authscript');
    expect(safeLabel('"')).toBe('cause');
  });

  it('text bars scale to the busiest bucket', () => {
    const lines = textBars(causeTimeline(hostileModel())!).split('\n');
    expect(lines[0]).toBe('2026-03-14T10:00:00Z to 2026-03-14T10:12:00Z, one column = 1 min, █ = 12 failures');
    expect(lines[1]).toBe('auth                      ··▇█▆▄▂▂▁▁··  42');
  });
});
