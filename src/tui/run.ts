/**
 * Runs the app full-screen: alternate screen on start, and on every way out (q, Ctrl+C, an error,
 * SIGTERM/SIGHUP) Ink unmounts and the normal screen and cursor come back, so the shell is left
 * exactly as it was. Only our own fixed sequences are written here (T8: no data in OSC).
 */
import { createElement } from 'react';
import { render, type Instance } from 'ink';
import { App } from './app.js';
import type { TuiSource } from './source.js';
import type { Theme } from './theme.js';

export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const HOME_CLEAR = '\x1b[H\x1b[2J';

export interface RunOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  theme?: Theme;
  /** Route console.* above the UI (Ink's patchConsole). @default true */
  patchConsole?: boolean;
  /** Closes the app from outside when it settles (follow mode: the watcher failed). */
  stop?: Promise<unknown>;
}

export async function runTui(source: TuiSource, opts: RunOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  // Raw mode before the first frame: Ink only turns it on in an effect after rendering, and a key
  // typed in between would meet a cooked tty (Enter arrives as "\n", letters wait for a newline
  // and are echoed). In raw mode they are buffered and reach the app once it listens.
  if (stdin.isTTY) stdin.setRawMode(true);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(LEAVE_ALT_SCREEN + SHOW_CURSOR);
  };
  stdout.write(ENTER_ALT_SCREEN + HOME_CLEAR + HIDE_CURSOR);
  // Last resort if something exits the process under us (an uncaught error elsewhere).
  process.once('exit', restore);

  let instance: Instance | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    instance?.unmount();
    restore();
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGHUP' ? 129 : 143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    instance = render(createElement(App, { source, theme: opts.theme }), {
      stdout,
      stdin,
      stderr: opts.stderr ?? process.stderr,
      // q and Ctrl+C go through the same path (the reducer's quit → useApp().exit()).
      exitOnCtrlC: false,
      patchConsole: opts.patchConsole ?? true,
    });
    const inst = instance;
    void opts.stop?.then(() => inst.unmount(), () => inst.unmount());
    await instance.waitUntilExit();
  } finally {
    instance?.unmount();
    instance?.cleanup();
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
