// Tests for M1–M9 and the B-26 payloads (shared/security.md). Oracles: two real renderers,
// micromark + GFM and markdown-it + linkify, both with raw HTML ALLOWED (stricter than their safe
// defaults: any HTML our escaping let through would come out as HTML), plus cmark-gfm if present.
// The expected text is written from the rule text (visibleInline below), not from the code.
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { spawnSync } from 'node:child_process';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
// @ts-ignore markdown-it ships no types and @types/markdown-it is not a dependency
import MarkdownIt from 'markdown-it';
import { mdText, mdCell, mdFence, mdTable, mdInlineCode } from './escape-markdown.js';

const SEED = 20240611;
const markdownIt = new MarkdownIt({ linkify: true, html: true });
const RENDERERS: Array<[string, (md: string) => string]> = [
  ['micromark+gfm', (md) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true })],
  ['markdown-it+linkify', (md) => markdownIt.render(md)],
];

// ---- the spec, as the test's own oracle ----

const label = (cp: number) => `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
/** M1 (+ M3 for inline text): what a reader must see for each input code point. */
function visible(s: string, opts: { keepLines: boolean; at: boolean }): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20) out += opts.keepLines && (ch === '\n' || ch === '\t') ? ch : String.fromCharCode(0x2400 + cp);
    else if (cp === 0x7f) out += '\u2421';
    else if (cp >= 0x80 && cp <= 0x9f) out += label(cp);
    else if (/\p{Cs}/u.test(ch)) out += '\uFFFD';
    else if (/[\p{Cf}\u2028\u2029]/u.test(ch) || (/\p{Default_Ignorable_Code_Point}/u.test(ch) && !/\p{Mn}/u.test(ch))) out += label(cp);
    else if (opts.at && ch === '@') out += '\uFF20';
    else out += ch;
  }
  return out;
}
const visibleInline = (s: string) => visible(s, { keepLines: false, at: true });

/** Text fidelity modulo the cap: exact when it fits, else a prefix ending in … within `max`. */
function expectShown(rendered: string, full: string, max: number, where: string): void {
  const n = [...full].length;
  if (n <= max) {
    expect(rendered, where).toBe(full);
    return;
  }
  const shown = [...rendered];
  expect(shown.at(-1), where).toBe('…');
  expect(shown.length, where).toBeLessThanOrEqual(max);
  expect(shown.length, where).toBeGreaterThanOrEqual(max - 10); // a label `<U+10FFFF>` is never split
  expect(full.startsWith(rendered.slice(0, -1)), where).toBe(true);
}

// ---- a small HTML reader for renderer output (text there is always entity-escaped) ----

type Tok = { kind: 'open' | 'close'; name: string; attrs: string } | { kind: 'text'; text: string };

function tokenize(html: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt !== i) {
      const end = lt === -1 ? html.length : lt;
      toks.push({ kind: 'text', text: decodeEntities(html.slice(i, end)) });
      i = end;
      continue;
    }
    const gt = html.indexOf('>', lt);
    if (gt === -1) throw new Error('unterminated tag in renderer output');
    const inner = html.slice(lt + 1, gt);
    const close = inner.startsWith('/');
    const body = close ? inner.slice(1) : inner;
    let k = 0;
    while (k < body.length && /[A-Za-z0-9!?-]/.test(body[k]!)) k++;
    toks.push({ kind: close ? 'close' : 'open', name: body.slice(0, k).toLowerCase(), attrs: body.slice(k).trim() });
    i = gt + 1;
  }
  return toks;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[e] ?? m;
  });
}

const FORBIDDEN = ['a', 'img', 'script', 'iframe', 'svg', 'details', 'input', 'form'];

/** Tags outside `allowed`, and any attribute other than the fence's class: each one is a leak. */
function leaks(toks: Tok[], allowed: readonly string[]): string[] {
  const found: string[] = [];
  for (const t of toks) {
    if (t.kind === 'text') continue;
    if (!allowed.includes(t.name)) found.push(`<${t.name}>`);
    else if (t.kind === 'open' && t.attrs !== '' && !(t.name === 'code' && t.attrs === 'class="language-text"')) {
      found.push(`<${t.name} ${t.attrs}>`);
    }
  }
  return found;
}

/** Text of each cell, per row; a tag inside a cell is an error unless `lenient` (then kept as `<name>`). */
function tableCells(toks: Tok[], lenient = false): string[][] {
  const rows: string[][] = [];
  let cell: string | null = null;
  for (const t of toks) {
    if (t.kind === 'open' && t.name === 'tr') rows.push([]);
    else if (t.kind === 'open' && (t.name === 'td' || t.name === 'th')) cell = '';
    else if (t.kind === 'close' && (t.name === 'td' || t.name === 'th')) {
      rows.at(-1)!.push(cell!);
      cell = null;
    } else if (cell !== null) {
      if (t.kind === 'text') cell += t.text;
      else if (lenient) cell += `<${t.kind === 'close' ? '/' : ''}${t.name}>`;
      else throw new Error(`<${t.name}> inside a table cell`);
    }
  }
  return rows;
}

/** Text inside the element `name` (each occurrence), with no nested tag allowed. */
function texts(toks: Tok[], name: string): string[] {
  const found: string[] = [];
  let cur: string | null = null;
  for (const t of toks) {
    if (t.kind === 'open' && t.name === name) cur = '';
    else if (t.kind === 'close' && t.name === name) {
      found.push(cur!);
      cur = null;
    } else if (cur !== null) {
      if (t.kind !== 'text') throw new Error(`<${t.name}> inside <${name}>`);
      cur += t.text;
    }
  }
  return found;
}

// ---- inputs ----

const B26 = [
  '<img src=x onerror=alert(1)>', '![](https://t/p.gif)', '[x](javascript:alert(1))', 'a|b', 'x\n| injected | row |',
  '`', '``', '```', '[ref]: https://evil', 'www.evil.example', 'www.evil.com', '<https://evil>', '**bold**', '# heading', '> quote',
  '1. list', '- item', '+ item', 'bob@example.com', 'mailto:bob@evil.example', 'https://evil.com/p?q=1#f',
  'evil.com', 'пример.рф', 'evil。com', 'ｅｖｉｌ．ｃｏｍ', '//evil.com', '192.168.0.1', '&amp;', '&#x20;', '&#0;',
  '<script>alert(1)</script>', '<iframe src=//e>', '<svg onload=x>', '<details open ontoggle=x>', '<input autofocus>',
  '<form action=//e>', '<!-- c -->', '<?php x ?>', '<![CDATA[x]]>', '~~s~~', '_e_', '[^1]', '[ ] task', '[x]',
  '***', '---', '===', '    indented', '\\', '\\|', '|', '||', '| --- |', ':--', 'javascript:alert(1)', '@',
  '\t', '\r\n', '\r', '\n', '\x00', '\x0b', '\x0c', '\x1b[31m', '\x7f', '\x85', '\u202E', '\u200B', '\u2028', '\uFEFF',
  '\u00AD', '\uD800', '\uDC00', '\u00A0', '\u3000', '\u2003', ' ', '  ', 'e\u0301', '日本', '😀',
];
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const asciiChar = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...B26) }, { weight: 2, arbitrary: asciiChar }, { weight: 1, arbitrary: anyChar });
const cellText = fc.oneof(fc.string({ unit: piece, maxLength: 12 }), fc.string({ unit: piece, maxLength: 60 }));
const row3 = fc.tuple(cellText, cellText, cellText);
const bodyText = fc.string({
  unit: fc.oneof(fc.constantFrom(...B26, '\n', '\n', '````', '~~~', '``` text', '    ```'), asciiChar, anyChar),
  maxLength: 80,
});

// ---- examples ----

describe('mdText and mdCell (M1, M2, M3, M8)', () => {
  it('escapes every ASCII punctuation character and nothing else', () => {
    expect(mdText('a.b-c_d')).toBe('a\\.b\\-c\\_d');
    const punct = '!"#$%&\'()*+,-./:;<=>?[\\]^_`{|}~';
    expect(mdText(punct)).toBe([...punct].map((c) => '\\' + c).join(''));
    expect(mdText('abc XYZ 019 é 日本')).toBe('abc XYZ 019 é 日本');
  });

  it('maps controls to Control Pictures and invisibles to escaped <U+XXXX>', () => {
    expect(mdText('a\r\nb\tc\x00\x7f')).toBe('a␍␊b␉c␀␡');
    expect(mdText('x\u202Ey\x9bz')).toBe('x\\<U\\+202E\\>y\\<U\\+009B\\>z');
    expect(mdText('\uD800')).toBe('\uFFFD');
  });

  it('writes @ as U+FF20 (M3) and edge whitespace as character references (M8)', () => {
    expect(mdText('bob@example.com')).toBe('bob＠example\\.com');
    expect(mdText('  a b \u3000')).toBe('&#x20;&#x20;a b&#x20;&#x3000;');
    expect(mdText(' ')).toBe('&#x20;');
  });

  it('caps at 200 characters with an ellipsis, never splitting a label', () => {
    expect([...mdText('x'.repeat(1000))]).toHaveLength(200);
    expect(mdText('abcdef', { max: 4 })).toBe('abc…');
    expect(mdText('ab\u202Ecd', { max: 6 })).toBe('ab…');
    expect(mdCell('a|b')).toBe('a\\|b');
    expect([...mdText('x'.repeat(1000), { max: Number.NaN })]).toHaveLength(200);
  });

  // Its speed is measured in bench/hostile-lines.mjs (npm run bench), never in timed tests.
  it('8 MB of hostile input is cut after the cap', () => {
    const big = '<img src=x>|\u202E\r\n'.repeat(500_000);
    expect(mdText(big)).toHaveLength(mdText(big.slice(0, 400)).length);
    expect(mdFence(big).length).toBeLessThan(8 * 64 * 1024); // a label is at most 8 per input unit
  });
});

