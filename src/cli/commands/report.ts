/**
 * `faultline report`: the markdown triage report on stdout, or written atomically with -o
 * (a temp file in the target's directory, fsynced, then renamed over it): a reader or CI step
 * never sees half a report, and a failed run leaves the previous report in place.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { renderReport } from '../../report/index.js';
import { openForReading } from '../../report/open-db.js';

export interface ReportCommandOptions {
  db: string;
  output?: string;
  incident?: string[];
  cause?: string[];
  since?: string;
  until?: string;
}

/**
 * ISO 8601 date or date-time for --since/--until. A time without a zone is UTC (the report's
 * zone), never the machine's local time.
 */
export function parseIsoTime(value: string, flag: string): number {
  const s = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  const hint = 'use ISO 8601, e.g. 2026-03-14T10:00:00Z or 2026-03-14 (UTC when no zone is given)';
  if (!m) throw new UserError(`${flag} "${value}" is not an ISO 8601 time`, { hint });
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  let z = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${z.toUpperCase()}`);
  if (!Number.isFinite(ms)) throw new UserError(`${flag} "${value}" is not a valid date`, { hint });
  // Date.parse rolls 2026-02-31 over to March: reject what it had to correct.
  if (new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) {
    throw new UserError(`${flag} "${value}" is not a valid date`, { hint });
  }
  return ms;
}

/** Writes `text` to `path` atomically: temp file in the same directory, fsync, rename. */
export function writeFileAtomic(path: string, text: string): void {
  const target = resolve(path);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new UserError(`cannot write ${path}: the directory ${dir} does not exist`, { hint: 'create it first or choose another -o' });
  if (existsSync(target) && statSync(target).isDirectory()) throw new UserError(`cannot write ${path}: it is a directory`, { hint: 'give a file name, e.g. -o triage.md' });
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const hint = code === 'ENOSPC' ? 'free some disk space' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'choose a writable location with -o' : null;
    throw new UserError(`cannot write ${path} (${code || (err as Error).message})`, { hint });
  }
  try {
    // Make the rename itself durable; not every platform can fsync a directory.
    const dfd = openSync(dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch { /* best effort */ }
}

export async function runReport(opts: ReportCommandOptions): Promise<void> {
  const since = opts.since !== undefined ? parseIsoTime(opts.since, '--since') : undefined;
  const until = opts.until !== undefined ? parseIsoTime(opts.until, '--until') : undefined;
  const store = openForReading(opts.db);
  let md: string;
  try {
    md = renderReport(store, { incidentIds: opts.incident, causes: opts.cause, since, until });
  } finally {
    store.close();
  }
  if (opts.output === undefined || opts.output === '-') {
    process.stdout.write(md);
    return;
  }
  writeFileAtomic(opts.output, md);
  process.stderr.write(`faultline: report written to ${toTerminal(opts.output)}\n`);
}
