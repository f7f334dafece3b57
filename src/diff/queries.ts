/**
 * The SQL behind `faultline diff`. It lives here, not in src/store, on purpose: diff reads two
 * investigation databases side by side, each opened READ-ONLY through src/store/open.ts (a Store
 * owns one writable database and keeps its handle private). Nothing here writes to a
 * database file; the only table created is a TEMP table (connection-private, in memory), which
 * SQLite allows on a read-only connection.
 *
 * Every query is an aggregate (GROUP BY) whose result is bounded by routes × duration buckets or by
 * incidents × statuses × routes, never by the number of requests.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { openDb, type Db } from '../store/open.js';

export type { Db };

/** [from, until) in epoch ms; a missing bound is open. Requests without a time are outside any bounded window. */
export interface TimeWindow {
  from?: number;
  until?: number;
}

export function openReadonly(path: string, role: string): Db {
  if (!existsSync(path)) {
    throw new UserError(`${role} database ${path} does not exist`, { hint: `create it first: faultline ingest FILES… --db ${path}` });
  }
  try {
    // store/open.ts owns every connection: busy timeout, schema check, read-only media (B-33)
    return openDb(path, { readonly: true });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const corrupt = /is corrupt/.test(err.message);
    throw new UserError(`${role} ${corrupt ? `database ${path} is not a faultline database or is corrupt` : err.message}`, {
      hint: corrupt ? 're-create it from its sources with faultline ingest' : err.hint,
    });
  }
}

function windowSql(w: TimeWindow | null, alias = 'r'): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  if (w?.from !== undefined) { parts.push(`${alias}.ts >= ?`); args.push(w.from); }
  if (w?.until !== undefined) { parts.push(`${alias}.ts < ?`); args.push(w.until); }
  return { sql: parts.join(' AND '), args };
}

function where(...conds: string[]): string {
  const c = conds.filter((x) => x !== '');
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
}

export function totals(db: Db, w: TimeWindow | null): { requests: number; failures: number; first: number | null; last: number | null } {
  const win = windowSql(w);
  const row = db
    .prepare(`SELECT count(*) AS requests, IFNULL(sum(r.failed), 0) AS failures, min(r.ts) AS first, max(r.ts) AS last FROM requests r ${where(win.sql)}`)
    .get(...win.args) as { requests: number; failures: number; first: number | null; last: number | null };
  return row;
}

/** Requests without a time: outside every bounded window (`--at`). */
export function untimed(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM requests WHERE ts IS NULL').get() as { n: number }).n;
}

/** Whether analysis ran: failures without a cause mean it did not (or was interrupted). */
export function unanalysedFailures(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM requests WHERE failed = 1 AND cause IS NULL').get() as { n: number }).n;
}

export interface IncidentBase {
  id: string;
  cause: string;
  subcause: string;
  title: string;
  severity: number;
  /** IncidentRecord.group as stored. */
  group: Record<string, string>;
}

export function incidents(db: Db): IncidentBase[] {
  const rows = db.prepare('SELECT id, cause, subcause, title, severity, data FROM incidents ORDER BY severity DESC, count DESC, id').all() as Array<{
    id: string; cause: string; subcause: string; title: string; severity: number; data: string;
  }>;
  return rows.map((r) => {
    let group: Record<string, string> = {};
    try {
      const d = JSON.parse(r.data) as { group?: unknown };
      if (d.group && typeof d.group === 'object' && !Array.isArray(d.group)) {
        for (const [k, v] of Object.entries(d.group as Record<string, unknown>)) group[k] = String(v);
      }
    } catch {
      group = {};
    }
    return { id: r.id, cause: r.cause, subcause: r.subcause, title: r.title, severity: r.severity, group };
  });
}

