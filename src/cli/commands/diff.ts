/**
 * `faultline diff --baseline A.db --db B.db` or `faultline diff --db B.db --at TIME`.
 *
 * Typical uses:
 *   faultline ingest e2e-main.har --db main.db; faultline ingest e2e-pr.har --db pr.db
 *   faultline diff --baseline main.db --db pr.db --fail-on new          # gate a deploy in CI
 *   faultline ingest logs/*.log --db week.db
 *   faultline diff --db week.db --at 2026-03-14T10:05:00Z --markdown     # before/after a deploy
 *
 * Output: text (default), --markdown or --json. --fail-on new[,changed,routes] sets exit code 1 when
 * any such difference is found (after printing it).
 */
import { UserError } from '../../core/errors.js';
import { diffDatabases, parseAt, toJson, toMarkdown, toText, type DiffResult } from '../../diff/index.js';

export interface DiffCliOptions {
  db: string;
  baseline?: string;
  at?: string;
  json?: boolean;
  markdown?: boolean;
  failOn?: string;
}

export const FAIL_ON = ['new', 'changed', 'routes'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function parseFailOn(s: string | undefined): FailOn[] {
  if (s === undefined) return [];
  const out: FailOn[] = [];
  for (const part of s.split(',')) {
    const p = part.trim().toLowerCase();
    if (p === '') continue;
    if (!(FAIL_ON as readonly string[]).includes(p)) {
      throw new UserError(`--fail-on: unknown value "${part.trim()}"`, { hint: `one or more of ${FAIL_ON.join(', ')}, comma-separated` });
    }
    if (!out.includes(p as FailOn)) out.push(p as FailOn);
  }
  return out;
}

/** Which --fail-on conditions hold. */
export function failures(d: DiffResult, on: FailOn[]): FailOn[] {
  return on.filter((f) => (f === 'new' ? d.new.length > 0 : f === 'changed' ? d.changed.length > 0 : d.routes.some((r) => r.flags.some((x) => x !== 'error-rate-down' && x !== 'p95-down'))));
}

export function runDiff(opts: DiffCliOptions): DiffResult {
  if (opts.json && opts.markdown) throw new UserError('--json and --markdown exclude each other');
  const failOn = parseFailOn(opts.failOn);
  const d = diffDatabases({ db: opts.db, baseline: opts.baseline, at: opts.at !== undefined ? parseAt(opts.at) : undefined });
  process.stdout.write(opts.json ? toJson(d) : opts.markdown ? toMarkdown(d) : toText(d));
  const hit = failures(d, failOn);
  if (hit.length) {
    if (!opts.json) process.stderr.write(`diff: failing on ${hit.join(', ')} (--fail-on ${failOn.join(',')})\n`);
    process.exitCode = 1;
  }
  return d;
}
