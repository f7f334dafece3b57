import type { Db } from './open.js';

/** What the rules engine hands back to be stored, in one transaction. */
export interface AnalysisWrite {
  /** host + '\u0000' + path → route template. */
  routes: Map<string, string>;
  /**
   * The routes are in LeanReader.assignRoutes' temporary tables (a large store: one row per path is
   * never held in memory); `routes` is then ignored.
   */
  leanRoutes?: boolean;
  /** host + '\u0000' + path → [host id (0 = none), path id], when the engine read them (saves a lookup per path). */
  pathIds?: Map<string, [number, number]>;
  classifications: Iterable<{ id: number; ts?: number | null; cause: string; subcause: string; ruleId: string }>;
  /** Any iterable: a lazy one is written as it is built (incidents are then never all in memory). */
  incidents: Iterable<{
    id: string; cause: string; subcause: string; ruleId?: string | null; title: string; severity: number;
    firstSeen: number | null; lastSeen: number | null; count: number; memberIds?: readonly number[];
  } & Record<string, unknown>>;
  warnings: Array<{ id: string; kind: string; route?: string | null; firstSeen: number | null; lastSeen: number | null; count: number } & Record<string, unknown>>;
  /**
   * Windowed analysis (AnalysisOptions.since): incidents that started before this time and the
   * classifications of failures before it are kept; the rest is replaced.
   */
  since?: number;
  /** Members per incident; absent: read from each incident's memberIds while it is written. */
  incidentOf?: Iterable<{ id: number; incidentId: string }>;
}

/**
 * Undo the failures that analysis (not ingest) marked: 2xx/3xx payload errors. Run before the engine
 * reads the data, so a re-analysis starts from what ingest stored.
 */
export function resetAnalysisFailures(db: Db, since?: number): void {
  if (since === undefined) {
    db.prepare(`UPDATE req SET failed = 0 WHERE failed = 1 AND status > 0 AND status < 400
      AND id IN (SELECT id FROM req_analysis WHERE cause = 'payload-error')`).run();
    return;
  }
  db.prepare(`UPDATE req SET failed = 0 WHERE failed = 1 AND status > 0 AND status < 400
    AND id IN (SELECT id FROM req_analysis WHERE cause = 'payload-error' AND (ts >= ? OR ts IS NULL))`).run(since);
}

/**
 * The time from which the next windowed analysis re-reads failures: at least `gapMs + latenessMs`
 * before the latest request stored (a line arriving later, up to `latenessMs` out of order, cannot
 * extend an incident that ended before it), moved back to the start of any incident that spans it
 * (so each incident is either kept whole or rebuilt whole), and never before `prev` (the frozen part
 * only grows). null while nothing is stored.
 */
export function nextAnalysisFrontier(db: Db, prev: number | null, gapMs: number, latenessMs: number): number | null {
  const latest = db.prepare('SELECT max(max_ts) FROM sources').pluck().get() as number | null;
  if (latest === null) return prev;
  let at = latest - gapMs - latenessMs;
  if (prev !== null && at <= prev) return prev;
  const spanning = db.prepare('SELECT min(first_seen) FROM incidents WHERE first_seen < ? AND last_seen >= ?').pluck();
  for (;;) {
    const start = spanning.get(at, at) as number | null;
    if (start === null) break;
    at = start;
  }
  return prev === null ? at : Math.max(prev, at);
}

/** True when a failure before `at` has no stored analysis (a line that arrived late): the window must reopen. */
export function failuresUnanalysedBefore(db: Db, at: number): boolean {
  return db.prepare(`SELECT 1 FROM req r WHERE r.failed = 1 AND r.ts < ? AND NOT EXISTS (SELECT 1 FROM req_analysis a WHERE a.id = r.id) LIMIT 1`)
    .get(at) !== undefined;
}

/** Tables that a full analysis empties and refills whole (their secondary indexes are rebuilt after). */
const REFILLED_TABLES = ['incidents', 'req_analysis'];

