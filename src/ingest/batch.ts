/**
 * The parsing side of EncodedBatch (src/store/encoded.ts): records and skips of one source go in,
 * columns come out, with a string table that spans every source of one parsing session.
 */
import type { Header, RequestRecord, Timings } from '../core/types.js';
import { ID_FIELDS, NUM_FIELDS, TEXT_FIELDS, type DetailRow, type EncodedBatch, type SkipRow } from '../store/index.js';

export type { EncodedBatch } from '../store/index.js';

/** Cap on the sender's string table; cleared at a batch boundary when passed. */
const STRING_TABLE_MAX = 200_000;
/** …and on the characters it holds: all-distinct long user agents or paths must not pile up (bounded memory). */
const STRING_TABLE_CHARS = 4 * 1024 * 1024;

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

function num(v: number | null): number {
  return v === null ? NaN : v;
}

/** Detail is worth a row for failures, for every HAR entry, and for any record that carries headers or a body. */
export function wantsDetail(r: RequestRecord, failed: boolean, kind: 'har' | 'log'): boolean {
  if (failed || kind === 'har') return true;
  return r.reqHeaders !== null || r.respHeaders !== null || r.body !== null;
}

/** Builds EncodedBatches; one per parsing session (its string table spans every source of the session). */
export class BatchEncoder {
  private table = new Map<string, number>();
  /** Characters of the strings in `table`. */
  private tableChars = 0;
  /** Per field, the last string and its id: consecutive records often share them (same client, same page). */
  private readonly lastStr: Array<string | null> = new Array(8).fill(null);
  private readonly lastId: number[] = new Array(8).fill(-1);
  private fresh: string[] = [];
  private reset = false;
  private ids = new Int32Array(1024 * ID_FIELDS.length);
  private nums = new Float64Array(1024 * NUM_FIELDS);
  private textAt: number[] = [];
  private texts: string[] = [];
  private detail: DetailRow[] = [];
  private skips: SkipRow[] = [];
  private n = 0;
  /** Rough size of the pending batch in bytes (detail dominates: bodies, headers). */
  bytes = 0;

  get size(): number {
    return this.n + this.skips.length;
  }

  /** Local id of field `k`'s value. */
  private fid(k: number, s: string | null): number {
    if (s === null) return -1;
    if (s === this.lastStr[k]) return this.lastId[k]!;
    const id = this.sid(s);
    this.lastStr[k] = s;
    this.lastId[k] = id;
    return id;
  }

  private sid(s: string | null): number {
    if (s === null) return -1;
    let id = this.table.get(s);
    if (id === undefined) {
      id = this.table.size;
      this.table.set(s, id);
      this.fresh.push(s);
      this.bytes += s.length;
      this.tableChars += s.length;
    }
    return id;
  }

  addRecord(unit: number, r: RequestRecord, failed: boolean, kind: 'har' | 'log', raw: string | null): void {
    const row = this.n++;
    if (this.n * NUM_FIELDS > this.nums.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const nums = new Float64Array(this.nums.length * 2);
      nums.set(this.nums);
      this.nums = nums;
    }
    const ids = this.ids;
    let k = row * ID_FIELDS.length;
    ids[k++] = this.fid(0, r.method); ids[k++] = this.fid(1, r.scheme); ids[k++] = this.fid(2, r.host); ids[k++] = this.fid(3, r.path);
    ids[k++] = this.fid(4, r.clientIp); ids[k++] = this.fid(5, r.userAgent); ids[k++] = this.fid(6, r.referer); ids[k] = this.fid(7, r.httpVersion);
    const nums = this.nums;
    k = row * NUM_FIELDS;
    nums[k++] = unit; nums[k++] = num(r.ts); nums[k++] = num(r.status); nums[k++] = num(r.bytesOut); nums[k++] = num(r.bytesIn);
    nums[k++] = num(r.durationMs); nums[k++] = num(r.upstreamMs); nums[k] = failed ? 1 : 0;
    const base = row * TEXT_FIELDS.length;
    this.text(base, r.query);
    this.text(base + 1, r.upstreamAddr);
    this.text(base + 2, r.upstreamStatus);
    this.text(base + 3, r.requestId);
    this.text(base + 4, r.traceId);
    this.text(base + 5, r.errorText);
    this.bytes += 120 + (r.query?.length ?? 0) + (r.errorText?.length ?? 0);
    if (wantsDetail(r, failed, kind)) {
      const d: DetailRow = {
        row, timings: json(r.timings), reqHeaders: json(r.reqHeaders), respHeaders: json(r.respHeaders), respMime: r.respMime,
        body: r.body, bodySize: r.bodySize, bodyHash: r.bodyHash, extra: json(r.extra), raw: failed ? raw : null,
      };
      this.bytes += 64 + (d.reqHeaders?.length ?? 0) + (d.respHeaders?.length ?? 0) + (d.body?.length ?? 0) + (d.extra?.length ?? 0) + (d.raw?.length ?? 0);
      this.detail.push(d);
    }
  }

