/**
 * Real data: the shared corpus HARs and logs (/work/shared/corpus, MANIFEST.md "Files containing credentials").
 * Secrets are collected from the parsed files themselves (Cookie, Set-Cookie, Authorization, cookie arrays),
 * never hard-coded, and must not survive anywhere in the redacted result.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createRedactor } from './index.js';
import { isDistinctive } from './learned.js';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const KEY = Buffer.alloc(32, 0x42);

type Har = { log: { entries: Array<Record<string, any>>; pages?: Array<Record<string, unknown>> } };

function readHar(name: string): Har {
  return JSON.parse(readFileSync(new URL(`har/${name}`, CORPUS), 'utf8').replace(/^\uFEFF/, '')) as Har;
}

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : v !== null && typeof v === 'object' ? [v] : [];
}

/**
 * Every credential value of a HAR: cookie values from Cookie headers, Set-Cookie and both cookie arrays,
 * and Authorization credentials. Only distinctive values count (8+ characters with a letter and a digit,
 * or 16+): `/rum.gif` or a bare timestamp as a cookie value also appears in URLs for unrelated reasons.
 */
function credentials(har: Har): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => { if (typeof v === 'string' && isDistinctive(v.trim())) out.add(v.trim()); };
  for (const e of har.log.entries) {
    for (const side of [e['request'], e['response']]) {
      if (!side) continue;
      for (const h of asArray(side.headers)) {
        const n = String(h.name).toLowerCase();
        if (n === 'cookie') for (const p of String(h.value).split(';')) add(p.slice(p.indexOf('=') + 1));
        if (n === 'set-cookie') for (const line of String(h.value).split('\n')) { const p = line.split(';')[0]!; add(p.slice(p.indexOf('=') + 1)); }
        if (n === 'authorization' || n === 'proxy-authorization') add(String(h.value).slice(String(h.value).indexOf(' ') + 1));
      }
      for (const c of asArray(side.cookies)) add(c.value);
    }
  }
  return out;
}

const WITH_CREDENTIALS = [
  'mitmproxy__chrome.har', 'mitmproxy__timed_out.har', 'mitmproxy__invalid_content_encoding.har', 'harviewer__issue-61_ie11.har',
  'harviewer__www-cnn-com.har', 'pagexray__responseCodes_304.har', 'pagexray__aftonbladet.se-redirecting-to-www.har',
  'har-to-openapi__request-generator-all-status-and-method.har', 'har-to-openapi__ServerService-GetNavigationMenu2-fiddler.har',
  'playwright__har-redirect.har', 'browsertime__chromehar_har-with-diskcache.har',
];

