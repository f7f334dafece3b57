/**
 * B-8, the canary sweep over the whole product (security.md O1-O7): a HAR with a unique canary in every
 * place a secret can hide, an access log with tokens in queries, referers, paths and %u, and a Caddy JSON
 * log with credential headers go through `ingest`; then every read command (incidents, failures, warnings,
 * show and explain for every incident and request, report -o, the TUI driven in tmux, its `e` export).
 * No canary (every one starts with "cnry", so even a truncated one is found) and none of its base64 forms
 * may appear in the database, its -wal (before and after a checkpoint), stdout, stderr, the report or a
 * screen. The report's redaction summary must list counts per rule. Inputs: test/hostile/canary-inputs.ts.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { CLI, tempDir } from '../helpers/corpus.js';
import { Canaries, FIXED_SECRETS, canaryCaddy, canaryHar, canaryInvalidHar, canaryLog } from './canary-inputs.js';
import { dbFiles, put, query } from './support.js';

const tmp = tempDir('faultline-b8-');
afterAll(() => tmp.cleanup());

const c = new Canaries();
const files = {
  har: put(tmp.dir, 'b8-capture.har', canaryHar(c)),
  log: put(tmp.dir, 'b8-access.log', canaryLog(c)),
  caddy: put(tmp.dir, 'b8-caddy.log', canaryCaddy(c)),
};
const db = join(tmp.dir, 'b8.db');
/** Every output a user can see, by the command that printed it. */
const outputs: Array<{ what: string; text: string }> = [];
const record = (what: string, r: CliResult): CliResult => {
  outputs.push({ what: `${what} (stdout)`, text: r.stdout }, { what: `${what} (stderr)`, text: r.stderr });
  return r;
};

/** "cnry" anywhere (a whole or truncated canary), a canary's base64 middle, or a fixed credential. */
function leaksIn(text: string): string[] {
  const found = new Set<string>();
  let i = text.indexOf('cnry');
  while (i >= 0) {
    found.add(text.slice(i, i + 40).split(/[^A-Za-z0-9]/)[0]!);
    i = text.indexOf('cnry', i + 4);
  }
  // a canary cut by a line wrap: search again with every whitespace removed
  const joined = text.replace(/\s+/g, '');
  for (const [needle, place] of c.needles()) if (!needle.startsWith('cnry') && (text.includes(needle) || joined.includes(needle))) found.add(place);
  for (const v of c.byPlace.values()) if (!text.includes(v) && joined.includes(v)) found.add(`${v} (wrapped)`);
  for (const s of FIXED_SECRETS) if (text.includes(s)) found.add(s);
  return [...found];
}

function leaksInFile(path: string): string[] {
  return leaksIn(readFileSync(path).toString('latin1'));
}

let incidents: string[] = [];
let locators: string[] = [];

beforeAll(() => {
  // The test means something only if every canary is in the input (plain, base64 or base64url).
  const input = [files.har, files.log, files.caddy].map((f) => readFileSync(f, 'utf8')).join('\n');
  const decoded = input + [...input.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)].map((m) => Buffer.from(m[0], m[0].includes('-') || m[0].includes('_') ? 'base64url' : 'base64').toString('latin1')).join('\n');
  const missing = [...c.byPlace].filter(([, v]) => !decoded.includes(v)).map(([p]) => p);
  expect(missing).toEqual([]);

  // Human summary (stderr) and --json (stdout), into the same database: the second run is "unchanged".
  const plain = record('ingest', runCli(['ingest', files.har, files.log, files.caddy, '--db', db]));
  expect(plain.code, plain.stderr).toBe(0); // invalid entries and a garbage line are counted skips, not errors
  record('ingest --json', runCli(['ingest', files.har, files.log, files.caddy, '--db', db, '--json']));
  const inc = record('incidents --json', runCli(['incidents', '--db', db, '--json']));
  incidents = [...new Set([...inc.stdout.matchAll(/inc-[0-9a-f]{16}/g)].map((m) => m[0]))];
  // every HAR entry and Caddy line, and every failed or secret-carrying log line (the 30 health checks are alike)
  const units = query<{ source_path: string; unit: number; kind: string }>(
    db, "SELECT source_path, unit, s.kind AS kind FROM requests_v v JOIN sources s ON s.id = v.source_id WHERE v.failed = 1 OR s.kind = 'har' OR v.unit <= 6 OR s.format = 'caddy-json' ORDER BY v.id");
  locators = units.map((u) => (u.kind === 'har' ? `${u.source_path}#${u.unit}` : `${u.source_path}:${u.unit}`));
});

