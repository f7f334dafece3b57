import type { BatchResult, Store } from '../store/index.js';
import { BatchStrings, type EncodedBatch } from '../store/index.js';
import type { ParseSink } from './parse-client.js';
import type { Progress } from './progress.js';

/**
 * The writing half of ingest for one source: every batch the parsing side hands over (already
 * redacted, security.md O1) is written in ONE transaction that also moves the source's checkpoint.
 */
export class SourceSink implements ParseSink {
  readonly counts: BatchResult = { records: 0, failures: 0, skipped: 0 };
  /** The format id the parsing side settled on (null until it said). */
  formatId: string | null = null;
  /** Line counters (invalid UTF-8, truncated), once parsing ended. */
  lineStats: Record<string, number> = {};

  constructor(
    private readonly store: Store,
    private readonly sourceId: number,
    /** The parsing session's string table (shared by every source of the session). */
    private readonly strings: BatchStrings,
    private readonly progress: Progress | null,
  ) {}

  format(id: string): void {
    this.formatId = id;
    this.store.sources.setFormat(this.sourceId, id);
  }

  stats(s: { invalidUtf8Lines: number; truncatedLines: number }): void {
    this.lineStats = { ...s };
  }

  batch(b: EncodedBatch, bytesSeen: number): void {
    const r = this.store.writer.writeEncoded(this.sourceId, b, this.strings);
    this.counts.records += r.records;
    this.counts.failures += r.failures;
    this.counts.skipped += r.skipped;
    this.progress?.update(bytesSeen, this.counts.records);
  }
}
