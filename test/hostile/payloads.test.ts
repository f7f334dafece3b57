/**
 * B-25 and B-26 end to end: terminal and markdown payloads in the URL, user agent, referer, error text
 * and body of a HAR and an access log go through the real `ingest`, then the plain-text commands
 * (incidents, failures, warnings, show, explain: T1, T2, T7, T9) and the markdown report (M1-M9) rendered
 * by micromark+GFM, markdown-it+linkify and, when installed, cmark-gfm.
 * Unit properties of the escapers themselves live in src/core/escape-terminal.test.ts and
 * src/core/escape-markdown.test.ts (not repeated here). All inputs are SYNTHETIC.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-ignore markdown-it ships no types and @types/markdown-it is not a dependency
import MarkdownIt from 'markdown-it';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/corpus.js';
import { harEntry, harOf, ingestJson, put, query } from './support.js';

const tmp = tempDir('faultline-payloads-');
afterAll(() => tmp.cleanup());

/** security.md B-25. */
const TERMINAL: Array<[string, string]> = [
  ['OSC 0 title', '\x1b]0;PWNED\x07'],
  ['OSC 52 clipboard', '\x1b]52;c;cm0gLXJmIH4=\x07'],
  ['OSC 8 link', '\x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\'],
  ['clear screen', '\x1b[2J'],
  ['C1 CSI', '\x9b31m'],
  ['BEL', '\x07'],
  ['BS', 'ab\x08\x08'],
  ['CR', 'fake\roverwrite'],
  ['DCS', '\x1bPq#0;2;0;0;0\x1b\\'],
  ['RLO', 'abc\u202Etxt.exe'],
];
/** security.md B-26. */
const MARKDOWN: Array<[string, string]> = [
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['image', '![](https://t.example/p.gif)'],
  ['js link', '[x](javascript:alert(1))'],
  ['pipe', 'a|b'],
  ['row injection', 'x\n| injected | row |'],
  ['backticks', '``code``'],
  ['ref definition', '[ref]: https://evil.example'],
  ['www autolink', 'www.evil.example'],
  ['angle autolink', '<https://evil.example>'],
  ['html comment', '<!-- x -->'],
  ['script', '<script>alert(1)</script>'],
  ['heading', '# heading'],
  ['email', 'bob@evil.example'],
];
const ALL = [...TERMINAL, ...MARKDOWN];

/** T9: bytes that must never reach a terminal from data (our own output has no colour under NO_COLOR). */
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const db = join(tmp.dir, 'payloads.db');
let locators: string[] = [];

beforeAll(() => {
  // One failing HAR entry per payload: in the path, the user agent, the referer, the error text and a JSON body.
  const entries = ALL.map(([, p], i) => harEntry(i, {
    request: {
      method: 'GET', url: `https://api.example.com/v1/${encodeURIComponent(p)}/x${i}?q=${encodeURIComponent(p)}`, httpVersion: 'HTTP/1.1',
      headers: [{ name: 'User-Agent', value: `ua ${p}` }, { name: 'Referer', value: `https://app.example.com/${p}` }],
    },
    response: {
      status: [500, 502, 404, 401][i % 4], statusText: p, httpVersion: 'HTTP/1.1', headers: [{ name: 'X-Debug', value: p }],
      content: { size: 40, mimeType: 'application/json', text: JSON.stringify({ error: p, message: `failed: ${p}` }) },
      _error: `net::ERR_${p}`,
    },
  }));
  const har = put(tmp.dir, 'payloads.har', harOf(entries));
  // Access-log lines: control bytes raw (as a proxy with a custom log_format writes them); a quote and a
  // backslash escaped as Apache does (\" and \\), a newline replaced (it would end the line).
  const q = (p: string): string => p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '_');
  const lines = ALL.map(([, p], i) =>
    `203.0.113.${i} - - [14/Mar/2026:10:05:${String(i).padStart(2, '0')} +0000] "GET /api/${q(p)} HTTP/1.1" 503 12 "https://ref.example/${q(p)}" "agent ${q(p)}"`);
  const log = put(tmp.dir, 'payloads.log', lines.join('\n') + '\n');
  const r = ingestJson(db, [har, log]);
  expect(r.sources.map((s) => s.records)).toEqual([ALL.length, ALL.length]);
  locators = query<{ p: string; unit: number; kind: string }>(db, 'SELECT v.source_path AS p, v.unit, s.kind FROM requests_v v JOIN sources s ON s.id = v.source_id ORDER BY v.id')
    .map((x) => (x.kind === 'har' ? `${x.p}#${x.unit}` : `${x.p}:${x.unit}`));
});