  private text(at: number, s: string | null): void {
    if (s === null) return;
    this.textAt.push(at);
    this.texts.push(s);
  }

  addSkip(s: SkipRow): void {
    this.skips.push(s);
    this.bytes += 64 + s.excerpt.length + (s.detail?.length ?? 0);
  }

  /** Takes the pending batch (possibly empty) and starts a new one. */
  take(nextUnit: number, nextOffset: number): EncodedBatch {
    const b: EncodedBatch = {
      n: this.n, stringsReset: this.reset, newStrings: this.fresh,
      ids: this.ids.slice(0, this.n * ID_FIELDS.length), nums: this.nums.slice(0, this.n * NUM_FIELDS),
      textAt: Int32Array.from(this.textAt), texts: this.texts,
      detail: this.detail, skips: this.skips, nextUnit, nextOffset,
    };
    this.fresh = [];
    this.reset = false;
    this.textAt = [];
    this.texts = [];
    this.detail = [];
    this.skips = [];
    this.n = 0;
    this.bytes = 0;
    if (this.table.size >= STRING_TABLE_MAX || this.tableChars >= STRING_TABLE_CHARS) {
      this.table = new Map();
      this.tableChars = 0;
      this.lastStr.fill(null);
      this.reset = true;
    }
    return b;
  }
}

/** The transferable buffers of a batch (posted without a copy). */
export function transferList(b: EncodedBatch): ArrayBuffer[] {
  return [b.ids.buffer as ArrayBuffer, b.nums.buffer as ArrayBuffer, b.textAt.buffer as ArrayBuffer];
}

/** Decodes one record of a batch back into a RequestRecord (tests and diagnostics; the writer reads columns). */
export function decodeRecord(b: EncodedBatch, strings: readonly string[], row: number): RequestRecord & { unit: number; failed: boolean } {
  const id = (k: number): string | null => {
    const x = b.ids[row * ID_FIELDS.length + k]!;
    return x < 0 ? null : strings[x]!;
  };
  const n = (k: number): number | null => {
    const x = b.nums[row * NUM_FIELDS + k]!;
    return Number.isNaN(x) ? null : x;
  };
  const t = (k: number): string | null => {
    const at = b.textAt.indexOf(row * TEXT_FIELDS.length + k);
    return at < 0 ? null : b.texts[at]!;
  };
  const d = b.detail.find((x) => x.row === row);
  const parse = <T>(s: string | null | undefined): T | null => (s === null || s === undefined ? null : (JSON.parse(s) as T));
  return {
    unit: n(0)!, failed: n(7) === 1,
    ts: n(1), method: id(0), scheme: id(1), host: id(2), path: id(3), query: t(0), status: n(2), httpVersion: id(7),
    durationMs: n(5), upstreamMs: n(6), timings: parse<Timings>(d?.timings), bytesOut: n(3), bytesIn: n(4), clientIp: id(4),
    userAgent: id(5), referer: id(6), upstreamAddr: t(1), upstreamStatus: t(2), requestId: t(3), traceId: t(4), errorText: t(5),
    reqHeaders: parse<Header[]>(d?.reqHeaders), respHeaders: parse<Header[]>(d?.respHeaders), respMime: d?.respMime ?? null,
    body: d?.body ?? null, bodySize: d?.bodySize ?? null, bodyHash: d?.bodyHash ?? null,
    extra: parse<Record<string, string | number | boolean | null>>(d?.extra),
  };
}
