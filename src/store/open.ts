import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { rebuildAggregates } from './aggregates.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** SQLite error codes we turn into messages a user can act on. `readonly`: the open was for reading only. */
function explainOpenError(path: string, err: unknown, readonly = false): UserError {
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new UserError(`database ${path} is corrupt (${msg})`, {
      hint: 're-create it: delete the file (and its -wal/-shm) and ingest the sources again',
    });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new UserError(`database ${path} is locked by another process`, {
      hint: 'wait for the other faultline to finish, or use another --db',
    });
  }
  if (readonly && code === 'SQLITE_CANTOPEN' && !existsSync(path)) {
    return new UserError(`no database at ${path}`, { hint: `run \`faultline ingest FILES --db ${path}\` first` });
  }
  if (readonly && code === 'SQLITE_CANTOPEN') {
    // A WAL database needs its -shm file even to be read; on read-only media SQLite cannot create it.
    // faultline leaves databases in rollback-journal mode when it closes them (closeDb), so this is a
    // database a writer left in WAL mode (killed, or written by an older faultline).
    return new UserError(`cannot read database ${path}: it was left in WAL mode and its folder is read-only (${code})`, {
      hint: 'copy the .db file (with its -wal file, if any) to a writable folder and open the copy, or open it once with faultline where the folder is writable',
    });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_IOERR_WRITE') {
    return new UserError(`cannot open database ${path} for writing (${code})`, {
      hint: 'choose a writable location with --db or FAULTLINE_DB',
    });
  }
  if (code === 'SQLITE_FULL') {
    return new UserError(`disk full while writing ${path}`, { hint: 'free some space and run the same command again' });
  }
  return new UserError(`cannot open database ${path}: ${msg}`);
}

export { explainOpenError as explainDbError };

/** SQLite page cache of a connection that reads (KiB). */
export const READ_CACHE_KIB = 32 * 1024;
/** …and while ingest appends rows or analysis scans them (Store.streaming). */
export const STREAM_CACHE_KIB = 8 * 1024;

/**
 * Opens (creating when needed) an investigation database: WAL, a busy timeout so two
 * processes wait instead of failing, and every pending migration applied.
 * Throws UserError with a hint for corrupt, locked or read-only files.
 */
export function openDb(path: string, opts: { readonly?: boolean } = {}): Db {
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode is consistent after a crash; ingest runs a FULL checkpoint before it reports success.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma(`cache_size = -${READ_CACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new UserError(`database ${path} was written by a newer faultline (schema ${version})`, {
        hint: 'upgrade faultline or use another --db',
      });
    }
    if (version < MIGRATIONS.length) {
      if (opts.readonly) {
        // A read command on a database from an older faultline: upgrade it once through a writable
        // connection (migrations are additive), then read as asked. On read-only media that fails: say so.
        db.close();
        db = undefined;
        try {
          closeDb(openDb(path));
        } catch (err) {
          throw new UserError(`database ${path} was written by an older faultline (schema ${version}) and cannot be upgraded here: ${err instanceof Error ? err.message : String(err)}`, {
            hint: 'copy it to a writable disk and run any faultline command on the copy once (e.g. `faultline incidents --db COPY`): it is upgraded in place',
          });
        }
        return openDb(path, opts);
      }
      migrate(db, version);
    }
    // Touch the schema so a corrupt file fails here, with a clear message, not in the middle of a query.
    db.prepare('SELECT count(*) FROM sources').get();
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof UserError) throw err;
    throw explainOpenError(path, err, opts.readonly ?? false);
  }
}

/**
 * Closes a connection. A writable one first leaves the database in rollback-journal mode
 * (journal_mode=DELETE, which checkpoints and removes the -wal): a reader then needs no -shm file, so
 * read commands work on read-only media (an evidence disk, a read-only container mount, B-33). The
 * next writable openDb switches back to WAL. When another connection still has the database open
 * (watch mode while the TUI reads, a second ingest) the switch would have to wait for it: it is not
 * attempted (busy_timeout 0) and the database stays in WAL mode, as it was.
 */
export function closeDb(db: Db): void {
  if (db.open && !db.readonly && !db.inTransaction) {
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('journal_mode = DELETE');
    } catch {
      // busy, or the disk is full or read-only by now: WAL mode is still a consistent database
    }
  }
  db.close();
}

/** Steps a migration needs beyond SQL, run in its transaction (key: the schema version it produces). */
const AFTER_MIGRATION: Record<number, (db: Db) => void> = {
  2: rebuildAggregates,
};

function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    // IMMEDIATE takes the write lock first; user_version is re-read under it, so two processes
    // creating the same new database apply each migration once (the second one finds it done).
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) > v) return;
      db.exec(MIGRATIONS[v]!);
      AFTER_MIGRATION[v + 1]?.(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  const now = db.pragma('user_version', { simple: true });
  if (now !== MIGRATIONS.length) throw new Error(`migration left user_version at ${String(now)}`);
}

/** The per-database random HMAC key for redaction markers (security.md O3), created on first use. */
export function redactionKey(db: Db): Buffer {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'hmac_key'").get() as { value: Buffer } | undefined;
  if (row) return Buffer.from(row.value);
  const key = randomBytes(32);
  db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('hmac_key', ?)").run(key);
  const again = db.prepare("SELECT value FROM meta WHERE key = 'hmac_key'").get() as { value: Buffer };
  return Buffer.from(again.value);
}
