#!/usr/bin/env node
// Issue 3's benchmark: classification and clustering alone (the rules engine over every stored
// request, incidents built and written, the summaries the TUI reads), over a database an ingest
// already filled. Runs exactly what ingest runs after storing the records (runAnalysis in
// src/cli/commands/analysis.ts, from the built dist/), replacing the earlier analysis as a re-run
// does. Run it under /usr/bin/time -v for peak RSS (bench/run.mjs does). Prints JSON:
// records, failures, incidents, analysisMs (all of runAnalysis) and summariesMs (the part of it that
// stores the TUI's summaries and search text, timed again on its own afterwards).
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const db = process.argv[2];
if (!db) {
  console.error('usage: node bench/analysis-probe.mjs <database>');
  process.exit(2);
}
const root = new URL('../dist/src/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', root));
const { runAnalysis } = await import(new URL('cli/commands/analysis.js', root));
const { refreshSummaries } = await import(new URL('queries/build.js', root));

const store = openStore(db);
const t0 = performance.now();
runAnalysis(store, {});
const analysisMs = performance.now() - t0;
const t1 = performance.now();
refreshSummaries(store);
const summariesMs = performance.now() - t1;
store.close();
const counts = new Database(db, { readonly: true });
const scalar = (sql) => counts.prepare(sql).pluck().get();
const out = {
  records: scalar('SELECT IFNULL(sum(records), 0) FROM sources'),
  failures: scalar('SELECT count(*) FROM req WHERE failed = 1'),
  classified: scalar('SELECT count(*) FROM req_analysis'),
  incidents: scalar('SELECT count(*) FROM incidents'),
  analysisMs,
  summariesMs,
};
counts.close();
process.stdout.write(JSON.stringify(out));
