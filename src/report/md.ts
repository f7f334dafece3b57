/**
 * The report's writer: every input-derived string passes the credential mask (mask.ts) and then
 * the markdown escaping choke point (src/core/escape-markdown.ts, M1–M8). Counts what it masked
 * so the appendix can say so. Blocks are joined with exactly one blank line between them, which
 * gives the blank lines markdownlint wants around headings, lists, tables and fences and never two
 * in a row.
 */
import { mdFence, mdInlineCode, mdTable, mdText } from '../core/escape-markdown.js';
import { maskSecrets } from './mask.js';

export class MdWriter {
  private readonly blocks: string[] = [];
  /** Credential-looking values the report masked on its own (beyond ingest redaction). */
  masked = 0;

  /** Masks credential-looking values; the result still needs escaping. */
  mask(s: string): string {
    const r = maskSecrets(s);
    this.masked += r.count;
    return r.text;
  }

  /** Untrusted inline text (prose, list items, headings); an empty value shows as "–". */
  text(s: string, max?: number): string {
    if (s === '') return '–';
    return mdText(this.mask(s), max === undefined ? {} : { max });
  }

  /** Untrusted text as an inline code span (prose only, never in a table: M4). */
  code(s: string, max?: number): string {
    return mdInlineCode(this.mask(s), max === undefined ? {} : { max });
  }

  /** A table; every header and cell is escaped by mdTable (and masked here). */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    this.block(mdTable(headers, rows.map((r) => r.map((c) => this.mask(c)))));
  }

  /** A fenced `text` block whose fence outruns any backticks inside (M5). */
  fence(body: string, max?: number): void {
    this.block(mdFence(this.mask(body), max === undefined ? {} : { max }));
  }

  /** A heading; `title` must already be escaped (or be our own constant text). */
  heading(level: number, title: string): void {
    this.block(`${'#'.repeat(level)} ${title}`.trimEnd());
  }

  /** A paragraph of already-escaped text. */
  para(escaped: string): void {
    this.block(escaped.trimEnd());
  }

  /** A bullet list of already-escaped items. */
  list(items: readonly string[], task = false): void {
    if (items.length) this.block(items.map((i) => (task ? `- [ ] ${i}` : `- ${i}`).trimEnd()).join('\n'));
  }

  /** Raw markdown we generated ourselves (mermaid fences). */
  raw(markdown: string): void {
    this.block(markdown);
  }

  /** Appends another writer's blocks (its mask count is the caller's to add). */
  append(other: MdWriter): void {
    this.blocks.push(...other.blocks);
  }

  private block(s: string): void {
    let end = s.length;
    while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === ' ')) end--;
    if (end > 0) this.blocks.push(s.slice(0, end));
  }

  toString(): string {
    return this.blocks.join('\n\n') + '\n';
  }
}

/** Escaped "cause/subcause" (just the cause when the subcause adds nothing). */
export function causeText(w: MdWriter, cause: string, subcause: string): string {
  return w.text(subcause && subcause !== cause ? `${cause}/${subcause}` : cause);
}
