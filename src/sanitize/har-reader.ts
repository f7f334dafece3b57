/**
 * A streaming reader that yields the raw HAR *objects* (parsed JSON of each entry, and the log.version /
 * log.creator / log.pages values), not RequestRecords: `faultline sanitize` must write back every field,
 * including ones the record mapper ignores (`_initiator`, `_resourceType`, `cache`, …).
 *
 * It reuses the HAR parser's byte scanner (parsers/har/scanner.ts), so memory stays bounded by one entry,
 * a BOM, JSONP wrappers and every exporter quirk are handled the same way as at ingest, and a file that is
 * not a HAR fails with the same "not a HAR: … at byte N" message.
 *
 * Every member of `log` is handed over (the scanner's `logMembers` option): version, creator, pages,
 * and `browser`, `comment`, custom `_x` members too, so the sanitized copy keeps them (redacted).
 * The reading loop itself (scanner, JSON, the not-a-HAR diagnosis) is parsers/har/items.ts, shared with
 * the ingest parser.
 */
import { UserError } from '../core/errors.js';
import { HarItems as HarItemReader, syntaxMessage } from '../../parsers/har/items.js';
import { excerptOf } from '../../parsers/har/scanner.js';
import type { ElidedString } from '../../parsers/har/digest.js';

export type Json = Record<string, unknown>;

export type HarItem =
  /** A member of `log` besides entries: version, creator, pages, browser, comment, `_custom`… */
  | { kind: 'meta'; key: string; value: unknown }
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
  const reader = new HarItemReader({ entryTextCap, headBytes: 64, startEntry: 0, logMembers: true });
  const sc = reader.sc;
  for await (const chunk of input) {
    for (const item of reader.feed(chunk)) {
      if (item.t === 'entrySkip') yield { kind: 'skip', index: item.index, reason: item.reason, excerpt: item.excerpt };
      else if (item.t === 'meta') yield { kind: 'meta', key: item.key, value: item.value };
      else if (!isObject(item.value)) yield { kind: 'skip', index: item.index, reason: 'entry', excerpt: excerptOf(Buffer.from(item.text)) };
      else {
        if (item.elided !== null) replaceElided(item.value, sc.markerPrefix, item.elided);
        yield { kind: 'entry', index: item.index, value: item.value };
      }
    }
    if (reader.done) break;
  }
  reader.end();

  if (!sc.entriesSeen) throw reader.notAHar();
  const where = sc.entriesClosed ? 'after the entries' : `at entry ${sc.tailUnit}`;
  if (sc.error) {
    throw new UserError(`the HAR stops being valid JSON ${where}: ${syntaxMessage(sc.error)}`, {
      where: `byte ${sc.error.byte}`,
      hint: 'nothing was written: a sanitized copy of part of a file would look complete. Re-export the HAR or repair the file.',
    });
  }
  if (reader.badMeta !== null) {
    throw new UserError(`the HAR stops being valid JSON ${where}: ${syntaxMessage(reader.badMeta)}`, {
      where: `byte ${reader.badMeta.byte}`,
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
