/**
 * Where a streamed HAR goes: a file written atomically (a temp file in the same directory, renamed
 * over the target only after the last byte was written and flushed), or stdout (`-`), which cannot
 * be atomic: on an error the caller exits non-zero and the partial JSON does not parse.
 * A target ending in `.gz` is gzip-compressed.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { UserError } from '../core/errors.js';

export interface TextOutput {
  /** Queues text; resolves once the stream accepted it (backpressure). */
  write(s: string): Promise<void>;
  /** Flushes, closes and (for a file) renames the temp file over the target. */
  commit(): Promise<void>;
  /** Drops the temp file; for stdout there is nothing to take back. */
  abort(): Promise<void>;
  /** What to print as the destination. */
  readonly label: string;
}

const FLUSH_AT = 64 * 1024;

function ioError(what: string, err: unknown): UserError {
  const code = (err as { code?: string }).code;
  const hint =
    code === 'ENOENT' ? 'the directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'choose a writable location' : code === 'ENOSPC' ? 'free some disk space' : null;
  return new UserError(`${what} (${code ?? (err instanceof Error ? err.message : String(err))})`, { hint });
}

/** Batches small writes and honours backpressure on one stream. */
class Buffered {
  private parts: string[] = [];
  private size = 0;
  private failure: unknown = null;
  constructor(private readonly stream: Writable, private readonly what: string) {
    stream.on('error', (e) => { this.failure ??= e; });
  }

  async write(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw ioError(this.what, this.failure);
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk, 'utf8')) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => { this.stream.off('error', onError); resolve(); };
        const onError = (e: unknown): void => { this.stream.off('drain', onDrain); reject(ioError(this.what, e)); };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
    if (this.failure) throw ioError(this.what, this.failure);
  }
}

/** Resolves when the file stream has flushed and closed its descriptor. */
function closed(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.closed) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.once('error', reject);
  });
}

/** Opens `path` for a streamed write ('-' is stdout). */
export async function openTextOutput(path: string): Promise<TextOutput> {
  if (path === '-') {
    const out = new Buffered(process.stdout, 'cannot write to stdout');
    return {
      label: 'stdout',
      write: (s) => out.write(s),
      commit: () => out.flush(),
      abort: async () => {},
    };
  }
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const file = createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
  try {
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', reject);
    });
  } catch (err) {
    throw ioError(`cannot write ${path}`, err);
  }
  const gzip = path.toLowerCase().endsWith('.gz') ? createGzip() : null;
  if (gzip) {
    gzip.pipe(file);
    file.on('error', (e) => gzip.destroy(e));
  }
  const head: Writable = gzip ?? file;
  const out = new Buffered(head, `cannot write ${path}`);
  return {
    label: path,
    write: (s) => out.write(s),
    commit: async () => {
      try {
        await out.flush();
        const done = closed(file);
        head.end();
        await done;
        // durable before it becomes visible under its name
        const h = await fs.open(tmp, 'r+');
        try {
          await h.sync();
        } finally {
          await h.close();
        }
        await fs.rename(tmp, path);
      } catch (err) {
        await fs.rm(tmp, { force: true });
        throw err instanceof UserError ? err : ioError(`cannot write ${path}`, err);
      }
    },
    abort: async () => {
      const done = closed(file).catch(() => {});
      head.destroy();
      if (gzip) file.destroy();
      await done;
      await fs.rm(tmp, { force: true });
    },
  };
}
