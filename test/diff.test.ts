/**
 * `faultline diff` on real SQLite databases built from real files (../shared/corpus, examples/), each
 * result cross-checked against an independent count made from the stored requests.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runAnalysis } from '../src/cli/commands/analysis.js';
import { parseFailOn, runDiff } from '../src/cli/commands/diff.js';
import type { StoredRequest } from '../src/core/types.js';
import { UserError } from '../src/core/errors.js';
import { diffDatabases, parseAt, stripMarkerHashes, toJson, toMarkdown, toText, type DiffResult } from '../src/diff/index.js';
import type { IncidentRecord } from '../src/engine/types.js';
import { ingestAll } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { runCli } from './helpers/cli.js';
import { CLI, ROOT, corpus, tempDir } from './helpers/corpus.js';

const tmp = tempDir('faultline-diff-');
afterAll(() => tmp.cleanup());
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

let seq = 0;
function path(name: string): string {
  const d = join(tmp.dir, `d${seq++}`);
  mkdirSync(d, { recursive: true });
  return join(d, name);
}

async function buildDb(files: string[]): Promise<string> {
  const db = path('x.db');
  const store = openStore(db);
  await ingestAll(store, files);
  runAnalysis(store, {});
  store.close();
  return db;
}

function read<T>(db: string, fn: (s: ReturnType<typeof openStore>) => T): T {
  const s = openStore(db, { readonly: true });
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

/** Runs the CLI action in-process, capturing what it writes on stdout. */
async function captureDiff(opts: Parameters<typeof runDiff>[0]): Promise<{ out: string; err: string; d: DiffResult }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    err += String(chunk);
    return true;
  });
  try {
    const d = await runDiff(opts);
    return { out, err, d };
  } finally {
    vi.restoreAllMocks();
  }
}

const LOGS = (f: string): string => corpus(`logs/${f}`);
const EXAMPLE_LOG = join(ROOT, 'examples', 'nginx-access.log'); // synthetic (examples/generate.mjs)

describe('diff of two databases (real ALB/ELB logs)', () => {
  let a = '';
  let b = '';
  it('A = elb-http.log (no failures), B = application-lb-http.log: every incident kind of B is new', async () => {
    a = await buildDb([LOGS('elastic-beats__elb-http.log')]);
    b = await buildDb([LOGS('elastic-beats__application-lb-http.log')]);
    const bIncidents = read(b, (s) => s.views.incidents());
    const bFailed = read(b, (s) => s.requests.count().failed);
    expect(bIncidents.length).toBeGreaterThan(0);
    expect(read(a, (s) => s.views.incidents())).toEqual([]);

    const d = diffDatabases({ baseline: a, db: b });
    expect(d.baseline.requests).toBe(5);
    expect(d.baseline.failures).toBe(0);
    expect(d.current.requests).toBe(10);
    expect(d.current.failures).toBe(bFailed);
    expect(d.gone).toEqual([]);
    expect(d.changed).toEqual([]);
    expect(d.unchanged).toBe(0);
    // every incident of B is in exactly one new kind; counts add up
    expect(d.new.flatMap((k) => k.ids).sort()).toEqual(bIncidents.map((i) => i.id).sort());
    expect(d.new.reduce((s, k) => s + k.count, 0)).toBe(bIncidents.reduce((s, i) => s + i.count, 0));
    expect(new Set(d.new.map((k) => `${k.cause}/${k.subcause}`))).toEqual(new Set(bIncidents.map((i) => `${i.cause}/${i.subcause}`)));
    for (const k of d.new) {
      const inc = bIncidents.filter((i) => k.ids.includes(i.id));
      expect(k.statuses).toEqual(
        inc.reduce<Record<string, number>>((acc, i) => {
          for (const [st, n] of Object.entries((i.data as unknown as IncidentRecord).statuses)) acc[st] = (acc[st] ?? 0) + n;
          return acc;
        }, {}),
      );
    }
    // B's routes are all new (another load balancer): flagged where they fail, failures add up
    expect(d.routes.length).toBeGreaterThan(0);
    for (const r of d.routes) {
      expect(r.flags).toContain('new-route');
      expect(r.before).toBeNull();
    }
    expect(d.routes.reduce((s, r) => s + r.after!.failures, 0)).toBe(bFailed);
  });

  it('--fail-on new exits 1 when B has new incidents, and 0 the other way round (gone only)', async () => {
    const fwd = await captureDiff({ baseline: a, db: b, failOn: 'new', json: true });
    expect(process.exitCode).toBe(1);
    const json = JSON.parse(fwd.out) as DiffResult;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['new', 'gone', 'changed', 'routes']));
    expect(json.new.length).toBe(fwd.d.new.length);
    process.exitCode = undefined;

    const back = await captureDiff({ baseline: b, db: a, failOn: 'new' });
    expect(process.exitCode).toBeUndefined();
    expect(back.d.new).toEqual([]);
    expect(back.d.gone.map((k) => k.key).sort()).toEqual(fwd.d.new.map((k) => k.key).sort());
    expect(back.out).toContain(`Gone since the baseline: ${fwd.d.new.length}`);
    expect(back.out).toContain('New incidents: 0');
    // the baseline's routes are gone, not flagged (fewer failures is not a regression)
    expect(back.d.routes).toEqual([]);
    // but --fail-on changed,routes does not fire either
    await captureDiff({ baseline: b, db: a, failOn: 'changed,routes' });
    expect(process.exitCode).toBeUndefined();
  });
});

