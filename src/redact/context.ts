import { createHmac } from 'node:crypto';

/** What every redaction step shares: the HMAC key (O3), the per-rule counters (O6) and options. */
export class Ctx {
  readonly counts = new Map<string, number>();
  constructor(
    private readonly key: Buffer,
    /** JWT claims allowed into a marker (R-P1). */
    readonly keepJwtClaims: ReadonlySet<string>,
  ) {}

  count(rule: string, n = 1): void {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + n);
  }

  /** First 12 hex characters of HMAC-SHA256(key, value) (O3). */
  hash(value: string): string {
    return createHmac('sha256', this.key).update(value, 'utf8').digest('hex').slice(0, 12);
  }

  /** `[REDACTED:<rule>#<h>]`, counted under `rule`. */
  marker(rule: string, value: string, url = false): string {
    this.count(rule);
    return `[REDACTED:${rule}${url ? '%23' : '#'}${this.hash(value)}]`;
  }

  /** O2: a field whose redaction threw or hit a cap. */
  error(): string {
    this.count('error');
    return ERROR_MARKER;
  }
}

export const ERROR_MARKER = '[REDACTED:error]';

/** Most characters one redaction call scans (security.md section 7: cap body scanning at 1 MiB). */
export const SCAN_CAP = 1024 * 1024;

/** How deep URL-in-text-in-URL nesting is followed (each level rescans a substring once). */
export const MAX_NESTING = 3;
