/**
 * Analysis while following logs (`faultline watch`): each re-analysis reads only a window of recent
 * failures, not the whole growing database, so its memory and time stay flat over a long run.
 *
 * Incidents that ended well before the newest line (by more than the quiet gap plus a lateness
 * allowance) are finished: a later line cannot extend them. They stay in SQLite as analysed, and the
 * next analysis classifies and clusters only failures from the frontier on (AnalysisOptions.since):
 * the frontier never cuts an incident (it moves back to the start of any incident that spans it), so
 * the result is the incidents a full analysis of the same database gives (test/watch.test.ts checks
 * it), as long as facts that read the whole history (a route succeeding, a client scanning) do not
 * change for failures already finished. A failure stored before the frontier after the fact (a line
 * later than the allowance) reopens the window: that analysis is a full one.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyze } from '../engine/analyze.js';
import { errorFromWire, type WireError } from '../ingest/parse-wire.js';
import type { AnalysisSummary } from '../engine/types.js';
import type { Store } from '../store/index.js';

/** Lines may arrive this much out of time order (a request logged when it completes) and still join their incident. */
export const DEFAULT_LATENESS_MS = 2 * 60_000;

export interface WindowedAnalysisOptions {
  gapMs: number;
  rulesPaths?: string[];
  latenessMs?: number;
  /** After each analysis (the CLI refreshes the scorecard). */
  after?: (store: Store) => void;
}

export class WindowedAnalysis {
  /** Failures before this time (ms) are finished and not re-read; null: the next analysis is a full one. */
  frontier: number | null = null;
  /** The window the last analysis used (null: full). */
  lastSince: number | null = null;
  private indexed = false;

  constructor(private readonly opts: WindowedAnalysisOptions) {}

  run(store: Store): AnalysisSummary {
    const src = store.leanSource();
    // Failures in time order through the partial index (ingest builds it; a followed log may not have).
    if (!this.indexed) { store.buildIndexes(); this.indexed = true; }
    let since = this.frontier;
    if (since !== null && src.failuresUnanalysedBefore(since)) since = null;
    src.resetAnalysisFailures(since ?? undefined);
    const summary = analyze(store, { rulesPaths: this.opts.rulesPaths, gapMs: this.opts.gapMs, ...(since === null ? {} : { since }) });
    this.lastSince = since;
    this.frontier = src.nextAnalysisFrontier(since, this.opts.gapMs, this.opts.latenessMs ?? DEFAULT_LATENESS_MS);
    this.opts.after?.(store);
    return summary;
  }
}

/** What `faultline watch` runs after new lines: in a worker thread (the compiled CLI) or in this thread. */
export interface WatchAnalyzer {
  run(store: Store): Promise<void>;
  close(): Promise<void>;
}

/** Whether the worker file exists as JavaScript next to this module (not when running the TypeScript sources). */
function workerAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.js') && process.env['FAULTLINE_ANALYSIS_WORKER'] !== '0';
}

export function createWatchAnalyzer(dbPath: string, opts: WindowedAnalysisOptions & { worker?: boolean }): WatchAnalyzer {
  if (opts.worker ?? workerAvailable()) return new WorkerAnalyzer(dbPath, opts);
  const inline = new WindowedAnalysis(opts);
  return {
    run: (store) => { inline.run(store); return Promise.resolve(); },
    close: () => Promise.resolve(),
  };
}

/** Analysis in a worker thread (analysis-worker.ts) on its own connection: the event loop here stays free for the UI. */
class WorkerAnalyzer implements WatchAnalyzer {
  private worker: Worker | null = null;
  private pending: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  constructor(private readonly dbPath: string, private readonly opts: WindowedAnalysisOptions) {}

  private start(): Worker {
    const w = new Worker(new URL('./analysis-worker.js', import.meta.url), {
      workerData: { db: this.dbPath, gapMs: this.opts.gapMs, rulesPaths: this.opts.rulesPaths },
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    w.on('message', (m: { ok: true } | { ok: false; error: WireError }) => {
      const p = this.pending;
      this.pending = null;
      if (m.ok) p?.resolve();
      else p?.reject(errorFromWire(m.error));
    });
    const fail = (e: Error): void => {
      this.failed = e;
      this.pending?.reject(e);
      this.pending = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => { if (this.pending) fail(new Error(`the analysis worker stopped (exit code ${code})`)); });
    return w;
  }

  run(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.worker ??= this.start();
    const w = this.worker;
    return new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject };
      w.postMessage('run');
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.postMessage('close');
    await exited;
  }
}
