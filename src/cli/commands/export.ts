/**
 * `faultline export --db F --sanitized [--incident ID…|--all-failures] [-o out.har]`: the failing
 * requests of an incident as a small HAR to attach to a ticket or replay in a HAR viewer.
 *
 * `--sanitized` is required, and it is the only mode: the database never held unredacted values
 * (redaction runs before anything is written, security.md O1), so there is nothing else to export.
 * Requiring the flag makes scripts say what they get, and keeps the door closed on a future raw mode
 * being picked up silently. Default output: stdout (`-o -`).
 */
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { exportHar, type ExportResult } from '../../sanitize/export.js';
import { openTextOutput } from '../../sanitize/output.js';
import { openStore } from '../../store/index.js';

export interface ExportCliOptions {
  db: string;
  sanitized?: boolean;
  incident?: string[];
  allFailures?: boolean;
  output?: string;
}

export async function runExport(opts: ExportCliOptions): Promise<ExportResult & { output: string }> {
  if (!opts.sanitized) {
    throw new UserError('export writes sanitized HARs only: add --sanitized', {
      hint:
        'the database holds only data redacted at ingest (secrets are [REDACTED:…] markers), so the export cannot contain the original values; ' +
        '--sanitized says so explicitly. For a redacted copy of a whole HAR file use `faultline sanitize IN.har -o OUT.har`.',
    });
  }
  if (opts.allFailures && opts.incident?.length) {
    throw new UserError('--incident and --all-failures exclude each other', { hint: 'pick incidents, or every failure' });
  }
  if (!existsSync(opts.db)) {
    throw new UserError(`no database at ${opts.db}`, { hint: 'ingest first: faultline ingest capture.har --db ' + opts.db });
  }
  const store = openStore(opts.db, { readonly: true });
  try {
    const out = await openTextOutput(opts.output ?? '-');
    try {
      const r = await exportHar(store, out, { incidents: opts.incident, allFailures: opts.allFailures });
      await out.commit();
      const what = opts.allFailures ? 'failed requests' : `requests of ${r.incidents.map((i) => toTerminal(i.id, { max: 24 })).join(', ')}`;
      process.stderr.write(`exported ${r.entries} ${what} → ${toTerminal(out.label)}\n`);
      return { ...r, output: out.label };
    } catch (err) {
      await out.abort();
      throw err;
    }
  } finally {
    store.close();
  }
}
