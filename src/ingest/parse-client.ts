/**
 * Runs the parsing half of ingest (parse-source.ts) for a session of sources: in a worker thread
 * when the build allows (the compiled CLI), so parsing and redaction use one core while the main
 * thread writes on the other; else in the calling thread (tests run the TypeScript sources, or
 * FAULTLINE_INGEST_WORKER=0). Both run the same code, with one redactor for the whole session.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRedactor, type RedactionSummary } from '../redact/index.js';
import { BatchEncoder, type EncodedBatch } from './batch.js';
import { parseSource, type ParseJob, type ParseResult } from './parse-source.js';
import { errorFromWire, type FromWorker, type ToWorker } from './parse-wire.js';

/** Young generation of the parse worker (MiB); V8's default is several times this. */
const WORKER_YOUNG_GEN_MB = 8;

/**
 * What the writing side does with the parsing side's output: a batch is written (or held) before the
 * next one is taken; a promise from batch() makes the parsing side wait until it settles.
 */
export interface ParseSink {
  format(id: string): void;
  batch(b: EncodedBatch, bytesSeen: number): void | Promise<void>;
  stats(s: ParseResult['stats']): void;
}

export interface ParseClient {
  /** Parses one source into `sink`; rejects with the parser's UserError / InputDamage / error, or the sink's. */
  run(job: ParseJob, sink: ParseSink): Promise<ParseResult>;
  /** Redaction counts of the whole session. */
  summary(): Promise<RedactionSummary>;
  close(): Promise<void>;
}

/** Whether the worker file exists as JavaScript next to this module (not when running the TypeScript sources). */
function workerAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.js') && process.env['FAULTLINE_INGEST_WORKER'] !== '0';
}

export function createParseClient(key: Buffer, opts: { worker?: boolean } = {}): ParseClient {
  return (opts.worker ?? workerAvailable()) ? new WorkerClient(key) : new InlineClient(key);
}

class InlineClient implements ParseClient {
  private readonly redactor;
  private readonly encoder = new BatchEncoder();

  constructor(key: Buffer) {
    this.redactor = createRedactor({ key });
  }

  run(job: ParseJob, sink: ParseSink): Promise<ParseResult> {
    return parseSource(job, this.redactor, this.encoder, {
      format: (id) => sink.format(id),
      stats: (s) => sink.stats(s),
      batch: async (b, bytesSeen) => {
        await sink.batch(b, bytesSeen);
        // Yield between batches, as a long ingest must (progress, signals).
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
  }

  summary(): Promise<RedactionSummary> {
    return Promise.resolve(this.redactor.summary());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class WorkerClient implements ParseClient {
  private readonly worker: Worker;
  /** The current job's handler, or the summary waiter. */
  private onMessage: ((m: FromWorker) => void) | null = null;
  private failed: Error | null = null;

  constructor(key: Buffer) {
    this.worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
      workerData: { key: new Uint8Array(key) },
      // The worker allocates short-lived strings per line or entry: a small young generation collects
      // them as often and keeps peak memory down (300 MB HAR: -33 MB peak RSS at the same speed).
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GEN_MB },
    });
    this.worker.on('message', (m: FromWorker) => this.onMessage?.(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => { if (code !== 0) this.fail(new Error(`ingest worker exited with code ${code}`)); });
  }

  private fail(err: Error): void {
    this.failed ??= err;
    this.onMessage?.({ t: 'error', error: { kind: 'other', message: err.message, stack: err.stack ?? null, code: null } });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  run(job: ParseJob, sink: ParseSink): Promise<ParseResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<ParseResult>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        this.onMessage = null;
        fn();
      };
      const writeFailed = (err: unknown): void => {
        // The writing side failed (a database error): the worker's state is no longer ours to resume.
        this.failed = err as Error;
        void this.worker.terminate();
        settle(() => reject(err));
      };
      this.onMessage = (m) => {
        if (settled) return;
        try {
          if (m.t === 'format') sink.format(m.id);
          else if (m.t === 'stats') sink.stats(m.stats);
          else if (m.t === 'batch') {
            const later = sink.batch(m.b, m.bytesSeen);
            if (later) later.then(() => { if (!settled) this.post({ t: 'ack' }); }, writeFailed);
            else this.post({ t: 'ack' });
          } else if (m.t === 'done') settle(() => resolve(m.result));
          else if (m.t === 'error') settle(() => reject(errorFromWire(m.error)));
        } catch (err) {
          writeFailed(err);
        }
      };
      this.post({ t: 'job', job });
    });
  }

  summary(): Promise<RedactionSummary> {
    if (this.failed) return Promise.resolve({});
    return new Promise((resolve) => {
      this.onMessage = (m) => {
        if (m.t === 'summary') { this.onMessage = null; resolve(m.counts); }
        else if (m.t === 'error') { this.onMessage = null; resolve({}); }
      };
      this.post({ t: 'summary' });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