describe('diff of two sets of files (each ingested into a temporary database)', () => {
  const A = LOGS('elastic-beats__elb-http.log');
  const B = LOGS('elastic-beats__application-lb-http.log');
  it('--baseline-files A --files B finds what two databases built from A and B find; sides are labelled by their files', async () => {
    const viaDbs = diffDatabases({ baseline: await buildDb([A]), db: await buildDb([B]) });
    const viaFiles = await captureDiff({ baselineFiles: [A], files: [B], failOn: 'new' });
    expect(viaFiles.d.new.length).toBeGreaterThan(0);
    expect(body(viaFiles.d)).toEqual(body(viaDbs));
    expect(viaFiles.d.baseline.label).toBe(A);
    expect(viaFiles.d.current.label).toBe(B);
    expect(viaFiles.out).toContain(B);
    expect(process.exitCode).toBe(1); // --fail-on new works the same
    // what was ingested is said on stderr, with the counts a plain ingest reports
    expect(viaFiles.err).toContain(`baseline: ${A}: 5 requests, 0 failed, 0 skipped`);
    expect(viaFiles.err).toMatch(/current: .*application-lb-http\.log: 10 requests, [1-9]\d* failed/);
  });

  it('several files per side, and a set against a database: the set is one side, whatever the order of its files', async () => {
    const both = await captureDiff({ baselineFiles: [A], files: [B, A] });
    const reversed = await captureDiff({ baselineFiles: [A], files: [A, B] });
    expect(body(both.d)).toEqual(body(reversed.d));
    expect(both.d.current.requests).toBe(15);
    expect(both.d.current.label).toBe(`${B}, ${A}`);
    const mixed = await captureDiff({ baseline: await buildDb([A]), files: [B, A] });
    expect(body(mixed.d)).toEqual(body(both.d));
  });

  it('--files with --at splits the ingested set at a time, as --db with --at does', async () => {
    const db = await buildDb([B]);
    const viaDb = diffDatabases({ db, at: parseAt('2019-10-11T15:02:00Z') });
    const viaFiles = await captureDiff({ files: [B], at: '2019-10-11T15:02Z' });
    expect(body(viaFiles.d)).toEqual(body(viaDb));
  });

  it('refuses --db with --files (both typed), a rejected input file (exit 2, the file named) and --at with a baseline', async () => {
    const notLog = path('notes.txt');
    writeFileSync(notLog, 'shopping list\nmilk\neggs\n');
    const cases: Array<[Parameters<typeof runDiff>[0], RegExp, number]> = [
      [{ db: 'x.db', dbExplicit: true, files: [B], baselineFiles: [A] }, /--db and --files exclude each other/, 1],
      [{ baselineFiles: [A, notLog], files: [B] }, /baseline: .*notes\.txt: .*matches no known access-log format/, 2],
      [{ baselineFiles: [A], files: [B], at: '2019-10-11T15:02:00Z' }, /--at exclude each other/, 1],
      [{ baselineFiles: [A] }, /needs the current side/, 1],
    ];
    for (const [opts, re, code] of cases) {
      const err = await captureDiff(opts).then(() => null, (e: unknown) => e);
      expect(err, String(re)).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(re);
      expect((err as UserError).exitCode).toBe(code);
    }
  });
});

