import type { Header, StoredRequest, Timings } from '../core/types.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

/** Columns of requests_v + request_detail that hydrate a StoredRequest. */
export const REQUEST_SELECT = `
  SELECT v.id, v.source_id, v.unit, v.ts, v.method, v.scheme, v.host, v.path, v.query, v.status, v.http_version,
    v.duration_ms, v.upstream_ms, v.bytes_out, v.bytes_in, v.client_ip, v.user_agent, v.referer,
    v.upstream_addr, v.upstream_status, v.request_id, v.trace_id, v.error_text, v.failed,
    v.cause, v.subcause, v.rule_id, v.incident_id, v.source_path, v.source_kind, v.format, v.route,
    d.timings, d.req_headers, d.resp_headers, d.resp_mime, d.body, d.body_size, d.body_hash, d.extra, d.raw
  FROM requests_v v LEFT JOIN request_detail d ON d.id = v.id`;

export interface RawRequestRow {
  id: number; source_id: number; unit: number; ts: number | null; method: string | null; scheme: string | null;
  host: string | null; path: string | null; query: string | null; status: number | null; http_version: string | null;
  duration_ms: number | null; upstream_ms: number | null; bytes_out: number | null; bytes_in: number | null;
  client_ip: string | null; user_agent: string | null; referer: string | null; upstream_addr: string | null;
  upstream_status: string | null; request_id: string | null; trace_id: string | null; error_text: string | null;
  failed: number; cause: string | null; subcause: string | null; rule_id: string | null; incident_id: string | null;
  source_path: string; source_kind: string; format: string; route: string | null;
  timings: string | null; req_headers: string | null; resp_headers: string | null; resp_mime: string | null;
  body: string | null; body_size: number | null; body_hash: string | null; extra: string | null; raw: string | null;
}

function parse<T>(s: string | null): T | null {
  return s === null ? null : (JSON.parse(s) as T);
}

export function hydrate(r: RawRequestRow): StoredRequest {
  const isHar = r.source_kind === 'har';
  return {
    id: r.id, sourceId: r.source_id, sourcePath: r.source_path, sourceKind: isHar ? 'har' : 'log', format: r.format,
    line: isHar ? null : r.unit, entry: isHar ? r.unit : null, failed: r.failed === 1,
    route: r.route, cause: r.cause, subcause: r.subcause, ruleId: r.rule_id, incidentId: r.incident_id, raw: r.raw,
    ts: r.ts, method: r.method, scheme: r.scheme, host: r.host, path: r.path, query: r.query, status: r.status,
    httpVersion: r.http_version, durationMs: r.duration_ms, upstreamMs: r.upstream_ms,
    timings: parse<Timings>(r.timings), bytesOut: r.bytes_out, bytesIn: r.bytes_in, clientIp: r.client_ip,
    userAgent: r.user_agent, referer: r.referer, upstreamAddr: r.upstream_addr, upstreamStatus: r.upstream_status,
    requestId: r.request_id, traceId: r.trace_id, errorText: r.error_text,
    reqHeaders: parse<Header[]>(r.req_headers), respHeaders: parse<Header[]>(r.resp_headers), respMime: r.resp_mime,
    body: r.body, bodySize: r.body_size, bodyHash: r.body_hash,
    extra: parse<Record<string, string | number | boolean | null>>(r.extra),
  };
}

/** Reads requests back. Large reads stream with `.iterate()`; nothing loads a whole table. */
export class Requests {
  constructor(private readonly db: Db) {}

  *iterate(opts: { failedOnly?: boolean; sourceId?: number } = {}): IterableIterator<StoredRequest> {
    const where: string[] = [];
    const args: number[] = [];
    if (opts.failedOnly) where.push('v.failed = 1');
    if (opts.sourceId !== undefined) { where.push('v.source_id = ?'); args.push(opts.sourceId); }
    const sql = `${REQUEST_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY v.ts, v.id`;
    for (const row of stmt(this.db, sql).iterate(...args) as IterableIterator<RawRequestRow>) yield hydrate(row);
  }

  get(id: number): StoredRequest | null {
    const row = stmt(this.db, `${REQUEST_SELECT} WHERE v.id = ?`).get(id) as RawRequestRow | undefined;
    return row ? hydrate(row) : null;
  }

  /** A request by source path (or basename) and line/entry, as users name them ("access.log:12", "capture.har#3"). */
  byLocator(source: string, unit: number): StoredRequest | null {
    const row = stmt(this.db, `${REQUEST_SELECT} WHERE v.unit = ? AND (v.source_path = ? OR v.source_path LIKE '%/' || ?) LIMIT 1`)
      .get(unit, source, source) as RawRequestRow | undefined;
    return row ? hydrate(row) : null;
  }

  /**
   * Distinct host + path with counts: the input of route templating (far fewer rows than requests),
   * read from the writer's path_stats (no scan of the requests). Order: host id (none first), path id.
   */
  *routeKeys(): IterableIterator<{ host: string | null; path: string; count: number; failed: number; hostId: number; pathId: number }> {
    const sql = `SELECT h.s AS host, p.s AS path, g.n AS count, g.failed AS failed, g.host_id AS hostId, g.path_id AS pathId
      FROM path_stats g JOIN dict p ON p.id = g.path_id LEFT JOIN dict h ON h.id = g.host_id WHERE g.path_id != 0`;
    yield* stmt(this.db, sql).iterate() as IterableIterator<{ host: string | null; path: string; count: number; failed: number; hostId: number; pathId: number }>;
  }

  count(): { total: number; failed: number } {
    const total = stmt(this.db, 'SELECT count(*) FROM req').pluck().get() as number;
    // The partial index on failures makes this a count of index entries.
    const failed = stmt(this.db, 'SELECT count(*) FROM req WHERE failed = 1').pluck().get() as number;
    return { total, failed };
  }
}
