import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { findFormat } from '../../../parsers/access-log/registry.js';
import { buildOverview, refreshScorecard } from '../../queries/build.js';
import { incidentState, incidentStateText } from '../../queries/incident-state.js';
import { openStore, type Store } from '../../store/index.js';
import { createWatchAnalyzer } from '../../watch/analysis.js';
import { watchFiles } from '../../watch/index.js';
import { resolveCustomFormat } from './ingest.js';

export interface WatchCliOptions {
  db: string;
  format?: string;
  logFormat?: string;
  rules?: string[];
  gap?: string;
  interval?: string;
  once?: boolean;
  tui?: boolean;
}

/** One plain-text status block: what a pipe or a non-TTY gets instead of the live terminal UI. */
function statusText(store: Parameters<typeof buildOverview>[0], latest: number | null, gapMs: number): string {
  const o = buildOverview(store);
  const lines = [`${new Date().toISOString()}  ${o.requests} requests, ${o.failures} failed, ${o.incidents.length} incidents`];
  for (const i of o.incidents.slice(0, 10)) {
    const state = incidentStateText(incidentState(i.lastSeen, latest, gapMs));
    lines.push(`  ${String(i.count).padStart(6)}  ${i.cause}/${i.subcause}  ${state}  ${toTerminal(i.title, { max: 100 })}`);
  }
  return lines.join('\n') + '\n';
}

/** `faultline watch FILE…`: follow growing logs, keep incidents current, show them live. */
export async function runWatch(files: string[], opts: WatchCliOptions): Promise<void> {
  const format = opts.logFormat ? resolveCustomFormat(opts) ?? null : opts.format ? findFormat(opts.format) ?? null : null;
  if (opts.format && !format) throw new UserError(`unknown format "${opts.format}"`, { hint: 'run `faultline formats` to list them' });
  const intervalMs = opts.interval === undefined ? 1000 : Number(opts.interval) * 1000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new UserError(`--interval must be a positive number of seconds, got "${opts.interval}"`);
  const gapMin = opts.gap === undefined ? 5 : Number(opts.gap);
  if (!Number.isFinite(gapMin) || gapMin <= 0) throw new UserError(`--gap must be a positive number of minutes, got "${opts.gap}"`);
  const gapMs = gapMin * 60_000;
  const store = openStore(opts.db);
  // Each re-analysis reads the failures of a recent window only (finished incidents stay stored), in
  // a worker thread when the build has one, so the live UI keeps answering while it runs.
  const analysis = createWatchAnalyzer(opts.db, { gapMs, rulesPaths: opts.rules, after: (s) => refreshScorecard(s) });
  let stopResolve!: () => void;
  const stop = new Promise<void>((r) => { stopResolve = r; });
  const onSignal = (): void => stopResolve();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Live terminal UI: a terminal on both ends, and not asked for plain text (--no-tui) or one pass (--once).
  const tui = opts.tui !== false && !opts.once && process.stdout.isTTY && process.stdin.isTTY ? await liveTui(store, gapMs) : null;
  // While the UI owns the screen, file events (rotation, truncation) wait and are printed after it.
  const heldEvents: string[] = [];
  try {
    const watching = watchFiles(store, files, {
      intervalMs,
      once: opts.once,
      format,
      stop,
      analyze: (s) => analysis.run(s),
      onUpdate: (polls, analysed) => {
        for (const p of polls) {
          for (const e of p.events) {
            const line = `${toTerminal(p.path)}: ${toTerminal(e)}\n`;
            if (tui) heldEvents.push(line);
            else process.stderr.write(line);
          }
        }
        if (!analysed) return;
        if (tui) {
          tui.source.invalidate();
          return;
        }
        const latest = store.sources.all().reduce<number | null>((m, s) => (s.maxTs !== null && (m === null || s.maxTs > m) ? s.maxTs : m), null);
        process.stdout.write(statusText(store, latest, gapMs));
      },
    });
    let totals;
    if (tui) {
      // q in the UI stops the watcher; the watcher failing closes the UI (and its error is thrown below).
      const ui = tui.run(tui.source, { stop: watching }).finally(stopResolve);
      try {
        totals = await watching;
      } finally {
        await ui;
      }
      for (const line of heldEvents) process.stderr.write(line);
    } else {
      totals = await watching;
    }
    for (const t of totals) {
      process.stderr.write(`${toTerminal(t.path)}: ${t.records} records, ${t.failures} failures, ${t.skipped} skipped\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await analysis.close();
    store.close();
  }
}

/** The TUI over the store being written, refreshed by the watcher after each analysis. */
async function liveTui(store: Store, gapMs: number) {
  const [{ storeSource }, { reportExporter }, { loadTui }] = await Promise.all([
    import('../../tui/source.js'),
    import('../../tui/export.js'),
    import('./browse.js'),
  ]);
  const source = storeSource(store, reportExporter(store), { live: { gapMs } });
  return { source, run: await loadTui() };
}
