import { promises as fs } from 'node:fs';

/** Bytes read per call; the one buffer is reused for the whole file. */
const CHUNK = 1 << 20;

/**
 * The first `size` bytes of an uncompressed file (the snapshot its hash was taken on, B-37), read
 * into ONE reused buffer: a chunk is valid only until the consumer asks for the next one, which is
 * how splitLineBatches reads (it copies what it keeps). A fresh 1 MiB buffer per chunk would leave tens of
 * megabytes of garbage for the worker thread's garbage collector, which runs rarely there.
 */
export async function* readPlainReused(path: string, size: number): AsyncGenerator<Buffer> {
  if (size <= 0) return;
  const fh = await fs.open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, size));
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
