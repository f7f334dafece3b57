import { UserError } from '../../core/errors.js';
import { analyze } from '../../engine/analyze.js';
import { refreshScorecard } from '../../queries/build.js';
import type { Store } from '../../store/index.js';

/** Runs the rules engine over the store (idempotent: replaces any earlier analysis). */
export function runAnalysis(store: Store, opts: { rules?: string[]; gap?: string }): void {
  const gapMin = opts.gap === undefined ? 5 : Number(opts.gap);
  if (!Number.isFinite(gapMin) || gapMin <= 0) {
    throw new UserError(`--gap must be a positive number of minutes, got "${opts.gap}"`);
  }
  store.streaming(true);
  try {
    store.resetAnalysisFailures();
    analyze(store, { rulesPaths: opts.rules, gapMs: gapMin * 60_000 });
    refreshScorecard(store);
  } finally {
    store.streaming(false);
  }
}
