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
