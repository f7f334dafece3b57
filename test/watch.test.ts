/**
 * Issue 8, follow mode: `faultline watch` through the real CLI on real files that grow, rotate and
 * get truncated. A line written while faultline was stopped is picked up on restart, never twice.
 * Lines come from the project's own examples (synthetic) so their count is known.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { CLI, ROOT, tempDir } from './helpers/corpus.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const LINES = readFileSync(join(ROOT, 'examples/nginx-access.log'), 'utf8').split('\n').filter(Boolean);
const chunk = (a: number, b: number): string => LINES.slice(a, b).join('\n') + '\n';

function stored(db: string): { rows: number; distinct: number; sources: Array<{ records: number; status: string }> } {
  const c = new Database(db, { readonly: true });
  const r = c.prepare('SELECT count(*) AS rows, count(DISTINCT id) AS d FROM requests').get() as { rows: number; d: number };
  const sources = c.prepare('SELECT records, status FROM sources ORDER BY id').all() as Array<{ records: number; status: string }>;
  c.close();
  return { rows: r.rows, distinct: r.d, sources };
}

it('follows growth, waits for an incomplete line, finishes a rotated file, starts a truncated one anew, never twice', () => {
  const log = join(tmp.dir, 'access.log');
  const db = join(tmp.dir, 'watch.db');
  const once = (): ReturnType<typeof runCli> => runCli(['watch', log, '--db', db, '--once']);
  writeFileSync(log, chunk(0, 100));
  expect(once().code).toBe(0);
  expect(stored(db).rows).toBe(100);
  // Nothing new: nothing added.
  expect(once().code).toBe(0);
  expect(stored(db).rows).toBe(100);
  // Growth while faultline was stopped, ending in half a line.
  appendFileSync(log, chunk(100, 150) + LINES[150]!.slice(0, 40));
  once();
  expect(stored(db).rows).toBe(150);
  // The line is completed, then the file is rotated and a new one started.
  appendFileSync(log, LINES[150]!.slice(40) + '\n');
  renameSync(log, log + '.1');
  writeFileSync(log, chunk(151, 171));
  const r = once();
  expect(r.stderr).toMatch(/rotated: finished access\.log\.1/);
  let s = stored(db);
  expect(s.rows).toBe(171);
  expect(s.sources.map((x) => x.records)).toEqual([151, 20]);
  expect(s.sources[0]!.status).toBe('ingested');
  // Truncation: the same path starts over with other content; old rows stay.
  writeFileSync(log, chunk(200, 210));
  const t = once();
  expect(t.stderr).toMatch(/truncated|new file generation/);
  s = stored(db);
  expect(s.rows).toBe(181);
  expect(s.distinct).toBe(s.rows);
  // Incidents were built from what was followed.
  const inc = runCli(['incidents', '--db', db, '--json']);
  expect((JSON.parse(inc.stdout) as unknown[]).length).toBeGreaterThan(0);
});

it('keeps following while running: lines appended during the run are stored, SIGINT stops it cleanly', async () => {
  const log = join(tmp.dir, 'live.log');
  const db = join(tmp.dir, 'live.db');
  writeFileSync(log, chunk(0, 20));
  const child = spawn(process.execPath, [CLI, 'watch', log, '--db', db, '--interval', '0.2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const until = async (pred: () => boolean): Promise<void> => {
    for (let i = 0; i < 150 && !pred(); i++) await wait(200);
  };
  await until(() => /20 requests/.test(out));
  for (let k = 0; k < 5; k++) {
    appendFileSync(log, chunk(20 + k * 20, 40 + k * 20));
    await wait(300);
  }
  await until(() => /120 requests/.test(out));
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGINT');
  });
  expect(code).toBe(0);
  expect(out).toMatch(/120 requests/);
  expect(out).toMatch(/ongoing|recovered at/);
  const s = stored(db);
  expect(s.rows).toBe(120);
  expect(s.distinct).toBe(120);
});

it('analysis in a worker thread (the built CLI by default) or inline (FAULTLINE_ANALYSIS_WORKER=0): the same clear rule error, the same incidents', () => {
  const log = join(tmp.dir, 'rules.log');
  const bad = join(tmp.dir, 'bad-rules.json');
  writeFileSync(log, chunk(0, 30));
  writeFileSync(bad, '{"rules": 5}\n');
  const results = ['1', '0'].map((worker) => runCli(['watch', log, '--db', join(tmp.dir, `rules-${worker}.db`), '--once', '--rules', bad], {
    env: { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '', FAULTLINE_ANALYSIS_WORKER: worker },
  }));
  for (const r of results) {
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid rules .*\n.*bad-rules\.json/);
    expect(r.stderr).toMatch(/hint: fix the rule files/);
    expect(r.stderr).not.toMatch(/internal error|at .*analysis-worker/);
  }
  // Valid rules: both ways store the same incidents.
  const ok = ['1', '0'].map((worker) => {
    const db = join(tmp.dir, `ok-${worker}.db`);
    const r = runCli(['watch', log, '--db', db, '--once'], { env: { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '', FAULTLINE_ANALYSIS_WORKER: worker } });
    expect(r.code, r.stderr).toBe(0);
    const c = new Database(db, { readonly: true });
    const rows = c.prepare('SELECT id, count, title FROM incidents ORDER BY id').all();
    c.close();
    return rows;
  });
  expect(ok[0]!.length).toBeGreaterThan(0);
  expect(ok[0]).toEqual(ok[1]);
});

/**
 * The windowed re-analysis of watch mode (src/watch/analysis.ts) against a full analysis of the same
 * database: real follow + ingest, real SQLite. SYNTHETIC log: three hours of successes every 2 s, a
 * burst of 500s, a long outage of 503s, a trickle of 404s that spans many windows, and a burst of 429s,
 * appended half an hour at a time in time order, each append followed by one watch pass.
 */
