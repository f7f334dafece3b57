/**
 * Test support for the report: a tiny markdownlint subset (no new dependency), a GFM renderer
 * with raw HTML allowed (so anything our escaping let through would come out as HTML) and a
 * reader for the tables and headings in its output.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { relative } from 'node:path';
import { ingestAll } from '../src/ingest/index.js';
import { runAnalysis } from '../src/cli/commands/analysis.js';
import { refreshScorecard } from '../src/queries/build.js';
import { openStore, type Store } from '../src/store/index.js';

export interface LintProblem {
  line: number;
  rule: string;
  detail: string;
}

function fenceOpen(line: string): { char: string; len: number; info: string } | null {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const ch = line[i];
  if (ch !== '`' && ch !== '~') return null;
  let j = i;
  while (line[j] === ch) j++;
  if (j - i < 3) return null;
  return { char: ch, len: j - i, info: line.slice(j).trim() };
}

function isFenceClose(line: string, open: { char: string; len: number }): boolean {
  const t = line.trimEnd();
  let i = 0;
  while (i < 3 && t[i] === ' ') i++;
  let j = i;
  while (t[j] === open.char) j++;
  return j - i >= open.len && j === t.length;
}

type Kind = 'blank' | 'heading' | 'list' | 'table' | 'fence' | 'para';

/**
 * The markdownlint rules the issue names, checked line by line: MD001 (heading levels go up one at
 * a time), MD003-ish (ATX only), MD009 (no trailing spaces outside code), MD010 (no hard tabs
 * outside code), MD012 (no multiple blank lines outside code), MD022 (blank lines around headings),
 * MD024 (no duplicate headings), MD025 (one H1), MD031 (blank lines around fences), MD032 (blank
 * lines around lists), MD036 (no emphasis-only paragraph as a heading), MD040 (fence language),
 * MD041 (first line is the H1), MD047 (ends with one newline), MD058 (blank lines around tables).
 */
export function lintMarkdown(md: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const add = (line: number, rule: string, detail: string): void => { problems.push({ line, rule, detail }); };
  if (!md.endsWith('\n') || md.endsWith('\n\n')) add(0, 'MD047', 'file must end with exactly one newline');
  const lines = md.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Classify each line into blocks (a fence spans several lines).
  const kinds: Kind[] = [];
  const fences: Array<[number, number]> = [];
  let open: { char: string; len: number; info: string; start: number } | null = null;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (open) {
      kinds.push('fence');
      if (isFenceClose(line, open)) {
        fences.push([open.start, n]);
        open = null;
      }
      continue;
    }
    const f = fenceOpen(line);
    if (f) {
      if (!f.info) add(n + 1, 'MD040', 'fenced code block without a language');
      open = { ...f, start: n };
      kinds.push('fence');
      continue;
    }
    if (line.trim() === '') kinds.push('blank');
    else if (/^#{1,6} /.test(line)) kinds.push('heading');
    else if (/^(?:[-*+]|\d+[.)]) /.test(line)) kinds.push('list');
    else if (line.startsWith('|')) kinds.push('table');
    else kinds.push(kinds[n - 1] === 'list' && line.startsWith('  ') ? 'list' : 'para');
  }
  if (open) add(open.start + 1, 'MD031', 'fence never closed');
  let h1 = 0;
  let prevLevel = 0;
  const seen = new Set<string>();
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const k = kinds[n]!;
    const prev = n > 0 ? kinds[n - 1]! : 'blank';
    const next = n + 1 < lines.length ? kinds[n + 1]! : 'blank';
    if (k !== 'fence') {
      if (/[ \t]$/.test(line)) add(n + 1, 'MD009', 'trailing whitespace');
      if (line.includes('\t')) add(n + 1, 'MD010', 'hard tab');
    }
    if (k === 'blank' && prev === 'blank' && n > 0) add(n + 1, 'MD012', 'multiple consecutive blank lines');
    if (k === 'heading') {
      const level = /^#+/.exec(line)![0].length;
      if (n === 0 && level !== 1) add(1, 'MD041', 'first line is not an H1');
      if (level === 1) h1++;
      if (prevLevel && level > prevLevel + 1) add(n + 1, 'MD001', `heading jumps from H${prevLevel} to H${level}`);
      prevLevel = level;
      const text = line.slice(level + 1);
      if (seen.has(text)) add(n + 1, 'MD024', `duplicate heading "${text}"`);
      seen.add(text);
      if (prev !== 'blank') add(n + 1, 'MD022', 'no blank line before heading');
      if (next !== 'blank') add(n + 1, 'MD022', 'no blank line after heading');
    } else if (n === 0) {
      add(1, 'MD041', 'first line is not an H1');
    }
    if (k === 'list' && prev !== 'list' && prev !== 'blank') add(n + 1, 'MD032', 'no blank line before list');
    if (k === 'list' && next !== 'list' && next !== 'blank') add(n + 1, 'MD032', 'no blank line after list');
    if (k === 'table' && prev !== 'table' && prev !== 'blank') add(n + 1, 'MD058', 'no blank line before table');
    if (k === 'table' && next !== 'table' && next !== 'blank') add(n + 1, 'MD058', 'no blank line after table');
    if (k === 'para' && /^\*\*[^*]+\*\*$/.test(line) && prev === 'blank' && next === 'blank' && !/[.,;:!?]\*\*$/.test(line)) {
      add(n + 1, 'MD036', 'emphasis used instead of a heading');
    }
  }
  for (const [a, b] of fences) {
    if (a > 0 && kinds[a - 1] !== 'blank') add(a + 1, 'MD031', 'no blank line before fence');
    if (b + 1 < lines.length && kinds[b + 1] !== 'blank') add(b + 1, 'MD031', 'no blank line after fence');
  }
  if (h1 !== 1) add(0, 'MD025', `expected exactly one H1, found ${h1}`);
  return problems;
}