describe('B-8 canary sweep', () => {
  it('every file was ingested (records and counted skips), and the redaction rules fired', () => {
    const sources = query<{ path: string; records: number; skipped: number }>(db, 'SELECT path, records, skipped FROM sources ORDER BY id');
    expect(sources.map((s) => s.records)).toEqual([5, 35, 3]);
    expect(sources.map((s) => s.skipped)).toEqual([0, 1, 0]);
    expect(incidents.length).toBeGreaterThan(2);
    expect(locators.length).toBeGreaterThanOrEqual(5 + 5 + 3);
  });

  it('no canary in the read commands: incidents, failures, warnings, show and explain of every incident and request', () => {
    for (const args of [['incidents'], ['incidents', '--json'], ['failures'], ['failures', '--json'], ['warnings'], ['warnings', '--json']]) {
      const r = record(args.join(' '), runCli([...args, '--db', db]));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    for (const id of incidents) {
      expect(record(`show ${id}`, runCli(['show', id, '--db', db])).code).toBe(0);
      record(`show ${id} --json`, runCli(['show', id, '--db', db, '--json']));
    }
    for (const loc of locators) {
      const r = record(`show ${loc}`, runCli(['show', loc, '--db', db]));
      expect(r.code, `show ${loc}: ${r.stderr}`).toBe(0);
      record(`show ${loc} --json`, runCli(['show', loc, '--db', db, '--json']));
      if (loc.includes('#') || loc.endsWith(':1')) record(`explain ${loc}`, runCli(['explain', loc, '--db', db]));
    }
    const leaks = outputs.flatMap((o) => leaksIn(o.text).map((l) => `${l} in ${o.what}`));
    expect(leaks).toEqual([]);
  });

  it('no canary in the report; its redaction summary lists counts per rule (O6)', () => {
    const out = join(tmp.dir, 'b8-report.md');
    const r = record('report', runCli(['report', '--db', db, '-o', out]));
    expect(r.code, r.stderr).toBe(0);
    expect(leaksInFile(out)).toEqual([]);
    const md = readFileSync(out, 'utf8');
    const section = md.slice(md.indexOf('### Redaction'));
    const counts = Object.fromEntries([...section.matchAll(/^\| (R\\-[A-Z]\d+|error|truncated) \| ([\d,]+) \|$/gm)].map((m) => [m[1]!.replace('\\', ''), Number(m[2]!.replace(/,/g, ''))]));
    for (const rule of ['R-H1', 'R-H2', 'R-C1', 'R-Q1', 'R-U1', 'R-P1', 'R-P2', 'R-B1']) expect(counts[rule] ?? 0, `${rule} in ${JSON.stringify(counts)}`).toBeGreaterThan(0);
    // the same numbers as the database keeps (never values)
    const meta = JSON.parse((query<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'redaction'")[0]!).value) as Record<string, number>;
    for (const [rule, count] of Object.entries(counts)) expect(meta[rule], rule).toBe(count);
    expect(md).toMatch(/values from untrusted input are escaped/i);
  });

  it('the TUI (browse in tmux): no canary on any screen of any incident and request, nor in its `e` export', () => {
    const tmux = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' });
    if (tmux.status !== 0) {
      console.warn('B-8 TUI sweep SKIPPED: tmux is not installed (apt-get install -y tmux)');
      return;
    }
    const sock = `faultline-b8-${process.pid}`;
    const t = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
    const screens: string[] = [];
    const sleep = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };
    const capture = (): string => {
      const s = t('capture-pane', '-p', '-J', '-t', 'b8');
      screens.push(s);
      return s;
    };
    const keys = (...k: string[]): void => {
      t('send-keys', '-t', 'b8', ...k);
      sleep(200);
    };
    try {
      t('new-session', '-d', '-x', '220', '-y', '60', '-s', 'b8', '-c', tmp.dir, `FAULTLINE_DB= "${process.execPath}" "${CLI}" browse --db "${db}"`);
      let first = '';
      for (let i = 0; i < 60 && !/Incidents \(/.test(first); i++) {
        sleep(250);
        first = capture();
      }
      expect(first).toMatch(/Incidents \(\d+\)/);
      // Each incident: open it, its first two requests (two pages each), back; the overview keeps its selection.
      for (let k = 0; k < incidents.length; k++) {
        if (k > 0) keys('j');
        keys('Enter');
        capture();
        for (let row = 0; row < 2; row++) {
          if (row > 0) keys('j');
          keys('Enter');
          capture();
          keys('Space');
          capture();
          keys('Escape');
        }
        keys('Escape');
      }
      keys('e');
      sleep(1000);
      capture();
      keys('q');
    } finally {
      try {
        t('kill-server');
      } catch {
        // already gone after q
      }
    }
    expect(screens.length).toBeGreaterThan(incidents.length * 4);
    // the walk reached request screens that show redacted credentials
    expect(screens.some((s) => /Request headers/.test(s) && /\[REDACTED/.test(s))).toBe(true);
    const leaks = screens.flatMap((s, i) => leaksIn(s).map((l) => `${l} on screen ${i}`));
    expect(leaks).toEqual([]);
    const exported = readdirSync(tmp.dir).filter((f) => /^faultline-report-.*\.md$/.test(f));
    expect(exported.length, 'the e key wrote a report').toBe(1);
    expect(leaksInFile(join(tmp.dir, exported[0]!))).toEqual([]);
  });

  it('no canary in the database file, its -wal and -shm, before and after a checkpoint (O1)', () => {
    const before = dbFiles(db).flatMap((f) => (safeRead(f) ? leaksInFile(f).map((l) => `${l} in ${f}`) : []));
    expect(before).toEqual([]);
    const conn = new Database(db);
    conn.pragma('wal_checkpoint(TRUNCATE)');
    conn.close();
    const after = dbFiles(db).flatMap((f) => (safeRead(f) ? leaksInFile(f).map((l) => `${l} in ${f}`) : []));
    expect(after).toEqual([]);
    // Free pages too: nothing secret was ever written, so VACUUM has nothing to hide (O1).
    expect(readFileSync(db).indexOf('cnry')).toBe(-1);
  });
});

// The stored sample of a skipped HAR entry is the raw start of the entry, and text patterns cannot see that
// {"name":"X-Api-Key","value":"…"} or {"value":"…","name":"Cookie"} holds a secret: src/ingest/har-excerpt.ts
// (maskHarExcerpt, unit-tested) masks them fail-closed where HAR skips are built (src/ingest/parse-source.ts).
it('no canary from an invalid HAR entry reaches the database or the report (skip samples)', () => {
  const ci = new Canaries();
  const p = put(tmp.dir, 'b8-invalid.har', canaryInvalidHar(ci));
  const d = join(tmp.dir, 'b8-invalid.db');
  const r = runCli(['ingest', p, '--db', d, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(query(d, 'SELECT count(*) AS n FROM skipped')).toEqual([{ n: 5 }]);
  const out = join(tmp.dir, 'b8-invalid.md');
  runCli(['report', '--db', d, '-o', out]);
  const hits = [...dbFiles(d), out].flatMap((f) => (safeRead(f) ? [...ci.byPlace].filter(([, v]) => readFileSync(f).includes(v)).map(([place]) => `${place} in ${f}`) : []));
  expect(hits).toEqual([]);
});

function safeRead(f: string): boolean {
  try {
    readFileSync(f, { flag: 'r' });
    return true;
  } catch {
    return false;
  }
}