/** A synthetic HAR: 401s answering an X-API-Key (the rule groups them by host and key fingerprint). */
function apiKeyHar(): string {
  const entry = (i: number, key: string): unknown => ({
    startedDateTime: new Date(Date.UTC(2024, 4, 1, 10, 0, i)).toISOString(),
    time: 20 + i,
    request: {
      method: 'GET', url: `https://api.example.com/v1/orders/${100 + i}`, httpVersion: 'HTTP/1.1', cookies: [],
      headers: [{ name: 'X-API-Key', value: key }], queryString: [], headersSize: -1, bodySize: 0,
    },
    response: {
      status: 401, statusText: 'Unauthorized', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Content-Type', value: 'application/json' }],
      content: { size: 30, mimeType: 'application/json', text: '{"error":"invalid api key"}' }, redirectURL: '', headersSize: -1, bodySize: 30,
    },
    cache: {},
    timings: { send: 1, wait: 18, receive: 1 },
  });
  const entries = [];
  for (let i = 0; i < 6; i++) entries.push(entry(i, i % 2 ? 'sk_live_syntheticKeyAAAAAAAAAAAA1' : 'sk_live_syntheticKeyBBBBBBBBBBBB2'));
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'synthetic (faultline diff test)', version: '1' }, entries } });
}

describe('the same data in two databases is no difference', () => {
  it('same files, different names and different redaction keys → nothing new, gone or changed', async () => {
    const har = corpus('har/har-to-openapi__request-generator-all-status-and-method.har');
    const copy = path('renamed-capture.har'); // another name: `source` group values differ
    copyFileSync(har, copy);
    const keys = path('api-key.har');
    writeFileSync(keys, apiKeyHar());
    const keys2 = path('api-key-again.har');
    writeFileSync(keys2, apiKeyHar());
    const a = await buildDb([har, keys]);
    const b = await buildDb([copy, keys2]);

    // the token fingerprints really differ between the two databases (per-database HMAC key, O3)
    const tokens = (db: string): string[] =>
      read(db, (s) => s.views.incidents().filter((i) => i.subcause === 'rejected-api-key').map((i) => (i.data as unknown as IncidentRecord).group['token']!));
    expect(tokens(a).length).toBe(2);
    expect(tokens(a).sort()).not.toEqual(tokens(b).sort());
    const sources = read(a, (s) => s.views.incidents().filter((i) => 'source' in (i.data as unknown as IncidentRecord).group).length);
    expect(sources).toBeGreaterThan(0);

    const d = diffDatabases({ baseline: a, db: b });
    expect(d.new).toEqual([]);
    expect(d.gone).toEqual([]);
    expect(d.changed).toEqual([]);
    expect(d.routes).toEqual([]);
    expect(d.unchanged).toBeGreaterThan(5);
    expect(d.baseline.requests).toBe(d.current.requests);
  });

  it('stripMarkerHashes drops only the per-database hashes', () => {
    expect(stripMarkerHashes('#9c8b7a6f5e4d')).toBe('#*');
    expect(stripMarkerHashes('#zz')).toBe('#zz');
    expect(stripMarkerHashes('Bearer [REDACTED:R-H1#9c8b7a6f5e4d] x')).toBe('Bearer [REDACTED:R-H1] x');
    expect(stripMarkerHashes('/cb?code=[REDACTED:R-Q1%239c8b7a6f5e4d]')).toBe('/cb?code=[REDACTED:R-Q1]');
    expect(stripMarkerHashes('[REDACTED:jwt alg=RS256 exp=1714600000 #aa11bb22cc33]')).toBe('[REDACTED:jwt alg=RS256 exp=1714600000 ]');
    expect(stripMarkerHashes('203.0.113.9 curl/8.0')).toBe('203.0.113.9 curl/8.0');
  });
});

// ------------------------------------------------------------------ --at, checked against the stored requests

interface Count {
  before: number;
  after: number;
}

/** Nearest-rank p95 of exact durations. */
function p95(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((x, y) => x - y);
  return s[Math.ceil(s.length * 0.95) - 1]!;
}

