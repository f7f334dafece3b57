/**
 * closeDb (src/store/open.ts): a writable connection leaves the database in rollback-journal mode when it
 * closes, so a reader on read-only media needs no -shm (B-33); never while another connection has it open
 * (watch mode writing while the TUI reads). The mount-based end-to-end test is test/hostile/db-faults.test.ts;
 * this one needs no privileges, so it runs wherever the suite runs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string): string => {
  const r = openDb(path, { readonly: true });
  try {
    return String(r.pragma('journal_mode', { simple: true }));
  } finally {
    closeDb(r);
  }
};

describe('closeDb', () => {
  it('the last writer leaves rollback-journal mode and no -wal/-shm; the next writer is in WAL again', () => {
    const p = join(dir, 'a.db');
    const w = openDb(p);
    expect(w.pragma('journal_mode', { simple: true })).toBe('wal');
    w.prepare("INSERT INTO meta(key, value) VALUES ('x', 1)").run();
    closeDb(w);
    expect(existsSync(`${p}-wal`) || existsSync(`${p}-shm`)).toBe(false);
    expect(mode(p)).toBe('delete');
    const again = openDb(p);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.prepare("SELECT value FROM meta WHERE key = 'x'").pluck().get()).toBe(1);
    closeDb(again);
  });

  it('a writer closing while a reader is open leaves WAL mode alone and closes; the reader keeps reading', () => {
    const p = join(dir, 'b.db');
    const w = openDb(p);
    const r = openDb(p, { readonly: true });
    w.prepare("INSERT INTO meta(key, value) VALUES ('y', 2)").run();
    closeDb(w); // busy_timeout 0 for the switch: the reader is not waited for
    expect(w.open).toBe(false);
    expect(r.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(r.prepare("SELECT value FROM meta WHERE key = 'y'").pluck().get()).toBe(2);
    closeDb(r);
    expect(mode(p)).toBe('wal');
  });
});
