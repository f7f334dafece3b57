import type Database from 'better-sqlite3';
import type { RequestRecord } from '../core/types.js';
import { Dict } from './dict.js';
import type { Db } from './open.js';

/** requests.id = sourceId * UNIT_SPACE + unit: the natural key is the primary key. */
export const UNIT_SPACE = 2 ** 40;

export function requestId(sourceId: number, unit: number): number {
  return sourceId * UNIT_SPACE + unit;
}

export type BatchItem =
  | { kind: 'record'; unit: number; record: RequestRecord; failed: boolean; raw: string | null }
  | { kind: 'skip'; unit: number; reason: string; detail?: string | null; excerpt: string };

export interface Checkpoint {
  /** First unit not yet processed (resume starts here). */
  nextUnit: number;
  /** Byte offset in the (decompressed) input where nextUnit starts; 0 when unknown. */
  nextOffset: number;
}

export interface BatchResult {
  records: number;
  failures: number;
  skipped: number;
}

const INSERT_REQUEST = `INSERT OR IGNORE INTO requests (
  id, source_id, unit, ts, method, scheme, host_id, path_id, query, status, http_version,
  duration_ms, upstream_ms, bytes_out, bytes_in, client_id, ua_id, referer_id,
  upstream_addr, upstream_status, request_id, trace_id, error_text, failed
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_DETAIL = `INSERT OR IGNORE INTO request_detail
  (id, timings, req_headers, resp_headers, resp_mime, body, body_size, body_hash, extra, raw)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Detail is worth a row for failures, and for any record that carries headers, a body or extras. */
function wantsDetail(r: RequestRecord, failed: boolean, kind: 'har' | 'log'): boolean {
  if (failed || kind === 'har') return true;
  return r.reqHeaders !== null || r.respHeaders !== null || r.body !== null;
}

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

/**
 * Writes batches of parsed input. Each batch is ONE transaction that also moves the source's
 * checkpoint and counters, so a process killed at any moment leaves the database at a batch
 * boundary, and a re-run resumes exactly there (no duplicates, no gaps).
 */
export class BatchWriter {
  private readonly dict: Dict;
  private readonly insertRequest: Database.Statement;
  private readonly insertDetail: Database.Statement;
  private readonly insertSkip: Database.Statement;
  private readonly updateSource: Database.Statement;
  private readonly run: (sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint) => BatchResult;

  constructor(private readonly db: Db) {
    this.dict = new Dict(db);
    this.insertRequest = db.prepare(INSERT_REQUEST);
    this.insertDetail = db.prepare(INSERT_DETAIL);
    this.insertSkip = db.prepare('INSERT OR IGNORE INTO skipped(source_id, unit, reason, detail, excerpt) VALUES (?, ?, ?, ?, ?)');
    this.updateSource = db.prepare(`UPDATE sources SET
        records = records + ?, failures = failures + ?, skipped = skipped + ?,
        next_unit = ?, next_offset = ?,
        min_ts = CASE WHEN ? IS NULL THEN min_ts WHEN min_ts IS NULL OR ? < min_ts THEN ? ELSE min_ts END,
        max_ts = CASE WHEN ? IS NULL THEN max_ts WHEN max_ts IS NULL OR ? > max_ts THEN ? ELSE max_ts END,
        updated_at = ?
      WHERE id = ?`);
    this.run = db.transaction((sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint) =>
      this.writeItems(sourceId, kind, items, cp),
    );
  }

  /** Writes one batch atomically; throws (after rollback) on SQLite errors such as SQLITE_FULL. */
  write(sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint): BatchResult {
    try {
      return this.run(sourceId, kind, items, cp);
    } catch (err) {
      this.dict.reset();
      throw err;
    }
  }

  private writeItems(sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint): BatchResult {
    let records = 0;
    let failures = 0;
    let skipped = 0;
    let minTs: number | null = null;
    let maxTs: number | null = null;
    const d = this.dict;
    for (const it of items) {
      if (it.kind === 'skip') {
        skipped += this.insertSkip.run(sourceId, it.unit, it.reason, it.detail ?? null, it.excerpt).changes;
        continue;
      }
      const r = it.record;
      const id = requestId(sourceId, it.unit);
      const changed = this.insertRequest.run(
        id, sourceId, it.unit, r.ts, r.method, r.scheme, d.id(r.host), d.id(r.path), r.query, r.status, r.httpVersion,
        r.durationMs, r.upstreamMs, r.bytesOut, r.bytesIn, d.id(r.clientIp), d.id(r.userAgent), d.id(r.referer),
        r.upstreamAddr, r.upstreamStatus, r.requestId, r.traceId, r.errorText, it.failed ? 1 : 0,
      ).changes;
      if (changed === 0) continue;
      records++;
      if (it.failed) failures++;
      if (r.ts !== null) {
        if (minTs === null || r.ts < minTs) minTs = r.ts;
        if (maxTs === null || r.ts > maxTs) maxTs = r.ts;
      }
      if (wantsDetail(r, it.failed, kind)) {
        this.insertDetail.run(
          id, json(r.timings), json(r.reqHeaders), json(r.respHeaders), r.respMime, r.body, r.bodySize, r.bodyHash,
          json(r.extra), it.failed ? it.raw : null,
        );
      }
    }
    this.updateSource.run(
      records, failures, skipped, cp.nextUnit, cp.nextOffset,
      minTs, minTs, minTs, maxTs, maxTs, maxTs, Date.now(), sourceId,
    );
    return { records, failures, skipped };
  }
}
