/**
 * B-8 canary sweep (O7) at the redaction layer: a synthetic HAR (note: 'synthetic') with one unique canary in
 * every field the B-8 list names. After redactHarEntry/redactHarPage no canary may be found anywhere,
 * including inside base64 bodies, and the summary names the rules that fired. The end-to-end sweep over the
 * database, WAL, report and stdout belongs to the cross-module tests; this one pins the redactor itself.
 */
import { describe, expect, test } from 'vitest';
import { createRedactor } from './index.js';

const KEY = Buffer.alloc(32, 0x0b);
/** Unique, distinctive canaries: letters and digits, easy to grep. */
const C = (i: number) => `Cnry${String(i).padStart(2, '0')}x7Qk2Lw9Vb`;

function syntheticHar() {
  const n = 40;
  const canaries = Array.from({ length: n }, (_, i) => C(i));
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const boundary = '----faultlineBoundary7MA4YWxk';
  const multipart = [
    `--${boundary}`, 'Content-Disposition: form-data; name="user"', '', 'ana',
    `--${boundary}`, 'Content-Disposition: form-data; name="password"', '', C(20),
    `--${boundary}`, `Content-Disposition: form-data; name="doc"; filename="${C(21)}.pdf"`, 'Content-Type: application/pdf', '', `%PDF-1.7 ${C(22)}`,
    `--${boundary}--`, '',
  ].join('\r\n');
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'synthetic', version: '0', comment: 'note: synthetic fixture for B-8' },
      pages: [{ id: 'p1', title: `https://app.example.com/login?token=${C(0)}`, startedDateTime: '2024-01-01T00:00:00.000Z', pageTimings: {}, comment: `opened with sig=${C(1)}` }],
      entries: [
        {
          startedDateTime: '2024-01-01T00:00:01.000Z', time: 12, pageref: 'p1', comment: `retry with api_key=${C(2)}`,
          _error: `net::ERR_FAILED token=${C(3)}`,
          _debug: { apiKey: C(4), note: 'plain' },
          request: {
            method: 'POST', httpVersion: 'HTTP/2',
            url: `https://svc:${C(5)}@api.example.com/v1/login?access_token=${C(6)}&page=2#id_token=${C(7)}`,
            headers: [
              { name: 'Authorization', value: `Bearer ${C(8)}` },
              { name: 'AUTHORIZATION', value: `Basic ${C(9)}` },
              { name: 'x-api-key', value: C(10) },
              { name: 'X-My-Session-Id', value: C(11), comment: `sig=${C(12)}` },
              { name: ':path', value: `/v1/login?api_key=${C(13)}` },
              { name: 'Referer', value: `https://app.example.com/cb?code=${C(14)}` },
              { name: 'Cookie', value: `sid=${C(15)}; theme=dark` },
            ],
            cookies: [{ name: 'sid', value: C(16) }],
            queryString: [{ name: 'access_token', value: C(6) }, { name: 'page', value: '2' }],
            postData: { mimeType: 'application/json', text: JSON.stringify({ user: 'ana', password: C(17), profile: { otp: C(18) } }) },
            headersSize: -1, bodySize: 64,
          },
          response: {
            status: 302, statusText: 'Found', httpVersion: 'HTTP/2',
            headers: [
              { name: 'Set-Cookie', value: `sid=${C(19)}; Path=/; HttpOnly; Secure` },
              { name: 'Location', value: `/cb#access_token=${C(23)}&state=${C(24)}` },
              { name: 'Link', value: `<https://api.example.com/v1/next?sig=${C(25)}>; rel="next"` },
            ],
            cookies: [{ name: 'sid', value: C(26), httpOnly: true }],
            content: { size: 40, mimeType: 'application/json', encoding: 'base64', text: b64(JSON.stringify({ refresh_token: C(27), ok: false })) },
            redirectURL: `https://app.example.com/cb?state=${C(28)}`,
            headersSize: -1, bodySize: 0,
          },
          cache: {}, timings: { send: 1, wait: 10, receive: 1 },
          _initiator: {
            type: 'script', url: `https://app.example.com/app.js?sig=${C(29)}`,
            stack: { callFrames: [{ functionName: 'login', url: `https://app.example.com/a.js?token=${C(30)}`, lineNumber: 1, columnNumber: 2 }], parent: { description: 'await', callFrames: [{ functionName: 'f', url: `https://app.example.com/b.js?key=${C(31)}`, lineNumber: 3, columnNumber: 4 }] } },
          },
          _webSocketMessages: [
            { type: 'send', time: 1, opcode: 1, data: JSON.stringify({ type: 'connection_init', payload: { authToken: C(32) } }) },
            { type: 'receive', time: 2, opcode: 1, data: `{"type":"error","message":"Bearer ${C(33)} rejected"}` },
          ],
        },
        {
          startedDateTime: '2024-01-01T00:00:02.000Z', time: 5,
          request: {
            method: 'POST', url: 'https://idp.example.com/token', httpVersion: 'HTTP/1.1', headers: [], cookies: [], queryString: [],
            postData: { mimeType: 'application/x-www-form-urlencoded', text: `grant_type=refresh_token&client_secret=${C(34)}`, params: [{ name: 'client_secret', value: C(34) }, { name: 'upload', fileName: `${C(35)}.png`, contentType: 'image/png', value: C(36) }] },
            headersSize: -1, bodySize: 10,
          },
          response: { status: 401, statusText: 'Unauthorized', httpVersion: 'HTTP/1.1', headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="idp", error="invalid_token"' }], cookies: [], content: { size: 30, mimeType: 'text/plain', text: `invalid grant for Bearer ${C(37)}` }, redirectURL: '', headersSize: -1, bodySize: 30 },
          cache: {}, timings: { send: 1, wait: 3, receive: 1 },
        },
        {
          startedDateTime: '2024-01-01T00:00:03.000Z', time: 5,
          request: { method: 'POST', url: 'https://api.example.com/upload', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: `multipart/form-data; boundary=${boundary}` }], cookies: [], queryString: [], postData: { mimeType: `multipart/form-data; boundary=${boundary}`, text: multipart }, headersSize: -1, bodySize: multipart.length },
          response: { status: 500, statusText: 'Error', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'application/problem+json', text: JSON.stringify({ title: 'boom', detail: `echo of ${C(15)}` }) }, redirectURL: '', headersSize: -1, bodySize: 0 },
          cache: {}, timings: { send: 1, wait: 3, receive: 1 },
        },
      ],
    },
  };
  return { har, canaries: canaries.filter((_, i) => i <= 37) };
}