/** Distinct (host, path) with request counts: the input of the shared route templating. */
export function pathKeys(db: Db): Array<{ hostId: number; pathId: number; host: string | null; path: string; count: number }> {
  return db
    .prepare(`SELECT IFNULL(g.host_id, 0) AS hostId, g.path_id AS pathId, h.s AS host, p.s AS path, g.n AS count FROM (
        SELECT host_id, path_id, count(*) AS n FROM requests WHERE path_id IS NOT NULL GROUP BY host_id, path_id
      ) g JOIN dict p ON p.id = g.path_id LEFT JOIN dict h ON h.id = g.host_id`)
    .all() as Array<{ hostId: number; pathId: number; host: string | null; path: string; count: number }>;
}

/** Loads (host_id, path_id) → route number into a connection-private temp table. */
export function loadRouteMap(db: Db, rows: Iterable<{ hostId: number; pathId: number; route: number }>): void {
  db.exec('DROP TABLE IF EXISTS temp.diff_route; CREATE TEMP TABLE diff_route (host_id INTEGER NOT NULL, path_id INTEGER NOT NULL, route INTEGER NOT NULL, PRIMARY KEY (host_id, path_id)) WITHOUT ROWID');
  const ins = db.prepare('INSERT OR REPLACE INTO temp.diff_route (host_id, path_id, route) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) ins.run(r.hostId, r.pathId, r.route);
  })();
}

const ROUTE_JOIN = 'JOIN temp.diff_route m ON m.host_id = IFNULL(r.host_id, 0) AND m.path_id = r.path_id';

/**
 * Durations bucketed so a route's histogram stays small whatever the data: exact below 1 s, then
 * 10 ms, 100 ms and 1 s steps (p95 within 1 %).
 */
const BUCKET = `CASE WHEN r.duration_ms IS NULL THEN NULL
  WHEN r.duration_ms < 1000 THEN CAST(r.duration_ms AS INTEGER)
  WHEN r.duration_ms < 10000 THEN CAST(r.duration_ms / 10 AS INTEGER) * 10
  WHEN r.duration_ms < 100000 THEN CAST(r.duration_ms / 100 AS INTEGER) * 100
  ELSE CAST(r.duration_ms / 1000 AS INTEGER) * 1000 END`;

export interface RouteBucketRow {
  route: number;
  method: string;
  /** Duration bucket in ms; null for requests without a duration. */
  ms: number | null;
  n: number;
  failed: number;
}

export function routeBuckets(db: Db, w: TimeWindow | null): RouteBucketRow[] {
  const win = windowSql(w);
  return db
    .prepare(`SELECT m.route AS route, IFNULL(r.method, '') AS method, ${BUCKET} AS ms, count(*) AS n, IFNULL(sum(r.failed), 0) AS failed
      FROM requests r ${ROUTE_JOIN} ${where(win.sql)} GROUP BY 1, 2, 3`)
    .all(...win.args) as RouteBucketRow[];
}

export function routeCauses(db: Db, w: TimeWindow | null): Array<{ route: number; method: string; cause: string; n: number }> {
  const win = windowSql(w);
  return db
    .prepare(`SELECT m.route AS route, IFNULL(r.method, '') AS method, IFNULL(r.cause, 'unknown') AS cause, count(*) AS n
      FROM requests r ${ROUTE_JOIN} ${where('r.failed = 1', win.sql)} GROUP BY 1, 2, 3`)
    .all(...win.args) as Array<{ route: number; method: string; cause: string; n: number }>;
}

export interface MemberRow {
  incident: string;
  status: number | null;
  /** Route number from the temp map; null when the request has no path. */
  route: number | null;
  method: string;
  n: number;
  first: number | null;
  last: number | null;
}

/** Incident members grouped by status and route (inside the window when one is given). */
export function incidentMembers(db: Db, w: TimeWindow | null): MemberRow[] {
  const win = windowSql(w);
  return db
    .prepare(`SELECT r.incident_id AS incident, r.status AS status, m.route AS route, IFNULL(r.method, '') AS method,
        count(*) AS n, min(r.ts) AS first, max(r.ts) AS last
      FROM requests r LEFT ${ROUTE_JOIN} ${where('r.incident_id IS NOT NULL', win.sql)} GROUP BY 1, 2, 3, 4`)
    .all(...win.args) as MemberRow[];
}
