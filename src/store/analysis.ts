import type { Db } from './open.js';

/** What the rules engine hands back to be stored, in one transaction. */
export interface AnalysisWrite {
  /** host + '\u0000' + path → route template. */
  routes: Map<string, string>;
  classifications: Iterable<{ id: number; cause: string; subcause: string; ruleId: string }>;
  incidents: Array<{
    id: string; cause: string; subcause: string; ruleId?: string | null; title: string; severity: number;
    firstSeen: number | null; lastSeen: number | null; count: number;
  } & Record<string, unknown>>;
  warnings: Array<{ id: string; kind: string; route?: string | null; firstSeen: number | null; lastSeen: number | null; count: number } & Record<string, unknown>>;
  incidentOf: Iterable<{ id: number; incidentId: string }>;
}

/**
 * Undo the failures that analysis (not ingest) marked: 2xx/3xx payload errors. Run before the engine
 * reads the data, so a re-analysis starts from what ingest stored.
 */
export function resetAnalysisFailures(db: Db): void {
  db.prepare("UPDATE requests SET failed = 0 WHERE cause = 'payload-error' AND status > 0 AND status < 400").run();
}

/** Writes analysis results, replacing any earlier analysis (re-runs are idempotent). */
export function applyAnalysis(db: Db, a: AnalysisWrite): void {
  db.transaction(() => {
    db.exec(`DELETE FROM path_routes; DELETE FROM routes; DELETE FROM incidents; DELETE FROM warnings;
             UPDATE requests SET cause = NULL, subcause = NULL, rule_id = NULL, incident_id = NULL
               WHERE cause IS NOT NULL OR incident_id IS NOT NULL;`);
    const dictId = db.prepare('SELECT id FROM dict WHERE s = ?').pluck();
    const insRoute = db.prepare('INSERT INTO routes(host, template) VALUES (?, ?) ON CONFLICT(host, template) DO UPDATE SET host = host RETURNING id').pluck();
    const insPathRoute = db.prepare('INSERT OR REPLACE INTO path_routes(host_id, path_id, route_id) VALUES (?, ?, ?)');
    const routeIds = new Map<string, number>();
    for (const [key, template] of a.routes) {
      const cut = key.indexOf('\u0000');
      const host = key.slice(0, cut);
      const path = key.slice(cut + 1);
      const rk = host + '\u0000' + template;
      let rid = routeIds.get(rk);
      if (rid === undefined) {
        rid = insRoute.get(host, template) as number;
        routeIds.set(rk, rid);
      }
      const hostId = host === '' ? 0 : ((dictId.get(host) as number | undefined) ?? -1);
      const pathId = dictId.get(path) as number | undefined;
      if (pathId === undefined || hostId === -1) continue;
      insPathRoute.run(hostId, pathId, rid);
    }
    // A 2xx whose body reports failure (payload-error) becomes a failure once the engine found it.
    const setCause = db.prepare("UPDATE requests SET cause = ?, subcause = ?, rule_id = ?, failed = CASE WHEN ? = 'payload-error' THEN 1 ELSE failed END WHERE id = ?");
    for (const c of a.classifications) setCause.run(c.cause, c.subcause, c.ruleId, c.cause, c.id);
    const insIncident = db.prepare(`INSERT INTO incidents(id, cause, subcause, rule_id, title, severity, first_seen, last_seen, count, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const i of a.incidents) {
      insIncident.run(i.id, i.cause, i.subcause, i.ruleId ?? null, i.title, i.severity, i.firstSeen, i.lastSeen, i.count, JSON.stringify(i));
    }
    const insWarning = db.prepare('INSERT INTO warnings(id, kind, route, first_seen, last_seen, count, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const w of a.warnings) {
      insWarning.run(w.id, w.kind, w.route ?? null, w.firstSeen, w.lastSeen, w.count, JSON.stringify(w));
    }
    const setIncident = db.prepare('UPDATE requests SET incident_id = ? WHERE id = ?');
    for (const m of a.incidentOf) setIncident.run(m.incidentId, m.id);
    rebuildTimeline(db);
  })();
}

/** Per-minute totals for timelines (one scan here instead of one per screen). */
export function rebuildTimeline(db: Db): void {
  db.exec(`DELETE FROM timeline;
    INSERT INTO timeline(minute, total, failed)
      SELECT ts / 60000, count(*), sum(failed) FROM requests WHERE ts IS NOT NULL GROUP BY ts / 60000;`);
}
