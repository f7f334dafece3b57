/**
 * A streaming reader that yields the raw HAR *objects* (parsed JSON of each entry, and the log.version /
 * log.creator / log.pages values), not RequestRecords: `faultline sanitize` must write back every field,
 * including ones the record mapper ignores (`_initiator`, `_resourceType`, `cache`, …).
 *
 * It reuses the HAR parser's byte scanner (parsers/har/scanner.ts), so memory stays bounded by one entry,
 * a BOM, JSONP wrappers and every exporter quirk are handled the same way as at ingest, and a file that is
 * not a HAR fails with the same "not a HAR: … at byte N" message.
 *
 * Limits inherited from the scanner: keys of `log` other than version/creator/pages/entries
 * (`log.browser`, `log.comment`, custom `log._x`) are skipped by it, so they are not in the output.
 */
import { UserError } from '../core/errors.js';
import { HarScanner, excerptOf, type MetaKey, type ScanError } from '../../parsers/har/scanner.js';
import type { ElidedString } from '../../parsers/har/digest.js';

export type Json = Record<string, unknown>;

export type HarItem =
  | { kind: 'meta'; key: MetaKey; value: unknown }
  | { kind: 'entry'; index: number; value: Json }
  | { kind: 'skip'; index: number; reason: string; excerpt: string };

export interface HarReadOptions {
  /**
   * A string inside an entry longer than this many bytes is never held in memory: the scanner keeps
   * its size and SHA-256 only, and the reader puts an "omitted" note in its place. Default 4 MiB
   * (redaction scans at most 1 MiB of a body and drops larger ones anyway).
   */
  entryTextCap?: number;
}

export const SANITIZE_TEXT_CAP = 4 * 1024 * 1024;

const HINT = 'Is this a HAR export? In the browser DevTools Network panel use "Save all as HAR" (or "Export HAR").';