describe('mdTable, mdFence, mdInlineCode', () => {
  it('builds a fixed-width table and rejects a row wider than the header', () => {
    expect(mdTable(['a', 'b|c'], [['1'], ['x@y', '']])).toBe('| a | b\\|c |\n| --- | --- |\n| 1 |  |\n| x＠y |  |\n');
    expect(() => mdTable(['a'], [['1', '2']])).toThrow(/row 0 has 2 cells/);
    expect(() => mdTable([], [])).toThrow(RangeError);
  });

  it('fences with more backticks than any run inside, info string text', () => {
    expect(mdFence('a\nb')).toBe('```text\na\nb\n```\n');
    expect(mdFence('x ```` y\n')).toBe('`````text\nx ```` y\n`````\n');
    expect(mdFence('')).toBe('```text\n```\n');
    expect(mdFence('a\r\n\x1b[2J\tb')).toBe('```text\na␍\n␛[2J\tb\n```\n');
  });

  it('caps fenced bodies with a note after the fence, never splitting a surrogate pair', () => {
    expect(mdFence('abcdef', { max: 4 })).toBe('```text\nabcd\n```\n\n(truncated: the first 4 of 6 characters are shown)\n');
    expect(mdFence('ab😀', { max: 3 })).toBe('```text\nab\n```\n\n(truncated: the first 2 of 4 characters are shown)\n');
  });

  it('inline code spans outlast any backtick run', () => {
    expect(mdInlineCode('a`b``c')).toBe('``` a`b``c ```');
    expect(mdInlineCode('x')).toBe('` x `');
    expect(mdInlineCode('  ')).toBe('`  `');
    expect(mdInlineCode('')).toBe('` `');
    expect(mdInlineCode('a\nb')).toBe('` a␊b `');
  });
});

