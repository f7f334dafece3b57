/**
 * The body memo (body.ts) must not change what redaction produces: a repeated body gives the same text
 * and the same counters as a redactor that sees it once, the MIME type and direction stay part of the
 * answer, and a secret learned after a body was memoized is still swept from it. Secrets are synthetic.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { emptyRecord, type RequestRecord } from '../core/types.js';
import { createRedactor } from './index.js';

const KEY = Buffer.from('202122232425262728292a2b2c2d2e2f101112131415161718191a1b1c1d1e1f', 'hex');
const h12 = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 12);

/** A JSON body long enough to be memoized, with one secret field. */
function jsonBody(secret: string, filler = 'x'): string {
  return JSON.stringify({ access_token: secret, items: Array.from({ length: 40 }, (_, i) => ({ id: i, note: `${filler}${i}` })) }, null, 2);
}

function record(body: string, mime: string, query: string | null = null): RequestRecord {
  return { ...emptyRecord(), method: 'GET', path: '/api/items', query, status: 500, body, respMime: mime };
}

describe('body memo', () => {
  test('a repeated body gives the same text, and counters as if each were seen by a fresh redactor', () => {
    const secret = 'tok_8d1f0c7e5b2a4f6e9c3d';
    const body = jsonBody(secret);
    expect(body.length).toBeGreaterThan(512);
    const shared = createRedactor({ key: KEY });
    const outs: string[] = [];
    const sum: Record<string, number> = {};
    for (let i = 0; i < 5; i++) {
      const rec = record(body, 'application/json');
      shared.redactRecord(rec);
      outs.push(rec.body!);
      const single = createRedactor({ key: KEY });
      const alone = record(body, 'application/json');
      single.redactRecord(alone);
      expect(rec.body).toBe(alone.body);
      for (const [k, v] of Object.entries(single.summary())) sum[k] = (sum[k] ?? 0) + v;
    }
    expect(new Set(outs).size).toBe(1);
    expect(outs[0]).not.toContain(secret);
    expect(outs[0]).toContain(h12(secret));
    expect(shared.summary()).toEqual(sum);
  });

  test('the same text under another MIME type or direction is redacted for that one', () => {
    const r = createRedactor({ key: KEY });
    const body = jsonBody('tok_5e4d3c2b1a09f8e7d6c5');
    const asJson = r.redactBody(body, 'application/json');
    expect(asJson).toContain('"items"');
    // A response of a dropped type is one marker (R-M1); the same text as a request body is scanned.
    expect(r.redactBody(body, 'text/html')).toMatch(/^\[REDACTED:R-M1#[0-9a-f]{12}\]$/);
    expect(r.redactBody(body, 'text/html', { request: true })).toContain('"items"');
    expect(r.redactBody(body, 'application/json')).toBe(asJson);
  });

  test('a body memoized before a secret was learned is swept once the secret is known', () => {
    const r = createRedactor({ key: KEY });
    const secret = 'Q2hhbmdlTWVQbGVhc2UxMjM0NTY3';
    // The token sits in a field no rule looks at: kept the first time.
    const body = jsonBody('-', `ref ${secret} `);
    const first = record(body, 'application/json');
    r.redactRecord(first);
    expect(first.body).toContain(secret);
    // Now a rule redacts (and learns) it in a query.
    const second = record('{}', 'application/json', `token=${secret}`);
    r.redactRecord(second);
    // The same body again: the memoized result must still go through the echo sweep.
    const third = record(body, 'application/json');
    r.redactRecord(third);
    expect(third.body).not.toContain(secret);
    expect(third.body).toContain(h12(secret));
  });
});
