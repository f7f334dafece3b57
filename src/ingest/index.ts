import { BatchStrings, type Store } from '../store/index.js';
import { ingestSource, type SourceOptions } from './ingest-source.js';
import { createParseClient } from './parse-client.js';
import type { IngestOutcome } from './source-result.js';

export type { IngestOutcome, SourceResult, SourceDetail } from './source-result.js';
export { totals } from './source-result.js';

/**
 * Ingests every path in order into one store. Bad files never stop the run (they are reported
 * as rejected or partial); database failures do (UserError).
 */
export async function ingestAll(store: Store, paths: readonly string[], opts: SourceOptions & { worker?: boolean } = {}): Promise<IngestOutcome[]> {
  // Parsing and redaction run in a worker thread (one redactor for the whole run) while this thread writes.
  // A custom format object without its spec cannot be rebuilt in the worker: parse in this thread then.
  const worker = opts.worker ?? (opts.customFormat && opts.customFormat.spec === undefined ? false : undefined);
  const session = { client: createParseClient(store.redactionKey(), { worker }), strings: new BatchStrings() };
  const out: IngestOutcome[] = [];
  store.streaming(true);
  try {
    for (const p of paths) out.push(await ingestSource(store, session, p, opts));
  } finally {
    store.streaming(false);
    try {
      store.addRedactionCounts(await session.client.summary());
    } finally {
      await session.client.close();
    }
  }
  store.buildIndexes();
  store.checkpoint();
  return out;
}
