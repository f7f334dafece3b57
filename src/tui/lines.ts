/**
 * Screens are built as lines of styled segments by pure functions (views/*), then drawn by one
 * component (components/safe-text.tsx). Keeping the content as data makes it testable without
 * Ink, lets long panes scroll by slicing an array, and gives T1 a single place to enforce.
 */
import type { Tone } from './theme.js';
import { CELL_MAX, displayWidth, fit, safe, takeWords, wrapSanitized } from './safe.js';

export interface Segment {
  text: string;
  tone?: Tone;
}

export type Line = Segment[];

export function seg(text: string, tone?: Tone): Segment {
  return tone ? { text, tone } : { text };
}

/** A segment from input: sanitized here (T1), capped at `max` columns. */
export function input(text: string | null | undefined, tone?: Tone, max?: number): Segment {
  return seg(safe(text, max), tone);
}

export const BLANK: Line = [];

export function heading(title: string): Line {
  return [seg(title, 'heading')];
}

/**
 * An input value wrapped to `width` (after a label on the first row and an indent on the
 * following rows), sanitized as one line so embedded CR/LF cannot fake rows.
 */
export function wrapped(label: string, value: string | null | undefined, width: number, opts: { tone?: Tone; labelTone?: Tone; indent?: number; maxRows?: number } = {}): Line[] {
  const lab = safe(label, Math.max(8, Math.floor(width / 2)));
  const lw = displayWidth(lab);
  const indent = opts.indent ?? lw;
  const text = safe(value, CELL_MAX * 4);
  const [head, tail] = takeWords(text, Math.max(8, width - lw));
  const out: Line[] = [[seg(lab, opts.labelTone ?? 'muted'), seg(head, opts.tone)]];
  if (tail !== '') {
    const pad = ' '.repeat(indent);
    for (const r of wrapSanitized(tail, Math.max(8, width - indent), Math.max(1, (opts.maxRows ?? 32) - 1))) out.push([seg(pad), seg(r, opts.tone)]);
  }
  return out;
}

/** Plain text of a line (tests, plain-text output). */
export function lineText(l: Line): string {
  return l.map((s) => s.text).join('');
}

/** An input value as a fixed-width table cell: sanitized, cut to `width` columns, padded. */
export function cell(text: string | null | undefined, width: number, tone?: Tone, align: 'left' | 'right' = 'left'): Segment {
  const s = fit(safe(text, width + 1), width);
  const gap = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return seg(align === 'left' ? s + gap : gap + s, tone);
}
