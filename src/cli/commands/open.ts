import { formatSummary, exitCodeOf, ingestAndAnalyse, type IngestCliOptions } from './ingest.js';

/** `faultline <files…>`: ingest into the database, then browse (or print the summary when not on a TTY). */
export async function runOpen(files: string[], opts: IngestCliOptions & { tui?: boolean; follow?: boolean }): Promise<void> {
  if (opts.follow) {
    // Logs are followed (keyed by their first bytes, resumable); HARs never grow: ingest them once.
    const isHar = (f: string): boolean => /\.har(\.gz)?$/i.test(f);
    const hars = files.filter(isHar);
    if (hars.length) {
      const { store, outcomes } = await ingestAndAnalyse(hars, opts);
      store.close();
      process.stderr.write(formatSummary(opts.db, outcomes));
    }
    const { runWatch } = await import('./watch.js');
    await runWatch(files.filter((f) => !isHar(f)), { ...opts, tui: opts.tui });
    return;
  }
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
