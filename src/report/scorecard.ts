/**
 * The health scorecard against common targets (the list). `pass` is null when the data
 * holds nothing to measure (no durations, no retries): that is "n/a", never a pass.
 */
import type { Scorecard } from '../queries/view-model.js';
import { fmtInt, fmtMs, fmtPct } from './format.js';

export interface ScorecardRow {
  metric: string;
  target: string;
  measured: string;
  pass: boolean | null;
}

export const TARGETS = {
  p95Ms: 200,
  errorRate: 0.01,
  timeoutRate: 0.005,
  retrySuccessRate: 0.9,
} as const;

export function scorecardRows(s: Scorecard): ScorecardRow[] {
  return [
    { metric: 'p95 response time', target: `< ${TARGETS.p95Ms} ms`, measured: fmtMs(s.p95Ms), pass: s.p95Ms === null ? null : s.p95Ms < TARGETS.p95Ms },
    { metric: 'Error rate', target: '< 1%', measured: fmtPct(s.errorRate), pass: s.errorRate === null ? null : s.errorRate < TARGETS.errorRate },
    { metric: 'Timeout rate', target: '< 0.5%', measured: fmtPct(s.timeoutRate), pass: s.timeoutRate === null ? null : s.timeoutRate < TARGETS.timeoutRate },
    { metric: 'Auth failures', target: '0', measured: fmtInt(s.authFailures), pass: s.authFailures === 0 },
    { metric: 'Validation errors', target: '0', measured: fmtInt(s.validationErrors), pass: s.validationErrors === 0 },
    {
      metric: 'Retry success rate', target: '> 90%', measured: fmtPct(s.retrySuccessRate),
      pass: s.retrySuccessRate === null ? null : s.retrySuccessRate > TARGETS.retrySuccessRate,
    },
  ];
}
