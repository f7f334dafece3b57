/**
 * B-40 properties, shared by test/hostile/properties.test.ts (fixed seeds, CI-sized) and
 * test/soak/properties.soak.test.ts (npm run soak: ~1e5 runs, random seeds). Each property builds
 * SYNTHETIC input with fast-check and checks an invariant of the real product:
 *  - parseLine: any byte string, decoded as the line reader does, through detection and every
 *    access-log format: a record or a rejection with a reason, never an exception;
 *  - ingestLines / ingestHarValues: files made of such lines, and HARs whose entries are any JSON
 *    values, through the real CLI: a clear rejection, or records + counted skips = units read;
 *    a second ingest adds nothing (idempotent) and names the source unchanged;
 *  - redactEverywhere: a secret under any R-H1/R-Q1 name, in any casing, in any of the places a HAR
 *    carries it, never reaches the database file or its WAL.
 * Escaping properties (T*, M*) are unit properties in src/core/escape-terminal.test.ts and
 * src/core/escape-markdown.test.ts, and the redaction-module properties in src/redact/property.test.ts.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { detectFormat } from '../../parsers/access-log/detect.js';
import { LOG_FORMATS } from '../../parsers/access-log/registry.js';
import { runCli } from '../helpers/cli.js';
import { expectNoStack, ingestJson, put, scalar } from './support.js';

/** A line as the line reader produces it: bytes without LF, one trailing CR stripped, decoded as UTF-8. */
export function decodeLine(bytes: Uint8Array): string {
  let b = Buffer.from(bytes.map((x) => (x === 0x0a ? 0x20 : x)));
  if (b.length && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
  return b.toString('utf8');
}

/** Lines that look like a log often enough to pass detection, mutated by byte noise. */
const seedLines = [
  '203.0.113.7 - - [14/Mar/2026:10:00:00 +0000] "GET /a?b=1 HTTP/1.1" 503 12 "-" "curl/8"',
  '{"time":"2026-03-14T10:00:00Z","method":"GET","path":"/j","status":502,"duration":0.1}',
  'http 2026-03-14T10:00:00.000000Z app/x 1.2.3.4:5 10.0.0.1:80 0.001 0.002 0.000 502 502 34 366 "GET http://x:80/ HTTP/1.1" "curl" - - arn:aws:x "Root=1-a" "-" "-" 0 2026-03-14T10:00:00.000000Z "forward" "-" "-" "10.0.0.1:80" "502" "-" "-"',
];

export const byteLine = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...seedLines), fc.nat(400), fc.uint8Array({ maxLength: 8 })).map(([line, at, ins]) => {
      const b = Buffer.from(line);
      const k = at % (b.length + 1);
      return new Uint8Array(Buffer.concat([b.subarray(0, k), Buffer.from(ins), b.subarray(k + ins.length)]));
    }),
  },
);

/** Any line, every format and detection: a result, never an exception. */
export function parseLineProperty(): fc.IPropertyWithHooks<[Uint8Array[]]> {
  return fc.property(fc.array(byteLine, { minLength: 1, maxLength: 8 }), (lines) => {
    const text = lines.map(decodeLine);
    for (const f of LOG_FORMATS) {
      const parse = f.create();
      for (const line of text) {
        const r = parse(line);
        const ok = ('directive' in r && r.directive === true) || ('ok' in r && (r.ok ? typeof r.record === 'object' : typeof r.reason === 'string' && r.reason.length > 0));
        if (!ok) throw new Error(`${f.id} returned ${JSON.stringify(r).slice(0, 200)} for ${JSON.stringify(line).slice(0, 200)}`);
      }
    }
    const d = detectFormat(text);
    expect(d.parsed).toBeLessThanOrEqual(d.tried);
  });
}

/** Units a log file has for our reader: non-blank lines (CR stripped), lines not starting with '#'. */
function units(file: Buffer): number {
  return file.toString('utf8').split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
}

let fileNo = 0;

/** What the ingest properties exercised (so a test can show it was not vacuous). */
export const exercised = { logSources: 0, logRecords: 0, logSkips: 0, harRecords: 0, harSkips: 0 };

/**
 * Files of such lines (up to `files` per CLI run, so each run costs one process): each a clear
 * rejection naming the file, or records + skipped = units; a second ingest reports every source unchanged.
 */
