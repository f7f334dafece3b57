/**
 * Batches of parsed, redacted input as they travel from the parsing side (a worker thread, or the
 * same thread) to the writer: columns of numbers and local string ids instead of one object per
 * record, because structured-cloning objects costs more than parsing them.
 *
 * Strings that repeat (method, scheme, host, path, client, user agent, referer, HTTP version) get a
 * local id the first time the parsing side sees them and travel once; the writer maps local ids to
 * dictionary ids (BatchStrings). Records of one batch are in unit order. Built by src/ingest/batch.ts.
 */

/** String fields sent as local ids, in this order per record. */
export const ID_FIELDS = ['method', 'scheme', 'host', 'path', 'clientIp', 'userAgent', 'referer', 'httpVersion'] as const;
/** Numeric fields per record (NaN = null): unit, ts, status, bytesOut, bytesIn, durationMs, upstreamMs, failed (0/1). */
export const NUM_FIELDS = 8;
/** Free-text fields sent as strings, in this order per record. */
export const TEXT_FIELDS = ['query', 'upstreamAddr', 'upstreamStatus', 'requestId', 'traceId', 'errorText'] as const;

/** The request_detail row of a record, with JSON columns already serialized. */
export interface DetailRow {
  /** Index of the record in the batch. */
  row: number;
  timings: string | null;
  reqHeaders: string | null;
  respHeaders: string | null;
  respMime: string | null;
  body: string | null;
  bodySize: number | null;
  bodyHash: string | null;
  extra: string | null;
  raw: string | null;
}

export interface SkipRow {
  unit: number;
  reason: string;
  detail: string | null;
  excerpt: string;
}

export interface EncodedBatch {
  /** Records in this batch. */
  n: number;
  /** The sender's string table was cleared before `newStrings` (bounded memory on endless distinct values). */
  stringsReset: boolean;
  /** Strings seen for the first time, in local id order (continuing the sender's table). */
  newStrings: string[];
  /** n × ID_FIELDS.length local string ids (-1 = null). */
  ids: Int32Array;
  /** n × NUM_FIELDS numbers (NaN = null). */
  nums: Float64Array;
  /** The non-null free-text fields: their positions (row × TEXT_FIELDS.length + field), ascending… */
  textAt: Int32Array;
  /** …and their values (most are null: sending only these keeps the batch small). */
  texts: string[];
  detail: DetailRow[];
  skips: SkipRow[];
  /** Checkpoint after this batch: the next unit to read and its byte offset (0 when unknown). */
  nextUnit: number;
  nextOffset: number;
}

/** The writer's half of a parsing session's string table: local id → dictionary id. */
export class BatchStrings {
  local: number[] = [];
  /** Set when a batch failed mid-write: the ids its new strings got were rolled back. */
  broken = false;
}
