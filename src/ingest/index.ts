import { createRedactor } from '../redact/index.js';
import type { Store } from '../store/index.js';
import { ingestSource, type SourceOptions } from './ingest-source.js';
import type { IngestOutcome } from './source-result.js';

export type { IngestOutcome, SourceResult, SourceDetail } from './source-result.js';
export { totals } from './source-result.js';

/**
 * Ingests every path in order into one store. Bad files never stop the run (they are reported
 * as rejected or partial); database failures do (UserError).
 */
export async function ingestAll(store: Store, paths: readonly string[], opts: SourceOptions = {}): Promise<IngestOutcome[]> {
  const redactor = createRedactor({ key: store.redactionKey() });
  const out: IngestOutcome[] = [];
  try {
    for (const p of paths) out.push(await ingestSource(store, redactor, p, opts));
  } finally {
    store.addRedactionCounts(redactor.summary());
  }
  store.buildIndexes();
  store.checkpoint();
  return out;
}
