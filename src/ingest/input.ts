import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { UserError } from '../core/errors.js';

/** Limits on decompression (security.md §7: one layer only, absolute and ratio caps). */
export interface InputLimits {
  /** Absolute cap on decompressed bytes per file. Default 64 GiB. */
  maxDecompressed: number;
  /** Abort when decompressed/compressed exceeds this after the first MiB. Default 1000:1 (real logs stay far below). */
  maxRatio: number;
}

export const DEFAULT_LIMITS: InputLimits = { maxDecompressed: 64 * 2 ** 30, maxRatio: 1000 };

/** Limits with overrides from FAULTLINE_MAX_DECOMPRESSED_BYTES / FAULTLINE_MAX_GZIP_RATIO (tests and unusual data). */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const n = (v: string | undefined, d: number): number => {
    const x = Number(v);
    return v !== undefined && v !== '' && Number.isFinite(x) && x > 0 ? x : d;
  };
  return {
    maxDecompressed: n(env['FAULTLINE_MAX_DECOMPRESSED_BYTES'], DEFAULT_LIMITS.maxDecompressed),
    maxRatio: n(env['FAULTLINE_MAX_GZIP_RATIO'], DEFAULT_LIMITS.maxRatio),
  };
}

export interface InputFile {
  /** The path as the user gave it ('-' for stdin). */
  displayPath: string;
  /** The path we read (a spooled temp file for stdin). */
  readPath: string;
  size: number;
  /**
   * SHA-256 of the bytes that existed at open time (snapshot semantics, B-37), computed on first
   * call: ingest can start parsing a file it has never seen while the hash is still running.
   */
  sha256(): Promise<string>;
  /** A spool of stdin or a pipe (read once into a temp file), not the user's file. */
  spooled: boolean;
  gzip: boolean;
  /** Set when `readPath` is a spool: its bytes are AES-256-CTR ciphertext under this in-memory key. */
  cipher?: SpoolCipher | null;
  /** Remove temp files. */
  dispose(): Promise<void>;
}

/** What reading an input's bytes needs (sanitize and the parse worker have no hash). */
export type ByteSource = Pick<InputFile, 'readPath' | 'size' | 'gzip' | 'cipher'>;

/** The key of one spool file: random per run, never written anywhere (it crosses to the parse worker in memory). */
export interface SpoolCipher {
  key: Uint8Array;
  iv: Uint8Array;
}

/** Thrown inside the byte stream when a .gz ends early or is corrupt; lines before it are kept. */
export class InputDamage extends Error {
  constructor(readonly reason: 'truncated_gzip' | 'corrupt_gzip' | 'decompression_cap', message: string) {
    super(message);
  }
}

function statError(path: string, err: unknown): UserError {
  const code = (err as { code?: string }).code;
  return new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}`, {
    hint: code === 'ENOENT' ? 'check the path (globs are expanded by your shell)' : null,
  });
}

/**
 * Copies a stream (stdin, a pipe) to a temp file; returns its path and key. The input is not yet
 * redacted, and security.md O1 allows no raw secret in a temp file: the spool is encrypted
 * (AES-256-CTR, a random key kept in memory only), so what stays on disk after a crash is noise.
 */
async function spool(from: NodeJS.ReadableStream): Promise<{ temp: string; cipher: SpoolCipher }> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'faultline-stdin-'));
  const temp = join(dir, 'stdin');
  const cipher: SpoolCipher = { key: randomBytes(32), iv: randomBytes(16) };
  await pipeline(from, createCipheriv('aes-256-ctr', cipher.key, cipher.iv), createWriteStream(temp, { mode: 0o600 }));
  return { temp, cipher };
}

/**
 * Opens an input for ingest: stdin, pipes and other non-regular files (`<(zcat x.gz)`, a FIFO) are
 * spooled to a temp file first, since they can be read only once and have no size: so they can be
 * hashed, detected and resumed like any file; the content hash identifies the source whatever its name.
 */
export async function openInput(path: string): Promise<InputFile> {
  let readPath = path;
  let temp: string | null = null;
  let cipher: SpoolCipher | null = null;
  if (path === '-') {
    ({ temp, cipher } = await spool(process.stdin));
    readPath = temp;
  } else {
    let first;
    try {
      first = await fs.stat(path);
    } catch (err) {
      throw statError(path, err);
    }
    if (!first.isFile() && !first.isDirectory()) {
      try {
        ({ temp, cipher } = await spool(createReadStream(path)));
      } catch (err) {
        throw new UserError(`${path}: cannot read (${(err as { code?: string }).code ?? String(err)})`);
      }
      readPath = temp;
    }
  }
  let stat;
  try {
    stat = await fs.stat(readPath);
  } catch (err) {
    throw statError(path, err);
  }
  if (stat.isDirectory()) throw new UserError(`${path}: is a directory`, { hint: 'pass the files inside it, e.g. dir/*.log' });
  const gzip = isGzip(await readFirstBytes(readPath, Math.min(2, stat.size), cipher).catch((err: unknown) => {
    throw new UserError(`${path}: cannot read (${(err as { code?: string }).code ?? String(err)})`);
  }));
  const size = stat.size;
  let digest: Promise<string> | null = null;
  return {
    displayPath: path,
    readPath,
    size,
    sha256: () => (digest ??= hashSnapshot(path, readPath, size, cipher)),
    spooled: temp !== null,
    gzip,
    cipher,
    dispose: async () => {
      if (temp) await fs.rm(join(temp, '..'), { recursive: true, force: true });
    },
  };
}

function isGzip(head: Buffer): boolean {
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

const HASH_CHUNK = 1 << 20;

/**
 * Files from this size on are hashed in a thread of their own. Ingest parses a new file while it is
 * hashed (ingest-source.ts), and then the main thread, which writes, is the busier one: ~2 s of
 * hashing a 2.4 GB log taken off it goes where the parse worker waits.
 */
const THREAD_HASH_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The hashing thread: plain JavaScript evaluated as a worker, so it runs from the sources (tests)
 * too. It reads into one reused buffer: beside parsing, a stream's fresh 1 MiB chunk per read was
 * garbage the collector freed late, which showed up in the peak RSS.
 */
const HASH_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { path, size, chunk } = workerData;
try {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(size, 1)));
  const fd = openSync(path, 'r');
  try {
    for (let pos = 0; pos < size;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage({ sha256: hash.digest('hex') });
} catch (err) {
  parentPort.postMessage({ error: err && err.code ? err.code : String(err) });
}`;