export function ingestLinesProperty(dir: string, files = 6): fc.IPropertyWithHooks<[Uint8Array[][]]> {
  const file = fc.array(byteLine, { minLength: 1, maxLength: 40 });
  return fc.property(fc.array(file, { minLength: 1, maxLength: files }), (contents) => {
    const paths: string[] = [];
    const bufs: Buffer[] = [];
    for (const lines of contents) {
      // a leading '#' would be a directive for W3C formats: keep the count simple
      const buf = Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l[0] === 0x23 ? [0x78, ...l.subarray(1)] : l), Buffer.from('\n')])));
      bufs.push(buf);
      paths.push(put(dir, `p${fileNo++}.log`, buf));
    }
    const db = join(dir, `p${fileNo++}.db`);
    const r = ingestJson(db, paths);
    expect([0, 2], r.stderr).toContain(r.code);
    expectNoStack(r.stderr);
    r.sources.forEach((s, i) => {
      if (bufs.findIndex((b) => b.equals(bufs[i]!)) < i) return; // same content as an earlier file: that source
      if (s.status === 'rejected') {
        expect(s.error).toContain(paths[i]!);
        expect(s.records + s.skipped).toBe(0);
      } else {
        expect(s.records + s.skipped, `${paths[i]} (${s.format})`).toBe(units(bufs[i]!));
        exercised.logSources++;
        exercised.logRecords += s.records;
        exercised.logSkips += s.skipped;
      }
    });
    const before = scalar(db, 'SELECT count(*) FROM requests');
    const again = ingestJson(db, paths);
    for (const [i, s] of again.sources.entries()) {
      if (r.sources[i]!.status === 'ingested') expect(s.status).toBe('unchanged');
    }
    expect(scalar(db, 'SELECT count(*) FROM requests')).toBe(before);
  });
}

/** A HAR entry: any JSON value, or a valid entry with any JSON value spliced in at a random place. */
export const harEntryValue = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }),
  fc.tuple(fc.constantFrom('request', 'response', 'timings', 'startedDateTime', 'time', 'cache', '_x'), fc.jsonValue({ maxDepth: 4 })).map(([k, v]) => ({
    startedDateTime: '2026-03-14T10:00:00.000Z', time: 1,
    request: { method: 'GET', url: 'https://a.example/x', headers: [] },
    response: { status: 500, headers: [], content: { size: 0 } },
    [k]: v,
  })),
  fc.tuple(fc.constantFrom('method', 'url', 'headers', 'cookies', 'postData', 'queryString', 'httpVersion'), fc.jsonValue({ maxDepth: 4 })).map(([k, v]) => ({
    startedDateTime: '2026-03-14T10:00:00.000Z',
    request: { method: 'GET', url: 'https://a.example/y', headers: [], [k]: v },
    response: { status: 404, headers: [] },
  })),
);

/** HARs of any entries (several per CLI run): records + skipped = entries; idempotent re-ingest. */
export function ingestHarProperty(dir: string, files = 4): fc.IPropertyWithHooks<[unknown[][]]> {
  return fc.property(fc.array(fc.array(harEntryValue, { maxLength: 25 }), { minLength: 1, maxLength: files }), (hars) => {
    const texts = hars.map((entries) => JSON.stringify({ log: { version: '1.2', entries } }));
    const paths = texts.map((t) => put(dir, `h${fileNo++}.har`, t));
    const db = join(dir, `h${fileNo++}.db`);
    const r = ingestJson(db, paths);
    expect(r.code, r.stderr).toBe(0);
    expectNoStack(r.stderr);
    r.sources.forEach((s, i) => {
      // the same content earlier in the same run is the same source (content hash)
      expect(s.status).toBe(texts.indexOf(texts[i]!) < i ? 'unchanged' : 'ingested');
      expect(s.records + s.skipped).toBe(hars[i]!.length);
      exercised.harRecords += s.records;
      exercised.harSkips += s.skipped;
    });
    const again = ingestJson(db, paths);
    expect(again.sources.every((s) => s.status === 'unchanged')).toBe(true);
  });
}

const R_H1 = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'x-refresh-token', 'x-csrf-token', 'x-amz-security-token', 'x-goog-api-key', 'ocp-apim-subscription-key'];
const R_Q1 = ['access_token', 'id_token', 'refresh_token', 'client_secret', 'password', 'api_key', 'apikey', 'sig', 'X-Amz-Signature', 'sessionid', 'jsessionid', 'otp', 'oauth_token', 'private_token'];

