/**
 * M1–M8 (shared/security.md, c-2): the one choke point for untrusted text in the markdown report.
 *
 * Inline text is made inert by escaping EVERY ASCII punctuation character (CommonMark allows a
 * backslash before any of them), after controls were made visible. That blocks raw HTML,
 * autolinks, links, images, emphasis, code spans, entities, `|` cell splits, `[ref]:` definitions
 * and block markers, without having to know which construct a renderer supports. Multi-line bodies
 * go in fenced blocks instead, where nothing but the fence is syntax.
 *
 * All functions are one pass over at most `max` characters of input (plus the scan for the
 * longest backtick run); no regex runs over the input.
 */
import { codePointLabel, isInvisibleCodePoint } from './escape-terminal.js';

const DEFAULT_TEXT_MAX = 200; // M8
const DEFAULT_FENCE_MAX = 64 * 1024; // M5
const ELLIPSIS = '…';

/**
 * M3: GitHub's cmark-gfm autolinks e-mail addresses even when every punctuation is escaped, so in
 * inline text `@` is written as U+FF20 FULLWIDTH COMMERCIAL AT (＠). The value is altered on
 * purpose; the report says so. Code spans and fenced blocks keep `@`: nothing is linked there.
 */
const AT = 0x40;
const FULLWIDTH_AT = '\uFF20';

/**
 * M1: the visible form of one code point, or null to keep it. C0 → Control Pictures (U+2400+n),
 * DEL → U+2421, C1, bidi, zero-width and U+2028/U+2029 → `<U+XXXX>` (the same set as the
 * terminal's T3), a lone surrogate → U+FFFD. `\n` and `\t` are kept only where `keepLines` is set.
 */
function visibleControl(cp: number, keepLines: boolean): string | null {
  if (cp < 0x20) return keepLines && (cp === 0x0a || cp === 0x09) ? null : String.fromCharCode(0x2400 + cp);
  if (cp < 0x7f) return null;
  if (cp === 0x7f) return '\u2421';
  if (cp >= 0xd800 && cp <= 0xdfff) return '\uFFFD';
  return isInvisibleCodePoint(cp) ? codePointLabel(cp) : null;
}

function isAsciiPunctuation(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/** What JavaScript's trim() removes once controls are mapped: markdown-it trims cells with it. */
function isEdgeSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/**
 * M1 mapping plus the cap: the code points that will be shown, `…` last if cut. `max` counts code
 * points; a `<U+XXXX>` label is never split. Reads no further than needed.
 */
function visibleCodePoints(s: string, max: number, keepLines: boolean, inline: boolean): string[] {
  const out: string[] = [];
  let cut = 0; // out.length at the last token boundary that still leaves room for the ellipsis
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const ch = s.slice(i, i + size);
    i += size;
    const mapped = visibleControl(cp, keepLines);
    const token = mapped ?? (inline && cp === AT ? FULLWIDTH_AT : ch);
    const parts = mapped !== null && mapped.length > 1 ? [...mapped] : [token];
    if (out.length + parts.length > max) {
      out.length = cut;
      out.push(ELLIPSIS);
      return out;
    }
    for (const p of parts) out.push(p);
    if (out.length < max) cut = out.length;
  }
  return out;
}

export interface MdTextOptions {
  /** Default 200 code points shown (M8), `…` included. */
  max?: number;
}

/**
 * M1 + M2 + M3 + M8: untrusted text for any inline context (table cell, heading, list item, prose).
 * No CR or LF survives; every ASCII punctuation character is backslash-escaped; leading and
 * trailing whitespace is written as `&#xHH;` so no renderer trims it.
 */
