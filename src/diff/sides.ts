/**
 * What each side of `faultline diff` is: an investigation database, or a set of input files (HAR
 * exports, access logs) that the command ingests into a temporary database first. `--baseline-files`
 * and `--files` say so explicitly; a --baseline or --db argument that is an existing file but not an
 * SQLite database (a HAR, a log) is read as a one-file set, because that is what the user meant.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from '../core/errors.js';

export type DiffSideSpec = { kind: 'db'; path: string } | { kind: 'files'; files: string[] };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

/**
 * True when `path` is a regular file that does not start with SQLite's header: an input file, not a
 * database. A missing or empty file is not (it is a database still to be named or created).
 */
export function isInputFile(path: string): boolean {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  if (size === 0) return false;
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    return n < head.length || !head.equals(SQLITE_MAGIC);
  } catch {
    return false; // unreadable: let the database open report it
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * One side from its options: explicit files, else the database argument (itself an input file
 * when it is not a database). `dbExplicit`: the user typed the database option (not its default).
 */
export function resolveSide(role: 'baseline' | 'current', files: string[] | undefined, db: string | undefined, dbExplicit: boolean): DiffSideSpec | null {
  const filesFlag = role === 'baseline' ? '--baseline-files' : '--files';
  const dbFlag = role === 'baseline' ? '--baseline' : '--db';
  if (files !== undefined && files.length > 0) {
    if (db !== undefined && dbExplicit) {
      throw new UserError(`${dbFlag} and ${filesFlag} exclude each other`, {
        hint: `give the ${role} side as a database (${dbFlag} A.db) or as the files to ingest (${filesFlag} a.har b.log …)`,
      });
    }
    return { kind: 'files', files };
  }
  if (db === undefined) return null;
  return isInputFile(db) ? { kind: 'files', files: [db] } : { kind: 'db', path: db };
}

/** How a file set is named in the output: the paths as given, at most three. */
export function filesLabel(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} (+${files.length - 3} more)` : shown;
}
