/**
 * Hostile and broken HAR input through the real CLI and a real SQLite file (security.md section (b)):
 * B-3, B-7, B-12, and the cases a careful engineer adds for HAR (UTF-16, JSONP, trailing garbage,
 * duplicate keys, absurd numbers, lone surrogates and NULs, 20,000 invalid entries, a 1 MiB URL,
 * 100,000 headers). Each asserts: a record or a counted skip with its reason (or a clear error naming
 * the file), the accounting identity, no stack trace, and no secret in the database.
 * B-1, B-2, B-5, B-6 live in test/bad-input.test.ts. All inputs are SYNTHETIC, built here.
 */
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/corpus.js';
import { dbFiles, expectAccounting, expectNoStack, grepFiles, harEntry, harOf, ingestJson, put, query, scalar } from './support.js';

const tmp = tempDir('faultline-hostile-har-');
afterAll(() => tmp.cleanup());
let n = 0;
const db = (): string => `${tmp.dir}/h${n++}.db`;

describe('B-3: UTF-8 BOM (Fiddler, mitmproxy#6897)', () => {
  it('a HAR with a BOM is ingested like the same HAR without it; also gzipped', () => {
    const har = harOf([harEntry(0), harEntry(1), harEntry(2), harEntry(3)]);
    const plain = ingestJson(db(), [put(tmp.dir, 'plain.har', har)]);
    const bom = ingestJson(db(), [put(tmp.dir, 'bom.har', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(har)]))]);
    const gz = ingestJson(db(), [put(tmp.dir, 'bom.har.gz', gzipSync(Buffer.from('\ufeff' + har)))]);
    for (const r of [bom, gz]) {
      expect(r.code).toBe(0);
      expect(r.sources[0]).toMatchObject({ format: 'har', status: 'ingested', records: 4, failures: plain.sources[0]!.failures, skipped: 0, error: null });
      expectAccounting(r.db);
    }
    // the stored requests are the same, field by field
    const cols = 'SELECT unit, ts, method, status, query FROM requests ORDER BY unit';
    expect(query(bom.db, cols)).toEqual(query(plain.db, cols));
  });

  it('a log with a BOM: its first line is a request like the others, not a skip', () => {
    const lines = '\ufeff' + Array.from({ length: 5 }, (_, i) => `203.0.113.9 - - [14/Mar/2026:10:00:0${i} +0000] "GET /a/${i} HTTP/1.1" 503 1 "-" "curl/8"`).join('\n') + '\n';
    const r = ingestJson(db(), [put(tmp.dir, 'bom.log', lines)]);
    expect(r.sources[0]).toMatchObject({ format: 'combined', records: 5, skipped: 0, status: 'ingested' });
    expect(scalar(r.db, 'SELECT min(unit) FROM requests')).toBe(1);
  });

  it('UTF-16 (a BOM FF FE and NUL bytes, as PowerShell writes): a clear error that says how to convert, 0 rows', () => {
    const har = harOf([harEntry(0)]);
    const r = ingestJson(db(), [put(tmp.dir, 'utf16.har', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(har, 'utf16le')]))]);
    expect(r.sources[0]!.status).toBe('rejected');
    expect(r.sources[0]!.error).toMatch(/^\S*utf16\.har: /);
    expect(r.sources[0]!.error).toMatch(/UTF-16/);
    expect(r.code).toBe(2);
    expect(scalar(r.db, 'SELECT count(*) FROM requests')).toBe(0);
  });
});