describe('corpus HARs with credentials (two-pass sanitize: prime, then redact)', () => {
  for (const name of WITH_CREDENTIALS) {
    test(`${name}: no cookie or authorization value survives anywhere`, () => {
      const har = readHar(name);
      const secrets = credentials(har);
      expect(secrets.size, 'the file has credentials to look for').toBeGreaterThan(0);
      const r = createRedactor({ key: KEY });
      for (const e of har.log.entries) r.primeHarEntry(e);
      for (const e of har.log.entries) r.redactHarEntry(e);
      for (const p of har.log.pages ?? []) r.redactHarPage(p);
      const out = JSON.stringify(har);
      const survivors = [...secrets].filter((s) => out.includes(s));
      expect(survivors).toEqual([]);
      expect(r.summary()['R-C1'] ?? 0).toBeGreaterThan(0);
      expect(out).not.toContain('[REDACTED:error]');
    });
  }

  test('mitmproxy__timed_out.har: SAPISIDHASH keeps its scheme, cookie names stay, Set-Cookie attributes stay', () => {
    const har = readHar('mitmproxy__timed_out.har');
    const r = createRedactor({ key: KEY });
    for (const e of har.log.entries) r.redactHarEntry(e);
    const headers = har.log.entries.flatMap((e) => [...asArray(e['request'].headers), ...asArray(e['response'].headers)]) as Array<{ name: string; value: string }>;
    const auth = headers.filter((h) => h.name === 'Authorization');
    expect(auth.length).toBeGreaterThan(0);
    for (const h of auth) expect(h.value).toMatch(/^SAPISIDHASH \[REDACTED:R-H1#[0-9a-f]{12}\]$/);
    const cookie = headers.find((h) => h.name.toLowerCase() === 'cookie')!;
    expect(cookie.value).toMatch(/(^|; )SID=\[REDACTED:R-C1#[0-9a-f]{12}\]/);
    const setCookie = headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value).join('\n');
    expect(setCookie).toMatch(/SIDCC=\[REDACTED:R-C1#[0-9a-f]{12}\]; expires=Fri, 12-Jul-2024 12:32:38 GMT; path=\/; domain=\.google\.com/);
    // An empty cookie value (a deletion) stays empty: "cookie cleared" is diagnosable.
    expect(setCookie).toContain('OTZ=; expires=Mon, 01-Jan-1990 00:00:00 GMT');
    // The same credential gives the same fingerprint in every request (O3 correlation).
    expect(new Set(auth.map((h) => h.value)).size).toBeLessThan(auth.length);
  });

  test('single pass (no priming) still catches echoes in the same or later entries', () => {
    const har = readHar('browsertime__chromehar_har-with-diskcache.har');
    const secrets = credentials(har);
    const r = createRedactor({ key: KEY });
    for (const e of har.log.entries) r.redactHarEntry(e);
    // Cookie headers and arrays are always clean; what a single pass can miss is an echo placed before the
    // entry that first carried the cookie.
    for (const e of har.log.entries) {
      for (const side of [e['request'], e['response']]) {
        const own = JSON.stringify([side.headers, side.cookies]);
        for (const s of secrets) expect(own).not.toContain(s);
      }
    }
  });
});

describe('every corpus HAR', () => {
  const files = readdirSync(new URL('har/', CORPUS)).filter((f) => f !== 'mitmproxy__brokenfile.har');
  for (const name of files) {
    test(`${name}: structure kept, no error markers, idempotent`, () => {
      const har = readHar(name);
      const before = har.log.entries.map((e) => [e['request']?.method, e['response']?.status, JSON.stringify(e['timings']), e['startedDateTime']]);
      const r = createRedactor({ key: KEY });
      for (const e of har.log.entries) r.redactHarEntry(e);
      for (const p of har.log.pages ?? []) r.redactHarPage(p);
      expect(har.log.entries.map((e) => [e['request']?.method, e['response']?.status, JSON.stringify(e['timings']), e['startedDateTime']])).toEqual(before);
      const once = JSON.stringify(har);
      expect(once).not.toContain('[REDACTED:error]');
      // Sanitize, then ingest: a second redactor (same database key) changes nothing.
      const again = createRedactor({ key: KEY });
      for (const e of har.log.entries) again.redactHarEntry(e);
      for (const p of har.log.pages ?? []) again.redactHarPage(p);
      expect(JSON.stringify(har)).toBe(once);
    });
  }
});

describe('corpus logs (R-L1)', () => {
  const lines = (name: string) => readFileSync(new URL(`logs/${name}`, CORPUS), 'utf8').split('\n');

  test('nginx ingress: the basic-auth user field is hashed', () => {
    const r = createRedactor({ key: KEY });
    const src = lines('elastic-beats__nginx-ingress-controller-test.log');
    const withUser = src.filter((l) => l.includes('remote_monitoring_user'));
    expect(withUser.length).toBeGreaterThan(0);
    for (const l of withUser) {
      const out = r.redactLogLine(l);
      expect(out).not.toContain('remote_monitoring_user');
      expect(out).toMatch(/ - \[REDACTED:R-L1#[0-9a-f]{12}\] \[24\/Aug\/2022:/);
    }
  });

  test('IIS W3C: e-mail user names (cs-username) are hashed', () => {
    const r = createRedactor({ key: KEY });
    const src = lines('querycat__u_ex220826.log');
    const mails = new Set(src.flatMap((l) => l.split(' ')).filter((f) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(f)));
    expect(mails.size).toBeGreaterThan(0);
    const out = src.map((l) => r.redactLogLine(l)).join('\n');
    for (const m of mails) expect(out).not.toContain(m);
  });

  test('every line of every corpus log: never throws, no error markers, idempotent, unchanged lines stay byte-identical', () => {
    for (const name of readdirSync(new URL('logs/', CORPUS))) {
      const r = createRedactor({ key: KEY });
      for (const l of lines(name)) {
        const out = r.redactLogLine(l);
        expect(out, `${name}: ${l}`).not.toContain('[REDACTED:error]');
        expect(r.redactLogLine(out), `${name}: ${l}`).toBe(out);
        if (!out.includes('[REDACTED:') && !out.includes('{token}')) expect(out).toBe(l);
      }
      expect(r.summary()['error']).toBeUndefined();
    }
  });
});
