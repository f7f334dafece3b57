/**
 * A large file no stored source has the size of is parsed while its SHA-256 is computed
 * (src/ingest/ingest-source.ts: the hash no longer runs as a serial pass first). Through the real
 * CLI and database: the reported hash is the file's, every line is stored or skipped, the same
 * content under another name is recognised, and a file of the same size but other content (the
 * hash-first path) is a new source. Kills during this path are covered by crash-resume.test.ts.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { ROOT, tempDir } from './helpers/corpus.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Lines of the generated log (from the real seed in ../shared/bench-data): ~10 MB, over the 8 MiB threshold. */
const LINES = 45_000;

interface Out { sources: Array<{ path: string; sha256: string; records: number; skipped: number; failures: number; status: string }> }

function ingest(file: string, db: string): Out['sources'][number] {
  const r = runCli(['ingest', file, '--db', db, '--json', '--no-progress']);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // never a stack trace
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Out).sources[0]!;
}

it('ingests a large new file while hashing it: exact hash and counts, then recognised under another name', () => {
  const log = join(tmp.dir, 'big.log');
  execFileSync(process.execPath, [join(ROOT, 'bench', 'gen-access-log.mjs'), log, String(LINES)]);
  const bytes = readFileSync(log);
  expect(bytes.length).toBeGreaterThan(8 * 1024 * 1024);
  const db = join(tmp.dir, 'overlap.db');

  const first = ingest(log, db);
  expect(first.status).toBe('ingested');
  expect(first.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  expect(first.records + first.skipped).toBe(LINES);
  const conn = new Database(db, { readonly: true });
  const stored = conn.prepare('SELECT count(*) AS n, count(DISTINCT unit) AS d, sum(failed) AS f FROM requests').get() as { n: number; d: number; f: number };
  const src = conn.prepare('SELECT sha256, size, status, format FROM sources').all() as Array<{ sha256: string; size: number; status: string; format: string }>;
  conn.close();
  expect(stored.n).toBe(first.records);
  expect(stored.d).toBe(stored.n);
  expect(stored.f).toBeGreaterThanOrEqual(first.failures);
  expect(src).toEqual([{ sha256: first.sha256, size: bytes.length, status: 'ingested', format: 'combined' }]);

  const renamed = join(tmp.dir, 'renamed.log');
  copyFileSync(log, renamed);
  const again = ingest(renamed, db);
  expect(again.status).toBe('unchanged');
  expect(again.sha256).toBe(first.sha256);
  expect(again.records).toBe(first.records);

  // Same size, one byte changed in the middle: hashed first (a stored source has that size), a new source.
  const other = join(tmp.dir, 'other.log');
  const changed = Buffer.from(bytes);
  const mid = changed.indexOf(0x0a, changed.length >> 1) + 1;
  changed[mid] = changed[mid] === 0x31 ? 0x32 : 0x31;
  writeFileSync(other, changed);
  const third = ingest(other, db);
  expect(third.status).toBe('ingested');
  expect(third.sha256).toBe(createHash('sha256').update(changed).digest('hex'));
  expect(third.sha256).not.toBe(first.sha256);
  expect(third.records + third.skipped).toBe(LINES);
});
