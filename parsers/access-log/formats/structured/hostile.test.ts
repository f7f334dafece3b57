/**
 * (e) Hostile input (security.md B-12, B-18, B-20, B-24, B-40): deep JSON, megabyte lines, binary
 * junk and arbitrary strings. Every structured parser must return a result (never throw) and reject
 * with a reason. Speed is measured in bench/hostile-lines.mjs (npm run bench), never in timed tests:
 * here a hostile line must return, and what it returns must be bounded.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FormatSample, LineParser, LineResult, LogFormat } from '../../format.js';
import { structuredFormats } from '../structured-formats.js';
import { MAX_JSON_DEPTH, REASON_TOO_DEEP } from './json-line.js';

type Sample = FormatSample & { directive?: true };

/** A parser with its format's header directives already fed, so data lines reach the column code. */
function primed(f: LogFormat): LineParser {
  const parse = f.create();
  for (const s of f.samples as Sample[]) if (s.directive && !s.line.startsWith('#close')) parse(s.line);
  return parse;
}

/** The answer and its size: a rejection reason stays short whatever the line (no echo of a 1 MB line). */
function answer(parse: LineParser, line: string): LineResult {
  const res = parse(line);
  if ('ok' in res && !res.ok) expect(res.reason.length).toBeLessThanOrEqual(1024);
  return res;
}

function isValidResult(r: unknown): boolean {
  if (r === null || typeof r !== 'object') return false;
  const o = r as Record<string, unknown>;
  if (o['directive'] === true) return true;
  if (o['ok'] === true) return typeof o['record'] === 'object' && o['record'] !== null;
  return o['ok'] === false && typeof o['reason'] === 'string' && (o['reason'] as string).length > 0;
}

const MB = 1 << 20;

/** A flat copy (as the line reader produces), not a rope of concatenations. */
function flat(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Deterministic pseudo-random bytes (xorshift), decoded as latin1 so every byte value appears. */
function junk(n: number, seed: number): string {
  let x = seed | 0 || 1;
  let s = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    s += String.fromCharCode(x & 0xff);
  }
  return s;
}

const jsonIds = structuredFormats.filter((f) => f.id.endsWith('json'));

describe('hostile input', () => {
  it(`JSON nested deeper than ${MAX_JSON_DEPTH} is rejected as json_too_deep, before JSON.parse`, () => {
    const deep = '{"status":200,"path":"/","x":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
    for (const f of jsonIds) {
      expect(answer(f.create(), deep)).toEqual({ ok: false, reason: REASON_TOO_DEEP });
    }
  });

  it('exactly 64 levels are accepted, 65 are not; brackets inside strings do not count', () => {
    const parse = structuredFormats.find((f) => f.id === 'json')!.create();
    const nest = (levels: number) => '{"status":200,"path":"/' + '[{'.repeat(20) + '","x":' + '['.repeat(levels - 1) + ']'.repeat(levels - 1) + '}';
    expect(parse(nest(MAX_JSON_DEPTH))).toMatchObject({ ok: true, record: { status: 200 } });
    expect(parse(nest(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, reason: REASON_TOO_DEEP });
    const escaped = '{"status":200,"path":"/\\"' + '['.repeat(200) + '"}';
    expect(parse(escaped)).toMatchObject({ ok: true, record: { path: '/"' + '['.repeat(200) } });
  });

  it('a 1 MB line is rejected with a short reason by every format (no JSON, no separators, all separators)', () => {
    const lines = ['a'.repeat(MB), ' '.repeat(MB - 1) + 'x', 'x '.repeat(MB / 2), '\t'.repeat(MB), '{' + '"a":1,'.repeat(MB / 6) + '"b":2}', '"'.repeat(MB), '"' + '""'.repeat(MB / 2) + '" x']
      .map(flat);
    for (const f of structuredFormats) {
      const parse = primed(f);
      for (const line of lines) {
        const res = answer(parse, line);
        expect(isValidResult(res)).toBe(true);
        if ('ok' in res) expect(res.ok, `${f.id} accepted a 1 MB junk line`).toBe(false);
      }
    }
  });

  it('a 1 MB valid JSON object with a huge string is a record (its speed: bench/hostile-lines.mjs)', () => {
    const line = flat('{"status":404,"path":"/' + 'x'.repeat(MB) + '"}');
    const res = answer(structuredFormats.find((f) => f.id === 'json')!.create(), line);
    expect(res).toMatchObject({ ok: true, record: { status: 404 } });
    // the kept path is the string itself, not a re-escaped or concatenated copy
    if ('ok' in res && res.ok) expect(res.record.path!.length).toBeLessThanOrEqual(line.length);
  });

  it('binary junk is rejected with a reason by every format', () => {
    for (const f of structuredFormats) {
      const parse = primed(f);
      for (let seed = 1; seed <= 50; seed++) {
        const res = parse(junk(4096, seed));
        expect(isValidResult(res)).toBe(true);
        expect('ok' in res && res.ok).toBe(false);
      }
    }
  });

  it('invalid JSON names the column of the first error (after any prefix)', () => {
    const parse = structuredFormats.find((f) => f.id === 'json')!.create();
    expect(parse('{"status":200,"path":}')).toEqual({ ok: false, reason: 'invalid JSON at column 22' });
    expect(parse('{"status":200,"path":"/a"')).toEqual({ ok: false, reason: 'invalid JSON at column 26' });
    const prefix = '2024-01-01T00:00:00.000000000Z stdout F ';
    expect(parse(prefix + '{"status":tru}')).toEqual({ ok: false, reason: `invalid JSON at column ${prefix.length + 14}` });
    expect(parse('[1,2]')).toEqual({ ok: false, reason: 'expected a JSON object per line, got an array' });
    expect(parse('2024-01-01T00:00:00Z stdout P {"status":200,')).toEqual({ ok: false, reason: 'partial CRI line (tag P): the JSON continues on the next line' });
  });

  it('lone surrogates from \\u escapes become U+FFFD in kept strings (T5)', () => {
    const parse = structuredFormats.find((f) => f.id === 'json')!.create();
    const res = parse('{"status":500,"path":"/x\\ud800y","user_agent":"a\\udfffb","error":"\\ud83d\\ude00 ok"}');
    expect(res).toMatchObject({ ok: true, record: { path: '/x\ufffdy', userAgent: 'a\ufffdb', errorText: '\u{1F600} ok' } });
  });

  for (const f of structuredFormats) {
    test.prop([fc.string({ maxLength: 300 })], { numRuns: 300 })(`${f.id}: any string gives a result, never a throw`, (s) => {
      const parse = primed(f);
      expect(isValidResult(parse(s))).toBe(true);
    });
    test.prop([fc.jsonValue({ maxDepth: 6 })], { numRuns: 200 })(`${f.id}: any JSON value gives a result, never a throw`, (v) => {
      const parse = primed(f);
      const res = parse(JSON.stringify(v));
      expect(isValidResult(res)).toBe(true);
    });
  }
});
