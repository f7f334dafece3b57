import type { LogFormat } from '../../parsers/access-log/format.js';
import { ingestAll } from '../ingest/index.js';
import { createRedactor } from '../redact/index.js';
import type { Store } from '../store/index.js';
import { FollowedLog, type FollowOutcome } from './follow.js';

export type { FollowOutcome } from './follow.js';

export interface WatchOptions {
  /** Poll interval. @default 1000 */
  intervalMs?: number;
  /** Poll once and return (tests, cron jobs). */
  once?: boolean;
  format?: LogFormat | null;
  /** Re-run analysis after new lines, at most this often (and never more than a quarter of the time). @default 5000 */
  analyzeEveryMs?: number;
  /** Awaited before the next poll (a worker analysis leaves the event loop free meanwhile). */
  analyze: (store: Store) => void | Promise<void>;
  /** Called after every poll that stored something, and after each analysis. */
  onUpdate?: (polls: FollowOutcome[], analysed: boolean) => void;
  /** Stop when this resolves (SIGINT, the TUI quitting). */
  stop?: Promise<void>;
}

/**
 * Follows growing logs into the store until stopped: new lines are stored every poll (each batch
 * with its checkpoint), analysis re-runs when something changed, throttled so that its cost on a
 * growing database never takes more than a quarter of the wall time.
 */
export async function watchFiles(store: Store, paths: readonly string[], opts: WatchOptions): Promise<FollowOutcome[]> {
  // A compressed rotation never grows: it is read once, like any ingest (and recognised by its hash next time).
  const gz = paths.filter((p) => p.endsWith('.gz'));
  if (gz.length) await ingestAll(store, gz, { progress: false, ...(opts.format ? { customFormat: opts.format } : {}) });
  const redactor = createRedactor({ key: store.redactionKey() });
  const logs = paths.filter((p) => !p.endsWith('.gz')).map((p) => new FollowedLog(p, store, redactor, opts.format ?? null));
  const interval = opts.intervalMs ?? 1000;
  let stopped = false;
  void opts.stop?.then(() => { stopped = true; });
  let dirty = gz.length > 0;
  let lastAnalysis = 0;
  let analysisCost = 0;
  const totals = new Map<string, FollowOutcome>();
  for (;;) {
    const polls: FollowOutcome[] = [];
    for (const log of logs) polls.push(await log.poll());
    let stored = false;
    for (const p of polls) {
      const t = totals.get(p.path) ?? { path: p.path, records: 0, skipped: 0, failures: 0, events: [] };
      t.records += p.records;
      t.skipped += p.skipped;
      t.failures += p.failures;
      t.events.push(...p.events);
      totals.set(p.path, t);
      if (p.records || p.skipped) stored = true;
    }
    dirty ||= stored;
    const now = Date.now();
    let analysed = false;
    if (dirty && (opts.once || stopped || now - lastAnalysis >= Math.max(opts.analyzeEveryMs ?? 5000, analysisCost * 4))) {
      const t0 = Date.now();
      await opts.analyze(store);
      analysisCost = Date.now() - t0;
      lastAnalysis = Date.now();
      dirty = false;
      analysed = true;
    }
    if (stored || analysed) opts.onUpdate?.(polls, analysed);
    if (opts.once || stopped) break;
    await Promise.race([new Promise((r) => setTimeout(r, interval)), opts.stop ?? new Promise(() => {})]);
  }
  if (dirty) await opts.analyze(store);
  store.addRedactionCounts(redactor.summary());
  store.checkpoint();
  return [...totals.values()];
}
