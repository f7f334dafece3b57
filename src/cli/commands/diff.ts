/**
 * `faultline diff`: two databases, two sets of files, or one database split at a time.
 *
 * Typical uses:
 *   faultline diff --baseline-files e2e-main.har --files e2e-pr.har --fail-on new   # gate a deploy in CI
 *   faultline diff --baseline main.db --db pr.db --fail-on new                     # databases ingested earlier
 *   faultline diff --baseline before.log --db after.log                            # files given where databases go
 *   faultline diff before.har after.har                                            # the same, as two arguments
 *   faultline diff --db week.db --at 2026-03-14T10:05:00Z --markdown                # before/after a deploy
 *
 * A side given as files is ingested (the same ingest and analysis as `faultline ingest`) into a
 * temporary database that is removed afterwards, whatever happens.
 *
 * Output: text (default), --markdown or --json. --fail-on new[,changed,routes] sets exit code 1 when
 * any such difference is found (after printing it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { diffDatabases, parseAt, toJson, toMarkdown, toText, type DiffResult } from '../../diff/index.js';
import { filesLabel, resolveSide, type DiffSideSpec } from '../../diff/sides.js';
import { totals } from '../../ingest/index.js';
import { ingestAndAnalyse } from './ingest.js';

export interface DiffCliOptions {
  /** `faultline diff BEFORE AFTER`: the two sides as arguments (each a database or an input file). */
  sides?: string[];
  /** The current database (the CLI always has one: its default, FAULTLINE_DB or --db). */
  db?: string;
  /** The user typed --db (not its default or FAULTLINE_DB): then it may not be combined with --files. */
  dbExplicit?: boolean;
  baseline?: string;
  /** Files to ingest as the baseline side (HAR exports, access logs, .gz). */
  baselineFiles?: string[];
  /** Files to ingest as the current side. */
  files?: string[];
  at?: string;
  json?: boolean;
  markdown?: boolean;
  failOn?: string;
  /** For sides given as files: as `faultline ingest`. */
  format?: string;
  logFormat?: string;
  rules?: string[];
  gap?: string;
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

/** A side given as files, ingested into `dir`; returns the database path. Rejected inputs are an error. */
async function ingestSide(role: string, files: string[], dir: string, opts: DiffCliOptions): Promise<string> {
  const db = join(dir, `${role}.db`);
  const { store, outcomes } = await ingestAndAnalyse(files, {
    db, format: opts.format, logFormat: opts.logFormat, rules: opts.rules, gap: opts.gap, progress: false,
  });
  store.close();
  const rejected = outcomes.filter((o) => o.result.status === 'rejected');
  if (rejected.length > 0) {
    throw new UserError(`${role}: ${rejected.map((o) => `${o.result.path}: ${o.result.error ?? 'rejected'}`).join('; ')}`, {
      hint: 'every file of a side must be a HAR export or an access log (check the path, or force a format with --format / --log-format)',
      exitCode: 2,
    });
  }
  if (!opts.json) {
    const t = totals(outcomes.map((o) => o.result));
    const partial = outcomes.filter((o) => o.result.status === 'partial').map((o) => o.result.path);
    process.stderr.write(toTerminal(`${role}: ${filesLabel(files)}: ${t.records} requests, ${t.failures} failed, ${t.skipped} skipped` +
      (partial.length ? ` (partial: ${partial.join(', ')})` : '')) + '\n');
  }
  return db;
}

export async function runDiff(opts: DiffCliOptions): Promise<DiffResult> {
  if (opts.json && opts.markdown) throw new UserError('--json and --markdown exclude each other');
  const failOn = parseFailOn(opts.failOn);
  const at = opts.at !== undefined ? parseAt(opts.at) : undefined;
  if (opts.sides !== undefined && opts.sides.length > 0) {
    if (opts.sides.length !== 2 || opts.baseline !== undefined || opts.baselineFiles !== undefined || opts.files !== undefined || opts.dbExplicit) {
      throw new UserError(`diff takes two arguments, BEFORE and AFTER (got ${opts.sides.length}${opts.sides.length === 2 ? ' and side options too' : ''})`, {
        hint: 'faultline diff before.har after.har   |   faultline diff --baseline-files a.har b.har --files c.har d.har',
      });
    }
    return runDiff({ ...opts, sides: undefined, baseline: opts.sides[0], db: opts.sides[1], dbExplicit: true });
  }
  const current = resolveSide('current', opts.files, opts.db, opts.dbExplicit ?? true);
  if (current === null) throw new UserError('diff needs the current side: --db B.db, or --files FILES…', { hint: 'faultline diff --baseline-files before.har --files after.har' });
  const baseline: DiffSideSpec | null = resolveSide('baseline', opts.baselineFiles, opts.baseline, true);
  if (baseline !== null && at !== undefined) {
    throw new UserError('--baseline/--baseline-files and --at exclude each other', { hint: 'compare two sides, or one side before and after a time' });
  }
  let dir: string | null = null;
  const cleanup = (): void => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  const place = async (role: 'baseline' | 'current', side: DiffSideSpec): Promise<{ db: string; label?: string }> => {
    if (side.kind === 'db') return { db: side.path };
    if (dir === null) {
      dir = mkdtempSync(join(tmpdir(), 'faultline-diff-'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    return { db: await ingestSide(role, side.files, dir, opts), label: filesLabel(side.files) };
  };
  let d: DiffResult;
  try {
    const base = baseline === null ? null : await place('baseline', baseline);
    const cur = await place('current', current);
    d = diffDatabases({ db: cur.db, baseline: base?.db, at, labels: { baseline: base?.label, current: cur.label } });
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.stdout.write(opts.json ? toJson(d) : opts.markdown ? toMarkdown(d) : toText(d));
  const hit = failures(d, failOn);
  if (hit.length) {
    if (!opts.json) process.stderr.write(`diff: failing on ${hit.join(', ')} (--fail-on ${failOn.join(',')})\n`);
    process.exitCode = 1;
  }
  return d;
}
