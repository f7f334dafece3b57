/**
 * `faultline sanitize`: a HAR in, the same HAR out with every secret redacted by the ingest rules
 * (security.md R-*, B-8), streamed entry by entry, written atomically. See sanitize.ts for the pipeline.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../core/errors.js';
import { InputDamage, limitsFromEnv, readBytes, type ByteSource, type InputLimits } from '../ingest/input.js';
import { createRedactor } from '../redact/index.js';
import { openTextOutput } from './output.js';
import { sanitizeHar, type SanitizeResult } from './sanitize.js';

export { sanitizeHar, sanitizedComment, type SanitizeResult, type SanitizeOptions, type HarRedactor, type DroppedEntry } from './sanitize.js';
export { readHarItems, type HarItem } from './har-reader.js';
export { HarWriter } from './har-writer.js';
export { openTextOutput, type TextOutput } from './output.js';
export { checkHar } from './har-schema.js';
export { Conformer } from './conform.js';

/**
 * Opens a HAR file without reading it whole first (unlike ingest, sanitize needs no content hash):
 * the file is only sniffed for the gzip magic.
 */
export async function openHarInput(path: string): Promise<ByteSource & { displayPath: string }> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}`);
  }
  if (stat.isDirectory()) throw new UserError(`${path}: is a directory`, { hint: 'pass a .har or .har.gz file' });
  const head = Buffer.alloc(2);
  let n = 0;
  try {
    const h = await fs.open(path, 'r');
    try {
      n = (await h.read(head, 0, 2, 0)).bytesRead;
    } finally {
      await h.close();
    }
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as { code?: string }).code ?? String(err)})`);
  }
  return {
    displayPath: path,
    readPath: path,
    size: stat.size,
    gzip: n === 2 && head[0] === 0x1f && head[1] === 0x8b,
  };
}

/**
 * The bytes of a stream (stdin), gunzipped when it starts with the gzip magic, with the same caps as
 * file input. Streamed straight through: unlike ingest, sanitize never spools stdin to a temp file,
 * so the unredacted HAR is never written to disk (O1).
 */
export async function* streamBytes(input: AsyncIterable<Buffer>, name: string, limits: InputLimits = limitsFromEnv()): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    head.push(b);
    headLen += b.length;
  }
  const first = Buffer.concat(head);
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    }
  };
  if (!(first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b)) {
    yield* rest();
    return;
  }
  let compressed = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const c of rest()) {
      compressed += c.length;
      yield c;
    }
  };
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  const src = Readable.from(counted());
  src.on('error', (e) => gunzip.destroy(e));
  src.pipe(gunzip);
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.maxDecompressed) throw new UserError(`${name}: decompressed size passed the cap of ${limits.maxDecompressed} bytes`, { hint: 'nothing was written' });
      if (out > 1 << 20 && compressed > 0 && out / compressed > limits.maxRatio) {
        throw new UserError(`${name}: compression ratio above ${limits.maxRatio}:1 (a gzip bomb?) after ${out} decompressed bytes`, { hint: 'nothing was written' });
      }
      yield chunk;
    }
  } catch (err) {
    src.destroy();
    gunzip.destroy();
    if (err instanceof UserError) throw err;
    const msg = (err as Error).message ?? String(err);
    throw new UserError(`${name}: ${/unexpected end/i.test(msg) ? 'gzip stream ends early (truncated)' : `corrupt gzip data (${msg})`} after ${out} decompressed bytes`, { hint: 'nothing was written' });
  }
}

/** The decompressed bytes, with gzip damage turned into a UserError naming the file. */
export async function* harBytes(input: ByteSource & { displayPath: string }, limits: InputLimits = limitsFromEnv()): AsyncGenerator<Buffer> {
  try {
    yield* readBytes(input, limits);
  } catch (err) {
    if (err instanceof InputDamage) throw new UserError(`${input.displayPath}: ${err.message}`, { hint: 'nothing was written' });
    const code = (err as { code?: string }).code;
    if (code) throw new UserError(`${input.displayPath}: cannot read (${code})`);
    throw err;
  }
}

export interface SanitizeFileOptions {
  /** Pins the comment's timestamp (tests). */
  now?: Date;
  entryTextCap?: number;
  limits?: InputLimits;
}

/**
 * Sanitizes `inPath` (a .har, .har.gz, or '-' for stdin, gzipped or not) into `outPath` ('-' for stdout; a name ending in .gz is
 * compressed). A fresh random HMAC key per run: markers correlate inside one output file only.
 * On any error nothing is left at `outPath` (the temp file is removed); stdout cannot be taken back.
 */
export async function sanitizeFile(inPath: string, outPath: string, opts: SanitizeFileOptions = {}): Promise<SanitizeResult & { output: string }> {
  const bytes = inPath === '-' ? streamBytes(process.stdin as AsyncIterable<Buffer>, 'stdin', opts.limits) : harBytes(await openHarInput(inPath), opts.limits);
  const out = await openTextOutput(outPath);
  try {
    const redactor = createRedactor({ key: randomBytes(32) });
    const result = await sanitizeHar(bytes, out, { redactor, now: opts.now, entryTextCap: opts.entryTextCap });
    await out.commit();
    return { ...result, output: out.label };
  } catch (err) {
    await out.abort();
    if (err instanceof UserError && err.where && !err.where.startsWith(inPath)) {
      throw new UserError(err.message, { where: `${inPath === '-' ? 'stdin' : inPath}: ${err.where}`, hint: err.hint, exitCode: err.exitCode });
    }
    throw err;
  }
}
