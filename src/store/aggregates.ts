import type Database from 'better-sqlite3';
import type { Db } from './open.js';

/** Minute of a timestamp, as analysis and the timeline count it. */
export function minuteOf(ts: number): number {
  return Math.floor(ts / 60_000);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * An integer table key as SQLite's CAST(x AS INTEGER) gives it: truncated, and clamped to 64 bits
 * (absurd durations in hostile input would otherwise be rejected by an INTEGER PRIMARY KEY).
 */
function intKey(x: number): number | bigint {
  const t = Math.trunc(x) || 0;
  if (Number.isSafeInteger(t)) return t;
  if (Number.isNaN(t)) return 0;
  if (!Number.isFinite(t)) return t > 0 ? INT64_MAX : INT64_MIN;
  const b = BigInt(t);
  return b > INT64_MAX ? INT64_MAX : b < INT64_MIN ? INT64_MIN : b;
}

interface PathAgg {
  n: number;
  failed: number;
  leanOk: number;
  /** Two distinct (client, user agent) id pairs of lean successes; -1 = none yet. */
  c1: number; u1: number; c2: number; u2: number;
}

/** One request as the aggregates see it (dictionary ids: 0 = none). */
export interface AggRow {
  hostId: number;
  pathId: number;
  clientId: number;
  uaId: number;
  status: number | null;
  failed: boolean;
  /** Stored without a request_detail row (analysis reads it only through these aggregates). */
  lean: boolean;
  ts: number | null;
  durationMs: number | null;
}

const UPSERT_PATH = `INSERT INTO path_stats(host_id, path_id, n, failed, lean_ok, c1, u1, c2, u2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(host_id, path_id) DO UPDATE SET
    n = n + excluded.n, failed = failed + excluded.failed, lean_ok = lean_ok + excluded.lean_ok,
    c2 = CASE WHEN c1 IS NULL THEN excluded.c2 WHEN c2 IS NOT NULL THEN c2
      WHEN excluded.c1 IS NOT NULL AND (excluded.c1 != c1 OR excluded.u1 != u1) THEN excluded.c1
      WHEN excluded.c2 IS NOT NULL AND (excluded.c2 != c1 OR excluded.u2 != u1) THEN excluded.c2 ELSE NULL END,
    u2 = CASE WHEN c1 IS NULL THEN excluded.u2 WHEN c2 IS NOT NULL THEN u2
      WHEN excluded.c1 IS NOT NULL AND (excluded.c1 != c1 OR excluded.u1 != u1) THEN excluded.u1
      WHEN excluded.c2 IS NOT NULL AND (excluded.c2 != c1 OR excluded.u2 != u1) THEN excluded.u2 ELSE NULL END,
    c1 = IFNULL(c1, excluded.c1),
    u1 = CASE WHEN c1 IS NULL THEN excluded.u1 ELSE u1 END`;

/**
 * Per-batch aggregates of written requests (path_stats, client_stats, minutes, dur_hist), merged
 * into their tables with one upsert per distinct key at the end of each batch, inside the batch's
 * transaction: so they always agree with the rows, resume included. Memory: one batch's keys.
 */
export class Aggregates {
  private paths = new Map<number, Map<number, PathAgg>>();
  private clients = new Map<number, number>();
  private minutes = new Map<number | bigint, [number, number]>();
  private durs = new Map<number | bigint, number>();
  private readonly upsertPath: Database.Statement;
  private readonly upsertClient: Database.Statement;
  private readonly upsertMinute: Database.Statement;
  private readonly upsertDur: Database.Statement;

  constructor(db: Db) {
    this.upsertPath = db.prepare(UPSERT_PATH);
    this.upsertClient = db.prepare('INSERT INTO client_stats(client_id, n) VALUES (?, ?) ON CONFLICT(client_id) DO UPDATE SET n = n + excluded.n');
    this.upsertMinute = db.prepare(`INSERT INTO minutes(minute, total, failed) VALUES (?, ?, ?)
      ON CONFLICT(minute) DO UPDATE SET total = total + excluded.total, failed = failed + excluded.failed`);
    this.upsertDur = db.prepare('INSERT INTO dur_hist(ms, n) VALUES (?, ?) ON CONFLICT(ms) DO UPDATE SET n = n + excluded.n');
  }

  /** Counts one stored request (the writer passes one reused object, not one per row). */
  add(r: AggRow): void {
    let byPath = this.paths.get(r.hostId);
    if (!byPath) { byPath = new Map(); this.paths.set(r.hostId, byPath); }
    let p = byPath.get(r.pathId);
    if (!p) { p = { n: 0, failed: 0, leanOk: 0, c1: -1, u1: -1, c2: -1, u2: -1 }; byPath.set(r.pathId, p); }
    p.n++;
    if (r.failed) p.failed++;
    else if (r.lean && r.status !== null && r.status >= 200 && r.status < 400) {
      p.leanOk++;
      if (p.c1 < 0) { p.c1 = r.clientId; p.u1 = r.uaId; }
      else if (p.c2 < 0 && (p.c1 !== r.clientId || p.u1 !== r.uaId)) { p.c2 = r.clientId; p.u2 = r.uaId; }
    }
    if (r.clientId !== 0) this.clients.set(r.clientId, (this.clients.get(r.clientId) ?? 0) + 1);
    if (r.ts !== null && Number.isFinite(r.ts)) {
      const m = intKey(minuteOf(r.ts));
      const cell = this.minutes.get(m);
      if (cell) { cell[0]++; if (r.failed) cell[1]++; } else this.minutes.set(m, [1, r.failed ? 1 : 0]);
    }
    if (r.durationMs !== null && !Number.isNaN(r.durationMs)) {
      const ms = intKey(r.durationMs);
      this.durs.set(ms, (this.durs.get(ms) ?? 0) + 1);
    }
  }

  /** Writes and clears the batch's aggregates; call inside the batch's transaction. */
  flush(): void {
    for (const [hostId, byPath] of this.paths) {
      for (const [pathId, p] of byPath) {
        this.upsertPath.run(hostId, pathId, p.n, p.failed, p.leanOk,
          p.c1 < 0 ? null : p.c1, p.c1 < 0 ? null : p.u1, p.c2 < 0 ? null : p.c2, p.c2 < 0 ? null : p.u2);
      }
    }
    for (const [id, n] of this.clients) this.upsertClient.run(id, n);
    for (const [m, c] of this.minutes) this.upsertMinute.run(m, c[0], c[1]);
    for (const [ms, n] of this.durs) this.upsertDur.run(ms, n);
    this.clear();
  }

  /** Drops the batch's aggregates (its transaction rolled back). */
  clear(): void {
    this.paths = new Map();
    this.clients = new Map();
    this.minutes = new Map();
    this.durs = new Map();
  }
}

/**
 * Recomputes every aggregate from the stored rows: after a migration, or after a source's rows were
 * deleted. One pass over the requests (rare: normal ingest maintains them batch by batch).
 */
export function rebuildAggregates(db: Db): void {
  db.exec('DELETE FROM path_stats; DELETE FROM client_stats; DELETE FROM minutes; DELETE FROM dur_hist;');
  const agg = new Aggregates(db);
  // Chunks by id (a statement may not write while another one iterates on the same connection).
  const chunk = db.prepare(`SELECT r.id, IFNULL(r.host_id, 0), IFNULL(r.path_id, 0), IFNULL(r.client_id, 0), IFNULL(r.ua_id, 0), r.status,
      r.failed, d.id IS NULL, r.ts, r.duration_ms FROM req r LEFT JOIN request_detail d ON d.id = r.id
    WHERE r.id > ? ORDER BY r.id LIMIT 50000`).raw();
  let after = -1;
  for (;;) {
    const rows = chunk.all(after) as unknown[][];
    if (rows.length === 0) break;
    for (const c of rows) {
      agg.add({
        hostId: c[1] as number, pathId: c[2] as number, clientId: c[3] as number, uaId: c[4] as number,
        status: c[5] as number | null, failed: c[6] === 1, lean: c[7] === 1, ts: c[8] as number | null, durationMs: c[9] as number | null,
      });
    }
    agg.flush();
    after = rows[rows.length - 1]![0] as number;
  }
}