describe('B-7: header case and pseudo-headers (R-H1, R-H3, O5)', () => {
  it('the same secret in Authorization, authorization, AUTHORIZATION, aUtHoRiZaTiOn and :path is redacted everywhere', () => {
    const secret = 'b7Zq9Xw2Lk4Mn8Pt';
    const variants = ['Authorization', 'authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn', 'Proxy-Authorization', 'X-API-KEY', 'x-Api-Key'];
    const entries = variants.map((name, i) =>
      harEntry(i, {
        request: {
          method: 'GET', url: `https://api.example.com/v1/x/${i}`, httpVersion: 'HTTP/2',
          headers: [{ name, value: `${name.toLowerCase().includes('auth') ? 'Bearer ' : ''}${secret}${i}` }, { name: 'Accept', value: 'application/json' }],
        },
        response: { status: 401, headers: [{ name: 'WWW-Authenticate', value: 'Bearer realm="api"' }], content: { size: 0, mimeType: 'application/json' } },
      }),
    );
    for (const [i, name] of [':path', ':PATH'].entries()) {
      entries.push(harEntry(10 + i, {
        request: { method: 'GET', url: `https://api.example.com/v1/y/${i}`, httpVersion: 'HTTP/2', headers: [{ name, value: `/v1/y/${i}?access_token=${secret}p${i}&page=2` }] },
        response: { status: 403, headers: [], content: { size: 0 } },
      }));
    }
    const r = ingestJson(db(), [put(tmp.dir, 'b7.har', harOf(entries))]);
    expect(r.sources[0]!.records).toBe(entries.length);
    const c = runCli(['failures', '--db', r.db, '--json']);
    const show = runCli(['show', 'b7.har#0', '--db', r.db]);
    runCli(['report', '--db', r.db, '-o', `${r.db}.md`]);
    expect(grepFiles([...dbFiles(r.db), `${r.db}.md`], [secret])).toEqual([]);
    expect(c.stdout + show.stdout + show.stderr).not.toContain(secret);
    // the names are kept (diagnosis needs them), the values are markers
    expect(show.stdout).toMatch(/Authorization: Bearer \[REDACTED/);
    const stored = query<{ req_headers: string }>(r.db, 'SELECT req_headers FROM request_detail ORDER BY id');
    expect(stored.map((s) => (JSON.parse(s.req_headers) as [string, string][])[0]![0])).toEqual([...variants, ':path', ':PATH']);
    for (const s of stored) expect((JSON.parse(s.req_headers) as [string, string][])[0]![1]).toMatch(/REDACTED/);
    // the :path keeps its non-secret parameter
    expect(stored.at(-1)!.req_headers).toContain('page=2');
  });
});

describe('B-12: deep JSON', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);

  it('a 1e5-deep JSON body (request and response) is opaque capped text: no RangeError, the entry is a record', () => {
    const e = harEntry(0, {
      request: { method: 'POST', url: 'https://api.example.com/deep', headers: [], postData: { mimeType: 'application/json', text: deep } },
      response: { status: 500, headers: [], content: { size: deep.length, mimeType: 'application/json', text: deep } },
    });
    const r = ingestJson(db(), [put(tmp.dir, 'deepbody.har', harOf([e, harEntry(1)]))]);
    expect(r.code).toBe(0);
    expect(r.sources[0]).toMatchObject({ status: 'ingested', records: 2, skipped: 0 });
    expectNoStack(r.stderr);
    const [row] = query<{ body: string; body_size: number; extra: string }>(r.db, 'SELECT body, body_size, extra FROM request_detail WHERE id % 1099511627776 = 0');
    expect(row!.body.length).toBeLessThanOrEqual(64 * 1024 + 200);
    expect(row!.body_size).toBe(deep.length);
    expect(JSON.parse(row!.extra)).toMatchObject({ bodyTruncated: true });
    // the other commands read it back without a RangeError either
    for (const args of [['failures', '--json'], ['show', 'deepbody.har#0'], ['incidents']]) {
      const out = runCli([...args, '--db', r.db]);
      expect(out.code, args.join(' ')).toBe(0);
      expectNoStack(out.stderr);
    }
  });

  it('an unknown field nested 1e5 deep makes its entry a counted skip entry_invalid:too_deep; the next entries still load', () => {
    const good = JSON.stringify(harEntry(0));
    const bad = good.slice(0, -1) + `,"_x":${deep}}`;
    const text = `{"log":{"version":"1.2","entries":[${good},${bad},${JSON.stringify(harEntry(2))}]}}`;
    const r = ingestJson(db(), [put(tmp.dir, 'deepfield.har', text)]);
    expect(r.sources[0]).toMatchObject({ status: 'ingested', records: 2, skipped: 1 });
    expect(query(r.db, 'SELECT unit, reason FROM skipped')).toEqual([{ unit: 1, reason: 'entry_invalid:too_deep' }]);
    expect(query<{ unit: number }>(r.db, 'SELECT unit FROM requests ORDER BY unit').map((x) => x.unit)).toEqual([0, 2]);
    // the stored excerpt is capped, whatever the entry's size
    expect(scalar(r.db, 'SELECT max(length(excerpt)) FROM skipped')).toBeLessThanOrEqual(400);
  });

  // R-B1 walks 64 levels; past that the body falls back to text patterns (R-B3). A password is still a
  // password: a flat body redacts ["hunter2"] and {"v":"hunter2"} under "password"; so must a deep one.
  const values = ['hunter2', 'abcdefgh'];
  const secretBodies = (depth: number): string[] =>
    values.flatMap((v) => [
      `{"password":["${v}"],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `{"client_secret":{"v":"${v}"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    ]);
  const ingestBodies = (name: string, bodies: string[]): string => {
    const entries = bodies.map((text, i) => harEntry(i, { response: { status: 500, headers: [], content: { size: text.length, mimeType: 'application/json', text } } }));
    const d = db();
    const r = ingestJson(d, [put(tmp.dir, name, harOf(entries))]);
    expect(r.sources[0]!.records).toBe(bodies.length);
    return d;
  };

  it('secrets in arrays and objects under a secret key are redacted in a JSON body within the depth cap', () => {
    const d = ingestBodies('shallowsecret.har', secretBodies(60));
    expect(grepFiles(dbFiles(d), values)).toEqual([]);
  });

  // Past JSON_DEPTH_CAP the body falls back to text patterns; arrays and objects under a secret name are
  // redacted whole there too (O2). This was a leak, found here and fixed in src/redact (0b7f3ed).
  it('the same secrets in a JSON body nested past the depth cap (70 levels) are redacted too', () => {
    const d = ingestBodies('deepsecret.har', secretBodies(70));
    expect(grepFiles(dbFiles(d), values)).toEqual([]);
  });
});

describe('HAR oddities a careful engineer adds', () => {
  it('JSONP-wrapped HAR (harviewer onInputData) is ingested', () => {
    const r = ingestJson(db(), [put(tmp.dir, 'jsonp.har', `onInputData(${harOf([harEntry(0), harEntry(1)])});`)]);
    expect(r.sources[0]).toMatchObject({ status: 'ingested', records: 2, skipped: 0 });
  });

  it('trailing garbage after a complete HAR: every entry kept, the tail a counted skip with its byte offset, partial', () => {
    const r = ingestJson(db(), [put(tmp.dir, 'trailing.har', harOf([harEntry(0), harEntry(1)]) + ' garbage {"x":1}')]);
    const s = r.sources[0]!;
    expect(s).toMatchObject({ status: 'partial', records: 2, skipped: 1 });
    expect(s.error).toMatch(/trailing\.har/);
    expect(r.code).toBe(2);
    const [skip] = query<{ reason: string; excerpt: string }>(r.db, 'SELECT reason, excerpt FROM skipped');
    expect(skip!.reason).toBe('har_truncated');
    expect(skip!.excerpt).toMatch(/byte \d+.*after the entries/);
  });

  it('a .har.gz cut in half (B-27 for HAR): the complete entries before the cut are kept, partial, exit 2', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => harEntry(i, { request: { method: 'GET', url: `https://a.example/x/${i}/${'p'.repeat(200)}`, headers: [] } }));
    const gz = gzipSync(Buffer.from(harOf(entries)));
    const r = ingestJson(db(), [put(tmp.dir, 'cut.har.gz', gz.subarray(0, gz.length >> 1))]);
    const s = r.sources[0]!;
    expect(s.status).toBe('partial');
    expect(s.error).toMatch(/cut\.har\.gz: gzip stream ends early/);
    expect(s.records).toBeGreaterThan(100);
    expect(s.records).toBeLessThan(3000);
    expect(r.code).toBe(2);
    expectAccounting(r.db);
  });

  it('empty and whitespace-only .har files: "the file is empty", naming it, exit 2', () => {
    for (const [name, body] of [['empty.har', ''], ['blank.har', ' \n\t\n ']] as const) {
      const r = ingestJson(db(), [put(tmp.dir, name, body)]);
      expect(r.sources[0]!.status, name).toBe('rejected');
      expect(r.sources[0]!.error, name).toMatch(new RegExp(`${name.replace('.', '\\.')}: not a HAR: the file is empty`));
      expect(r.code).toBe(2);
    }
  });

  it('log: null and entries: null name the path and what was found', () => {
    const a = ingestJson(db(), [put(tmp.dir, 'lognull.har', '{"log":null}')]);
    expect(a.sources[0]!.error).toMatch(/lognull\.har: not a HAR: log must be an object, found null/);
    const b = ingestJson(db(), [put(tmp.dir, 'entriesnull.har', '{"log":{"entries":null}}')]);
    expect(b.sources[0]!.error).toMatch(/entriesnull\.har: not a HAR: log\.entries must be an array, found null/);
  });

  it('duplicate keys, absurd numbers and wrong types: records or counted skips, and every command still runs', () => {
    const entries = [
      '{"startedDateTime":"2026-03-14T10:00:00Z","request":{"method":"GET","url":"https://a.example/1"},"request":{"method":"POST","url":"https://a.example/2"},"response":{"status":500}}',
      JSON.stringify(harEntry(1, { response: { status: 1e300, headers: [] } })),
      JSON.stringify(harEntry(2, { response: { status: '503', headers: [] } })),
      JSON.stringify(harEntry(3, { time: -1e308 })),
      JSON.stringify(harEntry(4, { response: { status: -5, headers: [] } })),
      JSON.stringify(harEntry(5, { startedDateTime: 'garbage' })),
      JSON.stringify(harEntry(6, { startedDateTime: '+275760-09-13T00:00:00.001Z' })),
      '{"startedDateTime":"2026-03-14T10:00:00Z","time":123456789012345678901234567890,"request":{"method":"GET","url":"https://a.example/big","bodySize":99999999999999999999},"response":{"status":500}}',
      JSON.stringify(harEntry(8, { request: { method: 'GET', url: 'https://a.example/x', headers: 'Accept: */*' } })),
      JSON.stringify(harEntry(9, { request: { method: ['GET'], url: 'https://a.example/y', headers: [null, 7, { name: 5, value: {} }] } })),
      JSON.stringify(harEntry(10, { timings: { send: 'NaN', wait: Infinity, receive: -0 } })),
    ];
    const r = ingestJson(db(), [put(tmp.dir, 'odd-numbers.har', `{"log":{"entries":[${entries.join(',')}]}}`)]);
    const s = r.sources[0]!;
    expect(s.records + s.skipped).toBe(entries.length);
    expectAccounting(r.db);
    for (const reason of query<{ reason: string }>(r.db, 'SELECT reason FROM skipped').map((x) => x.reason)) expect(reason).toMatch(/^entry_invalid:/);
    // the request that was kept twice is the last one written (JSON.parse semantics)
    expect(scalar(r.db, "SELECT count(*) FROM requests_v WHERE unit = 0 AND method = 'POST'")).toBe(1);
    for (const args of [['incidents'], ['failures', '--json'], ['warnings', '--json'], ['report', '-o', `${r.db}.md`], ['show', 'odd-numbers.har#1']]) {
      const out = runCli([...args, '--db', r.db]);
      expect(out.code, args.join(' ')).toBe(0);
      expectNoStack(out.stderr);
    }
  });

  it('lone surrogates and NULs in URL and headers: stored as U+FFFD / kept as data, shown escaped, never raw', () => {
    const text = '{"log":{"entries":[{"startedDateTime":"2026-03-14T10:00:00Z","request":{"method":"GET","url":"https://a.example/\\ud800x\\u0000y\\u001b[2J","headers":[{"name":"X-\\udfff","value":"\\u0000\\u001b]0;PWNED\\u0007"}]},"response":{"status":500}}]}}';
    const r = ingestJson(db(), [put(tmp.dir, 'surrogate.har', text)]);
    expect(r.sources[0]).toMatchObject({ records: 1, skipped: 0 });
    const path = scalar<string>(r.db, 'SELECT path FROM requests_v');
    expect(path).toContain('\uFFFD');
    expect(path).not.toMatch(/[\uD800-\uDFFF]/);
    const show = runCli(['show', 'surrogate.har#0', '--db', r.db]);
    expect(show.code).toBe(0);
    // T9: nothing but our own output; no ESC, BEL or NUL from the data reaches the terminal
    expect(show.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(show.stdout).toContain('^[]0;PWNED^G');
  });

  it('20,000 invalid entries ({}): 20,000 counted skips with capped samples, 0 records, exit 0', () => {
    const r = ingestJson(db(), [put(tmp.dir, 'allbad.har', harOf(Array.from({ length: 20_000 }, () => ({}))))]);
    expect(r.sources[0]).toMatchObject({ status: 'ingested', records: 0, skipped: 20_000 });
    expectAccounting(r.db);
    expect(query(r.db, 'SELECT DISTINCT reason FROM skipped')).toEqual([{ reason: 'entry_invalid:request' }]);
  });

  it('a 1 MiB URL is capped (64 KiB) and a query past the cap is dropped, not stored; 100,000 headers are capped and flagged', () => {
    const long = harEntry(0, { request: { method: 'GET', url: `https://a.example/${'x'.repeat(1 << 20)}?token=b12LongUrlSecret`, headers: [] } });
    const many = harEntry(1, {
      request: { method: 'GET', url: 'https://a.example/h', headers: Array.from({ length: 100_000 }, (_, i) => ({ name: `X-H${i}`, value: `v${i}` })) },
    });
    const r = ingestJson(db(), [put(tmp.dir, 'huge-fields.har', harOf([long, many]))]);
    expect(r.sources[0]).toMatchObject({ records: 2, skipped: 0 });
    expect(scalar(r.db, 'SELECT max(length(path)) FROM requests_v')).toBeLessThanOrEqual(64 * 1024);
    expect(grepFiles(dbFiles(r.db), ['b12LongUrlSecret'])).toEqual([]);
    const [h] = query<{ n: number; extra: string }>(r.db, 'SELECT json_array_length(req_headers) AS n, extra FROM request_detail WHERE id % 1099511627776 = 1');
    expect(h!.n).toBeLessThan(100_000);
    expect(JSON.parse(h!.extra)).toMatchObject({ headersTruncated: true });
  });
});

it('ingest never writes to its inputs (bytes and mtime unchanged)', () => {
  const p = put(tmp.dir, 'readonly-input.har', harOf([harEntry(0), harEntry(1)]));
  const before = readFileSync(p);
  const mtime = statSync(p).mtimeMs;
  ingestJson(db(), [p]);
  expect(readFileSync(p).equals(before)).toBe(true);
  expect(statSync(p).mtimeMs).toBe(mtime);
});
