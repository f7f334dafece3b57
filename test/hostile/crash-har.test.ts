/**
 * B-15 for HAR (test/crash-resume.test.ts does it for an access log): a streaming HAR ingest killed
 * with SIGKILL at 20 moments (random times, and random points after a batch commit) leaves a consistent database every time (integrity ok, counters
 * equal to the rows, nothing at or past the checkpoint, no gap before it), and the same command then
 * completes with every entry exactly once. The HAR (150,000 small entries) is SYNTHETIC, written here.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CLI, ROOT, tempDir } from '../helpers/corpus.js';

const tmp = tempDir('faultline-crash-har-');
afterAll(() => tmp.cleanup());

const ENTRIES = 150_000;
const KILLS = 20;

async function writeHar(path: string): Promise<void> {
  const ws = createWriteStream(path, { highWaterMark: 1 << 20 });
  const write = (s: string): Promise<void> => new Promise((res) => (ws.write(s) ? res() : ws.once('drain', () => res())));
  await write('{"log":{"version":"1.2","creator":{"name":"faultline crash-har synthetic","version":"1"},"entries":[\n');
  let chunk = '';
  for (let i = 0; i < ENTRIES; i++) {
    const t = new Date(Date.UTC(2026, 2, 14) + i * 7).toISOString();
    // every 97th entry is invalid (no url): skips must be checkpointed like records
    const url = i % 97 === 0 ? '' : `https://api.example.com/v1/items/${i % 1000}?page=${i % 7}`;
    chunk += `${i ? ',' : ''}{"startedDateTime":"${t}","time":${i % 50},"request":{"method":"GET","url":"${url}","headers":[{"name":"Authorization","value":"Bearer t${i}"}]},"response":{"status":${i % 11 ? 200 : 503},"headers":[],"content":{"size":2,"mimeType":"application/json","text":"{}"}},"timings":{"wait":1}}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk + ']}}\n');
  await new Promise<void>((res) => ws.end(() => res()));
}

/** How far a (possibly running) ingest has committed, read without disturbing it. */
function committed(db: string): number {
  try {
    const c = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (c.prepare('SELECT IFNULL(max(next_unit), 0) FROM sources').pluck().get() as number) ?? 0;
    } finally {
      c.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Starts the ingest and SIGKILLs it: on odd rounds at a random time (it may still be starting up), on
 * even rounds a random moment after a new batch is seen committed, so kills land mid-stream whatever
 * the machine's load. Resolves with whether the child finished by itself.
 */
function killRound(args: string[], db: string, round: number, after: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore', cwd: ROOT, env: { ...process.env, FAULTLINE_DB: '' } });
    let exited = false;
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const kill = (): void => { if (!exited) child.kill('SIGKILL'); };
    if (round % 2 === 1) timer = setTimeout(kill, 50 + Math.floor(Math.random() * 500));
    else {
      poll = setInterval(() => {
        if (committed(db) > after) {
          clearInterval(poll);
          timer = setTimeout(kill, Math.floor(Math.random() * 250));
        }
      }, 15);
    }
    child.on('exit', (code, signal) => {
      exited = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve(signal === null && code === 0);
    });
  });
}

/** After a kill: consistent, and at a batch boundary. Returns how far it got. */
function checkConsistent(db: string): number {
  if (!existsSync(db)) return 0;
  const conn = new Database(db);
  try {
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    const src = conn.prepare('SELECT id, records, skipped, failures, next_unit FROM sources').get() as
      | { id: number; records: number; skipped: number; failures: number; next_unit: number }
      | undefined;
    if (!src) return 0;
    const stored = conn.prepare('SELECT count(*) AS n, max(unit) AS maxUnit, IFNULL(sum(failed), 0) AS f FROM requests WHERE source_id = ?').get(src.id) as {
      n: number; maxUnit: number | null; f: number;
    };
    const skips = conn.prepare('SELECT count(*) AS n, max(unit) AS maxUnit FROM skipped WHERE source_id = ?').get(src.id) as { n: number; maxUnit: number | null };
    expect(stored.n).toBe(src.records);
    expect(stored.f).toBe(src.failures);
    expect(skips.n).toBe(src.skipped);
    // HAR units are 0-based entry indexes; next_unit is the first entry not yet stored
    if (stored.maxUnit !== null) expect(stored.maxUnit).toBeLessThan(src.next_unit);
    if (skips.maxUnit !== null) expect(skips.maxUnit).toBeLessThan(src.next_unit);
    expect(src.records + src.skipped).toBe(src.next_unit);
    return src.next_unit;
  } finally {
    conn.close();
  }
}

it(`a HAR ingest survives ${KILLS} SIGKILLs and completes with every entry exactly once`, async () => {
  const har = join(tmp.dir, 'big.har');
  await writeHar(har);
  const db = join(tmp.dir, 'crash.db');
  const args = ['ingest', har, '--db', db, '--json', '--no-progress'];
  let last = 0;
  let progressed = 0;
  for (let i = 0; i < KILLS; i++) {
    const finished = await killRound(args, db, i, last);
    const now = checkConsistent(db);
    expect(now).toBeGreaterThanOrEqual(last);
    if (now > last) progressed++;
    last = now;
    if (finished) break;
  }
  console.log(`crash-har: after ${KILLS} kills ${last} of ${ENTRIES} entries were stored (${progressed} kills made progress)`);
  const done = runCli(args);
  expect(done.code, done.stderr).toBe(0);
  const s = (JSON.parse(done.stdout) as { sources: Array<{ records: number; skipped: number; status: string }> }).sources[0]!;
  expect(s.status).toBe('ingested');
  expect(s.records + s.skipped).toBe(ENTRIES);
  const conn = new Database(db, { readonly: true });
  const r = conn.prepare('SELECT count(*) AS n, count(DISTINCT unit) AS d, min(unit) AS lo, max(unit) AS hi FROM requests').get() as { n: number; d: number; lo: number; hi: number };
  const k = conn.prepare('SELECT count(*) AS n, count(DISTINCT unit) AS d FROM skipped').get() as { n: number; d: number };
  conn.close();
  expect(r.n).toBe(s.records);
  expect(r.d).toBe(r.n);
  expect(k.d).toBe(k.n);
  expect(r.n + k.n).toBe(ENTRIES);
  expect(k.n).toBe(Math.ceil(ENTRIES / 97));
  expect(r.hi).toBe(ENTRIES - 1);
  // the kills landed at different points: several runs stored something before being killed
  expect(progressed).toBeGreaterThan(3);
});
