/**
 * A read command (a read-only openDb) on a database written by an older faultline upgrades it once
 * through a writable connection, then reads; before, it failed with a hint naming a flag that does
 * not exist. The old database is built here from the real migrations, stopped at schema 5.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { closeDb, openDb } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a read-only open of a schema-5 database upgrades it, then reads it read-only', () => {
  const p = join(dir, 'old.db');
  const old = new Database(p);
  for (let v = 0; v < 5; v++) old.exec(MIGRATIONS[v]!);
  old.pragma('user_version = 5');
  old.prepare("INSERT INTO meta(key, value) VALUES ('marker', 'kept')").run();
  old.close();

  const r = openDb(p, { readonly: true });
  try {
    expect(r.readonly).toBe(true);
    expect(r.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(r.prepare("SELECT value FROM meta WHERE key = 'marker'").pluck().get()).toBe('kept');
  } finally {
    closeDb(r);
  }
});
