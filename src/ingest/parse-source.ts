/**
 * The parsing half of ingest: read (and decompress) one input, split, parse, redact, and hand the
 * result over as EncodedBatches. It runs in a worker thread while the main thread writes (see
 * parse-client.ts), or in the calling thread; both run this same code with one redactor per session.
 */
import { isFailure } from '../core/types.js';
import type { LogFormat } from '../../parsers/access-log/format.js';
import { findFormat } from '../../parsers/access-log/registry.js';
import { compileLogFormat } from '../../parsers/access-log/template/compile.js';
import { parseHar } from '../../parsers/har/index.js';
import type { Redactor } from '../redact/index.js';
import type { BatchItem } from '../store/index.js';
import { BatchEncoder, type EncodedBatch } from './batch.js';
import { maskHarExcerpt } from './har-excerpt.js';
import { readBytes, type InputLimits, type SpoolCipher } from './input.js';
import { ingestLog } from './ingest-log.js';
import { readPlainReused } from './read-plain.js';

/** Records or skips per batch: big enough to amortise a commit, small enough to lose little on a kill. */
export const BATCH_ROWS = 20_000;
/** The first batch of a source is smaller (then each doubles up to BATCH_ROWS), so a run that is stopped early has still stored something. */
const FIRST_BATCH_ROWS = 500;
/** A batch is also cut at about this many bytes (HAR bodies and headers), to bound memory. */
export const BATCH_BYTES = 2 << 20;

/** Everything the parsing side needs to read one source (structured-cloneable: it crosses to the worker). */
export interface ParseJob {
  kind: 'har' | 'log';
  /** The path as the user gave it (messages). */
  displayPath: string;
  readPath: string;
  /** `readPath` is an encrypted spool (stdin, a pipe): its key (input.ts). */
  cipher: SpoolCipher | null;
  size: number;
  gzip: boolean;
  limits: InputLimits;
  /** Resume: HAR entry index / 1-based log line from which units are new. */
  startUnit: number;
  /** Logs: the format id to use (forced, or stored when resuming); null: detect. */
  formatId: string | null;
  /** Logs: a --log-format spec to compile (takes precedence over formatId). */
  customFormat: { spec: string; id: string } | null;
  /** Logs: only the chosen format, no sibling formats per line. */
  strict: boolean;
}

export interface ParseResult {
  /** HAR creator name (a HAR may name it after its entries). */
  creator: string | null;
  /** A HAR ended before its closing brackets. */
  sawTruncation: boolean;
  stats: { invalidUtf8Lines: number; truncatedLines: number };
}

/** Where the parsing side sends its output; `batch` resolves when the next batch may be built (back-pressure). */
export interface ParseOutput {
  format(id: string): void;
  batch(b: EncodedBatch, bytesSeen: number): Promise<void>;
  /** Line counters, sent once at the end (also when parsing stopped on an error). */
  stats(s: ParseResult['stats']): void;
}

/**
 * Collects parsed items for one source, redacts them (security.md O1: before anything leaves the
 * parsing side, so before any write) and emits them in batches with their checkpoint.
 */
export class Batcher {
  readonly stats = { invalidUtf8Lines: 0, truncatedLines: 0 };
  format = 'unknown';
  sawTruncation = false;
  private nextUnit = 0;
  private nextOffset = 0;
  private limit = FIRST_BATCH_ROWS;

  constructor(
    readonly path: string,
    private readonly kind: 'har' | 'log',
    private readonly redactor: Redactor,
    private readonly encoder: BatchEncoder,
    private readonly out: ParseOutput,
  ) {}

  setFormat(id: string): void {
    this.format = id;
    this.out.format(id);
  }

