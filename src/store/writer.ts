import type Database from 'better-sqlite3';
import type { RequestRecord } from '../core/types.js';
import { Aggregates, type AggRow } from './aggregates.js';
import { Dict } from './dict.js';
import { BatchStrings, ID_FIELDS, NUM_FIELDS, TEXT_FIELDS, type EncodedBatch } from './encoded.js';
import { queryMayWarn } from './warn-candidates.js';
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

const INSERT_REQUEST = `INSERT OR IGNORE INTO req (
  id, ts, status, failed, method_id, host_id, path_id, query, client_id, ua_id, referer_id, bytes_out,
  version_id, duration_ms, scheme_id, upstream_ms, bytes_in, upstream_addr, upstream_status, request_id, trace_id, error_text
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

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
  private readonly agg: Aggregates;
  private readonly insertRequest: Database.Statement;
  private readonly insertDetail: Database.Statement;
  private readonly insertSkip: Database.Statement;
  private readonly insertWarnRow: Database.Statement;
  private readonly updateSource: Database.Statement;
  private readonly run: (sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint) => BatchResult;
  private readonly runEncoded: (sourceId: number, b: EncodedBatch, strings: BatchStrings) => BatchResult;
  private readonly runAdopt: (b: EncodedBatch, strings: BatchStrings) => void;

  constructor(private readonly db: Db) {
    this.dict = new Dict(db);
    this.agg = new Aggregates(db);
    this.insertRequest = db.prepare(INSERT_REQUEST);
    this.insertDetail = db.prepare(INSERT_DETAIL);
    this.insertWarnRow = db.prepare('INSERT OR IGNORE INTO warn_rows(id) VALUES (?)');
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
    this.runEncoded = db.transaction((sourceId: number, b: EncodedBatch, strings: BatchStrings) => this.writeBatch(sourceId, b, strings));
    this.runAdopt = db.transaction((b: EncodedBatch, strings: BatchStrings) => { this.takeStrings(b, strings); });
  }

  /**
   * Writes one encoded batch (src/store/encoded.ts) atomically with its checkpoint. `strings` is the
   * parsing session's string table; a failed batch breaks it (its new strings' ids were rolled back).
   */
  writeEncoded(sourceId: number, b: EncodedBatch, strings: BatchStrings): BatchResult {
    return this.inSession(strings, () => this.runEncoded(sourceId, b, strings));
  }

  /**
   * Takes a batch's new strings into the session's string table without writing its rows (a batch
   * that is dropped): later batches of the session refer to those strings by their local ids.
   */
  adoptStrings(b: EncodedBatch, strings: BatchStrings): void {
    this.inSession(strings, () => this.runAdopt(b, strings));
  }

  /** Runs a transaction of a parsing session; a failed one breaks the session's string table. */
  private inSession<T>(strings: BatchStrings, run: () => T): T {
    if (strings.broken) throw new Error('BatchWriter: the string table of this session was rolled back');
    try {
      return run();
    } catch (err) {
      strings.broken = true;
      this.dict.reset();
      this.agg.clear();
      throw err;
    }
  }

  /** Maps a batch's new strings to dictionary ids (inside its transaction); returns local id → dictionary id. */
  private takeStrings(b: EncodedBatch, strings: BatchStrings): number[] {
    if (b.stringsReset) strings.local = [];
    const local = strings.local;
    for (const s of b.newStrings) local.push(this.dict.id(s)!);
    return local;
  }

  private writeBatch(sourceId: number, b: EncodedBatch, strings: BatchStrings): BatchResult {
    const local = this.takeStrings(b, strings);
    const { ids, nums, textAt, texts } = b;
    /** Next non-null free-text field to consume (positions ascend with rows). */
    let tp = 0;
    const text = new Array<string | null>(TEXT_FIELDS.length);
    const NI = ID_FIELDS.length;
    const NT = TEXT_FIELDS.length;
    let records = 0;
    let failures = 0;
    let minTs: number | null = null;
    let maxTs: number | null = null;
    const idOf = (k: number): number | null => {
      const x = ids[k]!;
      return x < 0 ? null : local[x]!;
    };
    const numOf = (k: number): number | null => {
      const x = nums[k]!;
      return x !== x ? null : x; // NaN = null
    };
    const inserted = new Uint8Array(b.n);
    /** One aggregate row, refilled for every stored request (no object per row). */
    const agg: AggRow = { hostId: 0, pathId: 0, clientId: 0, uaId: 0, status: null, failed: false, lean: true, ts: null, durationMs: null };
    let di = 0;
    for (let i = 0; i < b.n; i++) {
      const bi = i * NI;
      const bn = i * NUM_FIELDS;
      const bt = i * NT;
      const unit = nums[bn]!;
      const ts = numOf(bn + 1);
      const status = numOf(bn + 2);
      const durationMs = numOf(bn + 5);
      const failed = nums[bn + 7] === 1;
      for (let k = 0; k < NT; k++) {
        if (tp < textAt.length && textAt[tp] === bt + k) text[k] = texts[tp++]!;
        else text[k] = null;
      }
      const hostId = idOf(bi + 2);
      const pathId = idOf(bi + 3);
      const clientId = idOf(bi + 4);
      const uaId = idOf(bi + 5);
      const changed = this.insertRequest.run(
        requestId(sourceId, unit), ts, status, failed ? 1 : 0, idOf(bi), hostId, pathId, text[0], clientId, uaId, idOf(bi + 6),
        numOf(bn + 3), idOf(bi + 7), durationMs, idOf(bi + 1), numOf(bn + 6), numOf(bn + 4), text[1], text[2], text[3], text[4], text[5],
      ).changes;
      if (changed === 0) continue;
      inserted[i] = 1;
      records++;
      if (failed) failures++;
      if (ts !== null) {
        if (minTs === null || ts < minTs) minTs = ts;
        if (maxTs === null || ts > maxTs) maxTs = ts;
      }
      while (di < b.detail.length && b.detail[di]!.row < i) di++;
      const hasDetail = di < b.detail.length && b.detail[di]!.row === i;
      const query = text[0];
      if (!hasDetail && !failed && query !== null && query !== undefined && queryMayWarn(query)) this.insertWarnRow.run(requestId(sourceId, unit));
      agg.hostId = hostId ?? 0; agg.pathId = pathId ?? 0; agg.clientId = clientId ?? 0; agg.uaId = uaId ?? 0;
      agg.status = status; agg.failed = failed; agg.lean = !hasDetail; agg.ts = ts; agg.durationMs = durationMs;
      this.agg.add(agg);
    }
    for (const x of b.detail) {
      if (!inserted[x.row]) continue;
      this.insertDetail.run(
        requestId(sourceId, nums[x.row * NUM_FIELDS]!), x.timings, x.reqHeaders, x.respHeaders, x.respMime, x.body, x.bodySize, x.bodyHash,
        x.extra, x.raw,
      );
    }
    let skipped = 0;
    for (const k of b.skips) skipped += this.insertSkip.run(sourceId, k.unit, k.reason, k.detail, k.excerpt).changes;
    this.agg.flush();
    this.updateSource.run(
      records, failures, skipped, b.nextUnit, b.nextOffset,
      minTs, minTs, minTs, maxTs, maxTs, maxTs, Date.now(), sourceId,
    );
    return { records, failures, skipped };
  }

  /** Writes one batch atomically; throws (after rollback) on SQLite errors such as SQLITE_FULL. */
  write(sourceId: number, kind: 'har' | 'log', items: BatchItem[], cp: Checkpoint): BatchResult {
    try {
      return this.run(sourceId, kind, items, cp);
    } catch (err) {
      this.dict.reset();
      this.agg.clear();
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
      const hostId = d.id(r.host);
      const pathId = d.id(r.path);
      const clientId = d.id(r.clientIp);
      const uaId = d.id(r.userAgent);
      const changed = this.insertRequest.run(
        id, r.ts, r.status, it.failed ? 1 : 0, d.id(r.method), hostId, pathId, r.query, clientId, uaId, d.id(r.referer), r.bytesOut,
        d.id(r.httpVersion), r.durationMs, d.id(r.scheme), r.upstreamMs, r.bytesIn, r.upstreamAddr, r.upstreamStatus, r.requestId,
        r.traceId, r.errorText,
      ).changes;
      if (changed === 0) continue;
      records++;
      if (it.failed) failures++;
      if (r.ts !== null) {
        if (minTs === null || r.ts < minTs) minTs = r.ts;
        if (maxTs === null || r.ts > maxTs) maxTs = r.ts;
      }
      const detail = wantsDetail(r, it.failed, kind);
      if (!detail && !it.failed && r.query !== null && queryMayWarn(r.query)) this.insertWarnRow.run(id);
      this.agg.add({
        hostId: hostId ?? 0, pathId: pathId ?? 0, clientId: clientId ?? 0, uaId: uaId ?? 0, status: r.status, failed: it.failed,
        lean: !detail, ts: r.ts, durationMs: r.durationMs,
      });
      if (detail) {
        this.insertDetail.run(
          id, json(r.timings), json(r.reqHeaders), json(r.respHeaders), r.respMime, r.body, r.bodySize, r.bodyHash,
          json(r.extra), it.failed ? it.raw : null,
        );
      }
    }
    this.agg.flush();
    this.updateSource.run(
      records, failures, skipped, cp.nextUnit, cp.nextOffset,
      minTs, minTs, minTs, maxTs, maxTs, maxTs, Date.now(), sourceId,
    );
    return { records, failures, skipped };
  }
}
