import { formatSummary, exitCodeOf, ingestAndAnalyse, type IngestCliOptions } from './ingest.js';

/** `faultline <files…>`: ingest into the database, then browse (or print the summary when not on a TTY). */
export async function runOpen(files: string[], opts: IngestCliOptions & { tui?: boolean }): Promise<void> {
  const { store, outcomes } = await ingestAndAnalyse(files, opts);
  const code = exitCodeOf(outcomes);
  if (opts.tui === false || !process.stdout.isTTY || opts.json) {
    store.close();
    if (opts.json) {
      const { totals } = await import('../../ingest/index.js');
      process.stdout.write(JSON.stringify({ db: opts.db, sources: outcomes.map((o) => o.result), totals: totals(outcomes.map((o) => o.result)) }) + '\n');
    } else {
      process.stderr.write(formatSummary(opts.db, outcomes));
      const { runIncidents } = await import('./outputs.js');
      runIncidents({ db: opts.db });
    }
    process.exitCode = code;
    return;
  }
  process.stderr.write(formatSummary(opts.db, outcomes));
  const { browseStore } = await import('./browse.js');
  await browseStore(store);
  store.close();
  process.exitCode = code;
}
