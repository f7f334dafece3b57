import type { BatchResult, Store } from '../store/index.js';
import { BatchStrings, type EncodedBatch } from '../store/index.js';
import type { ParseSink } from './parse-client.js';
import type { Progress } from './progress.js';

/**
 * Batches a sink holds while its source row does not exist yet, before it makes the parsing side
 * wait (bytes, roughly; see src/ingest/ingest-source.ts). For a log, enough for the ~2 s a 2.4 GB
 * file takes to hash: its batches are mostly numbers, and the peak memory of a log ingest comes
 * later, in analysis. A HAR's batches are mostly header and body text and its peak is while parsing,
 * so holding them raises it (1.2 GB HAR: 202 -> 229 MB with 48 MiB held): a HAR gets a few batches.
 */
export const HOLD_BYTES = { log: 48 * 1024 * 1024, har: 6 * 1024 * 1024 } as const;

/** Rough in-memory size of a batch: its columns, its strings and its detail rows. */
function batchBytes(b: EncodedBatch): number {
  let n = b.ids.byteLength + b.nums.byteLength + b.textAt.byteLength;
  for (const s of b.texts) n += s.length;
  for (const s of b.newStrings) n += s.length;
  for (const d of b.detail) {
    n += 64 + (d.timings?.length ?? 0) + (d.reqHeaders?.length ?? 0) + (d.respHeaders?.length ?? 0) + (d.body?.length ?? 0)
      + (d.extra?.length ?? 0) + (d.raw?.length ?? 0);
  }
  for (const k of b.skips) n += 64 + k.excerpt.length + (k.detail?.length ?? 0);
  return n;
}

type Held = { t: 'format'; id: string } | { t: 'batch'; b: EncodedBatch; bytesSeen: number };

/**
 * The writing half of ingest for one source: every batch the parsing side hands over (already
 * redacted, security.md O1) is written in ONE transaction that also moves the source's checkpoint.
 *
 * A sink may start unbound (no source row yet: ingest of a new file parses while its content hash is
 * computed). It then holds what arrives, in order, and writes it when bind() names the source row;
 * past its byte budget a batch returns a promise, so the parsing side waits for bind().
 */
export class SourceSink implements ParseSink {
  readonly counts: BatchResult = { records: 0, failures: 0, skipped: 0 };
  /** The format id the parsing side settled on (null until it said). */
  formatId: string | null = null;
  /** Line counters (invalid UTF-8, truncated), once parsing ended. */
  lineStats: Record<string, number> = {};
  private held: Held[] = [];
  private heldBytes = 0;
  private waiters: Array<() => void> = [];
  /** Set by discard(): batches are dropped (their strings kept) instead of held or written. */
  private discarding = false;

  constructor(
    private readonly store: Store,
    private sourceId: number | null,
    /** The parsing session's string table (shared by every source of the session). */
    private readonly strings: BatchStrings,
    private readonly progress: Progress | null,
    /** Bytes held before batch() makes the parsing side wait (HOLD_BYTES of the source's kind). */
    private readonly holdBytes: number = HOLD_BYTES.log,
  ) {}

  /** Names the source row of an unbound sink and writes everything held, in arrival order. */
  bind(sourceId: number): void {
    if (this.sourceId !== null) throw new Error('SourceSink.bind: already bound');
    this.sourceId = sourceId;
    const held = this.takeHeld();
    try {
      for (const h of held) {
        if (h.t === 'format') this.format(h.id);
        else this.batch(h.b, h.bytesSeen);
      }
    } finally {
      // Woken even when a write failed: the parsing side then learns of it from its next batch.
      this.wake();
    }
  }

  /**
   * For an unbound sink whose source row will not exist (its file could not be hashed): drops what it
   * holds and what still comes, so the parsing side runs to its end instead of waiting for bind()
   * forever; the batches' new strings still enter the session's string table, which later sources
   * of the session share.
   */
  discard(): void {
    if (this.sourceId !== null) throw new Error('SourceSink.discard: already bound');
    this.discarding = true;
    const held = this.takeHeld();
    try {
      for (const h of held) if (h.t === 'batch') this.store.writer.adoptStrings(h.b, this.strings);
    } finally {
      this.wake();
    }
  }

  /** What the sink holds, in arrival order; it holds nothing after. */
  private takeHeld(): Held[] {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  format(id: string): void {
    this.formatId = id;
    if (this.discarding) return;
    if (this.sourceId === null) this.held.push({ t: 'format', id });
    else this.store.sources.setFormat(this.sourceId, id);
  }

  stats(s: { invalidUtf8Lines: number; truncatedLines: number }): void {
    this.lineStats = { ...s };
  }

  batch(b: EncodedBatch, bytesSeen: number): void | Promise<void> {
    if (this.discarding) {
      this.store.writer.adoptStrings(b, this.strings);
      return;
    }
    if (this.sourceId === null) {
      this.held.push({ t: 'batch', b, bytesSeen });
      this.heldBytes += batchBytes(b);
      if (this.heldBytes <= this.holdBytes) return;
      return new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const r = this.store.writer.writeEncoded(this.sourceId, b, this.strings);
    this.counts.records += r.records;
    this.counts.failures += r.failures;
    this.counts.skipped += r.skipped;
    this.progress?.update(bytesSeen, this.counts.records);
  }
}
