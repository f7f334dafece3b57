/**
 * `faultline check`: a CI gate. Exit code 1 when any threshold is crossed, 0 otherwise; every
 * check is printed with its measured value so a failed pipeline says why. A threshold that cannot
 * be measured (p95 without any duration in the data, an error rate without requests) fails: a gate
 * that passes on missing data would hide a broken capture.
 */
import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { buildOverview } from '../../queries/build.js';
import type { Overview } from '../../queries/view-model.js';
import { fmtInt, fmtMs, fmtPct } from '../../report/format.js';
import { safeJson } from '../../report/json.js';
import { validateCauses } from '../../report/model.js';
import { openForReading } from '../../report/open-db.js';

export interface CheckCommandOptions {
  db: string;
  failOn?: string;
  maxErrorRate?: string;
  maxP95?: string;
  json?: boolean;
}

export interface Thresholds {
  failOn: string[];
  /** Ratio (0.01 for "1%"). */
  maxErrorRate: number | null;
  maxP95Ms: number | null;
}

export interface CheckResult {
  check: string;
  passed: boolean;
  /** What was measured, as a number (ratio, ms, count) or null when it could not be. */
  value: number | null;
  limit: number;
  message: string;
}

function num(s: string): number | null {
  if (!/^\d+(?:\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** "1%", "0.5%" → 0.01, 0.005. A bare number is refused: "1" could mean 1% or 100%. */
export function parsePercent(value: string, flag = '--max-error-rate'): number {
  const s = value.trim();
  const n = s.endsWith('%') ? num(s.slice(0, -1).trim()) : null;
  if (n === null || n > 100) {
    throw new UserError(`${flag} "${value}" is not a percentage`, { hint: 'write it with a percent sign, between 0% and 100%, e.g. 1% or 0.5%' });
  }
  return n / 100;
}

/** "500ms", "2s", "1.5s", "1m", "2min" → milliseconds. A bare number is refused (ms or s?). */
export function parseDuration(value: string, flag = '--max-p95'): number {
  const s = value.trim().toLowerCase();
  const units: Array<[string, number]> = [['ms', 1], ['min', 60_000], ['s', 1000], ['m', 60_000]];
  for (const [unit, factor] of units) {
    if (s.endsWith(unit)) {
      const n = num(s.slice(0, -unit.length).trim());
      if (n !== null) return n * factor;
      break;
    }
  }
  throw new UserError(`${flag} "${value}" is not a duration`, { hint: 'write it with a unit, e.g. 500ms, 2s or 1.5s' });
}

export function parseThresholds(opts: CheckCommandOptions): Thresholds {
  const failOn = (opts.failOn ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  validateCauses(failOn);
  const t: Thresholds = {
    failOn: [...new Set(failOn)],
    maxErrorRate: opts.maxErrorRate !== undefined ? parsePercent(opts.maxErrorRate) : null,
    maxP95Ms: opts.maxP95 !== undefined ? parseDuration(opts.maxP95) : null,
  };
  if (t.failOn.length === 0 && t.maxErrorRate === null && t.maxP95Ms === null) {
    throw new UserError('nothing to check', { hint: 'give at least one of --fail-on CAUSES, --max-error-rate PCT, --max-p95 DURATION' });
  }
  return t;
}

/** Every check against the overview, in a fixed order: causes (as given), error rate, p95. */
export function evaluateChecks(o: Overview, t: Thresholds): CheckResult[] {
  const out: CheckResult[] = [];
  for (const cause of t.failOn) {
    const n = o.causes.find((c) => c.cause === cause)?.count ?? 0;
    out.push({
      check: `cause:${cause}`, passed: n === 0, value: n, limit: 0,
      message: n === 0 ? `no ${cause} failures` : `${fmtInt(n)} ${cause} failure${n === 1 ? '' : 's'}`,
    });
  }
  if (t.maxErrorRate !== null) {
    const r = o.errorRate;
    out.push({
      check: 'error-rate', passed: r !== null && r <= t.maxErrorRate, value: r, limit: t.maxErrorRate,
      message: r === null
        ? 'error rate cannot be measured: the database holds no requests'
        : `error rate ${fmtPct(r)} (${fmtInt(o.failures)} of ${fmtInt(o.requests)}), limit ${fmtPct(t.maxErrorRate)}`,
    });
  }
  if (t.maxP95Ms !== null) {
    const p = o.scorecard.p95Ms;
    out.push({
      check: 'p95', passed: p !== null && p <= t.maxP95Ms, value: p, limit: t.maxP95Ms,
      message: p === null ? 'p95 cannot be measured: no request in the data has a duration' : `p95 response time ${fmtMs(p)}, limit ${fmtMs(t.maxP95Ms)}`,
    });
  }
  return out;
}

export function runCheck(opts: CheckCommandOptions): void {
  const thresholds = parseThresholds(opts);
  const store = openForReading(opts.db);
  let overview: Overview;
  try {
    overview = buildOverview(store);
  } finally {
    store.close();
  }
  const results = evaluateChecks(overview, thresholds);
  const passed = results.every((r) => r.passed);
  if (thresholds.failOn.length && overview.failures > 0 && overview.incidents.length === 0 && overview.causes.every((c) => c.cause === 'unknown')) {
    process.stderr.write('faultline: warning: no failure has a cause yet; was the analysis run (faultline ingest runs it)?\n');
  }
  if (opts.json) {
    process.stdout.write(safeJson({ passed, requests: overview.requests, failures: overview.failures, checks: results }) + '\n');
  } else {
    const failed = results.filter((r) => !r.passed).length;
    let out = passed ? `faultline check: passed (${results.length} check${results.length === 1 ? '' : 's'})\n` : `faultline check: FAILED (${failed} of ${results.length} checks)\n`;
    for (const r of results) out += `  ${r.passed ? 'ok  ' : 'FAIL'}  ${toTerminal(r.message)}\n`;
    process.stdout.write(out);
  }
  process.exitCode = passed ? 0 : 1;
}
