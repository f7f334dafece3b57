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
    const rows = stmt(this.db, 'SELECT * FROM incidents ORDER BY severity DESC, count DESC, id')
      .all() as Array<{ id: string; cause: string; subcause: string; rule_id: string | null; title: string; severity: number; first_seen: number | null; last_seen: number | null; count: number; data: string }>;
    return rows.map((r) => ({
      id: r.id, cause: r.cause, subcause: r.subcause, ruleId: r.rule_id, title: r.title, severity: r.severity,
      firstSeen: r.first_seen, lastSeen: r.last_seen, count: r.count, data: JSON.parse(r.data) as Record<string, unknown>,
    }));
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
    return stmt(this.db, "SELECT IFNULL(cause, 'unknown') AS cause, count(*) AS count FROM requests WHERE failed = 1 GROUP BY 1 ORDER BY 2 DESC, 1")
      .all() as Array<{ cause: string; count: number }>;
  }

  skipped(sourceId: number, limit = 20): Array<{ unit: number; reason: string; detail: string | null; excerpt: string }> {
    return stmt(this.db, 'SELECT unit, reason, detail, excerpt FROM skipped WHERE source_id = ? ORDER BY unit LIMIT ?')
      .all(sourceId, limit) as Array<{ unit: number; reason: string; detail: string | null; excerpt: string }>;
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
      where.push("(instr(v.path, ?) > 0 OR instr(IFNULL(v.route, ''), ?) > 0 OR instr(IFNULL(v.error_text, ''), ?) > 0 OR instr(IFNULL(v.client_ip, ''), ?) > 0 OR instr(IFNULL(v.user_agent, ''), ?) > 0)");
      for (let i = 0; i < 5; i++) args.push(filter.search);
    }
    if (after) {
      where.push('(IFNULL(v.ts, -1) > ? OR (IFNULL(v.ts, -1) = ? AND v.id > ?))');
      const t = after.ts ?? -1;
      args.push(t, t, after.id);
    }
    const sql = `${REQUEST_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY IFNULL(v.ts, -1), v.id LIMIT ?`;
    args.push(limit);
    return (stmt(this.db, sql).all(...args) as RawRequestRow[]).map(hydrate);
  }

  /** Member failures of an incident per timeline bucket (uses the partial incident index). */
  incidentBuckets(incidentId: string, start: number, bucketMs: number): Array<{ bucket: number; count: number }> {
    return stmt(this.db, 'SELECT CAST((ts - ?) / ? AS INTEGER) AS bucket, count(*) AS count FROM requests WHERE incident_id = ? AND ts IS NOT NULL GROUP BY 1')
      .all(start, bucketMs, incidentId) as Array<{ bucket: number; count: number }>;
  }

  /** Scorecard inputs, computed with a few aggregate scans (no sort of the whole table). */
  scorecardStats(): { p95Ms: number | null; total: number; failed: number; timeouts: number; auth: number; validation: number; retried: number; retriedOk: number } {
    const hist = stmt(this.db, 'SELECT CAST(duration_ms AS INTEGER) AS ms, count(*) AS n FROM requests WHERE duration_ms IS NOT NULL GROUP BY 1 ORDER BY 1')
      .all() as Array<{ ms: number; n: number }>;
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
    const c = stmt(this.db, `SELECT count(*) AS total, IFNULL(sum(failed), 0) AS failed,
        IFNULL(sum(cause = 'timeout'), 0) AS timeouts, IFNULL(sum(cause = 'auth'), 0) AS auth,
        IFNULL(sum(cause = 'bad-request'), 0) AS validation FROM requests`).get() as {
      total: number; failed: number; timeouts: number; auth: number; validation: number;
    };
    // A (client, method, host, path) that failed and was requested again later counts as retried;
    // it counts as recovered when a later request succeeded.
    const r = stmt(this.db, `SELECT count(*) AS retried, IFNULL(sum(ok_max > fail_min), 0) AS ok FROM (
        SELECT min(CASE WHEN failed = 1 THEN ts END) AS fail_min, max(CASE WHEN failed = 0 THEN ts END) AS ok_max, max(ts) AS last
        FROM requests GROUP BY IFNULL(client_id, -source_id), host_id, path_id, method
      ) WHERE fail_min IS NOT NULL AND last > fail_min`).get() as { retried: number; ok: number };
    return { p95Ms: p95, ...c, retried: r.retried, retriedOk: r.ok };
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