export function mdText(s: string, opts: MdTextOptions = {}): string {
  const shown = visibleCodePoints(s, capOf(opts.max, DEFAULT_TEXT_MAX), false, true);
  let first = 0;
  while (first < shown.length && isEdgeSpace(shown[first]!.codePointAt(0)!)) first++;
  let last = shown.length;
  while (last > first && isEdgeSpace(shown[last - 1]!.codePointAt(0)!)) last--;
  let out = '';
  for (let k = 0; k < shown.length; k++) {
    const ch = shown[k]!;
    const cp = ch.codePointAt(0)!;
    if (k < first || k >= last) out += '&#x' + cp.toString(16).toUpperCase() + ';';
    else if (cp < 0x80 && isAsciiPunctuation(cp)) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/**
 * mdText for a GFM table cell. Every `|` is escaped as `\|` by M2, which GFM (cmark-gfm,
 * micromark, markdown-it) reads as a literal pipe, not a cell boundary; no line ending survives,
 * so the row cannot be ended early either. Never a code span (M4).
 */
export function mdCell(s: string, opts: MdTextOptions = {}): string {
  return mdText(s, opts);
}

/**
 * A GFM table. Every header and cell is untrusted and goes through mdCell. The column count is
 * headers.length: short rows are padded with empty cells; a longer row is a bug in the caller and
 * throws, since dropping cells would silently lose data. Ends with a newline; leave a blank line
 * before the next block.
 */
export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (headers.length === 0) throw new RangeError('mdTable: a GFM table needs at least one header');
  const line = (cells: readonly string[]): string => {
    let out = '|';
    for (let c = 0; c < headers.length; c++) out += ' ' + mdCell(cells[c] ?? '') + ' |';
    return out + '\n';
  };
  let out = line(headers) + '|' + ' --- |'.repeat(headers.length) + '\n';
  rows.forEach((row, r) => {
    if (row.length > headers.length) {
      throw new RangeError(`mdTable: row ${r} has ${row.length} cells but the table has ${headers.length} columns`);
    }
    out += line(row);
  });
  return out;
}

export interface MdFenceOptions {
  /** Default 64 KiB of body (UTF-16 code units) before the truncation note. */
  max?: number;
}

/**
 * M5: a multi-line body as a fenced code block with info string `text`. The fence is longer than
 * any backtick run in the body, so the body cannot close it; CR and other controls are mapped by
 * M1 (`\n` and `\t` kept). A cut body is followed by a note line after the fence. Ends with a
 * newline.
 */
export function mdFence(body: string, opts: MdFenceOptions = {}): string {
  const max = capOf(opts.max, DEFAULT_FENCE_MAX);
  let end = Math.min(body.length, max);
  const lastUnit = body.charCodeAt(end - 1);
  if (end < body.length && lastUnit >= 0xd800 && lastUnit <= 0xdbff) end--; // never split a pair
  let text = '';
  let run = 0;
  let longestRun = 0;
  for (let i = 0; i < end; ) {
    const cp = body.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1; // `end` never splits a pair, so both halves are before it
    const mapped = visibleControl(cp, true);
    text += mapped ?? body.slice(i, i + size);
    i += size;
    run = cp === 0x60 ? run + 1 : 0;
    if (run > longestRun) longestRun = run;
  }
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const newline = text === '' || text.endsWith('\n') ? '' : '\n';
  let out = fence + 'text\n' + text + newline + fence + '\n';
  if (end < body.length) {
    out += `\n(truncated: the first ${end} of ${body.length} characters are shown)\n`;
  }
  return out;
}

/**
 * M4, for prose only (never a table cell): a code span whose backtick fence is longer than any
 * run inside, padded with one space on each side (CommonMark strips exactly one). Controls are
 * mapped by M1, so it stays on one line. Empty input gives a code span of one space.
 */
export function mdInlineCode(s: string, opts: MdTextOptions = {}): string {
  const content = visibleCodePoints(s, capOf(opts.max, DEFAULT_TEXT_MAX), false, false).join('');
  let run = 0;
  let longestRun = 0;
  let allSpaces = true;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    run = c === 0x60 ? run + 1 : 0;
    if (run > longestRun) longestRun = run;
    if (c !== 0x20) allSpaces = false;
  }
  const fence = '`'.repeat(longestRun + 1);
  if (content === '') return fence + ' ' + fence;
  // All-space content is not stripped by CommonMark, so it must not be padded either.
  return allSpaces ? fence + content + fence : fence + ' ' + content + ' ' + fence;
}

function capOf(max: number | undefined, fallback: number): number {
  const wanted = max ?? fallback;
  return Number.isNaN(wanted) ? fallback : Math.max(1, Math.floor(wanted)); // NaN would disable the cap
}