// ---- M9: properties through the real renderers ----

describe('M9 properties through micromark+GFM and markdown-it+linkify', () => {
  test.prop([row3, fc.array(row3, { maxLength: 6 }), bodyText, fc.integer({ min: 1, max: 200 })], { seed: SEED, numRuns: 400 })(
    'a 3-column table and a fenced block: exact shape, no HTML, faithful text',
    (headers, rows, body, fenceMax) => {
      const doc = mdTable(headers, rows) + '\n' + mdFence(body, { max: fenceMax });
      // The cap counts UTF-16 units but never leaves half a surrogate pair at the cut.
      let cut = Math.min(body.length, fenceMax);
      if (cut < body.length && /[\uD800-\uDBFF]/.test(body[cut - 1]!)) cut--;
      const cutBody = body.slice(0, cut);
      for (const [name, render] of RENDERERS) {
        const toks = tokenize(render(doc));
        expect(leaks(toks, ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'code', 'p']), name).toEqual([]);
        const cells = tableCells(toks);
        expect(cells.map((r) => r.length), name).toEqual(Array(1 + rows.length).fill(3));
        [headers, ...rows].forEach((r, i) => r.forEach((c, j) => expectShown(cells[i]![j]!, visibleInline(c), 200, `${name} [${i}][${j}]`)));
        const code = texts(toks, 'code');
        const mapped = visible(cutBody, { keepLines: true, at: false });
        expect(code, name).toEqual([mapped === '' || mapped.endsWith('\n') ? mapped : mapped + '\n']);
        // Outside the table and the code block there is at most our truncation note.
        const paragraphs = texts(toks, 'p');
        expect(paragraphs, name).toEqual(body.length > cutBody.length ? [`(truncated: the first ${cutBody.length} of ${body.length} characters are shown)`] : []);
      }
    },
  );

  test.prop([cellText, cellText, cellText, cellText], { seed: SEED, numRuns: 400 })(
    'prose: heading, list item, paragraph with an inline code span',
    (heading, item, code, tail) => {
      const doc = `## ${mdText(heading)}\n\n- ${mdText(item)}\n\nvalue ${mdInlineCode(code)} end=${mdText(tail)}=end\n`;
      for (const [name, render] of RENDERERS) {
        const toks = tokenize(render(doc));
        expect(leaks(toks, ['h2', 'ul', 'li', 'p', 'code']), name).toEqual([]);
        const [h2] = texts(toks, 'h2');
        expectShown(h2!, visibleInline(heading), 200, `${name} h2`);
        const [li] = texts(toks, 'li');
        expectShown(li!, visibleInline(item), 200, `${name} li`);
        const [codeText] = texts(toks, 'code');
        const codeFull = visible(code, { keepLines: false, at: false });
        expectShown(codeText!, codeFull === '' ? ' ' : codeFull, 200, `${name} code`);
        // The paragraph's text after the code span is ' end=' + tail + '=end'.
        const after = toks.slice(toks.findIndex((t) => t.kind === 'close' && t.name === 'code') + 1);
        const rest = after.slice(0, after.findIndex((t) => t.kind === 'close' && t.name === 'p'));
        const restText = rest.map((t) => (t.kind === 'text' ? t.text : `<${t.name}>`)).join('');
        expect(restText.startsWith(' end=') && restText.endsWith('=end'), name).toBe(true);
        expectShown(restText.slice(5, -4), visibleInline(tail), 200, `${name} tail`);
      }
    },
  );

  it('the oracle is not vacuous: unescaped payloads do produce HTML, links and extra cells', () => {
    // (linkify-it only links TLDs it knows, so www.evil.example alone would prove nothing here)
    const naive = '| a | b | c |\n| --- | --- | --- |\n| <img src=x> | www.evil.com | a|b |\n| [x](https://evil.com) | x | y |\n';
    for (const [name, render] of RENDERERS) {
      const toks = tokenize(render(naive));
      const found = leaks(toks, ['table', 'thead', 'tbody', 'tr', 'th', 'td']);
      expect(found.some((t) => t.startsWith('<img')), name).toBe(true);
      expect(found.some((t) => t.startsWith('<a')), name).toBe(true);
      expect(FORBIDDEN.some((f) => found.some((t) => t.startsWith(`<${f}`))), name).toBe(true);
      expect(tableCells(toks, true)[1]![2], name).toBe('a'); // the `|` split the cell, `b` fell off the row
    }
  });
});