describe('diff --at (one database split at a time)', () => {
  const T = Date.parse('2026-03-14T10:07:00Z');
  let db = '';
  let d: DiffResult;
  let all: StoredRequest[] = [];
  let incs: IncidentRecord[] = [];

  it('new, gone and changed agree with counts made from the stored requests', async () => {
    db = await buildDb([EXAMPLE_LOG]);
    all = read(db, (s) => [...s.iterateRequests()]);
    incs = read(db, (s) => s.views.incidents().map((i) => i.data as unknown as IncidentRecord));
    d = diffDatabases({ db, at: T });

    const before = all.filter((r) => r.ts !== null && r.ts < T);
    const after = all.filter((r) => r.ts !== null && r.ts >= T);
    expect(d.baseline.requests).toBe(before.length);
    expect(d.current.requests).toBe(after.length);
    expect(d.baseline.failures).toBe(before.filter((r) => r.failed).length);
    expect(d.current.failures).toBe(after.filter((r) => r.failed).length);

    // independent kinds: cause, subcause and the engine's own group (one database: compared exactly)
    const kindOf = new Map(incs.map((i) => [i.id, `${i.cause}/${i.subcause} ${JSON.stringify(Object.entries(i.group).sort())}`]));
    const counts = new Map<string, Count>();
    for (const r of all) {
      if (r.incidentId === null || r.ts === null) continue;
      const k = kindOf.get(r.incidentId)!;
      const c = counts.get(k) ?? { before: 0, after: 0 };
      if (r.ts < T) c.before++;
      else c.after++;
      counts.set(k, c);
    }
    const summary = (list: Array<{ cause: string; subcause: string; count: number }>): string[] => list.map((k) => `${k.cause}/${k.subcause}:${k.count}`).sort();
    const expNew = [...counts].filter(([, c]) => c.before === 0).map(([k, c]) => ({ cause: k.split(' ')[0]!.split('/')[0]!, subcause: k.split(' ')[0]!.split('/')[1]!, count: c.after }));
    const expGone = [...counts].filter(([, c]) => c.after === 0).map(([k, c]) => ({ cause: k.split(' ')[0]!.split('/')[0]!, subcause: k.split(' ')[0]!.split('/')[1]!, count: c.before }));
    const both = [...counts].filter(([, c]) => c.before > 0 && c.after > 0);
    expect(summary(d.new)).toEqual(summary(expNew));
    expect(summary(d.gone)).toEqual(summary(expGone));
    expect(d.changed.length + d.unchanged).toBe(both.length);
    expect(d.new.length).toBeGreaterThan(0);
    expect(d.gone.length).toBeGreaterThan(0);

    // "changed" follows its definition: share of traffic moved 2× either way, by at least 3 requests (or new statuses/routes)
    for (const [, c] of both) {
      const sa = c.before / before.length;
      const sb = c.after / after.length;
      const moved = Math.abs(c.after - c.before) >= 3 && (sb >= 2 * sa || 2 * sb <= sa);
      if (moved) {
        const hit = d.changed.find((x) => x.before.count === c.before && x.after.count === c.after);
        expect(hit, JSON.stringify(c)).toBeDefined();
        expect(hit!.reasons.join(' ')).toMatch(sb > sa ? /more frequent/ : /less frequent/);
      }
    }
    expect(d.changed.length).toBeGreaterThan(0);
  });

  it('route error rates and p95 agree with the stored requests; the outage route is flagged', () => {
    const key = (r: { method: string | null; route: string | null }): string => `${r.method ?? ''} ${r.route}`;
    const side = (rows: StoredRequest[]): Map<string, { n: number; failed: number; ms: number[]; causes: Set<string> }> => {
      const m = new Map<string, { n: number; failed: number; ms: number[]; causes: Set<string> }>();
      for (const r of rows) {
        const k = key(r);
        const s = m.get(k) ?? { n: 0, failed: 0, ms: [], causes: new Set<string>() };
        s.n++;
        if (r.failed) {
          s.failed++;
          s.causes.add(r.cause ?? 'unknown');
        }
        if (r.durationMs !== null) s.ms.push(r.durationMs);
        m.set(k, s);
      }
      return m;
    };
    const A = side(all.filter((r) => r.ts !== null && r.ts < T));
    const B = side(all.filter((r) => r.ts !== null && r.ts >= T));
    expect(d.routes.length).toBeGreaterThan(0);
    for (const r of d.routes) {
      const k = `${r.method} ${r.route}`;
      const a = A.get(k);
      const b = B.get(k);
      expect(r.before?.requests ?? 0, k).toBe(a?.n ?? 0);
      expect(r.after?.requests ?? 0, k).toBe(b?.n ?? 0);
      expect(r.before?.failures ?? 0, k).toBe(a?.failed ?? 0);
      expect(r.after?.failures ?? 0, k).toBe(b?.failed ?? 0);
      for (const [mine, theirs] of [[r.before, a], [r.after, b]] as const) {
        if (!mine || !theirs) continue;
        const want = p95(theirs.ms);
        if (want === null) expect(mine.p95Ms).toBeNull();
        else expect(Math.abs(mine.p95Ms! - want)).toBeLessThanOrEqual(Math.max(1, want * 0.01)); // duration buckets: within 1 %
      }
      if (r.flags.includes('new-cause')) expect(r.newCauses.every((c) => b!.causes.has(c) && !a!.causes.has(c))).toBe(true);
    }
    // every route whose p95 at least doubled (by ≥ 10 ms, ≥ 5 timed requests each side) is flagged
    for (const [k, b] of B) {
      const a = A.get(k);
      if (!a || a.ms.length < 5 || b.ms.length < 5) continue;
      const pa = p95(a.ms)!;
      const pb = p95(b.ms)!;
      if (pb >= 2 * pa * 1.02 && pb - pa >= 11) expect(d.routes.find((r) => `${r.method} ${r.route}` === k)?.flags, k).toContain('p95-up');
    }
    expect(d.routes.some((r) => r.flags.includes('p95-up') || r.flags.includes('error-rate-up') || r.flags.includes('new-route'))).toBe(true);
  });

  it('an earlier split finds the outage routes: error rate up with a new cause', () => {
    const early = diffDatabases({ db, at: Date.parse('2026-03-14T10:03:00Z') });
    const up = early.routes.filter((r) => r.flags.includes('error-rate-up'));
    expect(up.length).toBeGreaterThan(0);
    for (const r of up) {
      expect(r.after!.errorRate!).toBeGreaterThan(r.before!.errorRate! * 2);
      expect(r.flags).toContain('new-cause');
    }
    expect(toText(early)).toMatch(/error rate 0% → \d+% \(0\/\d+ → \d+\/\d+\)/);
  });
});

