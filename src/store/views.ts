import type { StoredRequest } from '../core/types.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';
import { hydrate, REQUEST_SELECT, type RawRequestRow } from './requests.js';

export interface IncidentRow {
  id: string;
  cause: string;
  subcause: string;
  ruleId: string | null;
  title: string;
  severity: number;
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  /** The engine's full IncidentRecord as stored (JSON). */
  data: Record<string, unknown>;
}

/** An incident as the overview lists it: the columns plus the small summary JSON (not the full record). */
export interface IncidentSummaryRow {
  id: string;
  cause: string;
  subcause: string;
  title: string;
  severity: number;
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  routes: string[];
  statuses: Record<string, number>;
  sources: string[];
}

type RawIncident = { id: string; cause: string; subcause: string; rule_id: string | null; title: string; severity: number; first_seen: number | null; last_seen: number | null; count: number; data: string };

function incidentRow(r: RawIncident): IncidentRow {
  return {
    id: r.id, cause: r.cause, subcause: r.subcause, ruleId: r.rule_id, title: r.title, severity: r.severity,
    firstSeen: r.first_seen, lastSeen: r.last_seen, count: r.count, data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

export interface WarningRow {
  id: string;
  kind: string;
  route: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  data: Record<string, unknown>;
}

export interface RequestFilter {
  incidentId?: string;
  cause?: string[];
  status?: number[];
  sourceId?: number;
  failedOnly?: boolean;
  /** Substring of path, route, error text, client or user agent. */
  search?: string;
  since?: number;
  until?: number;
}

/** Read queries behind the view model (TUI, report, --json). Keyset pagination, never whole tables. */
export class Views {
  constructor(private readonly db: Db) {}

  incidents(): IncidentRow[] {
    const rows = stmt(this.db, 'SELECT id, cause, subcause, rule_id, title, severity, first_seen, last_seen, count, data FROM incidents ORDER BY severity DESC, count DESC, id')
      .all() as RawIncident[];
    return rows.map(incidentRow);
  }

  /** One incident by id or id prefix (the most severe match), without reading the others. */
  incident(idOrPrefix: string): IncidentRow | null {
    const cols = 'SELECT id, cause, subcause, rule_id, title, severity, first_seen, last_seen, count, data FROM incidents';
    const exact = stmt(this.db, `${cols} WHERE id = ?`).get(idOrPrefix) as RawIncident | undefined;
    if (exact) return incidentRow(exact);
    // A prefix is a range of the primary key: [prefix, prefix + U+10FFFF).
    const r = stmt(this.db, `${cols} WHERE id >= ? AND id < ? ORDER BY severity DESC, count DESC, id LIMIT 1`)
      .get(idOrPrefix, idOrPrefix + '\u{10FFFF}') as RawIncident | undefined;
    return r ? incidentRow(r) : null;
  }

  /** Every incident as the overview lists it, most severe first, from the summary column (no full record parsed). */
  incidentSummaries(): IncidentSummaryRow[] {
    // Exactly the columns of the incidents_list index: read in order from the index alone.
    const rows = stmt(this.db, `SELECT id, cause, subcause, title, severity, first_seen, last_seen, count, summary
        FROM incidents ORDER BY severity DESC, count DESC, id`).all() as Array<RawIncident & { summary: string | null }>;
    return rows.map((r) => {
      // Written with every incident since schema 3; the full record stands in should one lack it.
      const text = r.summary ?? (stmt(this.db, 'SELECT data FROM incidents WHERE id = ?').pluck().get(r.id) as string);
      const s = JSON.parse(text) as { routes: string[]; statuses: Record<string, number>; sources: string[] };
      return {
        id: r.id, cause: r.cause, subcause: r.subcause, title: r.title, severity: r.severity, firstSeen: r.first_seen,
        lastSeen: r.last_seen, count: r.count, routes: s.routes, statuses: s.statuses, sources: s.sources,
      };
    });
  }

  warnings(): WarningRow[] {
    const rows = stmt(this.db, 'SELECT * FROM warnings ORDER BY count DESC, id').all() as Array<{
      id: string; kind: string; route: string | null; first_seen: number | null; last_seen: number | null; count: number; data: string;
    }>;
    return rows.map((r) => ({
      id: r.id, kind: r.kind, route: r.route, firstSeen: r.first_seen, lastSeen: r.last_seen, count: r.count,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  timeline(): Array<{ minute: number; total: number; failed: number }> {
    return stmt(this.db, 'SELECT minute, total, failed FROM timeline ORDER BY minute').all() as Array<{ minute: number; total: number; failed: number }>;
  }

  causeCounts(): Array<{ cause: string; count: number }> {
    return stmt(this.db, `SELECT IFNULL(a.cause, 'unknown') AS cause, count(*) AS count FROM req r LEFT JOIN req_analysis a ON a.id = r.id
        WHERE r.failed = 1 GROUP BY 1 ORDER BY 2 DESC, 1`)
      .all() as Array<{ cause: string; count: number }>;
  }

  skipped(sourceId: number, limit = 20): Array<{ unit: number; reason: string; detail: string | null; excerpt: string }> {
    return stmt(this.db, 'SELECT unit, reason, detail, excerpt FROM skipped WHERE source_id = ? ORDER BY unit LIMIT ?')
      .all(sourceId, limit) as Array<{ unit: number; reason: string; detail: string | null; excerpt: string }>;
  }

  /**
   * Failed requests per source as stored now: ingest's marks plus the 2xx payload errors analysis
   * found (sources.failures keeps ingest's count, the --json contract). Reads the failure index only.
   */
  failedBySource(): Map<number, number> {
    const rows = stmt(this.db, 'SELECT id / 1099511627776 AS sid, count(*) AS n FROM req WHERE failed = 1 GROUP BY 1').all() as Array<{ sid: number; n: number }>;
    return new Map(rows.map((r) => [r.sid, r.n]));
  }

  skipReasons(sourceId: number): Array<{ reason: string; count: number }> {
    return stmt(this.db, 'SELECT reason, count(*) AS count FROM skipped WHERE source_id = ? GROUP BY reason ORDER BY 2 DESC, 1')
      .all(sourceId) as Array<{ reason: string; count: number }>;
  }

  /**
   * One page of requests after `afterKey` ([ts, id] of the last row shown), in (ts, id) order.
   * Keyset pagination keeps every page O(page) however deep the user scrolls.
   */
  page(filter: RequestFilter, limit: number, after: { ts: number | null; id: number } | null = null): StoredRequest[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (filter.incidentId !== undefined) { where.push('v.incident_id = ?'); args.push(filter.incidentId); }
    if (filter.failedOnly) where.push('v.failed = 1');
    if (filter.sourceId !== undefined) { where.push('v.source_id = ?'); args.push(filter.sourceId); }
    if (filter.cause?.length) { where.push(`IFNULL(v.cause, 'unknown') IN (${filter.cause.map(() => '?').join(',')})`); args.push(...filter.cause); }
    if (filter.status?.length) { where.push(`v.status IN (${filter.status.map(() => '?').join(',')})`); args.push(...filter.status); }
    if (filter.since !== undefined) { where.push('v.ts >= ?'); args.push(filter.since); }
    if (filter.until !== undefined) { where.push('v.ts <= ?'); args.push(filter.until); }
    if (filter.search) {
      where.push("(instr(v.path, ?) > 0 OR instr(IFNULL(v.host, ''), ?) > 0 OR instr(IFNULL(v.route, ''), ?) > 0 OR instr(IFNULL(v.error_text, ''), ?) > 0 OR instr(IFNULL(v.client_ip, ''), ?) > 0 OR instr(IFNULL(v.user_agent, ''), ?) > 0)");
      for (let i = 0; i < 6; i++) args.push(filter.search);
    }
    if (after) {
      // (ts, id) order with NULL times first, as SQLite sorts them: plain columns so the
      // (incident_id, ts) index serves both the filter and the order (no temp B-tree per page).
      if (after.ts === null) {
        where.push('(v.ts IS NOT NULL OR v.id > ?)');
        args.push(after.id);
      } else {
        where.push('(v.ts > ? OR (v.ts = ? AND v.id > ?))');
        args.push(after.ts, after.ts, after.id);
      }
    }
    const sql = `${REQUEST_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY v.ts, v.id LIMIT ?`;
    args.push(limit);
    return (stmt(this.db, sql).all(...args) as RawRequestRow[]).map(hydrate);
  }

  /** Member failures of an incident per timeline bucket (uses the partial incident index). */
  incidentBuckets(incidentId: string, start: number, bucketMs: number): Array<{ bucket: number; count: number }> {
    return stmt(this.db, 'SELECT CAST((ts - ?) / ? AS INTEGER) AS bucket, count(*) AS count FROM req_analysis WHERE incident_id = ? AND ts IS NOT NULL GROUP BY 1')
      .all(start, bucketMs, incidentId) as Array<{ bucket: number; count: number }>;
  }

  /** Member failures of every incident per timeline bucket, in one pass over the incident index. */
  allIncidentBuckets(start: number, bucketMs: number): Map<string, Array<{ bucket: number; count: number }>> {
    const rows = stmt(this.db, `SELECT incident_id, CAST((ts - ?) / ? AS INTEGER) AS bucket, count(*) AS count FROM req_analysis
        WHERE incident_id IS NOT NULL AND ts IS NOT NULL GROUP BY 1, 2`).raw().iterate(start, bucketMs) as IterableIterator<[string, number, number]>;
    const out = new Map<string, Array<{ bucket: number; count: number }>>();
    for (const [id, bucket, count] of rows) {
      let list = out.get(id);
      if (!list) { list = []; out.set(id, list); }
      list.push({ bucket, count });
    }
    return out;
  }

  /**
   * Scorecard inputs without a scan of every request: p95 from the writer's duration histogram,
   * counts from the failure index and req_analysis, retries from the groups that failed.
   */
  scorecardStats(): { p95Ms: number | null; total: number; failed: number; timeouts: number; auth: number; validation: number; retried: number; retriedOk: number } {
    const hist = stmt(this.db, 'SELECT ms, n FROM dur_hist ORDER BY ms').all() as Array<{ ms: number; n: number }>;
    let n = 0;
    for (const h of hist) n += h.n;
    let p95: number | null = null;
    if (n > 0) {
      const want = Math.ceil(n * 0.95);
      let acc = 0;
      for (const h of hist) {
        acc += h.n;
        if (acc >= want) { p95 = h.ms; break; }
      }
    }
    const total = stmt(this.db, 'SELECT IFNULL(sum(records), 0) FROM sources').pluck().get() as number;
    const failed = stmt(this.db, 'SELECT count(*) FROM req WHERE failed = 1').pluck().get() as number;
    const c = stmt(this.db, `SELECT IFNULL(sum(cause = 'timeout'), 0) AS timeouts, IFNULL(sum(cause = 'auth'), 0) AS auth,
        IFNULL(sum(cause = 'bad-request'), 0) AS validation FROM req_analysis`).get() as { timeouts: number; auth: number; validation: number };
    return { p95Ms: p95, total, failed, ...c, ...this.retries() };
  }

  /**
   * A (client, method, host, path) that failed and was requested again later counts as retried; it
   * counts as recovered when a later request succeeded. Only groups with a failure matter: they are
   * collected from the failures (index), then one pass in SQLite finds their later requests.
   */
  private retries(): { retried: number; retriedOk: number } {
    const db = this.db;
    db.exec(`DROP TABLE IF EXISTS temp.fail_groups;
      CREATE TEMP TABLE fail_groups (c INTEGER NOT NULL, h INTEGER NOT NULL, p INTEGER NOT NULL, m INTEGER NOT NULL, fail_min INTEGER NOT NULL,
        PRIMARY KEY (c, h, p, m)) WITHOUT ROWID;
      INSERT INTO temp.fail_groups
        SELECT IFNULL(client_id, -(id >> 40)), IFNULL(host_id, -1), IFNULL(path_id, -1), IFNULL(method_id, -1), min(ts)
        FROM req WHERE failed = 1 AND ts IS NOT NULL GROUP BY 1, 2, 3, 4;`);
    const groups = new Map<string, { failMin: number; okMax: number; last: number }>();
    const rows = db.prepare(`SELECT g.c, g.h, g.p, g.m, g.fail_min, r.failed, r.ts
      FROM req r CROSS JOIN temp.fail_groups g
      WHERE g.c = IFNULL(r.client_id, -(r.id >> 40)) AND g.h = IFNULL(r.host_id, -1) AND g.p = IFNULL(r.path_id, -1)
        AND g.m = IFNULL(r.method_id, -1) AND r.ts > g.fail_min`).raw();
    for (const row of rows.iterate() as IterableIterator<[number, number, number, number, number, number, number]>) {
      const key = `${row[0]} ${row[1]} ${row[2]} ${row[3]}`;
      let g = groups.get(key);
      if (!g) { g = { failMin: row[4], okMax: -Infinity, last: -Infinity }; groups.set(key, g); }
      if (row[6] > g.last) g.last = row[6];
      if (row[5] === 0 && row[6] > g.okMax) g.okMax = row[6];
    }
    db.exec('DROP TABLE IF EXISTS temp.fail_groups');
    let retried = 0;
    let ok = 0;
    for (const g of groups.values()) {
      retried++;
      if (g.okMax > g.failMin) ok++;
    }
    return { retried, retriedOk: ok };
  }

  /** Small JSON facts kept beside the data (scorecard cache, redaction counts). */
  meta<T>(key: string): T | null {
    const row = stmt(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string | Buffer } | undefined;
    return row ? (JSON.parse(String(row.value)) as T) : null;
  }

  setMeta(key: string, value: unknown): void {
    stmt(this.db, 'INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(key, JSON.stringify(value));
  }
}
