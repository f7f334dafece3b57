/**
 * The echo sweep (learned.ts): values a rule redacted are chased where no rule sees them, e.g. Google
 * Analytics copying cookies into `utmcc=__utma%3D…` (found in the corpus), with the same fingerprint.
 */
import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { emptyRecord } from '../core/types.js';
import { createRedactor } from './index.js';

const KEY = Buffer.alloc(32, 3);
const h12 = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 12);

test('a cookie value echoed in a later URL, body and header gets the same R-C1 fingerprint', () => {
  const r = createRedactor({ key: KEY });
  const ga = '152498875.1612082311.1457551274.1457551274.1457551274.1';
  const first = { ...emptyRecord(), reqHeaders: [['Cookie', `__utma=${ga}; theme=dark`]] as Array<[string, string]> };
  r.redactRecord(first);
  const beacon = {
    ...emptyRecord(),
    path: '/__utm.gif',
    query: `utmac=UA-31246987-1&utmcc=__utma%3D${ga}%3B&utmn=1`,
    body: `{"copied":"${ga}"}`,
    respMime: 'application/json',
    reqHeaders: [['X-Debug', `cookie was ${ga}!`]] as Array<[string, string]>,
  };
  r.redactRecord(beacon);
  expect(beacon.query).toBe(`utmac=UA-31246987-1&utmcc=__utma%3D[REDACTED:R-C1%23${h12(ga)}]%3B&utmn=1`);
  expect(beacon.body).toBe(`{"copied":"[REDACTED:R-C1#${h12(ga)}]"}`);
  expect(beacon.reqHeaders![0]![1]).toBe(`cookie was [REDACTED:R-C1#${h12(ga)}]!`);
});

test('text around markers and matches is kept byte for byte (regression: content before an echo was dropped)', () => {
  const r = createRedactor({ key: KEY });
  const tok = '481649dedec06b3434f5c2618942e33c';
  r.redactQuery(`token=${tok}`);
  const [[, cookie]] = r.redactHeaders([['Cookie', `X-AB-Device-Type=desktop; mp_${tok}_mixpanel=%7B%7D; __utmt=1`]]) as [[string, string]];
  expect(cookie).toBe(`X-AB-Device-Type=[REDACTED:R-C1#${h12('desktop')}]; mp_[REDACTED:R-Q1#${h12(tok)}]_mixpanel=[REDACTED:R-C1#${h12('%7B%7D')}]; __utmt=[REDACTED:R-C1#${h12('1')}]`);
  expect(r.redactText(`a [REDACTED:R-C1#0123456789ab] b ${tok} c ${tok}${tok} d`)).toBe(`a [REDACTED:R-C1#0123456789ab] b [REDACTED:R-Q1#${h12(tok)}] c [REDACTED:R-Q1#${h12(tok)}][REDACTED:R-Q1#${h12(tok)}] d`);
});

test('only distinctive values are chased: words and bare timestamps are not', () => {
  const r = createRedactor({ key: KEY });
  r.redactHeaders([['Cookie', 'a=undefined; b=desktop; c=1522184122053; d=/rum.gif']]);
  const text = 'undefined desktop 1522184122053 /rum.gif';
  expect(r.redactText(text)).toBe(text);
});

test('values sharing a prefix (ids that start with the same timestamp) are all chased', () => {
  const r = createRedactor({ key: KEY });
  const ids = Array.from({ length: 20 }, (_, k) => `1522184006245:${String(k).padStart(4, '0')}:x${k}`);
  r.redactHeaders([['Cookie', ids.map((v, k) => `c${k}=${v}`).join('; ')]]);
  const out = r.redactText(ids.join(' | '));
  for (const v of ids) expect(out).not.toContain(v);
  expect(out.split(' | ').every((p) => /^\[REDACTED:R-C1#[0-9a-f]{12}\]$/.test(p))).toBe(true);
});

test('a longer learned value wins over one it contains', () => {
  const r = createRedactor({ key: KEY });
  r.redactQuery('sig=abcd1234&token=xyz-abcd1234');
  expect(r.redactText('see xyz-abcd1234 and abcd1234')).toBe(`see [REDACTED:R-Q1#${h12('xyz-abcd1234')}] and [REDACTED:R-Q1#${h12('abcd1234')}]`);
});

test('values sharing a suffix (same domain, same trailing id) are all chased', () => {
  const r = createRedactor({ key: KEY });
  const ids = Array.from({ length: 20 }, (_, k) => `u${k}q${k * 7}-x7Qk2Lw9Vb.example.com`);
  r.redactHeaders([['Cookie', ids.map((v, k) => `c${k}=${v}`).join('; ')]]);
  const out = r.redactText(ids.join(' '));
  for (const v of ids) expect(out).not.toContain(v);
});
