/**
 * The watch mode's analysis in a worker thread (src/watch/analysis.ts, WorkerAnalyzer): its own
 * connection to the database and its own WindowedAnalysis (the frontier lives here), so a long
 * analysis never blocks the live terminal UI on the main thread.
 * In: 'run' | 'close'. Out: { ok: true } | { ok: false, error: WireError }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from '../ingest/parse-wire.js';
import { refreshScorecard } from '../queries/build.js';
import { openStore } from '../store/index.js';
import { WindowedAnalysis } from './analysis.js';

const data = workerData as { db: string; gapMs: number; rulesPaths?: string[] };
const port = parentPort!;
const store = openStore(data.db);
const analysis = new WindowedAnalysis({ gapMs: data.gapMs, rulesPaths: data.rulesPaths, after: (s) => refreshScorecard(s) });

port.on('message', (m: 'run' | 'close') => {
  if (m === 'close') {
    store.close();
    port.close();
    return;
  }
  try {
    analysis.run(store);
    port.postMessage({ ok: true });
  } catch (err) {
    port.postMessage({ ok: false, error: errorToWire(err) });
  }
});