// ------------------------------------------------------------------ output safety (T1, M1–M8)

/** Synthetic combined-log lines with terminal and markdown payloads in the path and user agent (B-25, B-26). */
function hostileLog(): string {
  const payloads = [
    '/x\u001b]0;PWNED\u0007',
    '/y\u001b[2J|b',
    '/<img src=x onerror=alert(1)>',
    '/[x](javascript:alert(1))',
    '/a|b|c',
    '/\u202eevil',
  ];
  const lines: string[] = [];
  let t = 0;
  for (const p of payloads) {
    for (let i = 0; i < 3; i++) {
      const ts = `14/Mar/2026:11:0${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')} +0000`;
      t += 7;
      lines.push(`203.0.113.9 - - [${ts}] "GET ${p} HTTP/1.1" 404 12 "-" "agent\u001b[31mred|<b>${i}"`);
    }
  }
  return lines.join('\n') + '\n';
}

describe('diff outputs escape untrusted text', () => {
  it('terminal text has no control bytes, markdown renders without links, images or extra cells, JSON parses', async () => {
    const a = await buildDb([LOGS('elastic-beats__elb-http.log')]);
    const logFile = path('hostile.log');
    writeFileSync(logFile, hostileLog());
    const b = await buildDb([logFile]);
    const d = diffDatabases({ baseline: a, db: b });
    expect(d.new.length).toBeGreaterThan(0);

    const text = toText(d);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);

    const md = toMarkdown(d);
    const html = micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(html).not.toMatch(/<(?:a|img|script|b)[\s>]/i);
    // every table keeps its column count in every row
    for (const table of html.split('<table>').slice(1)) {
      const body = table.split('</table>')[0]!;
      const rows = body.split('<tr>').slice(1);
      const cols = (rows[0]!.match(/<th[\s>]/g) ?? []).length;
      expect(cols).toBeGreaterThan(0);
      for (const row of rows.slice(1)) expect((row.match(/<td[\s>]/g) ?? []).length).toBe(cols);
    }
    expect(md).toContain('Values from untrusted input are escaped.');

    const jsonText = toJson(d);
    // eslint-disable-next-line no-control-regex
    expect(jsonText).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    const json = JSON.parse(jsonText) as DiffResult;
    expect(json.new.length).toBe(d.new.length);
    expect(json.routes.length).toBe(d.routes.length);
  });
});

