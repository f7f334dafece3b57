// Argument parsing of report/check/show, and the check gate's evaluation on a real database
// (real pipeline) with thresholds on both sides of the measured values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.js';
import { evaluateChecks, parseDuration, parsePercent, parseThresholds } from '../src/cli/commands/check.js';
import { parseShowTarget } from '../src/cli/commands/outputs.js';
import { parseIsoTime } from '../src/cli/commands/report.js';
import { buildOverview } from '../src/queries/build.js';
import type { Overview } from '../src/queries/view-model.js';
import { ROOT, tempDir } from './helpers/corpus.js';
import { buildDb } from './report-support.js';

describe('parsing', () => {
  it('--since/--until: ISO 8601, UTC when no zone is given', () => {
    expect(parseIsoTime('2026-03-14T10:00:00Z', '--since')).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseIsoTime('2026-03-14T10:00:00', '--since')).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseIsoTime('2026-03-14 10:00', '--since')).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseIsoTime('2026-03-14', '--since')).toBe(Date.UTC(2026, 2, 14));
    expect(parseIsoTime('2026-03-14T12:00:00+02:00', '--since')).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseIsoTime('2026-03-14T12:00:00+0200', '--since')).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseIsoTime('2026-03-14T10:00:00.250Z', '--since')).toBe(Date.UTC(2026, 2, 14, 10, 0, 0, 250));
    for (const bad of ['yesterday', '2026-02-31', '2026-03-14T25:00', '1710410400000', '']) {
      expect(() => parseIsoTime(bad, '--until'), bad).toThrow(UserError);
    }
  });

  it('percentages and durations need their unit', () => {
    expect(parsePercent('1%')).toBe(0.01);
    expect(parsePercent(' 0.5 % ')).toBe(0.005);
    expect(parsePercent('100%')).toBe(1);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1m')).toBe(60_000);
    expect(parseDuration('2min')).toBe(120_000);
    for (const bad of ['1', '0.01', '-1%', '101%', 'abc%', '1e3%']) expect(() => parsePercent(bad), bad).toThrow(/not a percentage/);
    for (const bad of ['500', '2 hours', 's', '-2s', '1e3ms']) expect(() => parseDuration(bad), bad).toThrow(/not a duration/);
  });

  it('thresholds: causes are validated, at least one threshold is required', () => {
    expect(parseThresholds({ db: 'x', failOn: 'auth, server-error,auth' }).failOn).toEqual(['auth', 'server-error']);
    expect(() => parseThresholds({ db: 'x', failOn: 'auth,oops' })).toThrow(/unknown cause "oops"/);
    expect(() => parseThresholds({ db: 'x' })).toThrow(/nothing to check/);
  });

  it('show targets: request id, FILE:LINE, FILE#ENTRY, incident id', () => {
    expect(parseShowTarget('42')).toEqual({ kind: 'request-id', id: 42 });
    expect(parseShowTarget('logs/access.log:12')).toEqual({ kind: 'locator', file: 'logs/access.log', unit: 12, sep: ':' });
    expect(parseShowTarget('capture.har#0')).toEqual({ kind: 'locator', file: 'capture.har', unit: 0, sep: '#' });
    expect(parseShowTarget('C:\\logs\\a.log:7')).toEqual({ kind: 'locator', file: 'C:\\logs\\a.log', unit: 7, sep: ':' });
    expect(parseShowTarget('inc-6d8f2b')).toEqual({ kind: 'incident', id: 'inc-6d8f2b' });
    expect(parseShowTarget('a.log:')).toEqual({ kind: 'incident', id: 'a.log:' });
    expect(() => parseShowTarget('  ')).toThrow(UserError);
  });
});

describe('check gate on a real database (examples)', () => {
  const tmp = tempDir('faultline-check-');
  let overview: Overview;
  beforeAll(async () => {
    const store = await buildDb(join(tmp.dir, 'f.db'), [join(ROOT, 'examples', 'spa-outage.har'), join(ROOT, 'examples', 'nginx-access.log')]);
    overview = buildOverview(store);
    store.close();
  });
  afterAll(() => tmp.cleanup());

  it('passes exactly at the measured error rate and fails just below it', () => {
    const rate = overview.errorRate!;
    expect(rate).toBeGreaterThan(0);
    const at = evaluateChecks(overview, { failOn: [], maxErrorRate: rate, maxP95Ms: null });
    const below = evaluateChecks(overview, { failOn: [], maxErrorRate: rate - 1e-9, maxP95Ms: null });
    expect([at[0]!.passed, below[0]!.passed]).toEqual([true, false]);
  });

  it('p95 against the scorecard value; causes against the cause counts', () => {
    const p95 = overview.scorecard.p95Ms!;
    expect(evaluateChecks(overview, { failOn: [], maxErrorRate: null, maxP95Ms: p95 })[0]!.passed).toBe(true);
    expect(evaluateChecks(overview, { failOn: [], maxErrorRate: null, maxP95Ms: p95 - 1 })[0]!.passed).toBe(false);
    const present = overview.causes[0]!;
    const res = evaluateChecks(overview, { failOn: [present.cause, 'timeout'], maxErrorRate: null, maxP95Ms: null });
    expect(res.map((r) => [r.check, r.passed, r.value])).toEqual([
      [`cause:${present.cause}`, false, present.count],
      ['cause:timeout', !overview.causes.some((c) => c.cause === 'timeout'), overview.causes.find((c) => c.cause === 'timeout')?.count ?? 0],
    ]);
  });

  it('a metric that cannot be measured fails the gate rather than passing silently', () => {
    const empty: Overview = { ...overview, requests: 0, failures: 0, errorRate: null, scorecard: { ...overview.scorecard, p95Ms: null } };
    const res = evaluateChecks(empty, { failOn: [], maxErrorRate: 0.5, maxP95Ms: 1000 });
    expect(res.map((r) => r.passed)).toEqual([false, false]);
    expect(res[1]!.message).toContain('cannot be measured');
  });
});
