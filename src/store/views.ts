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

export type IncidentSort = 'severity' | 'count' | 'time';

/** Which incidents a list shows, in which order (the TUI's overview filters, the report's). */
export interface IncidentQuery {
  sort?: IncidentSort;
  cause?: string | null;
  /** Any of these causes (the report's --cause). */
  causes?: readonly string[];
  /** Incidents with at least one failure of this status. */
  status?: number | null;
  /** Incidents with members from this source (its path as ingested). */
  sourcePath?: string | null;
  /** Incidents overlapping [since, until] (epoch ms, inclusive); incidents without times never do. */
  since?: number;
  until?: number;
  /** Case-sensitive substring of a route, message template, client IP or user agent. */
  search?: string;
  /** Only these ids (resolved, not prefixes). */
  ids?: readonly string[];
}

/** Where a page of incidents continues: the row's two sort values and its id. */
export interface IncidentKey {
  a: number;
  b: number;
  id: string;
}

/** Text matched literally by GLOB: its wildcards (* ? [) as one-character classes. */
function globLiteral(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '*' || ch === '?' || ch === '[' ? `[${ch}]` : ch;
  return out;
}

/** No time sorts last in the first-seen order (migration 6's incidents_by_time). */
const NO_TIME = 9007199254740991;

/**
 * Each sort order as three keys with their directions, matching an index (migrations 3/5/6), so a
 * page after a key is three index seeks (see incidentPage) and never a scan from the top.
 */
const ORDERS: Record<IncidentSort, { a: string; b: string; desc: [boolean, boolean]; index: string }> = {
  severity: { a: 'severity', b: 'count', desc: [true, true], index: 'incidents_list' },
  count: { a: 'count', b: 'severity', desc: [true, true], index: 'incidents_by_count' },
  time: { a: `IFNULL(first_seen, ${NO_TIME})`, b: 'severity', desc: [false, true], index: 'incidents_by_time' },
};

const SUMMARY_COLS = 'id, cause, subcause, title, severity, first_seen, last_seen, count, summary';

