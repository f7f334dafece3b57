// Tests for T1–T6 and the B-25 payloads (shared/security.md). Oracles: a byte scan written from
// the rule text, Ink itself (ink-testing-library), and string-width, which Ink uses for layout.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { createElement } from 'react';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { toTerminal, displayWidth, truncateToWidth, MAX_MARKS_PER_BASE } from './escape-terminal.js';

const SEED = 20240611;

/** T9's forbidden set, checked on code points: C0 except \t \n ESC, then DEL and C1. */
const T9_FORBIDDEN = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/;
/** Single-line output may not contain any C0, DEL or C1 at all. */
const ANY_CONTROL = /[\x00-\x1f\x7f-\x9f]/;
/** T3, listed one by one from the rule text rather than derived from the implementation. */
const T3_CODE_POINTS = [
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
  0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x2028, 0x2029,
];
const INVISIBLE = new RegExp(`[${T3_CODE_POINTS.map((c) => String.fromCharCode(c)).join('')}]|\\p{Cf}`, 'u');
const LONE_SURROGATE = /\p{Cs}/u; // with the u flag only unpaired halves match

/** Everything T1–T6 promise about an output, as a list of violations (empty = fine). */
function violations(out: string, singleLine = true): string[] {
  const found: string[] = [];
  if (out.includes('\x1b')) found.push('ESC');
  if (T9_FORBIDDEN.test(out)) found.push('T9 control');
  if (singleLine && ANY_CONTROL.test(out)) found.push('control in single-line output');
  if (INVISIBLE.test(out)) found.push('invisible or bidi');
  if (LONE_SURROGATE.test(out)) found.push('lone surrogate');
  return found;
}

// B-25, each with the visible form the rule asks for (caret notation, C1 and bidi as <U+…>).
const B25: Array<[string, string, string]> = [
  ['OSC 0 window title', '\x1b]0;PWNED\x07', '^[]0;PWNED^G'],
  ['OSC 52 clipboard', '\x1b]52;c;Y3VybCBldmlsfHNo\x07', '^[]52;c;Y3VybCBldmlsfHNo^G'],
  ['OSC 8 hyperlink', '\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\', '^[]8;;https://evil^[\\x^[]8;;^[\\'],
  ['CSI clear screen', '\x1b[2J', '^[[2J'],
  ['C1 CSI', '\x9b31m', '<U+009B>31m'],
  ['bell', '\x07', '^G'],
  ['backspace', 'admin\b\b\b\b\buser', 'admin^H^H^H^H^Huser'],
  ['carriage return', 'GET /ok\rGET /evil', 'GET /ok^MGET /evil'],
  ['DCS', '\x1bP+q544e\x1b\\', '^[P+q544e^[\\'],
  ['RLO', 'invoice\u202Efdp.exe', 'invoice<U+202E>fdp.exe'],
];

describe('toTerminal: B-25 payloads', () => {
  for (const [name, payload, visible] of B25) {
    test(`${name} is shown, not executed`, () => {
      for (const singleLine of [true, false]) {
        const out = toTerminal(payload, { singleLine });
        expect(out).toBe(visible);
        expect(violations(out)).toEqual([]);
      }
      // Inside a realistic field: the rest of the value is untouched.
      const ua = `Mozilla/5.0 ${payload} (X11)`;
      expect(toTerminal(ua)).toBe(`Mozilla/5.0 ${visible} (X11)`);
    });
  }

  test('the checker itself catches every raw payload (the oracle is not vacuous)', () => {
    for (const [, payload] of B25) expect(violations(payload)).not.toEqual([]);
  });

  test('rendered through the real Ink tree: no control byte, every ESC is SGR, payload visible', () => {
    for (const [, payload, visible] of B25) {
      const { lastFrame, unmount } = render(createElement(Text, { color: 'red' }, toTerminal(payload)));
      const frame = lastFrame() ?? '';
      unmount();
      expect(T9_FORBIDDEN.test(frame)).toBe(false);
      expect(escAreOnlySgr(frame)).toBe(true);
      expect(stripSgr(frame)).toBe(visible);
    }
    // The same check on the raw payload fails, so the Ink oracle can see an attack.
    const raw = render(createElement(Text, null, '\x1b]0;PWNED\x07'));
    const rawFrame = raw.lastFrame() ?? '';
    raw.unmount();
    expect(T9_FORBIDDEN.test(rawFrame) || !escAreOnlySgr(rawFrame)).toBe(true);
  });
});

/** T9: every ESC starts `ESC [ digits/; m` (Ink's own colours). */
function escAreOnlySgr(s: string): boolean {
  for (let i = s.indexOf('\x1b'); i !== -1; i = s.indexOf('\x1b', i + 1)) {
    if (s[i + 1] !== '[') return false;
    let j = i + 2;
    while (j < s.length && ((s[j]! >= '0' && s[j]! <= '9') || s[j] === ';')) j++;
    if (s[j] !== 'm') return false;
  }
  return true;
}

function stripSgr(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x1b') {
      while (i < s.length && s[i] !== 'm') i++;
      continue;
    }
    out += s[i];
  }
  return out;
}

