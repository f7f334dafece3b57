/**
 * The only module that talks to SQLite. Everything else gets a Store and calls its methods;
 * no SQL outside src/store.
 */
import type { StoredRequest } from '../core/types.js';
import { applyAnalysis, resetAnalysisFailures, type AnalysisWrite } from './analysis.js';
import { POST_LOAD_INDEXES } from './migrations.js';
import { closeDb, openDb, READ_CACHE_KIB, redactionKey, STREAM_CACHE_KIB, type Db } from './open.js';
import { LeanReader } from './lean.js';
import { Requests } from './requests.js';
import { Sources } from './sources.js';
import { BatchWriter } from './writer.js';
import { Views } from './views.js';

export type { SourceRow, SourceStatus } from './sources.js';
export type { BatchItem, Checkpoint, BatchResult } from './writer.js';
export { BatchStrings, ID_FIELDS, NUM_FIELDS, TEXT_FIELDS, type DetailRow, type EncodedBatch, type SkipRow } from './encoded.js';
export type { AnalysisWrite } from './analysis.js';
export { requestId, UNIT_SPACE } from './writer.js';
export { explainDbError } from './open.js';

export class Store {
  readonly sources: Sources;
  readonly requests: Requests;
  readonly views: Views;
  private writerInstance: BatchWriter | null = null;
  /** Set when the last analysis of this connection wrote the incidents' search text along with them. */
  private incidentTextWritten = false;

  constructor(private readonly db: Db, readonly path: string) {
    this.sources = new Sources(db);
    this.requests = new Requests(db);
    this.views = new Views(db);
  }

  get writer(): BatchWriter {
    this.writerInstance ??= new BatchWriter(this.db);
    return this.writerInstance;
  }

  /** The per-database HMAC key for redaction markers. */
  redactionKey(): Buffer {
    return redactionKey(this.db);
  }

  iterateRequests(opts?: { failedOnly?: boolean; sourceId?: number }): IterableIterator<StoredRequest> {
    return this.requests.iterate(opts);
  }

  iterateRouteKeys(): IterableIterator<{ host: string | null; path: string; count: number; failed: number }> {
    return this.requests.routeKeys();
  }

  /** What the rules engine's lean analysis reads (aggregates and SQL-filtered rows, src/store/lean.ts). */
  leanSource(): LeanReader {
    return new LeanReader(this.db);
  }

  getRequest(id: number): StoredRequest | null {
    return this.requests.get(id);
  }

  /** Before a re-analysis: payload errors are failures only because a previous analysis said so. */
  resetAnalysisFailures(): void {
    resetAnalysisFailures(this.db);
  }

  applyAnalysis(a: AnalysisWrite): void {
    this.incidentTextWritten = applyAnalysis(this.db, a);
  }

  /** Brings the incidents' search text in step with the incidents (a no-op refill after a full analysis). */
  refreshIncidentText(): void {
    if (this.incidentTextWritten) this.views.forgetLists();
    else this.views.refreshIncidentText();
    this.incidentTextWritten = false;
  }

  /** Accumulates redaction counts per rule (never values) for the report's summary (O6). */
  addRedactionCounts(counts: Record<string, number>): void {
    const now = this.views.meta<Record<string, number>>('redaction') ?? {};
    for (const [k, v] of Object.entries(counts)) now[k] = (now[k] ?? 0) + v;
    this.views.setMeta('redaction', now);
  }

  /**
   * For work that streams through the data (ingest appends rows in key order; analysis scans every
   * request in a few passes and sorts into temp tables): a big page cache does not speed it up and
   * in-memory temp tables grow with the data. 8 MiB and file-backed temp storage (cached, spilled past
   * the cache) keep peak memory down: 300 MB HAR ingest 244 -> 211 MB, 10M-line analysis 345 -> ~280 MB,
   * at the same speed. `false` restores what the TUI and reports want.
   */
  streaming(on: boolean): void {
    this.db.pragma(on ? `cache_size = -${STREAM_CACHE_KIB}` : `cache_size = -${READ_CACHE_KIB}`);
    this.db.pragma(on ? 'temp_store = FILE' : 'temp_store = MEMORY');
  }

  /** Indexes deferred during bulk load. */
  buildIndexes(): void {
    for (const sql of POST_LOAD_INDEXES) this.db.exec(sql);
  }

  /** Makes everything committed so far durable in the main file (security.md §5: NORMAL + FULL checkpoint). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(FULL)');
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  /** Closes the database; a writable one is left in rollback-journal mode, so read-only media can read it (closeDb). */
  close(): void {
    closeDb(this.db);
  }
}

/** Opens or creates the investigation database at `path`. Throws UserError on corrupt/locked/read-only files. */
export function openStore(path: string, opts: { readonly?: boolean } = {}): Store {
  return new Store(openDb(path, opts), path);
}
