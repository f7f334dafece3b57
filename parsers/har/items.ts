/**
 * The reading loop both consumers of a HAR share: parseHar (ingest: entries → RequestRecords) and
 * `faultline sanitize` (src/sanitize/har-reader.ts: entries → redacted JSON written back). It feeds the
 * byte scanner, JSON-parses what it hands over, remembers a log value that is not JSON, knows when
 * reading further is pointless, and says why an input is not a HAR at all.
 *
 * feed() is a synchronous generator per chunk, so this layer costs no extra promise per entry on the
 * ingest hot path. Usage:
 *
 *   const r = new HarItems(opts);
 *   for await (const chunk of input) { for (const item of r.feed(chunk)) …; if (r.done) break; }
 *   r.end();
 *   if (!r.sc.entriesSeen) throw r.notAHar();
 */
import { UserError } from '../../src/core/errors.js';
import type { ElidedString } from './digest.js';
import { HarScanner, excerptOf, type ScanError, type ScannerOptions } from './scanner.js';

export type HarItem =
  /** An entry that is valid JSON (any JSON value: the caller decides what a non-object means). */
  | { t: 'entry'; index: number; value: unknown; text: string; elided: Map<string, ElidedString> | null }
  /** An entry that cannot be read: too_deep, too_large, json. */
  | { t: 'entrySkip'; index: number; reason: string; excerpt: string }
  /** A member of `log` besides entries: version, creator, pages (and every other one with `logMembers`). */
  | { t: 'meta'; key: string; value: unknown };

export const NOT_A_HAR_HINT = 'Is this a HAR export? In the browser DevTools Network panel use "Save all as HAR" (or "Export HAR").';

/** `invalid JSON at byte N (expected …, found …)`. */
export function syntaxMessage(e: ScanError): string {
  return `invalid JSON at byte ${e.byte} (expected ${e.expected}, found ${e.found})`;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('HAR input chunks must be Buffers');
}

export class HarItems {
  readonly sc: HarScanner;
  /** The first log.* value that is not valid JSON (the file is then not valid JSON either). */
  badMeta: ScanError | null = null;

  constructor(opts: ScannerOptions) {
    this.sc = new HarScanner(opts);
  }

  /** The items one more chunk of input completes, in file order. */
  *feed(chunk: unknown): Generator<HarItem> {
    const buf = toBuffer(chunk);
    if (buf.length === 0) return;
    const sc = this.sc;
    sc.feed(buf);
    let item;
    while ((item = sc.next()) !== null) {
      if (item.t === 'entrySkip') {
        yield item;
        continue;
      }
      const text = item.bytes.toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        if (item.t === 'meta') {
          this.badMeta ??= { byte: item.byte, expected: `valid JSON in log.${item.key}`, found: 'invalid JSON' };
          continue;
        }
        yield { t: 'entrySkip', index: item.index, reason: 'json', excerpt: excerptOf(item.bytes) };
        continue;
      }
      if (item.t === 'meta') yield { t: 'meta', key: item.key, value };
      else yield { t: 'entry', index: item.index, value, text, elided: item.elided };
    }
  }

  /** Reading further is pointless: the scanner failed, or a log value before any entry was not JSON. */
  get done(): boolean {
    return this.sc.failed || (this.badMeta !== null && !this.sc.entriesSeen);
  }

  /** After the last chunk: lets the scanner tell a complete document from a cut one (sc.eof). */
  end(): void {
    if (!this.sc.failed) this.sc.end();
  }

  /** Why the input is not a HAR; for when no entry was found (sc.entriesSeen is false). */
  notAHar(): UserError {
    const sc = this.sc;
    const bad = sc.error ?? this.badMeta;
    if (bad) return new UserError(`not a HAR: ${syntaxMessage(bad)}`, { where: `byte ${bad.byte}`, hint: NOT_A_HAR_HINT });
    if (sc.shapeError) return new UserError(`not a HAR: ${sc.shapeError}`, { hint: NOT_A_HAR_HINT });
    if (sc.empty) return new UserError('not a HAR: the file is empty', { hint: NOT_A_HAR_HINT });
    if (sc.eof) {
      return new UserError(`not a HAR: unexpected end of input at byte ${sc.eof.byte} (expected ${sc.eof.expected})`, {
        where: `byte ${sc.eof.byte}`,
        hint: 'The file looks cut short before its entries; re-export it or check the download.',
      });
    }
    if (sc.topLevelEntries) return new UserError('not a HAR: "entries" is at the top level; log.entries must be an array inside {"log":{…}}', { hint: NOT_A_HAR_HINT });
    if (sc.logSeen) return new UserError('not a HAR: log.entries must be an array (log has no "entries")', { hint: NOT_A_HAR_HINT });
    return new UserError('not a HAR: no "log" object at the top level (expected {"log":{"entries":[…]}})', { hint: NOT_A_HAR_HINT });
  }
}
