import { existsSync, statSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { openStore, type Store } from '../store/index.js';

/**
 * Opens an existing investigation database read-only for the output commands (report, check,
 * incidents, failures, warnings, show). Checks existence first: opening would otherwise create
 * an empty database and report "no requests", hiding a mistyped --db.
 */
export function openForReading(db: string): Store {
  if (!existsSync(db)) {
    throw new UserError(`no database at ${db}`, { hint: `run \`faultline ingest FILES --db ${db}\` first` });
  }
  if (statSync(db).isDirectory()) throw new UserError(`${db} is a directory, not a faultline database`, { hint: 'pass the database file with --db' });
  return openStore(db, { readonly: true });
}