describe('diff errors', () => {
  it('refuses unclear or impossible requests with a hint', async () => {
    const a = await buildDb([LOGS('elastic-beats__elb-http.log')]);
    const b = path('garbage.db');
    writeFileSync(b, 'this is not a database, just text '.repeat(200));
    const cases: Array<[() => unknown, RegExp]> = [
      [() => diffDatabases({ db: a }), /needs --baseline/],
      [() => diffDatabases({ db: a, baseline: a, at: 1 }), /exclude each other/],
      [() => diffDatabases({ db: a, baseline: a }), /same database/],
      [() => diffDatabases({ db: path('missing.db'), at: 1 }), /does not exist/],
      [() => diffDatabases({ db: b, at: 1 }), /not a faultline database|corrupt|cannot open/],
      [() => parseAt('yesterday'), /not a date-time/],
      [() => parseAt('2026-03-14T10:05:00'), /not a date-time with a zone/],
      [() => parseFailOn('new,everything'), /unknown value "everything"/],
    ];
    for (const [fn, re] of cases) {
      let err: unknown = null;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err, String(re)).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(re);
    }
    expect(parseAt('2026-03-14T10:05:00Z')).toBe(Date.UTC(2026, 2, 14, 10, 5));
    expect(parseAt('2026-03-14T11:05:00+01:00')).toBe(Date.UTC(2026, 2, 14, 10, 5));
    expect(parseAt('1773482700000')).toBe(1773482700000);
    expect(parseFailOn('new, routes')).toEqual(['new', 'routes']);
  });
});

// ------------------------------------------------------------------ the real CLI (enabled once program.ts declares `diff`)

const help = existsSync(CLI) ? spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout : '';
const wired = /\bdiff\b/.test(help);

describe('CLI', () => {
  it.skipIf(!wired)('faultline diff --baseline A --db B --fail-on new gates on new incidents', async () => {
    const a = await buildDb([LOGS('elastic-beats__elb-http.log')]);
    const b = await buildDb([LOGS('elastic-beats__application-lb-http.log')]);
    const r = runCli(['diff', '--baseline', a, '--db', b, '--fail-on', 'new']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/New incidents: [1-9]/);
    const ok = runCli(['diff', '--baseline', b, '--db', a, '--fail-on', 'new', '--json']);
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout) as DiffResult;
    expect(json.new).toEqual([]);
    expect(json.gone.length).toBeGreaterThan(0);
    const md = runCli(['diff', '--db', b, '--at', '2019-10-11T15:02:00Z', '--markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# faultline diff/);
  });

  it.skipIf(!wired)('faultline diff --baseline-files A --files B, and files given where databases go: temporary databases removed, also after an error', () => {
    const A = LOGS('elastic-beats__elb-http.log');
    const B = LOGS('elastic-beats__application-lb-http.log');
    const scratch = path('tmp');
    mkdirSync(scratch);
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '', TMPDIR: scratch };
    const r = runCli(['diff', '--baseline-files', A, '--files', B, '--fail-on', 'new', '--json'], { env });
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as DiffResult;
    expect(json.new.length).toBeGreaterThan(0);
    expect(json.baseline.label).toBe(A);
    // a HAR or log where a database is expected is read as a one-file side
    const guessed = runCli(['diff', '--baseline', A, '--db', B, '--json'], { env });
    expect(guessed.code, guessed.stderr).toBe(0);
    expect(body(JSON.parse(guessed.stdout) as DiffResult)).toEqual(body(json));
    const positional = runCli(['diff', A, B, '--json'], { env });
    expect(positional.code, positional.stderr).toBe(0);
    expect(body(JSON.parse(positional.stdout) as DiffResult)).toEqual(body(json));
    const one = runCli(['diff', A], { env });
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/diff takes two arguments, BEFORE and AFTER \(got 1\)/);
    const text = runCli(['diff', '--baseline', A, '--db', B], { env });
    expect(text.stdout).toMatch(/New incidents: [1-9]/);
    expect(text.stderr).toContain(`baseline: ${A}: 5 requests`);
    const bad = runCli(['diff', '--baseline-files', A, '--files', join(ROOT, 'README.md')], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/current: .*README\.md/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(scratch)).toEqual([]);
    const help = runCli(['diff', '--help']);
    expect(help.stdout).toContain('--baseline-files <files...>');
    expect(help.stdout).toContain('faultline diff --baseline-files e2e-main.har --files e2e-pr.har --fail-on new');
  });
});

/** The comparison without the side labels (which name databases or files). */
function body(d: DiffResult): unknown {
  return { ...d, baseline: { ...d.baseline, label: '' }, current: { ...d.current, label: '' } };
}
