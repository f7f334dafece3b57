/**
 * ReDoS-style and size inputs (security.md section 7): every entry point returns, with bounded output, on
 * 100 KB of repeated fragments aimed at each tokenizer branch (half-JWTs, dots, `=`, unclosed quotes,
 * nested URLs, marker look-alikes, PEM headers without END…), on 1e5-deep JSON, and on bodies past the
 * 1 MiB scan cap. No timing asserts: the suite's timeout is the guard, and the code has no regex over input.
 */
import { describe, expect, test } from 'vitest';
import { emptyRecord } from '../core/types.js';
import { createRedactor } from './index.js';

const KEY = Buffer.alloc(32, 0x31);
const SIZE = 100_000;

const FRAGMENTS: Record<string, string> = {
  'eyJ': 'eyJ',
  'a.': 'a.',
  '=': '=',
  'JWT header then dot': 'eyJhbGciOiJIUzI1NiJ9.',
  'JWT header then two dots': 'eyJhbGciOiJIUzI1NiJ9..',
  'JWE header, short': 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0.a.b.',
  'e-words before dots': 'eeeeeeee.',
  '%3D': '%3D',
  'escaped quotes': '\\"',
  'backslashes': '\\',
  'unclosed quoted password': 'password="',
  'password=': 'password=',
  'Bearer ': 'Bearer ',
  'Digest params': 'Digest realm=Digest ',
  'auth-param list': 'Bearer realm=x, ',
  'PEM header, no END': '-----BEGIN RSA PRIVATE KEY-----',
  'https://': 'https://',
  'nested URLs': 'https://a/?x=',
  'userinfo': 'u:p@',
  'marker look-alike': '[REDACTED:jwt ',
  'XML secret element': '<password>',
  'XML namespaced, unclosed': '<a:password ',
  'query pairs': 'a=b&',
  'slashes': '/',
  'brackets': '[',
  'JSON opens': '{"a":',
  'JSON token keys': '"token":"',
  'cookie header lines': 'Cookie: a=b; ',
  'authorization lines': 'Authorization: Bearer ',
  'CLF timestamps': ' [10/Oct/2000:13:55:36 -0700] ',
  'long words': `${'a'.repeat(70)} `,
  'matrix params': 'jsessionid=x;',
  'weak names': 'state=',
};

function entryPoints() {
  const r = createRedactor({ key: KEY });
  return {
    r,
    fns: {
      text: (s: string) => r.redactText(s),
      url: (s: string) => r.redactUrl(s),
      query: (s: string) => r.redactQuery(s),
      log: (s: string) => r.redactLogLine(s),
      'json body': (s: string) => r.redactBody(s, 'application/json'),
      'form body': (s: string) => r.redactBody(s, 'application/x-www-form-urlencoded', { request: true }),
      headers: (s: string) => r.redactHeaders([['Cookie', s], ['Authorization', s], ['Referer', s], ['X-Note', s]]).map(([, v]) => v).join(''),
    } as Record<string, (s: string) => string>,
  };
}

describe(`${SIZE / 1000} KB of repeated fragments`, () => {
  for (const [name, frag] of Object.entries(FRAGMENTS)) {
    test(name, () => {
      const input = frag.repeat(Math.ceil(SIZE / frag.length)).slice(0, SIZE);
      const { r, fns } = entryPoints();
      for (const [fn, f] of Object.entries(fns)) {
        const out = f(input);
        expect(typeof out, fn).toBe('string');
        // Markers can be longer than what they replace (a 1-character value becomes ~27 characters),
        // but never more than that per replaced character, and the input scanned is capped.
        const inputs = fn === 'headers' ? 4 : 1;
        expect(out.length, fn).toBeLessThanOrEqual(inputs * (30 * SIZE + 4096));
      }
      expect(r.summary()['error']).toBeUndefined();
    });
  }
});

describe('depth and size caps', () => {
  test('B-12: 1e5-deep JSON body becomes text under the cap, no RangeError, secrets still redacted', () => {
    const { r } = entryPoints();
    const deep = '['.repeat(100_000) + '{"access_token":"at_0123456789abcdef"}' + ']'.repeat(100_000);
    const out = r.redactBody(deep, 'application/json');
    expect(out).not.toContain('at_0123456789abcdef');
    const obj = '{"a":'.repeat(50_000) + '"Bearer 0123456789abcdef0123"' + '}'.repeat(50_000);
    expect(r.redactBody(obj, 'application/json')).not.toContain('0123456789abcdef0123');
  });

  test('B-12: a HAR entry with an unknown field nested 1e5 deep', () => {
    const { r } = entryPoints();
    const entry: Record<string, unknown> = { request: { url: 'https://x/' } };
    let cur = entry;
    for (let k = 0; k < 100_000; k++) { const next: Record<string, unknown> = {}; cur['_x'] = next; cur = next; }
    cur['token'] = 'deep-secret-0123456789';
    expect(() => r.redactHarEntry(entry)).not.toThrow();
    // JSON.stringify would overflow here; walk the shallow part instead.
    let node: unknown = entry;
    for (let k = 0; k < 70 && node && typeof node === 'object'; k++) node = (node as Record<string, unknown>)['_x'];
    expect(node).toBe('[REDACTED:error]');
  });

  test('text past the 1 MiB scan cap is dropped and marked; the scanned part is redacted', () => {
    const { r } = entryPoints();
    const head = 'password=hunter2hunter2 ';
    const big = head + 'x'.repeat(3 * 1024 * 1024) + ' api_key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe';
    const out = r.redactText(big);
    expect(out.length).toBeLessThan(1024 * 1024 + 200);
    expect(out).toMatch(/\[REDACTED:truncated#[0-9a-f]{12}\]$/);
    expect(out).not.toContain('hunter2hunter2');
    expect(out).not.toContain('AIzaSy');
    expect(r.summary()['truncated']).toBe(1);
  });

  test('B-11: a huge record body is redacted, capped at 64 KiB and keeps its size', () => {
    const { r } = entryPoints();
    const body = `{"error":"quota","token":"tok_0123456789abcdef","pad":"${'z'.repeat(5 * 1024 * 1024)}"}`;
    const rec = { ...emptyRecord(), body, respMime: 'application/json', status: 429 };
    r.redactRecord(rec);
    expect(rec.body!.length).toBeLessThan(64 * 1024 + 100);
    expect(rec.body).not.toContain('tok_0123456789abcdef');
    expect(rec.body).toMatch(/\[REDACTED:truncated#[0-9a-f]{12}\]$/);
    expect(rec.bodySize).toBe(Buffer.byteLength(body));
  });

  test('a base64 HAR body over the decode cap is dropped (R-B4), never decoded', () => {
    const { r } = entryPoints();
    const text = Buffer.alloc(2 * 1024 * 1024, 0x41).toString('base64');
    const entry = { response: { content: { size: 2 * 1024 * 1024, mimeType: 'application/json', encoding: 'base64', text } } };
    r.redactHarEntry(entry);
    expect(entry.response.content).toEqual({ size: 2 * 1024 * 1024, mimeType: 'application/json', text: expect.stringMatching(/^\[REDACTED:R-B4#[0-9a-f]{12}\]$/) });
  });
});
