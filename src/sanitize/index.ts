/**
 * `faultline sanitize`: a HAR in, the same HAR out with every secret redacted by the ingest rules
 * (security.md R-*, B-8), streamed entry by entry, written atomically. See sanitize.ts for the pipeline.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { UserError } from '../core/errors.js';
import { InputDamage, limitsFromEnv, openInput, readBytes, type InputFile, type InputLimits } from '../ingest/input.js';
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
 * Opens a HAR input without reading it whole first (unlike ingest, sanitize needs no content hash):
 * a file is sniffed for the gzip magic; stdin is spooled by the ingest helper.
 */
export async function openHarInput(path: string): Promise<InputFile> {
  if (path === '-') return openInput('-');
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
    sha256: '',
    gzip: n === 2 && head[0] === 0x1f && head[1] === 0x8b,
    dispose: async () => {},
  };
}

/** The decompressed bytes, with gzip damage turned into a UserError naming the file. */
export async function* harBytes(input: InputFile, limits: InputLimits = limitsFromEnv()): AsyncGenerator<Buffer> {
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
 * Sanitizes `inPath` (a .har, .har.gz or '-') into `outPath` ('-' for stdout; a name ending in .gz is
 * compressed). A fresh random HMAC key per run: markers correlate inside one output file only.
 * On any error nothing is left at `outPath` (the temp file is removed); stdout cannot be taken back.
 */
export async function sanitizeFile(inPath: string, outPath: string, opts: SanitizeFileOptions = {}): Promise<SanitizeResult & { output: string }> {
  const input = await openHarInput(inPath);
  try {
    const out = await openTextOutput(outPath);
    try {
      const redactor = createRedactor({ key: randomBytes(32) });
      const result = await sanitizeHar(harBytes(input, opts.limits), out, { redactor, now: opts.now, entryTextCap: opts.entryTextCap });
      await out.commit();
      return { ...result, output: out.label };
    } catch (err) {
      await out.abort();
      if (err instanceof UserError && err.where && !err.where.startsWith(inPath)) {
        throw new UserError(err.message, { where: `${inPath}: ${err.where}`, hint: err.hint, exitCode: err.exitCode });
      }
      throw err;
    }
  } finally {
    await input.dispose();
  }
}
