// The report's own credential mask (belt and braces behind ingest redaction). Expected outputs are
// written by hand from the rule: "Bearer x", JWT-looking eyJ…, long hex/base64 after token=/key=.
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { MASK, maskSecrets } from './mask.js';

const m = (s: string): string => maskSecrets(s).text;

describe('maskSecrets: masks what still looks like a credential', () => {
  it('Bearer and Basic credentials', () => {
    expect(m('Authorization: Bearer abcDEF0123456789ghiJKL')).toBe(`Authorization: Bearer ${MASK}`);
    expect(m('authorization: basic dXNlcjpwYXNzd29yZA==')).toBe(`authorization: basic ${MASK}`);
    expect(m('Basic dXNlcjpwYXNz')).toBe(`Basic ${MASK}`); // base64 without digits: mixed case
  });

  it('JWT-looking tokens anywhere, with or without a signature', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
    expect(m(`token was ${jwt}, expired`)).toBe(`token was ${MASK}, expired`);
    expect(m(`/cb#id_token=${jwt}`)).toBe(`/cb#id_token=${MASK}`);
    expect(m('unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toBe(`unsigned ${MASK}`);
  });

  it('long hex or base64 values after credential-looking names, in query strings and JSON', () => {
    expect(m('?token=0123456789abcdef0123456789abcdef&page=2')).toBe(`?token=${MASK}&page=2`);
    expect(m('key=AIzaSyA-1234567890abcdefghijklmnopqrstu')).toBe(`key=${MASK}`);
    expect(m('{"access_token":"abc123def456ghi789","n":1}')).toBe(`{"access_token":"${MASK}","n":1}`);
    expect(m('X-Api-Key: 9f86d081884c7d659a2feaa0c55ad015')).toBe(`X-Api-Key: ${MASK}`);
    expect(m('api_key = "QUJDREVGR0hJSktMTU5PUA=="')).toBe(`api_key = "${MASK}"`);
  });

  it('any value after password-like names', () => {
    expect(m('password=hunter2')).toBe(`password=${MASK}`);
    expect(m('{"client_secret": "s"}')).toBe(`{"client_secret": "${MASK}"}`);
  });

  it('well-known credential formats (gitleaks ids)', () => {
    expect(m('id AKIAIOSFODNN7EXAMPLE here')).toBe(`id ${MASK} here`);
    expect(m('ghp_0123456789abcdefghijklmnopqrstuvwxyz')).toBe(MASK);
    expect(m('xoxb-1234567890-abcdefghij')).toBe(MASK);
    expect(m('sk_live_0123456789abcdefghij')).toBe(MASK);
  });

  it('counts what it masked', () => {
    expect(maskSecrets('Bearer abcDEF0123456789 and password=x').count).toBe(2);
    expect(maskSecrets('nothing here').count).toBe(0);
  });
});

describe('maskSecrets: leaves ordinary text and redaction markers alone', () => {
  it.each([
    'Bearer error="invalid_token", error_description="The access token expired"',
    'Bearer realm="api"',
    'Authorization: Bearer [REDACTED:bearer#0a1b2c3d4e5f]',
    'Cookie: session=[REDACTED:cookie#aaaaaaaaaaaa]; theme=dark',
    '?token=[REDACTED:query#0123456789ab]&page=2',
    '[REDACTED:jwt alg=RS256 kid=key-2026-01 exp=1773482520 #0123456789ab]',
    'GET /api/v2/orders/1260 HTTP/2.0 200',
    'Basic authentication failed',
    'token expired at 2026-03-14T10:02:00Z',
    'key=value',
    'monkey=banana',
    'upstream connect error or disconnect/reset before headers',
    'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ])('%s', (s) => {
    expect(m(s)).toBe(s);
  });
});

describe('maskSecrets: properties', () => {
  test.prop([fc.string({ maxLength: 200 })], { seed: 20260314, numRuns: 500 })('idempotent and never longer than input plus markers', (s) => {
    const once = maskSecrets(s);
    expect(maskSecrets(once.text).text).toBe(once.text);
    expect(once.text.length).toBeLessThanOrEqual(s.length + once.count * MASK.length);
  });

  test.prop([fc.stringMatching(/^[A-Za-z0-9_-]{20,60}$/)], { seed: 7, numRuns: 200 })('a random token after Bearer never survives', (tok) => {
    fc.pre(/[0-9]/.test(tok) && /[A-Za-z]/.test(tok));
    expect(m(`Authorization: Bearer ${tok}`)).not.toContain(tok);
  });

  it('runs in linear time on adversarial input', () => {
    const inputs = ['token='.repeat(50_000), 'a'.repeat(300_000), 'Bearer '.repeat(40_000), 'eyJ'.repeat(100_000), '="'.repeat(100_000)];
    for (const s of inputs) {
      const t = performance.now();
      maskSecrets(s);
      expect(performance.now() - t).toBeLessThan(1000);
    }
  });
});