it('windowed analysis while following gives the incidents and classifications of a full analysis of the same database', async () => {
  const { openStore } = await import('../src/store/index.js');
  const { watchFiles } = await import('../src/watch/index.js');
  const { WindowedAnalysis } = await import('../src/watch/analysis.js');
  const { analyze } = await import('../src/engine/analyze.js');
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');
  const clf = (ms: number): string => {
    const d = new Date(ms);
    return `${two(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  };
  const line = (ms: number, ip: string, path: string, status: number, ua = 'app/2.1'): string =>
    `${ip} - - [${clf(ms)}] "GET ${path} HTTP/1.1" ${status} 512 "-" "${ua}"`;
  const T0 = Date.UTC(2026, 2, 14, 10);
  const MIN = 60_000;
  const events: Array<[number, string]> = [];
  for (let t = T0; t < T0 + 180 * MIN; t += 2000) events.push([t, line(t, `10.0.${(t / 2000) % 7}.1`, `/api/items/${(t / 2000) % 50}`, 200)]);
  for (let t = T0 + 10 * MIN; t < T0 + 15 * MIN; t += 5000) events.push([t + 1, line(t + 1, '10.1.0.9', `/api/orders/${(t / 5000) % 9}`, 500)]);
  for (let t = T0 + 60 * MIN; t < T0 + 95 * MIN; t += 7000) events.push([t + 2, line(t + 2, `10.2.0.${(t / 7000) % 5}`, '/api/pay', 503)]);
  for (let t = T0; t < T0 + 90 * MIN; t += 3 * MIN) events.push([t + 3, line(t + 3, '10.3.0.1', '/favicon.ico', 404, 'Mozilla/5.0')]);
  for (let t = T0 + 150 * MIN; t < T0 + 160 * MIN; t += 4000) events.push([t + 4, line(t + 4, '10.4.0.4', '/api/search', 429)]);
  events.sort((a, b) => a[0] - b[0]);

  const log = join(tmp.dir, 'windowed.log');
  const db = join(tmp.dir, 'windowed.db');
  writeFileSync(log, '');
  const store = openStore(db);
  try {
    const gapMs = 5 * MIN;
    const windowed = new WindowedAnalysis({ gapMs });
    const sinces: Array<number | null> = [];
    const pass = async (): Promise<void> => {
      await watchFiles(store, [log], { once: true, analyze: (s) => { windowed.run(s); sinces.push(windowed.lastSince); } });
    };
    for (let from = T0; from < T0 + 180 * MIN; from += 30 * MIN) {
      appendFileSync(log, events.filter(([t]) => t >= from && t < from + 30 * MIN).map(([, l]) => l).join('\n') + '\n');
      await pass();
    }
    const snapshot = (): { incidents: unknown[]; classified: unknown[]; failed: number } => {
      const c = new Database(db, { readonly: true });
      try {
        return {
          incidents: c.prepare('SELECT id, cause, subcause, rule_id, title, severity, first_seen, last_seen, count, data FROM incidents ORDER BY id').all(),
          classified: c.prepare('SELECT id, ts, cause, subcause, rule_id, incident_id FROM req_analysis ORDER BY id').all(),
          failed: c.prepare('SELECT count(*) AS n FROM req WHERE failed = 1').pluck().get() as number,
        };
      } finally {
        c.close();
      }
    };
    const full = (): ReturnType<typeof snapshot> => {
      store.resetAnalysisFailures();
      analyze(store, { gapMs });
      return snapshot();
    };
    // The windowed passes really skipped the finished part (the first pass is a full one).
    expect(sinces[0]).toBeNull();
    expect(sinces.slice(1).every((s) => s !== null && s >= T0)).toBe(true);
    expect(Math.max(...sinces.map(Number))).toBeGreaterThan(T0 + 90 * MIN);
    const incremental = snapshot();
    expect(incremental.classified.length).toBe(incremental.failed);
    expect(incremental.incidents.length).toBeGreaterThanOrEqual(4);
    expect(incremental).toEqual(full());

    // A line far later than the lateness allowance (a failure two hours back) reopens the window.
    windowed.run(store);
    appendFileSync(log, line(T0 + 40 * MIN, '10.9.9.9', '/api/orders/3', 500) + '\n');
    await pass();
    expect(sinces[sinces.length - 1]).toBeNull();
    const afterLate = snapshot();
    expect(afterLate).toEqual(full());
    // The late 500 joined nothing old: it is its own incident, classified like its neighbours.
    expect((afterLate.incidents as Array<{ cause: string; count: number }>).filter((i) => i.cause === 'server-error').map((i) => i.count).sort((x, y) => x - y)).toEqual([1, 60]);
  } finally {
    store.close();
  }
});