function syntaxMessage(e: ScanError): string {
  return `invalid JSON at byte ${e.byte} (expected ${e.expected}, found ${e.found})`;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('readHarItems: input chunks must be Buffers');
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Text that stands in for a string the scanner did not keep (no byte of it is written). */
export function omittedNote(info: ElidedString): string {
  return `[OMITTED: ${info.size} bytes, sha256 ${info.sha256}]`;
}

/**
 * Replaces the scanner's elision markers in a parsed entry. A huge `response.content.text` loses its
 * `text` and `encoding` (the size stays) and gets a comment; any other huge string becomes a note.
 * Iterative: entries nest at most MAX_DEPTH (256) levels, but nothing here recurses anyway.
 */
function replaceElided(entry: Json, prefix: string, elided: Map<string, ElidedString>): void {
  const content = isObject(entry['response']) && isObject(entry['response']['content']) ? entry['response']['content'] : null;
  if (content && typeof content['text'] === 'string' && content['text'].startsWith(prefix)) {
    const info = elided.get(content['text']);
    delete content['text'];
    delete content['encoding'];
    const note = `faultline sanitize: body not kept (${info ? `${info.size} bytes, sha256 ${info.sha256}` : 'too large'})`;
    content['comment'] = typeof content['comment'] === 'string' && content['comment'] !== '' ? `${content['comment']}; ${note}` : note;
  }
  const stack: Array<Json | unknown[]> = [entry];
  while (stack.length > 0) {
    const o = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(o) ? o.map((_, i) => i) : Object.keys(o);
    for (const k of keys) {
      const v = (o as Record<string | number, unknown>)[k];
      if (typeof v === 'string') {
        if (v.startsWith(prefix)) {
          const info = elided.get(v);
          (o as Record<string | number, unknown>)[k] = info ? omittedNote(info) : '[OMITTED]';
        }
      } else if (v !== null && typeof v === 'object') stack.push(v as Json | unknown[]);
    }
  }
}

/**
 * Yields, in file order, log.version / log.creator / log.pages values (`meta`), every entry object
 * (`entry`), and entries that cannot be read (`skip`: too deep, too large, invalid JSON, not an object).
 * Throws UserError when the input is not a HAR (nothing yielded yet) or when it stops being one
 * after the entries started (truncated or corrupt): a sanitized copy of part of a file would look
 * complete, so the caller must not keep it.
 */
export async function* readHarItems(input: AsyncIterable<Buffer>, opts: HarReadOptions = {}): AsyncGenerator<HarItem> {
  const entryTextCap = Math.max(64, Math.floor(opts.entryTextCap ?? SANITIZE_TEXT_CAP));
  const sc = new HarScanner({ entryTextCap, headBytes: 64, startEntry: 0 });
  let badMeta: ScanError | null = null;
  for await (const chunk of input) {
    const buf = toBuffer(chunk);
    if (buf.length === 0) continue;
    sc.feed(buf);
    let item;
    while ((item = sc.next()) !== null) {
      if (item.t === 'entrySkip') {
        yield { kind: 'skip', index: item.index, reason: item.reason, excerpt: item.excerpt };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(item.bytes.toString('utf8'));
      } catch {
        if (item.t === 'meta') {
          if (badMeta === null) badMeta = { byte: item.byte, expected: `valid JSON in log.${item.key}`, found: 'invalid JSON' };
          continue;
        }
        yield { kind: 'skip', index: item.index, reason: 'json', excerpt: excerptOf(item.bytes) };
        continue;
      }
      if (item.t === 'meta') {
        yield { kind: 'meta', key: item.key, value };
        continue;
      }
      if (!isObject(value)) {
        yield { kind: 'skip', index: item.index, reason: 'entry', excerpt: excerptOf(item.bytes) };
        continue;
      }
      if (item.elided !== null) replaceElided(value, sc.markerPrefix, item.elided);
      yield { kind: 'entry', index: item.index, value };
    }
    if (sc.failed || (badMeta !== null && !sc.entriesSeen)) break;
  }
  if (!sc.failed) sc.end();

  if (!sc.entriesSeen) {
    if (sc.error) throw new UserError(`not a HAR: ${syntaxMessage(sc.error)}`, { where: `byte ${sc.error.byte}`, hint: HINT });
    if (badMeta !== null) throw new UserError(`not a HAR: ${syntaxMessage(badMeta)}`, { where: `byte ${(badMeta as ScanError).byte}`, hint: HINT });
    if (sc.shapeError) throw new UserError(`not a HAR: ${sc.shapeError}`, { hint: HINT });
    if (sc.empty) throw new UserError('not a HAR: the file is empty', { hint: HINT });
    if (sc.eof) {
      throw new UserError(`not a HAR: unexpected end of input at byte ${sc.eof.byte} (expected ${sc.eof.expected})`, {
        where: `byte ${sc.eof.byte}`,
        hint: 'The file looks cut short before its entries; re-export it or check the download.',
      });
    }
    if (sc.topLevelEntries) throw new UserError('not a HAR: "entries" is at the top level; log.entries must be an array inside {"log":{…}}', { hint: HINT });
    if (sc.logSeen) throw new UserError('not a HAR: log.entries must be an array (log has no "entries")', { hint: HINT });
    throw new UserError('not a HAR: no "log" object at the top level (expected {"log":{"entries":[…]}})', { hint: HINT });
  }
  const where = sc.entriesClosed ? 'after the entries' : `at entry ${sc.tailUnit}`;
  if (sc.error) {
    throw new UserError(`the HAR stops being valid JSON ${where}: ${syntaxMessage(sc.error)}`, {
      where: `byte ${sc.error.byte}`,
      hint: 'nothing was written: a sanitized copy of part of a file would look complete. Re-export the HAR or repair the file.',
    });
  }
  if (sc.eof) {
    throw new UserError(`the HAR is cut short ${where}: input ended at byte ${sc.eof.byte} (expected ${sc.eof.expected})`, {
      where: `byte ${sc.eof.byte}`,
      hint: 'nothing was written: a sanitized copy of part of a file would look complete. Re-export the HAR or check the download.',
    });
  }
}
