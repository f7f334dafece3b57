/**
 * T1: the TUI's door to src/core/escape-terminal. Every string that came from input (URLs,
 * headers, bodies, user agents, error texts, file names, incident titles, rule text from user
 * rule files) goes through safe() or wrapSafe() before it becomes a Segment, and the one
 * component that renders text (components/safe-text.tsx) runs safe() again on everything it
 * draws (toTerminal is idempotent), so nothing can reach <Text> unescaped even by mistake.
 */
import { displayWidth, toTerminal, truncateToWidth } from '../core/escape-terminal.js';

/** T6: no cell is longer than this before it is cut with "…". */
export const CELL_MAX = 2048;

/** One line, every control/invisible character made visible, capped at `max` columns. */
export function safe(s: string | null | undefined, max = CELL_MAX): string {
  if (s === null || s === undefined) return '';
  return toTerminal(s, { singleLine: true, max });
}

/** Cuts an already-safe string to `width` columns ("…" included). */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  return displayWidth(s) > width ? truncateToWidth(s, width) : s;
}

export { displayWidth };

/**
 * Sanitizes `s` as ONE line (a CR, LF or TAB inside shows as ^M/^J/^I, so a value can never
 * fake a second line) and cuts it into rows of at most `width` columns.
 * `maxRows` bounds what one value can cost on screen; the last row ends with "…" when cut.
 */
export function wrapSafe(s: string | null | undefined, width: number, maxRows = 64, max = CELL_MAX * 4): string[] {
  const text = safe(s, max);
  return wrapSanitized(text, width, maxRows);
}

/** Splits an already-sanitized string after at most `width` columns (at least one code point). */
export function takeWidth(text: string, width: number): [head: string, rest: string] {
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const cw = displayWidth(text.slice(i, i + size));
    if (used + cw > width && i > 0) break;
    used += cw;
    i += size;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** Like takeWidth, but breaks after a space when one sits in the second half of the row (prose reads better). */
export function takeWords(text: string, width: number): [head: string, rest: string] {
  const [head, tail] = takeWidth(text, width);
  if (tail === '' || tail[0] === ' ') return [head, tail];
  const sp = head.lastIndexOf(' ');
  if (sp < head.length / 2) return [head, tail];
  return [head.slice(0, sp + 1), head.slice(sp + 1) + tail];
}

/** Wraps an already-sanitized string by display width (at a space when it can), never splitting a code point. */
export function wrapSanitized(text: string, width: number, maxRows = 64): string[] {
  const w = Math.max(1, Math.floor(width));
  const rows: string[] = [];
  let rest = text;
  do {
    const [head, tail] = takeWords(rest, w);
    rows.push(head);
    rest = tail;
    if (rest !== '' && rows.length >= maxRows) {
      rows[rows.length - 1] = truncateToWidth(head + '…', w);
      break;
    }
  } while (rest !== '');
  return rows;
}
