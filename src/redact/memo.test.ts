/**
 * The field memo (memo.ts) must not change what redaction produces: same strings, same counters, and an
 * echo learned after a value was memoized is still swept from that value. Secrets here are synthetic.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { emptyRecord, type RequestRecord } from '../core/types.js';
import { createRedactor } from './index.js';

const KEY = Buffer.from('101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0f', 'hex');
const h12 = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 12);

function logRecord(path: string, query: string | null, ua: string, referer: string | null = null): RequestRecord {
  return { ...emptyRecord(), method: 'GET', path, query, status: 401, userAgent: ua, referer };
}

describe('redaction memo', () => {
  test('a repeated record gives the same redacted fields and counts once per occurrence', () => {
    const r = createRedactor({ key: KEY });
    const token = 'sk_live_51HqLyjWDarjtT1zdp7dc';
    const outs: RequestRecord[] = [];
    for (let i = 0; i < 50; i++) {
      const rec = logRecord('/v1/charges', `api_key=${token}&page=2`, 'curl/8.4.0', `https://shop.example.com/cart?access_token=${token}`);
      r.redactRecord(rec);
      outs.push(rec);
    }
    for (const rec of outs) {
      expect(rec.query).toBe(outs[0]!.query);
      expect(rec.referer).toBe(outs[0]!.referer);
      expect(rec.query).not.toContain(token);
      expect(rec.referer).not.toContain(token);
    }
    expect(outs[0]!.query).toContain(h12(token));
    // One query-parameter redaction per record in the query and one in the referer: 100, not 2.
    const summary = r.summary();
    const counted = Object.entries(summary).filter(([k]) => k.startsWith('R-Q')).reduce((n, [, v]) => n + v, 0);
    expect(counted).toBe(100);
  });

  test('the counters equal those of a redactor that never saw a repeat', () => {
    const shared = createRedactor({ key: KEY });
    const lines = [
      logRecord('/login', 'password=hunter2hunter2&next=/', 'Mozilla/5.0'),
      logRecord('/u/ana@example.com/orders', null, 'Mozilla/5.0'),
      logRecord('/login', 'password=hunter2hunter2&next=/', 'Mozilla/5.0'),
    ];
    const singles = lines.map(() => createRedactor({ key: KEY }));
    lines.forEach((l, i) => {
      shared.redactRecord(structuredClone(l));
      singles[i]!.redactRecord(structuredClone(l));
    });
    const sum: Record<string, number> = {};
    for (const s of singles) for (const [k, v] of Object.entries(s.summary())) sum[k] = (sum[k] ?? 0) + v;
    expect(shared.summary()).toEqual(sum);
  });

  test('URLs in raw log lines: repeats redact alike and count once per occurrence, as without the memo', () => {
    const token = 'sk_live_51HqLyjWDarjtT1zdp7dc';
    const lines = [0, 1, 2].map((i) => `10.0.0.${i} - - [17/May/2015:10:05:0${i} +0000] "GET /v1/charges?api_key=${token} HTTP/1.1" 401 12 "https://shop.example.com/cart?access_token=${token}" "curl/8.4.0"`);
    const shared = createRedactor({ key: KEY });
    const out = lines.map((l) => shared.redactLogLine(l));
    const fresh = lines.map((l) => createRedactor({ key: KEY }).redactLogLine(l));
    expect(out).toEqual(fresh);
    for (const o of out) expect(o).not.toContain(token);
    expect(out[0]).toContain(h12(token));
    const counted = Object.entries(shared.summary()).filter(([k]) => k.startsWith('R-Q')).reduce((n, [, v]) => n + v, 0);
    expect(counted).toBe(6);
  });

  test('a value memoized before a secret was learned is swept once the secret is known', () => {
    const r = createRedactor({ key: KEY });
    const secret = 'Zm9vYmFyYmF6cXV4MTIzNDU2';
    // 1: the path carries the token where no rule sees it (a path segment of ordinary shape).
    const first = logRecord(`/share/${secret}x/view`, null, 'agent/1');
    r.redactRecord(first);
    // 2: the same token as a secret query parameter: redacted and learned.
    const second = logRecord('/api', `token=${secret}`, 'agent/1');
    r.redactRecord(second);
    expect(second.query).toContain(`[REDACTED:`);
    // 3: the path of record 1 again: the memo must not hand back the unswept result.
    const third = logRecord(`/share/${secret}x/view`, null, 'agent/1');
    r.redactRecord(third);
    expect(third.path).not.toContain(secret);
    expect(third.path).toContain(h12(secret));
  });
});
