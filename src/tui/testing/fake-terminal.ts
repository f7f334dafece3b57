/**
 * A fake TTY for running the real app (runTui / Ink's render) without a terminal: a stdout that
 * records every byte written and reports a size, and a stdin that takes key sequences. Like
 * ink-testing-library's streams, but with rows, a TTY flag and the raw byte log that T9 checks.
 */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly chunks: string[] = [];
  constructor(public columns = 80, public rows = 24) {
    super();
  }
  write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
    this.chunks.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
  output(): string {
    return this.chunks.join('');
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
  // Parts of the tty.WriteStream surface Ink and its helpers may touch.
  cursorTo(): boolean { return true; }
  moveCursor(): boolean { return true; }
  clearLine(): boolean { return true; }
  getColorDepth(): number { return 8; }
  hasColors(): boolean { return true; }
  getWindowSize(): [number, number] { return [this.columns, this.rows]; }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  isRaw = false;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): this { return this; }
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
  resume(): this { return this; }
  pause(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}

export function fakeTerminal(columns = 80, rows = 24) {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  return {
    stdout, stderr, stdin,
    streams: { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream },
  };
}

/** Waits until `pred` holds (polling), or fails after `ms`. */
export async function waitFor(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