/** micromark + GFM with raw HTML and dangerous protocols ALLOWED: escaping is all that stands between data and HTML. */
export function renderGfm(md: string): string {
  return micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true, allowDangerousProtocol: true });
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface RenderedTable {
  headers: string[];
  rows: string[][];
}

function cellsOf(rowHtml: string, tag: 'th' | 'td'): string[] {
  const out: string[] = [];
  const open = new RegExp(`<${tag}(?: [^>]*)?>`, 'g');
  let m: RegExpExecArray | null;
  while ((m = open.exec(rowHtml))) {
    const end = rowHtml.indexOf(`</${tag}>`, m.index);
    out.push(decodeEntities(rowHtml.slice(m.index + m[0].length, end).replace(/<[^>]*>/g, '')));
  }
  return out;
}

/** Every table in rendered HTML, with its header cells and body rows as text. */
export function tablesOf(html: string): RenderedTable[] {
  const tables: RenderedTable[] = [];
  let at = 0;
  for (;;) {
    const start = html.indexOf('<table>', at);
    if (start === -1) break;
    const end = html.indexOf('</table>', start);
    const t = html.slice(start, end);
    const headEnd = t.indexOf('</thead>');
    const headers = cellsOf(t.slice(0, headEnd), 'th');
    const rows: string[][] = [];
    const body = t.slice(headEnd);
    let r = 0;
    for (;;) {
      const tr = body.indexOf('<tr>', r);
      if (tr === -1) break;
      const trEnd = body.indexOf('</tr>', tr);
      rows.push(cellsOf(body.slice(tr, trEnd), 'td'));
      r = trEnd;
    }
    tables.push({ headers, rows });
    at = end;
  }
  return tables;
}

/** Headings in rendered HTML as [level, text]. */
export function headingsOf(html: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const re = /<h([1-6])>([\s\S]*?)<\/h\1>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) out.push([Number(m[1]), decodeEntities(m[2]!.replace(/<[^>]*>/g, ''))]);
  return out;
}

/** Text of every <pre><code> block in rendered HTML. */
export function codeBlocksOf(html: string): string[] {
  const out: string[] = [];
  const re = /<pre><code(?: class="[^"]*")?>([\s\S]*?)<\/code><\/pre>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) out.push(decodeEntities(m[1]!));
  return out;
}

/** Tags that data must never turn into (M6, M7, M9). */
/** `input` is not listed: GFM task lists (our own next steps) render as disabled checkboxes; tests check those separately. */
export const FORBIDDEN_TAGS = /<(?:a|img|script|iframe|svg|details|form|object|embed|style|video|audio|link|meta)[\s>/]/i;

// ---- building real databases for the report tests ----


/**
 * The golden tests pin the per-database HMAC key (production keys are random, security.md O3) so
 * redaction markers, token fingerprints and incident ids grouped by token are the same in every
 * run. It goes in through the store's public meta API before anything asks for the key.
 */
export const PINNED_HMAC_KEY = 'faultline golden test key: not a secret';

/** Ingest (real parsers, real redaction), analysis and scorecard: the real pipeline, into `dbPath`. */
export async function buildDb(dbPath: string, inputs: readonly string[], opts: { pinKey?: boolean } = {}): Promise<Store> {
  const store = openStore(dbPath);
  if (opts.pinKey ?? true) store.views.setMeta('hmac_key', PINNED_HMAC_KEY);
  // Paths as a user in the repository root would type them: stable across machines.
  await ingestAll(store, inputs.map((p) => relative(process.cwd(), p) || p), { progress: false });
  runAnalysis(store, {});
  refreshScorecard(store);
  return store;
}
