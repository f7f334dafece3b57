import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { isFailure } from '../core/types.js';
import type { LogFormat } from '../../parsers/access-log/format.js';
import { findFormat } from '../../parsers/access-log/registry.js';
import { parseHar, sniffHar } from '../../parsers/har/index.js';
import type { Redactor } from '../redact/index.js';
import { explainDbError, type SourceRow, type Store } from '../store/index.js';
import { InputDamage, limitsFromEnv, openInput, readBytes, type InputFile, type InputLimits } from './input.js';
import { ingestLog } from './ingest-log.js';
import { Progress } from './progress.js';
import { SourceSink } from './sink.js';
import type { IngestOutcome, SourceResult } from './source-result.js';

export interface SourceOptions {
  /** --format NAME ('har' or a log format id). */
  formatId?: string;
  /** --log-format: a compiled custom format. */
  customFormat?: LogFormat;
  limits?: InputLimits;
  progress?: boolean;
}

const HEAD_BYTES = 64 * 1024;

async function readHead(input: InputFile, limits: InputLimits): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of readBytes(input, limits)) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= HEAD_BYTES) break;
    }
  } catch (err) {
    if (!(err instanceof InputDamage)) throw err;
  }
  return Buffer.concat(parts).subarray(0, HEAD_BYTES);
}

/** A NUL byte in the first 64 KiB: no text log or HAR has one (B-20). */
function looksBinary(head: Buffer): boolean {
  return head.indexOf(0) >= 0;
}

function rejected(path: string, sha: string | null, error: string, ioError: boolean, format: string | null = null): IngestOutcome {
  return {
    result: { path, format, sha256: sha, records: 0, failures: 0, skipped: 0, status: 'rejected', error },
    detail: { skipReasons: [], invalidUtf8Lines: 0, truncatedLines: 0, ioError },
  };
}

function outcomeOf(store: Store, row: SourceRow, path: string, status: SourceResult['status']): IngestOutcome {
  return {
    result: {
      path, format: row.format, sha256: row.sha256, records: row.records, failures: row.failures, skipped: row.skipped,
      status, error: row.error,
    },
    detail: {
      skipReasons: store.views.skipReasons(row.id),
      invalidUtf8Lines: row.stats['invalidUtf8Lines'] ?? 0,
      truncatedLines: row.stats['truncatedLines'] ?? 0,
      ioError: false,
    },
  };
}

/**
 * Ingests one file (or stdin) into the store. Never throws for bad content: the outcome says
 * rejected/partial with a message. Throws UserError only for database failures (disk full,
 * locked), which stop the whole run.
 */
export async function ingestSource(store: Store, redactor: Redactor, path: string, opts: SourceOptions = {}): Promise<IngestOutcome> {
  const limits = opts.limits ?? limitsFromEnv();
  let input: InputFile;
  try {
    input = await openInput(path);
  } catch (err) {
    if (err instanceof UserError) return rejected(path, null, err.message, true);
    throw err;
  }
  try {
    return await ingestInput(store, redactor, input, opts, limits);
  } finally {
    await input.dispose();
  }
}

async function ingestInput(store: Store, redactor: Redactor, input: InputFile, opts: SourceOptions, limits: InputLimits): Promise<IngestOutcome> {
  const path = input.displayPath;
  let row = store.sources.bySha(input.sha256);
  if (row && row.status === 'ingested') return outcomeOf(store, row, path, 'unchanged');
  if (row && row.status === 'rejected') {
    store.sources.remove(row.id);
    row = null;
  }
  const head = await readHead(input, limits);
  const harByName = /\.har(\.gz)?$/i.test(path);
  if (looksBinary(head) && !harByName && opts.formatId !== 'har') {
    return rejected(path, input.sha256, `${path}: binary file, not a log or HAR (NUL byte at offset ${head.indexOf(0)})`, false);
  }
  const forced = opts.formatId;
  // A .har name or a HAR-looking head means HAR: a broken HAR then gets the HAR parser's message
  // ("not a HAR: invalid JSON at byte N") rather than a log-format one.
  const isHar = row ? row.kind === 'har' : forced === 'har' || (forced === undefined && !opts.customFormat && (harByName || sniffHar(head)));
  let format: LogFormat | null = null;
  if (!isHar) {
    if (opts.customFormat) format = opts.customFormat;
    else if (row && row.format !== 'detecting') format = findFormat(row.format) ?? null;
    else if (forced) {
      format = findFormat(forced) ?? null;
      if (!format) throw new UserError(`unknown format "${forced}"`, { hint: 'run `faultline formats` to list them' });
    }
  }
  const kind = isHar ? 'har' : 'log';
  if (!row) {
    row = store.sources.create({ path, kind, format: isHar ? 'har' : 'detecting', size: input.size, sha256: input.sha256 });
  }
  const sourceId = row.id;
  const progress = opts.progress === false ? null : new Progress(basename(path), input.gzip ? null : input.size);
  const sink = new SourceSink(path, store, () => sourceId, kind, redactor, progress, (id) => store.sources.setFormat(sourceId, id));
  let status: SourceResult['status'] = 'ingested';
  let error: string | null = null;
  try {
    if (isHar) {
      sink.setFormat('har');
      const creator = await ingestHar(readBytes(input, limits), sink, row.nextUnit);
      await sink.flush();
      // The rules engine lowers confidence in auth conclusions for exporters that strip credentials.
      if (creator) store.sources.setHarCreator(sourceId, creator);
      if (sink.sawTruncation) {
        status = 'partial';
        error = `${path}: HAR ends early (truncated); every complete entry was kept`;
      }
    } else {
      await ingestLog(readBytes(input, limits), sink, { format, resumeFromLine: row.nextUnit, strict: Boolean(forced || opts.customFormat) });
    }
    await sink.flush();
  } catch (err) {
    progress?.done();
    if (err instanceof InputDamage) {
      await sink.flush();
      status = 'partial';
      error = `${path}: ${err.message}; lines before it were kept`;
    } else if (err instanceof UserError) {
      await sink.flush();
      // Parsers know bytes and lines, not file names: every message names the file here.
      if (!err.message.startsWith(path)) err.message = `${path}: ${err.message}`;
      const fresh = store.sources.byId(sourceId)!;
      if (fresh.records === 0 && fresh.skipped === 0) {
        store.sources.finish(sourceId, 'rejected', err.message, {});
        return rejected(path, input.sha256, err.message + (err.hint ? ` (${err.hint})` : ''), false, sink.format);
      }
      status = 'partial';
      error = err.message;
    } else if ((err as { code?: string }).code?.startsWith('SQLITE')) {
      throw explainDbError(store.path, err);
    } else {
      throw err;
    }
  }
  progress?.done();
  store.sources.finish(sourceId, status, error, { ...sink.stats });
  return outcomeOf(store, store.sources.byId(sourceId)!, path, status);
}

/** Returns the HAR's creator name (known only at the end when `creator` follows the entries). */
async function ingestHar(bytes: AsyncIterable<Buffer>, sink: SourceSink, startEntry: number): Promise<string | null> {
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
      await sink.add({ kind: 'record', unit: ev.unit, record, failed: isFailure(record), raw: null }, ev.unit + 1, 0);
    } else {
      if (ev.reason === 'har_truncated') sink.sawTruncation = true;
      await sink.add({ kind: 'skip', unit: ev.unit, reason: ev.reason, excerpt: ev.excerpt }, ev.unit + 1, 0);
    }
  }
  return creator;
}