function hashInThread(path: string, readPath: string, size: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const w = new Worker(HASH_THREAD, { eval: true, workerData: { path: readPath, size, chunk: HASH_CHUNK } });
    let settled = false;
    const done = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void w.terminate();
    };
    w.on('message', (m: { sha256?: string; error?: string }) => done(() => (m.sha256
      ? resolve(m.sha256)
      : reject(new UserError(`${path}: cannot read (${m.error ?? 'unknown error'})`)))));
    w.on('error', (err) => done(() => reject(new UserError(`${path}: cannot read (${err.message})`))));
    w.on('exit', () => done(() => reject(new UserError(`${path}: cannot read (hashing stopped)`))));
  });
}

/** The first `n` bytes of a file (plaintext for a spool). */
async function readFirstBytes(path: string, n: number, cipher: SpoolCipher | null): Promise<Buffer> {
  const head = Buffer.alloc(n);
  let got = 0;
  for await (const chunk of snapshotStream(path, n, cipher) as AsyncIterable<Buffer>) got += chunk.copy(head, got);
  return head.subarray(0, got);
}

/**
 * SHA-256 of exactly the bytes that existed at stat time: readBytes reads the same range, so a log
 * that grows during the run is identified by, and ingested as, its content at the start (B-37).
 */
async function hashSnapshot(path: string, readPath: string, size: number, cipher: SpoolCipher | null): Promise<string> {
  if (!cipher && size >= THREAD_HASH_MIN_BYTES) return hashInThread(path, readPath, size);
  // Small files and spools: hashed before parsing starts, so a stream's chunks cost nothing extra.
  const hash = createHash('sha256');
  try {
    for await (const chunk of snapshotStream(readPath, size, cipher) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as { code?: string }).code ?? String(err)})`);
  }
  return hash.digest('hex');
}

/** The first `size` bytes of a file (what a stat saw), never bytes appended later; a spool decrypted. */
function snapshotStream(path: string, size: number, cipher: SpoolCipher | null | undefined): Readable {
  if (size <= 0) return Readable.from([]);
  const raw = createReadStream(path, { highWaterMark: 1 << 20, start: 0, end: size - 1 });
  if (!cipher) return raw;
  const plain = createDecipheriv('aes-256-ctr', cipher.key, cipher.iv);
  raw.on('error', (e) => plain.destroy(e));
  return raw.pipe(plain);
}

/**
 * The decompressed bytes of an input. Gzip (multi-member too) is decoded one layer only, with
 * the absolute and ratio caps; damage surfaces as InputDamage after every good byte was yielded.
 */
export async function* readBytes(input: ByteSource, limits: InputLimits = DEFAULT_LIMITS): AsyncGenerator<Buffer> {
  const raw = snapshotStream(input.readPath, input.size, input.cipher);
  if (!input.gzip) {
    yield* raw as AsyncIterable<Buffer>;
    return;
  }
  let compressedRead = 0;
  raw.on('data', (c: Buffer | string) => { compressedRead += c.length; });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.pipe(gunzip);
  raw.on('error', (e) => gunzip.destroy(e));
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.maxDecompressed) {
        throw new InputDamage('decompression_cap', `decompressed size passed the cap of ${limits.maxDecompressed} bytes`);
      }
      if (out > 1 << 20 && compressedRead > 0 && out / compressedRead > limits.maxRatio) {
        throw new InputDamage('decompression_cap', `compression ratio above ${limits.maxRatio}:1 (a gzip bomb?) after ${out} decompressed bytes`);
      }
      yield chunk;
    }
  } catch (err) {
    raw.destroy();
    gunzip.destroy();
    if (err instanceof InputDamage) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(String((err as Error).message))) {
      throw new InputDamage('truncated_gzip', `gzip stream ends early (truncated file) after ${out} decompressed bytes`);
    }
    throw new InputDamage('corrupt_gzip', `corrupt gzip data at decompressed offset ${out}: ${(err as Error).message}`);
  }
}
