/** Key sequences as a terminal sends them, and a helper to type them into ink-testing-library. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  backspace: '\u007F',
} as const;

export const settle = (ms = 15) => new Promise<void>((r) => setTimeout(r, ms));

interface Term {
  stdin: { write: (s: string) => void };
  frames: unknown[];
}

/**
 * Writes each key and waits for the frame it causes (or, for a key that changes nothing, a
 * bounded quiet period). Waiting on frames rather than fixed sleeps keeps the tests steady on a
 * loaded machine; a lone ESC needs a tick anyway to be told from the start of a sequence.
 */
export async function press(t: Term, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    const before = t.frames.length;
    t.stdin.write(k);
    const deadline = Date.now() + 400;
    while (t.frames.length === before && Date.now() < deadline) await settle(5);
    await settle(5);
  }
}