/** Everything a reader could see: the JSON text plus every base64 body decoded. */
function visible(har: unknown): string {
  const parts = [JSON.stringify(har)];
  const stack: unknown[] = [har];
  while (stack.length > 0) {
    const o = stack.pop();
    if (!o || typeof o !== 'object') continue;
    const rec = o as Record<string, unknown>;
    if (rec['encoding'] === 'base64' && typeof rec['text'] === 'string') parts.push(Buffer.from(rec['text'], 'base64').toString('utf8'));
    for (const v of Object.values(rec)) stack.push(v);
  }
  return parts.join('\n');
}

describe('B-8 canary sweep (synthetic HAR)', () => {
  test('before redaction every canary is present; after it none is, in any field', () => {
    const { har, canaries } = syntheticHar();
    const before = visible(har);
    for (const c of canaries) expect(before, c).toContain(c);
    const r = createRedactor({ key: KEY });
    for (const e of har.log.entries) r.redactHarEntry(e as unknown as Record<string, unknown>);
    for (const p of har.log.pages) r.redactHarPage(p as unknown as Record<string, unknown>);
    const after = visible(har);
    expect(canaries.filter((c) => after.includes(c))).toEqual([]);
    const summary = r.summary();
    for (const rule of ['R-H1', 'R-H2', 'R-C1', 'R-Q1', 'R-U1', 'R-B1', 'R-B2', 'R-P2', 'R-P4']) expect(summary[rule] ?? 0, rule).toBeGreaterThan(0);
    expect(summary['error']).toBeUndefined();
  });

  test('what triage needs survives: names, schemes, statuses, challenge headers, structure', () => {
    const { har } = syntheticHar();
    const r = createRedactor({ key: KEY });
    for (const e of har.log.entries) r.redactHarEntry(e as unknown as Record<string, unknown>);
    const [a, b, c] = har.log.entries as Array<Record<string, any>>;
    expect(a!['request'].headers.map((h: { name: string }) => h.name)).toEqual(['Authorization', 'AUTHORIZATION', 'x-api-key', 'X-My-Session-Id', ':path', 'Referer', 'Cookie']);
    expect(a!['request'].headers[0].value).toMatch(/^Bearer \[REDACTED:R-H1#/);
    expect(a!['request'].headers[1].value).toMatch(/^Basic \[REDACTED:R-H1#/);
    expect(a!['request'].headers[6].value).toMatch(/^sid=\[REDACTED:R-C1#[0-9a-f]{12}\]; theme=\[REDACTED:R-C1#/);
    expect(a!['request'].url).toMatch(/^https:\/\/\[REDACTED:R-U1%23[0-9a-f]{12}\]:\[REDACTED:R-U1%23[0-9a-f]{12}\]@api\.example\.com\/v1\/login\?access_token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&page=2#id_token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]$/);
    expect(a!['response'].status).toBe(302);
    expect(JSON.parse(Buffer.from(a!['response'].content.text, 'base64').toString('utf8'))).toEqual({ refresh_token: expect.stringMatching(/^\[REDACTED:R-B1#/), ok: false });
    expect(a!['response'].content.encoding).toBe('base64');
    expect(b!['response'].headers[0].value).toBe('Bearer realm="idp", error="invalid_token"');
    expect(b!['request'].postData.params[1]).toMatchObject({ name: 'upload', contentType: 'image/png', fileName: expect.stringMatching(/^\[REDACTED:R-B2#/) });
    expect(c!['request'].postData.text).toContain('name="user"\r\n\r\nana\r\n');
    // The session cookie echoed in a later error body carries the cookie's own fingerprint (O3 correlation).
    const sidMarker = /sid=(\[REDACTED:R-C1#[0-9a-f]{12}\])/.exec(a!['request'].headers[6].value)![1]!;
    expect(JSON.parse(c!['response'].content.text).detail).toBe(`echo of ${sidMarker}`);
  });
});