// ---- optional: GitHub's reference renderer (never installed by the tests) ----

const cmarkPath = spawnSync('which', ['cmark-gfm'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const NO_CMARK = 'SKIPPED: cmark-gfm not found (Debian package cmark-gfm); the tests do not install it';
function cmark(doc: string): string {
  const run = spawnSync(cmarkPath, ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'tagfilter', '-e', 'strikethrough'], {
    input: doc,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`cmark-gfm failed: ${run.stderr}`);
  return run.stdout;
}

describe('cmark-gfm golden check (M9)', () => {
  it.skipIf(cmarkPath === '')(cmarkPath === '' ? NO_CMARK : 'B-26 payloads render inert, same shape and text', () => {
    const rows: string[][] = [];
    for (let i = 0; i < B26.length; i += 3) rows.push(B26.slice(i, i + 3));
    const toks = tokenize(cmark(mdTable(['h1', 'h2', 'h3'], rows) + '\n' + mdFence(B26.join('\n'))));
    expect(leaks(toks, ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'code'])).toEqual([]);
    const got = tableCells(toks);
    expect(got.map((r) => r.length)).toEqual(Array(1 + rows.length).fill(3));
    rows.forEach((r, i) => r.forEach((c, j) => expectShown(got[i + 1]![j]!, visibleInline(c), 200, `cmark [${i}][${j}]`)));
    expect(texts(toks, 'code')).toEqual([visible(B26.join('\n'), { keepLines: true, at: false }) + '\n']);
  });

  it.skipIf(cmarkPath === '')(cmarkPath === '' ? NO_CMARK : '300 generated tables and fenced blocks in one document', () => {
    const cases = fc.sample(fc.tuple(row3, fc.array(row3, { maxLength: 4 }), bodyText), { seed: SEED, numRuns: 300 });
    const doc = cases.map(([h, rows, body]) => mdTable(h, rows) + '\n' + mdFence(body)).join('\n');
    const toks = tokenize(cmark(doc));
    expect(leaks(toks, ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'code'])).toEqual([]);
    const expectedRows = cases.flatMap(([h, rows]) => [h, ...rows]);
    const got = tableCells(toks);
    expect(got.map((r) => r.length)).toEqual(Array(expectedRows.length).fill(3));
    expectedRows.forEach((r, i) => r.forEach((c, j) => expectShown(got[i]![j]!, visibleInline(c), 200, `cmark row ${i} col ${j}`)));
    const code = cases.map(([, , body]) => visible(body, { keepLines: true, at: false })).map((t) => (t === '' || t.endsWith('\n') ? t : t + '\n'));
    expect(texts(toks, 'code')).toEqual(code);
  });

  it.skipIf(cmarkPath === '')(cmarkPath === '' ? NO_CMARK : 'M3: why @ becomes U+FF20 (cmark-gfm links an escaped \\@)', () => {
    expect(cmark('bob\\@example\\.com\n')).toContain('<a href="mailto:bob@example.com">');
    expect(cmark(mdText('bob@example.com') + '\n')).not.toContain('<a');
  });
});