/** Random casing of a name. */
const cased = (names: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 })).map(([n, up]) => [...n].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** A token-looking secret (letters and digits, never a plain word). */
const secret = fc.tuple(fc.stringMatching(/^[A-Za-z]{4,10}$/), fc.integer({ min: 100000, max: 999999999 })).map(([a, n]) => `zq${a}${n}X`);

type Placement = { where: string; name: string; value: string };
const placement: fc.Arbitrary<Placement> = fc.oneof(
  fc.record({ where: fc.constantFrom('request-header', 'response-header'), name: cased(R_H1), value: secret }),
  fc.record({ where: fc.constantFrom('query', 'fragment', 'path-header', 'referer', 'location', 'redirect', 'json-body', 'form-body'), name: cased(R_Q1), value: secret }),
  fc.record({ where: fc.constant('cookie'), name: fc.stringMatching(/^[a-z_]{1,12}$/), value: secret }),
  fc.record({ where: fc.constant('userinfo'), name: fc.constant('u'), value: secret }),
);

function entryWith(p: Placement, i: number): Record<string, unknown> {
  const reqHeaders: Array<{ name: string; value: string }> = [];
  const respHeaders: Array<{ name: string; value: string }> = [];
  let url = `https://api.example.com/v1/r${i}`;
  let redirectURL = '';
  let body = '{"error":"x"}';
  let mime = 'application/json';
  switch (p.where) {
    case 'request-header': reqHeaders.push({ name: p.name, value: p.value }); break;
    case 'response-header': respHeaders.push({ name: p.name, value: p.value }); break;
    case 'query': url += `?page=1&${p.name}=${p.value}`; break;
    case 'fragment': url += `#${p.name}=${p.value}&x=1`; break;
    case 'path-header': reqHeaders.push({ name: ':path', value: `/v1/r${i}?${p.name}=${p.value}` }); break;
    case 'referer': reqHeaders.push({ name: 'Referer', value: `https://app.example.com/cb?${p.name}=${p.value}` }); break;
    case 'location': respHeaders.push({ name: 'Location', value: `https://app.example.com/cb?${p.name}=${p.value}` }); break;
    case 'redirect': redirectURL = `https://app.example.com/cb?${p.name}=${p.value}`; break;
    case 'json-body': body = JSON.stringify({ error: 'x', data: { [p.name]: p.value } }); break;
    case 'form-body': body = `a=1&${p.name}=${p.value}`; mime = 'text/plain'; break;
    case 'cookie': reqHeaders.push({ name: 'Cookie', value: `${p.name}=${p.value}; z=1` }); respHeaders.push({ name: 'Set-Cookie', value: `${p.name}=${p.value}; Path=/` }); break;
    case 'userinfo': url = `https://${p.name}:${p.value}@api.example.com/v1/r${i}`; break;
  }
  return {
    startedDateTime: new Date(Date.UTC(2026, 2, 14, 10, 0, i)).toISOString(), time: 5,
    request: { method: 'GET', url, httpVersion: 'HTTP/2', headers: reqHeaders },
    response: { status: 401, headers: respHeaders, content: { size: body.length, mimeType: mime, text: body }, redirectURL },
  };
}

/** Secrets in any place and casing (many per HAR, one CLI run per property run) never reach the database. */
export function redactEverywhereProperty(dir: string): fc.IPropertyWithHooks<[Placement[]]> {
  return fc.property(fc.array(placement, { minLength: 1, maxLength: 30 }), (ps) => {
    const har = put(dir, `r${fileNo++}.har`, JSON.stringify({ log: { version: '1.2', entries: ps.map(entryWith) } }));
    const db = join(dir, `r${fileNo++}.db`);
    const r = ingestJson(db, [har]);
    expect(r.sources[0]!.records).toBe(ps.length);
    const show = runCli(['failures', '--db', db, '--json']);
    const files = [db, `${db}-wal`].map((f) => { try { return readFileSync(f); } catch { return Buffer.alloc(0); } });
    const leaked = ps.filter((p) => files.some((b) => b.includes(p.value)) || show.stdout.includes(p.value));
    expect(leaked).toEqual([]);
  });
}