describe('B-25: terminal payloads in plain-text output (T1, T2, T7, T9)', () => {
  it('incidents, failures, warnings, show and explain print no control byte, bidi control or escape sequence', () => {
    const outs: Array<[string, string]> = [];
    for (const args of [['incidents'], ['failures'], ['warnings']]) {
      const r = runCli([...args, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      outs.push([args.join(' '), r.stdout + r.stderr]);
    }
    const ids = [...new Set([...outs[0]![1].matchAll(/inc-[0-9a-f]{16}/g)].map((m) => m[0]))];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) outs.push([`show ${id}`, runCli(['show', id, '--db', db]).stdout]);
    for (const loc of locators) {
      const s = runCli(['show', loc, '--db', db]);
      expect(s.code, s.stderr).toBe(0);
      outs.push([`show ${loc}`, s.stdout + s.stderr]);
      if (loc.endsWith('#0') || loc.endsWith(':1')) outs.push([`explain ${loc}`, runCli(['explain', loc, '--db', db]).stdout]);
    }
    const bad = outs.filter(([, text]) => FORBIDDEN.test(text) || text.includes('\x1b')).map(([what, text]) => `${what}: ${JSON.stringify(text.match(/.{0,20}[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\x1b].{0,20}/)?.[0])}`);
    expect(bad).toEqual([]);
    // The payloads are shown, visibly: caret notation for C0, <U+…> for C1 and bidi.
    const all = outs.map(([, t]) => t).join('\n');
    expect(all).toContain('^[]0;PWNED^G');
    expect(all).toContain('^[]52;c;');
    expect(all).toContain('^[[2J');
    expect(all).toContain('<U+009B>31m');
    expect(all).toContain('<U+202E>');
  });

  it('an error message naming a hostile file name is escaped too (T1: file names)', () => {
    const evil = put(tmp.dir, 'evil\x1b]0;PWNED\x07name.har', '{"log":');
    const r = runCli(['ingest', evil, '--db', join(tmp.dir, 'evil.db')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('^[]0;PWNED^G');
    expect(r.stderr.includes('\x1b') || FORBIDDEN.test(r.stderr)).toBe(false);
  });
});

// ---------------------------------------------------------------- B-26

const markdownIt = new MarkdownIt({ linkify: true, html: true });
interface Tok { type: string; tag: string; content: string; attrs: Array<[string, string]> | null; children: Tok[] | null }

function flat(tokens: Tok[]): Tok[] {
  return tokens.flatMap((t) => [t, ...(t.children ? flat(t.children) : [])]);
}

/** Row widths of every table, by markdown-it's tokens. */
function tableShapes(tokens: Tok[]): number[][] {
  const tables: number[][] = [];
  let cur: number[] | null = null;
  let cells = 0;
  for (const t of tokens) {
    if (t.type === 'table_open') cur = [];
    else if (t.type === 'tr_open') cells = 0;
    else if (t.type === 'th_open' || t.type === 'td_open') cells++;
    else if (t.type === 'tr_close') cur?.push(cells);
    else if (t.type === 'table_close' && cur) {
      tables.push(cur);
      cur = null;
    }
  }
  return tables;
}

/** The header widths written in the markdown source: `| a | b |` lines followed by `| --- |`. */
function sourceTableWidths(md: string): number[] {
  const lines = md.split('\n');
  const out: number[] = [];
  for (let i = 1; i < lines.length; i++) if (/^\|( --- \|)+$/.test(lines[i]!)) out.push(lines[i]!.split('---').length - 1);
  return out;
}

describe('B-26: markdown payloads in the report (M1-M9)', () => {
  let md = '';
  beforeAll(() => {
    const out = join(tmp.dir, 'payloads.md');
    const r = runCli(['report', '--db', db, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    md = readFileSync(out, 'utf8');
  });

  it('the report has no raw HTML, no control character and no data in a link or image (M1, M6, M7)', () => {
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    // outside fenced blocks, every < from data is backslash-escaped (M2)
    const prose = md.replace(/^(`{3,})text\n[\s\S]*?^\1$/gm, '');
    expect(prose).not.toMatch(/(?<!\\)<(img|script|!--|https?:)/i);
    expect(prose).not.toMatch(/(?<!\\)\]\((?:https?|javascript):/i);

    // the payloads are there, as text
    expect(md).toContain('PWNED');
    expect(md).toContain('onerror');
  });

  it('markdown-it+linkify (HTML allowed): no html token, no link or image, every table keeps its column count', () => {
    const tokens = markdownIt.parse(md, {}) as Tok[];
    const all = flat(tokens);
    expect(all.filter((t) => t.type === 'html_block' || t.type === 'html_inline').map((t) => t.content)).toEqual([]);
    expect(all.filter((t) => t.type === 'link_open' || t.type === 'image').map((t) => JSON.stringify(t.attrs))).toEqual([]);
    const shapes = tableShapes(tokens);
    const widths = sourceTableWidths(md);
    expect(shapes.length).toBe(widths.length);
    expect(shapes.length).toBeGreaterThan(3);
    shapes.forEach((rows, i) => expect(rows.every((n) => n === widths[i]), `table ${i}: ${rows.join(',')} vs ${widths[i]}`).toBe(true));
    // no payload made a heading: every heading is one of ours (no "heading" text from the data)
    const headings = all.filter((t, i) => t.type === 'inline' && all[i - 1]?.type === 'heading_open').map((t) => t.content);
    expect(headings.filter((h) => /heading|PWNED|evil|onerror/i.test(h))).toEqual([]);
  });

  it('micromark+GFM (HTML allowed): no <a>, <img>, <script> or other raw tag; same table shapes', () => {
    const html = micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
    // GFM task-list checkboxes come from our own "- [ ]" next steps, never from data
    const tags = [...html.matchAll(/<(a|img|script|iframe|svg|details|input|form|style)\b[^>]*>?.{0,60}/gi)].map((m) => m[0])
      .filter((t) => !t.startsWith('<input type="checkbox" disabled="" />'));
    expect(tags).toEqual([]);
    const tables = html.split('<table>').slice(1).map((t) => t.slice(0, t.indexOf('</table>')));
    expect(tables.length).toBe(sourceTableWidths(md).length);
    tables.forEach((t, i) => {
      const rows = t.split('<tr>').slice(1).map((r) => (r.match(/<t[hd][ >]/g) ?? []).length);
      expect(rows.every((n) => n === sourceTableWidths(md)[i]), `table ${i}: ${rows.join(',')}`).toBe(true);
    });
  });

  it('cmark-gfm (GitHub\'s renderer, when installed): no <a>, <img> or raw HTML', () => {
    const which = spawnSync('sh', ['-c', 'command -v cmark-gfm'], { encoding: 'utf8' });
    if (which.status !== 0) {
      console.warn('B-26 cmark-gfm check SKIPPED: cmark-gfm is not installed (apt-get install -y cmark-gfm)');
      return;
    }
    const run = spawnSync('cmark-gfm', ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'tagfilter', '-e', 'strikethrough'], { input: md, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(run.status).toBe(0);
    // M3: e-mail addresses are written with U+FF20, so not even a mailto: link appears
    expect(run.stdout).not.toMatch(/<(a|img|script|iframe|svg|details|input|form|style)\b/i);
    const tables = run.stdout.split('<table>').length - 1;
    expect(tables).toBe(sourceTableWidths(md).length);
  });
});