  /**
   * Adds one item (null: a unit already stored or not a unit) and records where the next unit starts.
   * Returns a promise only when a batch was handed over (back-pressure): awaiting every line would
   * cost a microtask per line (~0.3 µs each, measured on 1M lines).
   */
  add(item: BatchItem | null, nextUnit: number, nextOffset: number): Promise<void> | undefined {
    if (item !== null) {
      if (item.kind === 'record') {
        this.redactor.redactRecord(item.record);
        const raw = item.raw !== null ? this.redactor.redactLogLine(item.raw) : null;
        this.encoder.addRecord(item.unit, item.record, item.failed, this.kind, raw);
      } else {
        this.encoder.addSkip({
          unit: item.unit, reason: item.reason,
          detail: item.detail ? this.redactor.redactLogLine(item.detail) : null,
          excerpt: this.redactor.redactLogLine(item.excerpt),
        });
      }
    }
    this.nextUnit = nextUnit;
    this.nextOffset = nextOffset;
    if (this.encoder.size >= this.limit || this.encoder.bytes >= BATCH_BYTES) return this.flush();
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.encoder.size === 0) return;
    this.limit = Math.min(this.limit * 2, BATCH_ROWS);
    await this.out.batch(this.encoder.take(this.nextUnit, this.nextOffset), this.nextOffset);
  }
}

function formatOf(job: ParseJob): LogFormat | null {
  if (job.customFormat) return compileLogFormat(job.customFormat.spec, job.customFormat.id);
  if (job.formatId === null) return null;
  return findFormat(job.formatId) ?? null;
}

/** Parses one source into `out`. Throws UserError (bad content), InputDamage (broken gzip) or others as they come. */
export async function parseSource(job: ParseJob, redactor: Redactor, encoder: BatchEncoder, out: ParseOutput): Promise<ParseResult> {
  const input = { readPath: job.readPath, size: job.size, gzip: job.gzip, cipher: job.cipher };
  const batcher = new Batcher(job.displayPath, job.kind, redactor, encoder, out);
  let creator: string | null = null;
  try {
    if (job.kind === 'har') {
      batcher.setFormat('har');
      creator = await parseHarInto(readBytes(input, job.limits), batcher, job.startUnit);
    } else {
      // splitLineBatches copies what it keeps, so a plain file is read into one reused buffer.
      const bytes = job.gzip || job.cipher ? readBytes(input, job.limits) : readPlainReused(job.readPath, job.size);
      await ingestLog(bytes, batcher, { format: formatOf(job), resumeFromLine: job.startUnit, strict: job.strict });
    }
  } finally {
    // Whatever stopped the parse, every unit before it is handed over (and kept), with the counters.
    await batcher.flush();
    out.stats({ ...batcher.stats });
  }
  return { creator, sawTruncation: batcher.sawTruncation, stats: { ...batcher.stats } };
}

/** Returns the HAR's creator name (known only at the end when `creator` follows the entries). */
async function parseHarInto(bytes: AsyncIterable<Buffer>, sink: Batcher, startEntry: number): Promise<string | null> {
  let creator: string | null = null;
  for await (const ev of parseHar(bytes, { startEntry })) {
    if (ev.kind === 'meta') {
      creator = ev.creator;
      continue;
    }
    if (ev.unit < startEntry) continue;
    if (ev.kind === 'record') {
      const record = ev.record;
      if (creator) record.extra = { ...(record.extra ?? {}), harCreator: creator };
      const p = sink.add({ kind: 'record', unit: ev.unit, record, failed: isFailure(record), raw: null }, ev.unit + 1, 0);
      if (p) await p;
    } else {
      if (ev.reason === 'har_truncated') sink.sawTruncation = true;
      // The sample of an invalid entry is raw JSON: text patterns cannot see a secret under "value" (B-8), so mask first.
      const excerpt = ev.reason.startsWith('entry_invalid') ? maskHarExcerpt(ev.excerpt) : ev.excerpt;
      const p = sink.add({ kind: 'skip', unit: ev.unit, reason: ev.reason, excerpt }, ev.unit + 1, 0);
      if (p) await p;
    }
  }
  return creator;
}
