import { rebuildAggregates } from './aggregates.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

export type SourceStatus = 'ingesting' | 'ingested' | 'partial' | 'rejected';

export interface SourceRow {
  id: number;
  path: string;
  kind: 'har' | 'log';
  format: string;
  size: number | null;
  sha256: string;
  status: SourceStatus;
  error: string | null;
  records: number;
  failures: number;
  skipped: number;
  nextUnit: number;
  nextOffset: number;
  minTs: number | null;
  maxTs: number | null;
  /** Counters beyond the identity: invalid UTF-8 lines, truncated lines, skip reasons. */
  stats: Record<string, number>;
}

interface RawSource {
  id: number; path: string; kind: string; format: string; size: number | null; sha256: string; status: string;
  error: string | null; records: number; failures: number; skipped: number; next_unit: number; next_offset: number;
  min_ts: number | null; max_ts: number | null; stats: string;
}

function toRow(r: RawSource): SourceRow {
  return {
    id: r.id, path: r.path, kind: r.kind as SourceRow['kind'], format: r.format, size: r.size, sha256: r.sha256,
    status: r.status as SourceStatus, error: r.error, records: r.records, failures: r.failures, skipped: r.skipped,
    nextUnit: r.next_unit, nextOffset: r.next_offset, minTs: r.min_ts, maxTs: r.max_ts,
    stats: JSON.parse(r.stats) as Record<string, number>,
  };
}

/** The sources table: one row per distinct input content (by SHA-256), whatever its name. */
export class Sources {
  constructor(private readonly db: Db) {}

  bySha(sha256: string): SourceRow | null {
    const r = stmt(this.db, 'SELECT * FROM sources WHERE sha256 = ?').get(sha256) as RawSource | undefined;
    return r ? toRow(r) : null;
  }

  /** Whether some source has this size: only then can a file's content be one already stored. */
  hasSize(size: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM sources WHERE size = ? LIMIT 1').get(size) !== undefined;
  }

  byId(id: number): SourceRow | null {
    const r = stmt(this.db, 'SELECT * FROM sources WHERE id = ?').get(id) as RawSource | undefined;
    return r ? toRow(r) : null;
  }

  all(): SourceRow[] {
    return (stmt(this.db, 'SELECT * FROM sources ORDER BY id').all() as RawSource[]).map(toRow);
  }

  /**
   * The source row for this content, created if absent. Another process ingesting the same content
   * into the same database may have created it since this one looked (both then ingest it: rows are
   * keyed by unit, so each is stored once and the counters count what each process inserted).
   */
  create(s: { path: string; kind: 'har' | 'log'; format: string; size: number | null; sha256: string }): SourceRow {
    const now = Date.now();
    stmt(this.db, `INSERT INTO sources(path, kind, format, size, sha256, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'ingesting', ?, ?) ON CONFLICT(sha256) DO NOTHING`)
      .run(s.path, s.kind, s.format, s.size, s.sha256, now, now);
    return this.bySha(s.sha256)!;
  }

  /** Final state of a source after a run (counts are kept by the writer, batch by batch). */
  finish(id: number, status: SourceStatus, error: string | null, stats: Record<string, number>): void {
    stmt(this.db, 'UPDATE sources SET status = ?, error = ?, stats = ?, updated_at = ? WHERE id = ?')
      .run(status, error, JSON.stringify(stats), Date.now(), id);
  }

  setFormat(id: number, format: string): void {
    stmt(this.db, 'UPDATE sources SET format = ?, updated_at = ? WHERE id = ?').run(format, Date.now(), id);
  }

  /** Stamps the HAR creator on every stored entry of a source that lacks it (creator may follow the entries). */
  setHarCreator(id: number, creator: string): void {
    stmt(this.db, `UPDATE request_detail SET extra = json_set(IFNULL(extra, '{}'), '$.harCreator', ?)
                WHERE id >= ? AND id < ? AND (extra IS NULL OR json_extract(extra, '$.harCreator') IS NULL)`)
      .run(creator, id * 2 ** 40, (id + 1) * 2 ** 40);
  }

  /** Forget a source row and everything stored under it (used to retry a rejected file from scratch). */
  remove(id: number): void {
    const lo = id * 2 ** 40;
    const hi = (id + 1) * 2 ** 40;
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM request_detail WHERE id >= ? AND id < ?').run(lo, hi);
      stmt(this.db, 'DELETE FROM req_analysis WHERE id >= ? AND id < ?').run(lo, hi);
      stmt(this.db, 'DELETE FROM warn_rows WHERE id >= ? AND id < ?').run(lo, hi);
      const removed = stmt(this.db, 'DELETE FROM req WHERE id >= ? AND id < ?').run(lo, hi).changes;
      stmt(this.db, 'DELETE FROM skipped WHERE source_id = ?').run(id);
      stmt(this.db, 'DELETE FROM sources WHERE id = ?').run(id);
      // The writer's aggregates counted those rows: recount (rare: a rejected source usually stored nothing).
      if (removed > 0) rebuildAggregates(this.db);
    })();
  }

  /** Remove a source that stored nothing (rejected before its first batch), so a fixed file can be ingested later. */
  removeIfEmpty(id: number): void {
    stmt(this.db, 'DELETE FROM sources WHERE id = ? AND records = 0 AND skipped = 0').run(id);
  }
}
