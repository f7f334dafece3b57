/**
 * analyze(store): route templating → classification of every failure (and warnings and payload
 * errors on successes) → clustering → store.applyAnalysis, in one transaction on the store side.
 *
 * Two ways to read the store, with the same result:
 * - reference (any AnalysisStore): two streaming passes, every request once (context), failed
 *   requests once (classification);
 * - lean (a store that offers `leanSource`, i.e. src/store): successes stored without detail (most
 *   access-log lines) are never hydrated. The context is seeded from the writer's aggregates, warnings
 *   on them come from rows SQLite pre-filters, and traffic is loaded for the incidents' windows only.
 *   Cost and memory then grow with failures and detail rows, not with requests (analyze-lean.ts).
 */
import { UserError } from '../core/errors.js';
import type { StoredRequest } from '../core/types.js';
import { AnalysisRun, DEFAULT_GAP_MS, DEFAULT_SLOW_MS } from './analysis-run.js';
import { Classifier } from './classify.js';
import { formatProblem, loadRules } from './load-rules.js';
import { analyzeLean, type LeanSource } from './analyze-lean.js';
import { learnRouteTemplates, type RouteKeyRow } from './route-template.js';
import type { AnalysisOptions, AnalysisSummary, IncidentRecord, WarningRecord } from './types.js';

/** What analysis needs from the store (src/store's Store satisfies it). */
export interface AnalysisStore {
  iterateRequests(opts?: { failedOnly?: boolean }): IterableIterator<StoredRequest>;
  iterateRouteKeys(): IterableIterator<RouteKeyRow>;
  getRequest(id: number): StoredRequest | null;
  /** The lean reading of a large store (see the top of this file); absent: the reference passes. */
  leanSource?(): LeanSource;
  applyAnalysis(a: {
    routes: Map<string, string>;
    /** The routes are in the lean source's temporary tables (LeanSource.assignRoutes). */
    leanRoutes?: boolean;
    /** Windowed analysis: only incidents and classifications from this time on are replaced. */
    since?: number;
    pathIds?: Map<string, [number, number]>;
    classifications: Iterable<{ id: number; ts?: number | null; cause: string; subcause: string; ruleId: string }>;
    incidents: Iterable<IncidentRecord>;
    warnings: WarningRecord[];
    incidentOf?: Iterable<{ id: number; incidentId: string }>;
  }): void;
}

/** Loads and compiles rules; throws a UserError listing every problem (file:line:col). */
export function buildClassifier(rulesPaths?: string[]): Classifier {
  const loaded = loadRules({ rulesPaths });
  if (loaded.problems.length > 0) {
    const list = loaded.problems.slice(0, 50).map(formatProblem).join('\n');
    const more = loaded.problems.length > 50 ? `\n… and ${loaded.problems.length - 50} more` : '';
    throw new UserError(`invalid rules (${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}):\n${list}${more}`, {
      hint: 'fix the rule files, then check them with `faultline rules check FILE`',
    });
  }
  return new Classifier(loaded.rules);
}

/** Runs the whole analysis and writes it to the store, replacing any earlier analysis. */
export function analyze(store: AnalysisStore, opts: AnalysisOptions = {}): AnalysisSummary {
  const t0 = Date.now();
  const classifier = buildClassifier(opts.rulesPaths);
  if (store.leanSource && !opts.reference) return analyzeLean(store, store.leanSource(), classifier, opts, t0);
  if (opts.since !== undefined) throw new Error('analyze: a windowed analysis (since) needs a store with a lean source');
  const routes = learnRouteTemplates(store.iterateRouteKeys());
  const run = new AnalysisRun(classifier, routes, { gapMs: opts.gapMs ?? DEFAULT_GAP_MS, slowMs: opts.slowMs ?? DEFAULT_SLOW_MS });
  for (const r of store.iterateRequests()) run.observe(r);
  for (const r of store.iterateRequests({ failedOnly: true })) run.classifyFailure(r);
  const result = run.finish((id) => store.getRequest(id));
  store.applyAnalysis({
    routes,
    classifications: result.classifications(),
    incidents: result.incidents,
    warnings: result.warnings,
    incidentOf: result.incidentOf(),
  });
  return {
    requests: run.requests,
    failures: result.failures,
    byCause: result.byCause,
    unknown: result.unknown,
    incidents: result.incidents.length,
    warnings: result.warnings.length,
    routes: new Set(routes.values()).size,
    rules: classifier.rules.length,
    elapsedMs: Date.now() - t0,
  };
}