describe('toTerminal: one character at a time (T2, T3, T5)', () => {
  test('every C0 becomes caret notation, DEL becomes ^?', () => {
    for (let c = 0; c < 0x20; c++) expect(toTerminal(String.fromCharCode(c))).toBe('^' + String.fromCharCode(c + 64));
    expect(toTerminal('\x00\x1b\x1f')).toBe('^@^[^_');
    expect(toTerminal('\x7f')).toBe('^?');
  });

  test('every C1 becomes <U+00XX>', () => {
    for (let c = 0x80; c <= 0x9f; c++) {
      expect(toTerminal(String.fromCharCode(c))).toBe(`<U+00${c.toString(16).toUpperCase()}>`);
    }
  });

  test('bidi, zero-width and line/paragraph separators become <U+XXXX>', () => {
    for (const cp of T3_CODE_POINTS) {
      const label = `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
      expect(toTerminal(`a${String.fromCodePoint(cp)}b`)).toBe(`a${label}b`);
    }
    // Other invisible format characters too: soft hyphen, a tag character (ASCII smuggling).
    expect(toTerminal('pay\u00ADpal')).toBe('pay<U+00AD>pal');
    expect(toTerminal('x\u{E0041}')).toBe('x<U+E0041>');
  });

  test('multi-line mode keeps \\n and \\t only', () => {
    expect(toTerminal('a\tb\nc\r\n\x0b', { singleLine: false })).toBe('a\tb\nc^M\n^K');
    expect(toTerminal('a\tb\nc')).toBe('a^Ib^Jc');
  });

  test('lone surrogates become U+FFFD; pairs and astral characters survive', () => {
    expect(toTerminal('a\uD800b')).toBe('a\uFFFDb');
    expect(toTerminal('a\uDC00b')).toBe('a\uFFFDb');
    expect(toTerminal('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
    expect(toTerminal('\uD83D\uDE00 \u{20000}')).toBe('😀 \u{20000}');
  });

  test('printable text, including emoji and variation selectors, is left alone', () => {
    for (const s of ['GET /api/v1/users?id=42 HTTP/1.1', 'naïve café', '日本語のテキスト', '❤️ 👍🏽 1️⃣', 'ascii ~!@#$%^&*()_+{}|:"<>?']) {
      expect(toTerminal(s)).toBe(s);
    }
  });
});

describe('toTerminal: bounds (T6)', () => {
  test(`combining marks: at most ${MAX_MARKS_PER_BASE} per base, counted again after each base`, () => {
    const zalgo = 'e' + '\u0301'.repeat(50) + 'x' + '\u0300\u0301'.repeat(3);
    expect(toTerminal(zalgo)).toBe('e' + '\u0301'.repeat(MAX_MARKS_PER_BASE) + 'x' + '\u0300\u0301'.repeat(3));
  });

  test('cap in code units with an ellipsis, never splitting a surrogate pair or a visible escape', () => {
    expect(toTerminal('abcdef', { max: 4 })).toBe('abc…');
    expect(toTerminal('abcd', { max: 4 })).toBe('abcd');
    expect(toTerminal('ab😀😀', { max: 4 })).toBe('ab…');
    expect(toTerminal('ab\x1bcd', { max: 4 })).toBe('ab…');
    expect(toTerminal('a\u202Exyz', { max: 8 })).toBe('a…');
    expect(toTerminal('x'.repeat(5000))).toHaveLength(2048);
    expect(toTerminal('x'.repeat(5000), { max: Number.NaN })).toHaveLength(2048);
  });

  test('cap in columns as well: wide characters count two', () => {
    const out = toTerminal('日本語日本語', { max: 5 });
    expect(out).toBe('日本…');
    expect(displayWidth(out)).toBeLessThanOrEqual(5);
  });

  // Its speed is measured in bench/hostile-lines.mjs (npm run bench), never in timed tests.
  test('a hostile 2 MB input: returns, escaped, and no longer than its visible forms allow', () => {
    const hostile = ('\x1b]8;;' + 'e' + '\u0301'.repeat(30) + '\u202E\uD800').repeat(60_000);
    const out = toTerminal(hostile, { max: 1e9 });
    // the longest visible form is <U+XXXX> (8 code units) per input code unit
    expect(out.length).toBeLessThanOrEqual(8 * hostile.length);
    expect(violations(out)).toEqual([]);
    expect(displayWidth(out)).toBeGreaterThan(0);
  });
});

describe('displayWidth and truncateToWidth', () => {
  test('examples', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('ｱ')).toBe(1); // halfwidth katakana
    expect(displayWidth('Ａ')).toBe(2); // fullwidth
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('©️')).toBe(2);
    expect(displayWidth('1️⃣')).toBe(2);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('\u1100\u1161\u11A8')).toBe(2); // conjoining jamo
  });

  test('truncateToWidth keeps combining marks with their base and never splits a wide char', () => {
    expect(truncateToWidth('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(truncateToWidth('日本語', 4)).toBe('日…');
    expect(truncateToWidth('日本語', 6)).toBe('日本語');
    expect(truncateToWidth('abc', 0)).toBe('');
    expect(truncateToWidth('\u0301', 0)).toBe('\u0301');
    expect(truncateToWidth('abc', 1)).toBe('…');
  });
});

// ---- properties (fixed seed: failures replay) ----

/** Characters that matter here, weighted so that controls and tricks are common. */
const nasty = fc.constantFrom(
  '\x1b', '\x07', '\x08', '\r', '\n', '\t', '\x00', '\x7f', '\x9b', '\x85', '[', ']', ';', '\\', 'P',
  '\u202E', '\u2066', '\u200B', '\u200D', '\uFEFF', '\u2028', '\u00AD', '\u{E0041}',
  '\u0301', '\u20E3', '\uFE0F', '\u{1F3FD}', '\uD800', '\uDC00', '日', 'Ａ', '👍', '©', '1', 'a', ' ', '…',
);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: nasty, maxLength: 200 }),
  fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 300 }),
);

describe('properties', () => {
  test.prop([hostileString, fc.boolean(), fc.integer({ min: 1, max: 300 })], { seed: SEED, numRuns: 3000 })(
    'no control, bidi, zero-width or lone surrogate survives; bounded; idempotent',
    (s, singleLine, max) => {
      const out = toTerminal(s, { singleLine, max });
      expect(violations(out, singleLine)).toEqual([]);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(displayWidth(out)).toBeLessThanOrEqual(max);
      // Escaping twice adds nothing: no control appears, and the text does not change.
      const twice = toTerminal(out, { singleLine, max });
      expect(violations(twice, singleLine)).toEqual([]);
      expect(twice).toBe(out);
    },
  );

  test.prop([fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 500 })], {
    seed: SEED,
  })('printable ASCII passes through unchanged', (s) => {
    expect(toTerminal(s, { max: 1000 })).toBe(s);
  });

  test.prop([hostileString], { seed: SEED, numRuns: 1000 })('the visible form keeps the order of the input', (s) => {
    // A literal '^X' or '<U+…>' in the input is indistinguishable from ours (known, accepted), so
    // compare only inputs without those shapes.
    fc.pre(!/\^[@-_?]|<U\+/.test(s));
    // Removing every visible escape from the output leaves the printable input characters.
    const out = toTerminal(s, { max: 1e6 });
    const printableInput = [...s].filter((ch) => !/[\x00-\x1f\x7f-\x9f\p{Cf}\u2028\u2029\p{Cs}\p{M}\p{Default_Ignorable_Code_Point}]/u.test(ch)).join('');
    const keptOutput = [...out.replace(/\^[@-_?]|<U\+[0-9A-F]{4,6}>|\uFFFD/g, '')].filter((ch) => !/\p{M}/u.test(ch)).join('');
    const printableNoFffd = printableInput.replace(/\uFFFD/g, '');
    expect(keptOutput).toBe(printableNoFffd);
  });

  // string-width is what Ink measures with; column layout drifts if we disagree.
  // Whole graphemes as a writer would produce them. A stray mark glued to an emoji cluster
  // ("1️⃣" + U+0301) makes string-width fall back to one column; we keep two, as terminals do.
  const layoutChar = fc.constantFrom(
    'a', 'Z', ' ', '~', 'é', 'ß', 'Ω', 'Ж', 'א', 'ع', '日', '語', 'ｱ', 'Ａ', '한', '\u1100\u1161', '\u1100\u1161\u11A8',
    'e\u0301', 'o\u0308\u0301', 'a\u20DD', '日\u0301', '😀', '👍', '👍🏽', '❤', '❤️', '©', '©️', '1⃣', '#️⃣', '🇩🇪',
    '\x1b', '\u202E', '\u200D', '…', '─', '│', '\u{20000}', '\u3000', 'x' + '\u0301'.repeat(12), 'กำ', 'ສຳ',
  );
  test.prop([fc.string({ unit: layoutChar, maxLength: 40 })], { seed: SEED, numRuns: 3000 })(
    'displayWidth agrees with string-width on sanitized text',
    (s) => {
      const safe = toTerminal(s);
      expect(displayWidth(safe)).toBe(stringWidth(safe));
    },
  );

  test.prop([fc.string({ unit: layoutChar, maxLength: 40 }), fc.integer({ min: 0, max: 50 })], { seed: SEED, numRuns: 2000 })(
    'truncateToWidth: fits, is a prefix, and only cuts when needed',
    (s, width) => {
      const safe = toTerminal(s);
      const cut = truncateToWidth(safe, width);
      expect(displayWidth(cut)).toBeLessThanOrEqual(width);
      if (displayWidth(safe) <= width) {
        expect(cut).toBe(safe);
      } else if (width > 0) {
        expect(cut.endsWith('…')).toBe(true);
        expect(safe.startsWith(cut.slice(0, -1))).toBe(true);
      }
    },
  );
});