type RawSummary = { id: string; cause: string; subcause: string; title: string; severity: number; first_seen: number | null; last_seen: number | null; count: number; summary: string | null };

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
    const rows = stmt(this.db, `SELECT ${SUMMARY_COLS} FROM incidents ORDER BY severity DESC, count DESC, id`).all() as RawSummary[];
    return rows.map((r) => this.summaryRow(r));
  }

  private summaryRow(r: RawSummary): IncidentSummaryRow {
    // Written with every incident since schema 3; the full record stands in should one lack it.
    const text = r.summary ?? (stmt(this.db, 'SELECT data FROM incidents WHERE id = ?').pluck().get(r.id) as string);
    const s = JSON.parse(text) as { routes: string[] | null; statuses: Record<string, number> | null; sources: string[] | null };
    return {
      id: r.id, cause: r.cause, subcause: r.subcause, title: r.title, severity: r.severity, firstSeen: r.first_seen,
      lastSeen: r.last_seen, count: r.count, routes: s.routes ?? [], statuses: s.statuses ?? {}, sources: s.sources ?? [],
    };
  }

  /** The sort key of a listed incident (pass it back to incidentPage to continue after or before it). */
  incidentKey(row: { id: string; severity: number; count: number; firstSeen: number | null }, sort: IncidentSort = 'severity'): IncidentKey {
    if (sort === 'count') return { a: row.count, b: row.severity, id: row.id };
    if (sort === 'time') return { a: row.firstSeen ?? NO_TIME, b: row.severity, id: row.id };
    return { a: row.severity, b: row.count, id: row.id };
  }

  /** WHERE terms of a query, on columns the list indexes hold where possible. */
  private incidentWhere(q: IncidentQuery): { where: string[]; args: Array<string | number> } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.cause != null) { where.push('cause = ?'); args.push(q.cause); }
    if (q.causes?.length) { where.push(`cause IN (${q.causes.map(() => '?').join(', ')})`); args.push(...q.causes); }
    if (q.since !== undefined) { where.push('last_seen >= ?'); args.push(q.since); }
    if (q.until !== undefined) { where.push(`IFNULL(first_seen, ${NO_TIME}) <= ?`); args.push(q.until); }
    if (q.since !== undefined || q.until !== undefined) where.push('first_seen IS NOT NULL AND last_seen IS NOT NULL');
    // The summary is JSON.stringify({routes, statuses, sources}): a status is an object key ("503":), which
    // no string value can hold unescaped; the sources array is what follows its key.
    // GLOB, not instr(): no character counting, a third less CPU per summary (see prepareSearch).
    if (q.status != null) { where.push('summary GLOB ?'); args.push(`*"${q.status}":*`); }
    if (q.sourcePath != null) {
      where.push('summary GLOB ?');
      args.push(`*"sources":[[]*${globLiteral(JSON.stringify(q.sourcePath))}*`);
    }
    if (q.ids) {
      where.push(`incidents.id IN (SELECT value FROM json_each(?))`);
      args.push(JSON.stringify(q.ids));
    }
    if (q.search) {
      this.prepareSearch(q.search);
      // Correlated, so SQLite walks the order's index and probes the hits (not the hits, then a sort).
      where.push('EXISTS (SELECT 1 FROM temp.incident_hits h WHERE h.id = incidents.id)');
    }
    return { where, args };
  }

  private searched: string | null = null;

  /**
   * The incidents whose search text holds `term`, materialised once per term in a temp table (one
   * scan of incident_text, ~30 MB on 175,000 incidents) so paging and counting do not rescan it.
   * The text is JSON, so the term is matched JSON-escaped. Falls back to the full records when
   * incident_text is out of step with the incidents (an analysis that did not refresh it).
   */
  private prepareSearch(term: string): void {
    if (this.searched === term) return;
    // GLOB '*term*' is a case-sensitive substring test like instr(), and cheaper (instr counts
    // characters to return a position): 32 vs 55 ms of CPU over 175,000 texts. Its wildcards
    // (* ? [) are escaped as one-character classes.
    const pattern = `*${globLiteral(JSON.stringify(term).slice(1, -1))}*`;
    // incident_text is rewritten whole (rowids from 1), so its last rowid is its row count: no scan.
    const inStep = ((stmt(this.db, 'SELECT IFNULL(max(rowid), 0) FROM incident_text').pluck().get() as number)
      === (stmt(this.db, 'SELECT count(*) FROM incidents').pluck().get() as number));
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS incident_hits (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.incident_hits;');
    const from = inStep
      ? 'SELECT id FROM incident_text WHERE text GLOB ?'
      : `SELECT id FROM incidents WHERE IFNULL(json_extract(data, '$.routes', '$.messages', '$.clients'), '') GLOB ?`;
    stmt(this.db, `INSERT INTO temp.incident_hits(id) ${from}`).run(pattern);
    this.searched = term;
  }

  private lists = new Map<string, { table: string; count: number }>();
  private listSeq = 0;

  /**
   * A query's incident ids written in its order to a temp table (rowid = position + 1), for lists
   * whose matches are sparse in every index order (a rare status, a narrow time window, a search):
   * one scan here, then every page, End included, is a rowid range. Search results are read from
   * the hits (sorted, a few thousand), not by walking the whole list. A few are kept per connection.
   */
  materializeIncidents(q: IncidentQuery): { table: string; count: number } {
    const key = JSON.stringify(q);
    const hit = this.lists.get(key);
    if (hit) return hit;
    const o = ORDERS[q.sort ?? 'severity'];
    const { where, args } = this.incidentWhere(q);
    const order = `ORDER BY ${o.a} ${o.desc[0] ? 'DESC' : 'ASC'}, ${o.b} ${o.desc[1] ? 'DESC' : 'ASC'}, incidents.id`;
    const rest = where.filter((w) => !w.includes('temp.incident_hits'));
    const from = q.search ? 'temp.incident_hits h CROSS JOIN incidents ON incidents.id = h.id' : 'incidents';
    const table = `incident_list_${++this.listSeq}`;
    this.db.exec(`CREATE TEMP TABLE ${table} (id TEXT NOT NULL)`);
    const count = this.db.prepare(`INSERT INTO temp.${table}(id) SELECT incidents.id FROM ${from} ${rest.length ? 'WHERE ' + rest.join(' AND ') : ''} ${order}`)
      .run(...args).changes;
    const list = { table, count };
    this.lists.set(key, list);
    while (this.lists.size > 4) {
      const [oldKey, old] = this.lists.entries().next().value as [string, { table: string }];
      this.lists.delete(oldKey);
      this.db.exec(`DROP TABLE IF EXISTS temp.${old.table}`);
    }
    return list;
  }

  /** Rows [offset, offset + limit) of a materialised list. */
  materializedPage(table: string, offset: number, limit: number): IncidentSummaryRow[] {
    return (stmt(this.db, `SELECT ${SUMMARY_COLS.split(', ').map((c) => `incidents.${c}`).join(', ')} FROM temp.${table} m
        CROSS JOIN incidents ON incidents.id = m.id WHERE m.rowid > ? ORDER BY m.rowid LIMIT ?`)
      .all(Math.max(0, offset), limit) as RawSummary[]).map((r) => this.summaryRow(r));
  }

  /** Where `id` sits in a materialised list, or -1. */
  materializedPosition(table: string, id: string): number {
    const r = stmt(this.db, `SELECT rowid FROM temp.${table} WHERE id = ?`).pluck().get(id) as number | undefined;
    return r === undefined ? -1 : r - 1;
  }

  /** Forgets searches and materialised lists (the data changed under them: a live refresh). */
  forgetLists(): void {
    for (const l of this.lists.values()) this.db.exec(`DROP TABLE IF EXISTS temp.${l.table}`);
    this.lists.clear();
    this.searched = null;
  }

  /** How many incidents hold `term` in their search text (the search then reads its hits). */
  searchHits(term: string): number {
    this.prepareSearch(term);
    return stmt(this.db, 'SELECT count(*) FROM temp.incident_hits').pluck().get() as number;
  }

  /** Rebuilds every incident's search text (after analysis: src/queries/build.ts refreshSummaries). */
  refreshIncidentText(): void {
    this.db.transaction(() => this.db.exec(`DELETE FROM incident_text;
      INSERT INTO incident_text(id, text) SELECT id, IFNULL(json_extract(data, '$.routes', '$.messages', '$.clients'), '') FROM incidents;`))();
    this.forgetLists();
  }

  /**
   * Up to `limit` incidents of a query in its order, after `after` (forward) or before it (backward,
   * returned nearest first). Keyset pagination through the order's index: a page after key (a, b, id)
   * is the rest of its (a, b) group by id, then the rest of its a group by b, then the following a
   * values, as three seeks joined by UNION ALL (SQLite has no mixed-direction row values), so a page
   * deep in a 40,000-incident tie group costs what the first page costs.
   */
  incidentPage(q: IncidentQuery, limit: number, after: IncidentKey | null, backward = false): IncidentSummaryRow[] {
    const o = ORDERS[q.sort ?? 'severity'];
    const { where, args } = this.incidentWhere(q);
    const dir = (desc: boolean) => (desc !== backward ? 'DESC' : 'ASC');
    const order = `ORDER BY ${o.a} ${dir(o.desc[0])}, ${o.b} ${dir(o.desc[1])}, id ${dir(false)}`;
    const cond = (extra: string) => `WHERE ${[...where, extra].join(' AND ')}`;
    let sql: string;
    let all: Array<string | number>;
    if (!after) {
      sql = `SELECT ${SUMMARY_COLS} FROM incidents ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${order} LIMIT ?`;
      all = [...args, limit];
    } else {
      // "further on" for a key: smaller when it sorts descending (reversed when reading backward).
      const further = (desc: boolean) => (desc !== backward ? '<' : '>');
      const branch = (extra: string) => `SELECT * FROM (SELECT ${SUMMARY_COLS} FROM incidents ${cond(extra)} ${order} LIMIT ?)`;
      sql = [
        branch(`${o.a} = ? AND ${o.b} = ? AND id ${backward ? '<' : '>'} ?`),
        branch(`${o.a} = ? AND ${o.b} ${further(o.desc[1])} ?`),
        branch(`${o.a} ${further(o.desc[0])} ?`),
      ].join(' UNION ALL ') + ' LIMIT ?';
      all = [...args, after.a, after.b, after.id, limit, ...args, after.a, after.b, limit, ...args, after.a, limit, limit];
    }
    return (stmt(this.db, sql).all(...all) as RawSummary[]).map((r) => this.summaryRow(r));
  }

  /**
   * Incidents [offset, offset + limit) of a query in its order: for a jump into the middle of a list
   * (no neighbouring page known). Costs a walk over `offset` index entries; paging uses keys.
   */
  incidentSlice(q: IncidentQuery, offset: number, limit: number): IncidentSummaryRow[] {
    const o = ORDERS[q.sort ?? 'severity'];
    const { where, args } = this.incidentWhere(q);
    const sql = `SELECT ${SUMMARY_COLS} FROM incidents ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY ${o.a} ${o.desc[0] ? 'DESC' : 'ASC'}, ${o.b} ${o.desc[1] ? 'DESC' : 'ASC'}, id LIMIT ? OFFSET ?`;
    return (stmt(this.db, sql).all(...args, limit, Math.max(0, offset)) as RawSummary[]).map((r) => this.summaryRow(r));
  }

  /** How many incidents a query selects (a scan of one list index when filtered). */
  incidentCount(q: IncidentQuery = {}): number {
    const { where, args } = this.incidentWhere(q);
    if (q.search) {
      // From the hits (a few thousand lookups), not the whole list probing the hits.
      const rest = where.filter((w) => !w.includes('temp.incident_hits'));
      if (rest.length === 0) return stmt(this.db, 'SELECT count(*) FROM temp.incident_hits').pluck().get() as number;
      return stmt(this.db, `SELECT count(*) FROM temp.incident_hits h CROSS JOIN incidents ON incidents.id = h.id WHERE ${rest.join(' AND ')}`)
        .pluck().get(...args) as number;
    }
    // Status and source filters read the summary: the one index that holds it saves a table lookup per incident.
    const from = q.status != null || q.sourcePath != null ? 'incidents INDEXED BY incidents_list' : 'incidents';
    return stmt(this.db, `SELECT count(*) FROM ${from} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`).pluck().get(...args) as number;
  }

  /** Where incident `id` sits in a query's order (0-based), or -1 when the query does not select it. */
  incidentPosition(q: IncidentQuery, id: string): number {
    const row = stmt(this.db, 'SELECT id, severity, count, first_seen FROM incidents WHERE id = ?').get(id) as
      { id: string; severity: number; count: number; first_seen: number | null } | undefined;
    if (!row) return -1;
    const { where, args } = this.incidentWhere(q);
    if (!(stmt(this.db, `SELECT count(*) FROM incidents WHERE ${[...where, 'id = ?'].join(' AND ')}`).pluck().get(...args, id) as number)) return -1;
    const o = ORDERS[q.sort ?? 'severity'];
    const k = this.incidentKey({ id: row.id, severity: row.severity, count: row.count, firstSeen: row.first_seen }, q.sort);
    const lt = (desc: boolean) => (desc ? '>' : '<');
    const before = `(${o.a} ${lt(o.desc[0])} ? OR (${o.a} = ? AND (${o.b} ${lt(o.desc[1])} ? OR (${o.b} = ? AND id < ?))))`;
    return stmt(this.db, `SELECT count(*) FROM incidents WHERE ${[...where, before].join(' AND ')}`).pluck()
      .get(...args, k.a, k.a, k.b, k.b, k.id) as number;
  }

  /** Every id a query selects, in its order (an export of "what the filters leave"). */
  incidentIds(q: IncidentQuery): string[] {
    const o = ORDERS[q.sort ?? 'severity'];
    const { where, args } = this.incidentWhere(q);
    return stmt(this.db, `SELECT id FROM incidents ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY ${o.a} ${o.desc[0] ? 'DESC' : 'ASC'}, ${o.b} ${o.desc[1] ? 'DESC' : 'ASC'}, id`).pluck().all(...args) as string[];
  }

  /** Full records of a query's first `limit` incidents, in its order (the report's sections and table). */
  incidentRecordsPage(q: IncidentQuery, limit: number): IncidentRow[] {
    const ids = this.incidentPage(q, limit, null).map((r) => r.id);
    return ids.map((id) => this.incident(id)!).filter(Boolean);
  }

  /** Ids starting with `prefix` (at most `limit`), for resolving what a user typed. */
  incidentIdsWithPrefix(prefix: string, limit: number): string[] {
    return stmt(this.db, 'SELECT id FROM incidents WHERE id >= ? AND id < ? ORDER BY id LIMIT ?').pluck()
      .all(prefix, prefix + '\u{10FFFF}', limit) as string[];
  }

  /** Incidents per cause (the overview's cause filter counts). */
  incidentCauseCounts(): Array<{ cause: string; count: number }> {
    return stmt(this.db, 'SELECT cause, count(*) AS count FROM incidents GROUP BY cause ORDER BY 2 DESC, 1').all() as Array<{ cause: string; count: number }>;
  }

  /**
   * Incidents with members from each source (its path as ingested), from the summaries: one scan of
   * the summary index per source for a few sources, one JSON pass over all summaries for more.
   */
  incidentSourceCounts(paths: readonly string[]): Array<{ path: string; incidents: number }> {
    if (paths.length <= 5) return paths.map((path) => ({ path, incidents: this.incidentCount({ sourcePath: path }) }));
    const rows = stmt(this.db, `SELECT j.value AS path, count(*) AS incidents FROM incidents, json_each(incidents.summary, '$.sources') j GROUP BY 1`)
      .all() as Array<{ path: string; incidents: number }>;
    const by = new Map(rows.map((r) => [r.path, r.incidents]));
    return paths.map((path) => ({ path, incidents: by.get(path) ?? 0 }));
  }

  /** Failures per status over every incident (the `f` menu's status choices) and incidents with each, from the summaries. */
  incidentStatusCounts(): Array<{ status: number; count: number; incidents: number }> {
    return stmt(this.db, `SELECT CAST(j.key AS INTEGER) AS status, sum(j.value) AS count, count(*) AS incidents
        FROM incidents, json_each(incidents.summary, '$.statuses') j GROUP BY 1 ORDER BY 2 DESC, 1`).all() as Array<{ status: number; count: number; incidents: number }>;
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

  /** First and last minute of the timeline table (null when empty). */
  timelineRange(): { first: number; last: number } | null {
    const r = stmt(this.db, 'SELECT min(minute) AS first, max(minute) AS last FROM timeline').get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /** The timeline summed into buckets of `bucketMinutes` from `firstMinute`, in SQL (no row per minute to JS). */
  timelineBuckets(firstMinute: number, bucketMinutes: number): Array<{ bucket: number; total: number; failed: number }> {
    return stmt(this.db, 'SELECT CAST((minute - ?) / ? AS INTEGER) AS bucket, sum(total) AS total, sum(failed) AS failed FROM timeline GROUP BY 1')
      .all(firstMinute, bucketMinutes) as Array<{ bucket: number; total: number; failed: number }>;
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

  /** Member failures of some incidents per timeline bucket (a page of the list: one seek per incident). */
  someIncidentBuckets(ids: readonly string[], start: number, bucketMs: number): Map<string, Array<{ bucket: number; count: number }>> {
    const out = new Map<string, Array<{ bucket: number; count: number }>>();
    const q = stmt(this.db, 'SELECT CAST((ts - ?) / ? AS INTEGER) AS bucket, count(*) AS count FROM req_analysis WHERE incident_id = ? AND ts IS NOT NULL GROUP BY 1');
    for (const id of ids) out.set(id, q.all(start, bucketMs, id) as Array<{ bucket: number; count: number }>);
    return out;
  }

  /**
   * Member failures per (incident cause, timeline bucket) of the incidents a query selects: the
   * report's per-cause timeline without reading every incident's record.
   */
  causeBuckets(q: IncidentQuery, start: number, bucketMs: number): Array<{ cause: string; bucket: number; count: number }> {
    const { where, args } = this.incidentWhere(q);
    return stmt(this.db, `SELECT i.cause AS cause, CAST((a.ts - ?) / ? AS INTEGER) AS bucket, count(*) AS count
        FROM req_analysis a JOIN (SELECT id, cause FROM incidents ${where.length ? 'WHERE ' + where.join(' AND ') : ''}) i ON i.id = a.incident_id
        WHERE a.incident_id IS NOT NULL AND a.ts IS NOT NULL GROUP BY 1, 2`).all(start, bucketMs, ...args) as Array<{ cause: string; bucket: number; count: number }>;
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
    db.exec(`DROP TABLE IF EXISTS temp.fail_groups; DROP TABLE IF EXISTS temp.fail_paths;
      CREATE TEMP TABLE fail_groups (c INTEGER NOT NULL, h INTEGER NOT NULL, p INTEGER NOT NULL, m INTEGER NOT NULL, fail_min INTEGER NOT NULL,
        PRIMARY KEY (c, h, p, m)) WITHOUT ROWID;
      INSERT INTO temp.fail_groups
        SELECT IFNULL(client_id, -(id >> 40)), IFNULL(host_id, -1), IFNULL(path_id, -1), IFNULL(method_id, -1), min(ts)
        FROM req WHERE failed = 1 AND ts IS NOT NULL GROUP BY 1, 2, 3, 4;
      CREATE TEMP TABLE fail_paths (p INTEGER PRIMARY KEY);
      INSERT OR IGNORE INTO temp.fail_paths SELECT p FROM temp.fail_groups;`);
    const groups = new Map<string, { failMin: number; okMax: number; last: number }>();
    // The path test first: one integer probe rejects most of the 10M rows before the four-column
    // group probe (10M bench log: 1.86 -> 1.11 s for this scan).
    const rows = db.prepare(`SELECT g.c, g.h, g.p, g.m, g.fail_min, r.failed, r.ts
      FROM req r CROSS JOIN temp.fail_groups g
      WHERE IFNULL(r.path_id, -1) IN temp.fail_paths
        AND g.c = IFNULL(r.client_id, -(r.id >> 40)) AND g.h = IFNULL(r.host_id, -1) AND g.p = IFNULL(r.path_id, -1)
        AND g.m = IFNULL(r.method_id, -1) AND r.ts > g.fail_min`).raw();
    for (const row of rows.iterate() as IterableIterator<[number, number, number, number, number, number, number]>) {
      const key = `${row[0]} ${row[1]} ${row[2]} ${row[3]}`;
      let g = groups.get(key);
      if (!g) { g = { failMin: row[4], okMax: -Infinity, last: -Infinity }; groups.set(key, g); }
      if (row[6] > g.last) g.last = row[6];
      if (row[5] === 0 && row[6] > g.okMax) g.okMax = row[6];
    }
    db.exec('DROP TABLE IF EXISTS temp.fail_groups; DROP TABLE IF EXISTS temp.fail_paths;');
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
