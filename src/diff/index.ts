/**
 * `faultline diff`: what changed between two investigation databases (`--baseline A.db --db B.db`),
 * or inside one database before and after a time (`--db B.db --at 2026-03-14T10:05:00Z`, e.g. a deploy).
 * Both databases are opened read-only (src/diff/queries.ts holds the SQL); nothing is written.
 * Sides given as files (`--baseline-files`, `--files`) are ingested into temporary databases by the
 * CLI command first (src/cli/commands/diff.ts, src/diff/sides.ts).
 */
import { realpathSync } from 'node:fs';
import { parseIsoUtc } from '../core/calendar.js';
import { UserError } from '../core/errors.js';
import { compare, DEFAULT_THRESHOLDS, type DiffResult, type DiffThresholds } from './compare.js';
import { openReadonly, unanalysedFailures, type Db } from './queries.js';

export { compare, stripMarkerHashes, pct, DEFAULT_THRESHOLDS } from './compare.js';
export type { DiffResult, DiffThresholds, ChangedIncident, NewOrGone, RouteChange, RouteSide, SideInfo, IncidentSide } from './compare.js';
export { toText, toMarkdown, toJson, routeSummary } from './render.js';

export interface DiffSpec {
  /** The current database. */
  db: string;
  /** The baseline database (two-database mode). */
  baseline?: string;
  /** Split `db` at this time (epoch ms): before = baseline, at or after = current. */
  at?: number;
  /** How each side is named in the output (default: its database path); e.g. the files a side was built from. */
  labels?: { baseline?: string; current?: string };
  thresholds?: Partial<DiffThresholds>;
}

/** Parses --at: an ISO 8601 date-time (a zone is required, so the split is not at the mercy of TZ), or epoch milliseconds. */
export function parseAt(s: string): number {
  let v = s.trim();
  if (/^\d{10,16}$/.test(v)) return Number(v);
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(v);
  // minutes without seconds (2026-03-14T10:05Z) are common on a command line
  if (v.length > 16 && v.charCodeAt(13) === 58 && v.charCodeAt(16) !== 58) v = `${v.slice(0, 16)}:00${v.slice(16)}`;
  // a calendar-checked reader: 2026-02-30 is an error, not 2 March (src/core/calendar.ts)
  const t = hasZone ? parseIsoUtc(v) : null;
  if (t === null) {
    throw new UserError(`--at: not a date-time with a zone: "${s}"`, { hint: 'e.g. --at 2026-03-14T10:05:00Z (or +01:00), or epoch milliseconds' });
  }
  return t;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function checkAnalysed(db: Db, path: string): void {
  const n = unanalysedFailures(db);
  if (n > 0) {
    throw new UserError(`${path}: ${n} failures have no cause yet (analysis did not run or was interrupted)`, {
      hint: `re-run the ingest (it analyses at the end): faultline ingest FILES… --db ${path}`,
    });
  }
}

export function diffDatabases(spec: DiffSpec): DiffResult {
  const th = { ...DEFAULT_THRESHOLDS, ...spec.thresholds };
  if (spec.baseline !== undefined && spec.at !== undefined) {
    throw new UserError('--baseline and --at exclude each other', { hint: 'compare two databases, or one database before and after a time' });
  }
  if (spec.baseline === undefined && spec.at === undefined) {
    throw new UserError('diff needs --baseline A.db (or --baseline-files FILES…), or --at TIME to split one side at a deploy time', {
      hint: 'faultline diff --baseline before.db --db after.db   |   faultline diff --baseline-files before.har --files after.har   |   faultline diff --db all.db --at 2026-03-14T10:05:00Z',
    });
  }
  const cur = openReadonly(spec.db, 'current');
  try {
    checkAnalysed(cur, spec.db);
    if (spec.at !== undefined) {
      const label = spec.labels?.current ?? spec.db;
      return compare({ db: cur, label, window: { until: spec.at } }, { db: cur, label, window: { from: spec.at } }, th);
    }
    if (sameFile(spec.baseline!, spec.db)) {
      throw new UserError('--baseline and --db are the same database', { hint: 'to compare before and after a time in one database use --at TIME' });
    }
    const base = openReadonly(spec.baseline!, 'baseline');
    try {
      checkAnalysed(base, spec.baseline!);
      return compare({ db: base, label: spec.labels?.baseline ?? spec.baseline!, window: null }, { db: cur, label: spec.labels?.current ?? spec.db, window: null }, th);
    } finally {
      base.close();
    }
  } finally {
    cur.close();
  }
}
