import type { Redactor } from '../redact/index.js';
import type { BatchItem, BatchResult, Store } from '../store/index.js';
import type { Progress } from './progress.js';

/** Rows per transaction: big enough to amortise the commit, small enough to lose little on a kill. */
export const BATCH_ROWS = 5000;

/**
 * Collects parsed items for one source, redacts records (security.md O1: before any write),
 * and writes them in batches whose transaction also moves the checkpoint.
 */
export class SourceSink {
  readonly stats = { invalidUtf8Lines: 0, truncatedLines: 0 };
  readonly counts: BatchResult = { records: 0, failures: 0, skipped: 0 };
  format = 'unknown';
  /** A HAR ended before its closing brackets (har_truncated was counted). */
  sawTruncation = false;
  private items: BatchItem[] = [];
  private nextUnit = 0;
  private nextOffset = 0;
  private bytesSeen = 0;

  constructor(
    readonly path: string,
    private readonly store: Store,
    private readonly sourceId: () => number,
    private readonly kind: 'har' | 'log',
    private readonly redactor: Redactor,
    private readonly progress: Progress | null,
    private readonly onFormat: (id: string) => void,
  ) {}

  setFormat(id: string): void {
    this.format = id;
    this.onFormat(id);
  }

  /**
   * Adds one item (null: a unit already stored or not a unit) and records where the next unit starts.
   * Async so a long ingest yields to the event loop between batches (progress, signals).
   */
  async add(item: BatchItem | null, nextUnit: number, nextOffset: number): Promise<void> {
    if (item !== null) {
      if (item.kind === 'record') {
        this.redactor.redactRecord(item.record);
        if (item.raw !== null) item.raw = this.redactor.redactLogLine(item.raw);
      } else {
        item.excerpt = this.redactor.redactLogLine(item.excerpt);
        if (item.detail) item.detail = this.redactor.redactLogLine(item.detail);
      }
      this.items.push(item);
    }
    this.nextUnit = nextUnit;
    this.nextOffset = nextOffset;
    this.bytesSeen = nextOffset;
    if (this.items.length >= BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.items.length === 0) return;
    const r = this.store.writer.write(this.sourceId(), this.kind, this.items, {
      nextUnit: this.nextUnit,
      nextOffset: this.nextOffset,
    });
    this.counts.records += r.records;
    this.counts.failures += r.failures;
    this.counts.skipped += r.skipped;
    this.items = [];
    this.progress?.update(this.bytesSeen, this.counts.records);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
