/**
 * security.md O1: no raw secret in a temp file. stdin and pipes are spooled to a temp file before
 * ingest (so they can be hashed and re-read); while the spool is being written, and after the run,
 * the canary token must not be findable in it. Input is SYNTHETIC.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { CLI, tempDir } from '../helpers/corpus.js';

const tmp = tempDir('faultline-spool-');
afterAll(() => tmp.cleanup());

const CANARY = 'CANARYspoolTOKEN4f9a2c7e11d0b8';

function line(i: number): string {
  return `203.0.113.${i % 250} - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i}?access_token=${CANARY} HTTP/1.1" 401 12 "-" "curl/8.4.0"\n`;
}

function spoolFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => d.startsWith('faultline-stdin-'))
    .map((d) => join(dir, d, 'stdin'))
    .filter((f) => existsSync(f));
}

it('the stdin spool never holds the raw input, and the ingest still stores every line', async () => {
  const spoolDir = join(tmp.dir, 'tmp');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(spoolDir);
  const db = join(tmp.dir, 'spool.db');
  const child = spawn(process.execPath, [CLI, 'ingest', '-', '--db', db, '--json', '--no-progress'], {
    env: { ...process.env, TMPDIR: spoolDir, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  // First half: written, stdin kept open, so the spool exists and holds these bytes.
  const first = Array.from({ length: 2000 }, (_, i) => line(i)).join('');
  child.stdin.write(first);
  let files: string[] = [];
  for (let t = 0; t < 200 && (files.length === 0 || readFileSync(files[0]!).length < first.length); t++) {
    await new Promise((r) => setTimeout(r, 50));
    files = spoolFiles(spoolDir);
  }
  expect(files).toHaveLength(1);
  const spooled = readFileSync(files[0]!);
  expect(spooled.length).toBeGreaterThanOrEqual(first.length);
  expect(spooled.includes(CANARY)).toBe(false);
  expect(spooled.includes('access_token')).toBe(false);
  expect(spooled.includes('GET /api/items')).toBe(false);
  child.stdin.end(Array.from({ length: 1000 }, (_, i) => line(2000 + i)).join(''));
  expect(await exited).toBe(0);
  const j = JSON.parse(stdout) as { sources: Array<{ records: number; skipped: number; format: string }> };
  expect(j.sources[0]!.records).toBe(3000);
  expect(j.sources[0]!.format).toBe('combined');
  // The spool is removed after the run, and the database holds no raw token either.
  expect(spoolFiles(spoolDir)).toHaveLength(0);
  const conn = new Database(db, { readonly: true });
  const n = (conn.prepare('SELECT count(*) AS n FROM requests WHERE query LIKE ?').get(`%${CANARY}%`) as { n: number }).n;
  conn.close();
  expect(n).toBe(0);
});