/**
 * Drops the secondary indexes of the tables a full analysis refills and returns a function that
 * recreates them from their stored SQL (whatever the migrations made them). Incident ids are hashes
 * and the list indexes are ordered by severity, count, time and cause: inserting 175,000 incidents
 * into five B-trees at random positions thrashes the page cache (8.4 s on the 10M bench log), while
 * building each index afterwards is one sort (2.05 s of inserts + 2.2 s of index builds). Runs inside
 * the analysis transaction, so a crash leaves the old indexes.
 */
function dropIndexesForRefill(db: Db): () => void {
  const rows = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
    AND tbl_name IN (${REFILLED_TABLES.map(() => '?').join(', ')}) ORDER BY name`).all(...REFILLED_TABLES) as Array<{ name: string; sql: string }>;
  for (const r of rows) db.exec(`DROP INDEX "${r.name.replaceAll('"', '""')}"`);
  return () => {
    for (const r of rows) db.exec(r.sql);
  };
}

/**
 * Writes analysis results, replacing any earlier analysis (re-runs are idempotent). Returns whether
 * the incidents' search text (incident_text) was written too (a full analysis), else it is stale.
 */
export function applyAnalysis(db: Db, a: AnalysisWrite): boolean {
  db.transaction(() => {
    let rebuildIndexes = (): void => {};
    if (a.since === undefined) {
      db.exec('DELETE FROM path_routes; DELETE FROM routes; DELETE FROM incidents; DELETE FROM warnings; DELETE FROM req_analysis;');
      rebuildIndexes = dropIndexesForRefill(db);
    } else {
      db.exec('DELETE FROM path_routes; DELETE FROM routes; DELETE FROM warnings;');
      db.prepare('DELETE FROM incidents WHERE first_seen >= ? OR first_seen IS NULL').run(a.since);
      db.prepare('DELETE FROM req_analysis WHERE ts >= ? OR ts IS NULL').run(a.since);
    }
    const dictId = db.prepare('SELECT id FROM dict WHERE s = ?').pluck();
    const insRoute = db.prepare('INSERT INTO routes(host, template) VALUES (?, ?) ON CONFLICT(host, template) DO UPDATE SET host = host RETURNING id').pluck();
    const insPathRoute = db.prepare('INSERT OR REPLACE INTO path_routes(host_id, path_id, route_id) VALUES (?, ?, ?)');
    if (a.leanRoutes) {
      // Route ids in the order of each route's first path, as the Map below would give them.
      db.exec(`INSERT INTO routes(host, template) SELECT host, template FROM temp.lean_route WHERE listed = 1 ORDER BY no;
        INSERT OR REPLACE INTO path_routes(host_id, path_id, route_id) SELECT p.host_id, p.path_id, r.id FROM temp.lean_path_route p
          JOIN temp.lean_route lr ON lr.no = p.route_no JOIN routes r ON r.host = lr.host AND r.template = lr.template WHERE p.path_id <> 0;`);
    }
    const routeIds = new Map<string, number>();
    for (const [key, template] of a.leanRoutes ? [] : a.routes) {
      const cut = key.indexOf('\u0000');
      const host = key.slice(0, cut);
      const rk = host + '\u0000' + template;
      let rid = routeIds.get(rk);
      if (rid === undefined) {
        rid = insRoute.get(host, template) as number;
        routeIds.set(rk, rid);
      }
      let ids = a.pathIds?.get(key);
      if (!ids) {
        const path = key.slice(cut + 1);
        const hostId = host === '' ? 0 : ((dictId.get(host) as number | undefined) ?? -1);
        const pathId = dictId.get(path) as number | undefined;
        if (pathId === undefined || hostId === -1) continue;
        ids = [hostId, pathId];
      }
      insPathRoute.run(ids[0], ids[1], rid);
    }
    // Incidents first (each may be built only now), noting each member's incident; then one row per classified request.
    const insIncident = db.prepare(`INSERT INTO incidents(id, cause, subcause, rule_id, title, severity, first_seen, last_seen, count, data, summary)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const incidentIds: string[] = [];
    const incidentOf = new Map<number, number>();
    // A full analysis writes each incident's search text as it goes (a refill from the stored records
    // re-parses every record's JSON in SQLite: 2.0 s for 175,000 incidents); the text is what
    // Views.refreshIncidentText extracts: [routes, messages, clients] as JSON.
    const insText = a.since === undefined ? db.prepare('INSERT INTO incident_text(id, text) VALUES (?, ?)') : null;
    if (insText) db.exec('DELETE FROM incident_text');
    for (const i of a.incidents) {
      const summary = JSON.stringify({ routes: i['routes'] ?? null, statuses: i['statuses'] ?? null, sources: i['sources'] ?? null });
      insIncident.run(i.id, i.cause, i.subcause, i.ruleId ?? null, i.title, i.severity, i.firstSeen, i.lastSeen, i.count, JSON.stringify(i), summary);
      insText?.run(i.id, JSON.stringify([i['routes'] ?? null, i['messages'] ?? null, i['clients'] ?? null]));
      if (!a.incidentOf && i.memberIds) for (const m of i.memberIds) incidentOf.set(m, incidentIds.length);
      incidentIds.push(i.id);
    }
    if (a.incidentOf) {
      const index = new Map(incidentIds.map((id, k) => [id, k]));
      for (const m of a.incidentOf) {
        let k = index.get(m.incidentId);
        if (k === undefined) { k = incidentIds.length; incidentIds.push(m.incidentId); index.set(m.incidentId, k); }
        incidentOf.set(m.id, k);
      }
    }
    const insAnalysis = db.prepare('INSERT OR REPLACE INTO req_analysis(id, ts, cause, subcause, rule_id, incident_id) VALUES (?, ?, ?, ?, ?, ?)');
    const insAnalysisTs = db.prepare(`INSERT OR REPLACE INTO req_analysis(id, ts, cause, subcause, rule_id, incident_id)
      SELECT id, ts, ?, ?, ?, ? FROM req WHERE id = ?`);
    // A 2xx whose body reports failure (payload-error) becomes a failure once the engine found it.
    const markFailed = db.prepare('UPDATE req SET failed = 1 WHERE id = ? AND failed = 0');
    for (const c of a.classifications) {
      const k = incidentOf.get(c.id);
      const inc = k === undefined ? null : incidentIds[k]!;
      if (c.ts !== undefined) insAnalysis.run(c.id, c.ts, c.cause, c.subcause, c.ruleId, inc);
      else insAnalysisTs.run(c.cause, c.subcause, c.ruleId, inc, c.id);
      if (c.cause === 'payload-error') markFailed.run(c.id);
    }
    const insWarning = db.prepare('INSERT INTO warnings(id, kind, route, first_seen, last_seen, count, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const w of a.warnings) {
      insWarning.run(w.id, w.kind, w.route ?? null, w.firstSeen, w.lastSeen, w.count, JSON.stringify(w));
    }
    rebuildIndexes();
    rebuildTimeline(db);
  })();
  return a.since === undefined;
}

/**
 * Per-minute totals for timelines: the writer's per-minute counts plus the payload errors analysis
 * marked (a few rows), so no scan of the requests.
 */
export function rebuildTimeline(db: Db): void {
  db.exec(`DELETE FROM timeline;
    INSERT INTO timeline(minute, total, failed)
      SELECT m.minute, m.total, m.failed + IFNULL(p.n, 0) FROM minutes m LEFT JOIN (
        SELECT CAST(floor(r.ts / 60000.0) AS INTEGER) AS minute, count(*) AS n FROM req_analysis a JOIN req r ON r.id = a.id
        WHERE a.cause = 'payload-error' AND r.failed = 1 AND r.status > 0 AND r.status < 400 AND r.ts IS NOT NULL GROUP BY 1
      ) p ON p.minute = m.minute;`);
}
