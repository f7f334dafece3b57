import { createHmac } from 'node:crypto';
import { LearnedSecrets } from './learned.js';
import { FieldMemo } from './memo.js';

/** What every redaction step shares: the HMAC key (O3), the per-rule counters (O6) and options. */
export class Ctx {
  readonly counts = new Map<string, number>();
  /** While a memo computes a result, the counts it produces are also recorded here (memo.ts). */
  tap: Array<string | number> | null = null;
  /** Results of repeated record fields (memo.ts): rules first, then the echo sweep. */
  readonly memo = {
    path: new FieldMemo(), query: new FieldMemo(), referer: new FieldMemo(), text: new FieldMemo(),
    // Header values by class (headers.ts).
    header: new FieldMemo(), cookie: new FieldMemo(), setCookie: new FieldMemo(), urlHeader: new FieldMemo(), urlsHeader: new FieldMemo(),
    // URLs found in top-level free text (text.ts): the request target and referer of a raw log line.
    textUrl: new FieldMemo(),
  };
  constructor(
    private readonly key: Buffer,
    /** JWT claims allowed into a marker (R-P1). */
    readonly keepJwtClaims: ReadonlySet<string>,
    /** Values redacted so far, so their echoes elsewhere go too (shared by a priming Ctx). */
    readonly learned: LearnedSecrets = new LearnedSecrets(),
  ) {}

  /** A Ctx that shares key and learned secrets but counts nothing visible (priming passes). */
  shadow(): Ctx {
    return new Ctx(this.key, this.keepJwtClaims, this.learned);
  }

  /** Replaces echoes of already-redacted values in a final string (see learned.ts). */
  sweep(s: string, url: boolean): string {
    return this.learned.sweep(this, s, url);
  }

  count(rule: string, n = 1): void {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + n);
    if (this.tap !== null) this.tap.push(rule, n);
  }

  /** Recent short values and their hashes: the same cookie or token repeats in every request. */
  private readonly hashes = new Map<string, string>();

  /** First 12 hex characters of HMAC-SHA256(key, value) (O3). */
  hash(value: string): string {
    if (value.length > 256) return createHmac('sha256', this.key).update(value, 'utf8').digest('hex').slice(0, 12);
    let h = this.hashes.get(value);
    if (h === undefined) {
      h = createHmac('sha256', this.key).update(value, 'utf8').digest('hex').slice(0, 12);
      if (this.hashes.size >= 8192) this.hashes.clear();
      this.hashes.set(value, h);
    }
    return h;
  }

  /** `[REDACTED:<rule>#<h>]`, counted under `rule`; the value is remembered for the echo sweep. */
  marker(rule: string, value: string, url = false): string {
    this.count(rule);
    this.learned.learn(rule, value);
    return markerText(rule, this.hash(value), url);
  }

  /** O2: a field whose redaction threw or hit a cap. */
  error(): string {
    this.count('error');
    return ERROR_MARKER;
  }
}

export function markerText(rule: string, hash: string, url: boolean): string {
  return `[REDACTED:${rule}${url ? '%23' : '#'}${hash}]`;
}

export const ERROR_MARKER = '[REDACTED:error]';

/** Most characters one redaction call scans (security.md section 7: cap body scanning at 1 MiB). */
export const SCAN_CAP = 1024 * 1024;

/** How deep URL-in-text-in-URL nesting is followed (each level rescans a substring once). */
export const MAX_NESTING = 3;
