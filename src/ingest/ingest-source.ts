import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import type { LogFormat } from '../../parsers/access-log/format.js';
import { findFormat } from '../../parsers/access-log/registry.js';
import { sniffHar } from '../../parsers/har/index.js';
import { BatchStrings, explainDbError, type SourceRow, type Store } from '../store/index.js';
import { InputDamage, limitsFromEnv, openInput, readBytes, type InputFile, type InputLimits } from './input.js';
import type { ParseClient } from './parse-client.js';
import type { ParseJob, ParseResult } from './parse-source.js';
import { Progress } from './progress.js';
import { HOLD_BYTES, SourceSink } from './sink.js';
import type { IngestOutcome, SourceResult } from './source-result.js';

/** One parsing session (a worker or the calling thread) and the writer's half of its string table. */
export interface IngestSession {
  client: ParseClient;
  strings: BatchStrings;
}

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
export async function ingestSource(store: Store, session: IngestSession, path: string, opts: SourceOptions = {}): Promise<IngestOutcome> {
  const limits = opts.limits ?? limitsFromEnv();
  let input: InputFile;
  try {
    input = await openInput(path);
  } catch (err) {
    if (err instanceof UserError) return rejected(path, null, err.message, true);
    throw err;
  }
  try {
    return await ingestInput(store, session, input, opts, limits);
  } finally {
    await input.dispose();
  }
}

/**
 * Files from this size on are parsed while their content hash is computed (when no stored source has
 * their size, so the hash cannot name a stored source): the hash is a serial pass over the whole file
 * (~2 s for a 2.4 GB log) that would otherwise run before the first line is parsed. Smaller files
 * are hashed first: nothing to gain, and one code path less for the common small capture.
 */
const OVERLAP_MIN_BYTES = 8 * 1024 * 1024;

async function ingestInput(store: Store, session: IngestSession, input: InputFile, opts: SourceOptions, limits: InputLimits): Promise<IngestOutcome> {
  const path = input.displayPath;
  // A size no stored source has means content no stored source has: nothing to skip or resume.
  const overlap = !input.spooled && input.size >= OVERLAP_MIN_BYTES && !store.sources.hasSize(input.size);
  let sha: string | null = null;
  let row: SourceRow | null = null;
  if (!overlap) {
    try {
      sha = await input.sha256();
    } catch (err) {
      if (err instanceof UserError) return rejected(path, null, err.message, true);
      throw err;
    }
    row = store.sources.bySha(sha);
    if (row && row.status === 'ingested') return outcomeOf(store, row, path, 'unchanged');
    if (row && row.status === 'rejected') {
      store.sources.remove(row.id);
      row = null;
    }
  }
  const head = await readHead(input, limits);
  const harByName = /\.har(\.gz)?$/i.test(path);
  if (looksBinary(head) && !harByName && opts.formatId !== 'har') {
    const message = `${path}: binary file, not a log or HAR (NUL byte at offset ${head.indexOf(0)})`;
    return rejected(path, sha ?? await input.sha256().catch(() => null), message, false);
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
  const newSource = (digest: string): SourceRow => store.sources.create({ path, kind, format: isHar ? 'har' : 'detecting', size: input.size, sha256: digest });
  if (!overlap && !row) row = newSource(sha!);
  const progress = opts.progress === false ? null : new Progress(basename(path), input.gzip ? null : input.size);
  const sink = new SourceSink(store, row?.id ?? null, session.strings, progress, HOLD_BYTES[kind]);
  const custom = !isHar && opts.customFormat ? opts.customFormat : null;
  const job: ParseJob = {
    kind, displayPath: path, readPath: input.readPath, cipher: input.cipher ?? null, size: input.size, gzip: input.gzip, limits,
    startUnit: row?.nextUnit ?? 0,
    formatId: isHar || custom ? null : (format?.id ?? null),
    customFormat: custom ? { spec: custom.spec ?? '', id: custom.id } : null,
    strict: Boolean(forced || opts.customFormat),
  };
  const parsing = session.client.run(job, sink);
  if (overlap) {
    // Parsing runs (its batches held by the sink) while the hash is computed; then the source row.
    const outcome = parsing.then(() => null, (err: unknown) => err);
    try {
      sha = await input.sha256();
    } catch (err) {
      // No source row: what the parse produced is dropped (it would wait for the row otherwise).
      sink.discard();
      await outcome;
      progress?.done();
      if (err instanceof UserError) return rejected(path, null, err.message, true);
      throw err;
    }
    // Another process may have stored this content since hasSize() looked: create() then returns its
    // row, and this run's rows, keyed by unit, add nothing twice (as for two concurrent ingests).
    row = newSource(sha);
    if (row.status === 'rejected') {
      store.sources.remove(row.id);
      row = newSource(sha);
    }
    try {
      sink.bind(row.id);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE')) throw explainDbError(store.path, err);
      throw err;
    }
  }
  return finishSource(store, row!, sha!, sink, progress, parsing);
}

/** Waits for the parsing of a source to end and records how it ended. */
async function finishSource(
  store: Store, row: SourceRow, sha: string, sink: SourceSink, progress: Progress | null, parsing: Promise<ParseResult>,
): Promise<IngestOutcome> {
  const path = row.path;
  const sourceId = row.id;
  let status: SourceResult['status'] = 'ingested';
  let error: string | null = null;
  try {
    const res = await parsing;
    // The rules engine lowers confidence in auth conclusions for exporters that strip credentials.
    if (res.creator) store.sources.setHarCreator(sourceId, res.creator);
    if (res.sawTruncation) {
      status = 'partial';
      error = `${path}: HAR ends early (truncated); every complete entry was kept`;
    }
  } catch (err) {
    progress?.done();
    if (err instanceof InputDamage) {
      status = 'partial';
      error = `${path}: ${err.message}; lines before it were kept`;
    } else if (err instanceof UserError) {
      // Parsers know bytes and lines, not file names: every message names the file here.
      if (!err.message.startsWith(path)) err.message = `${path}: ${err.message}`;
      const fresh = store.sources.byId(sourceId)!;
      if (fresh.records === 0 && fresh.skipped === 0) {
        store.sources.finish(sourceId, 'rejected', err.message, {});
        return rejected(path, sha, err.message + (err.hint ? ` (${err.hint})` : ''), false, sink.formatId ?? 'unknown');
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
  store.sources.finish(sourceId, status, error, sink.lineStats);
  return outcomeOf(store, store.sources.byId(sourceId)!, path, status);
}
