/**
 * parseHar: the streaming HAR parser. Glues the byte scanner (scanner.ts) to the record mapper
 * (entry.ts) and decides, when the input is not a usable HAR, between a UserError (nothing valid
 * was found: nothing has been yielded yet) and a partial result (entries were read: a tail skip).
 *
 * Events, in order: one event per entry (record or skip `entry_invalid:*`), then exactly one
 * HarMeta, then at most one tail skip `har_truncated` whose unit is the index of the entry being
 * read (the next one). It covers both an input that stopped early and bytes that stopped being
 * JSON after the entries started (the excerpt says which and at what byte): either way the rest
 * of the file could not be read and the caller marks the source partial.
 * So per file: records + entry skips = entries read, plus the tail.
 */
import { UserError } from '../../src/core/errors.js';
import type { ParseEvent } from '../../src/core/types.js';
import { DEFAULT_BODY_CAP, creatorOf, entryToEvent, pagesOf, type EntryContext } from './entry.js';
import { HarScanner, excerptOf, type ScanError, type ScanItem } from './scanner.js';
import { str, wellFormed } from './text.js';

export interface HarParseOptions {
  /** Characters of response body excerpt kept (default 64 KiB). */
  bodyCap?: number;
  /** content.text (any string in an entry) longer than this many bytes is not kept in memory, only its size and SHA-256 (default 16 MiB). */
  entryTextCap?: number;
  /** Resume: entries with a smaller index are scanned but not parsed or yielded. */
  startEntry?: number;
}

export interface HarMeta {
  kind: 'meta';
  version: string | null;
  creator: string | null;
  creatorVersion: string | null;
  pages: { id: string; title: string | null; startedMs: number | null }[];
}

export const DEFAULT_ENTRY_TEXT_CAP = 16 * 1024 * 1024;

const HINT = 'Is this a HAR export? In the browser DevTools Network panel use "Save all as HAR" (or "Export HAR").';

function intOption(v: number | undefined, dflt: number, min: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < min) throw new UserError(`invalid HAR option ${name}: ${String(v)} (must be a number >= ${min})`);
  return Math.floor(v);
}

function syntaxMessage(e: ScanError): string {
  return `not a HAR: invalid JSON at byte ${e.byte} (expected ${e.expected}, found ${e.found})`;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('parseHar: input chunks must be Buffers');
}

export async function* parseHar(input: AsyncIterable<Buffer>, opts: HarParseOptions = {}): AsyncGenerator<ParseEvent | HarMeta> {
  const bodyCap = intOption(opts.bodyCap, DEFAULT_BODY_CAP, 0, 'bodyCap');
  const entryTextCap = intOption(opts.entryTextCap, DEFAULT_ENTRY_TEXT_CAP, 64, 'entryTextCap');
  const startEntry = intOption(opts.startEntry, 0, 0, 'startEntry');
  const sc = new HarScanner({ entryTextCap, headBytes: Math.max(4 * bodyCap + 8, 64), startEntry });
  const meta: HarMeta = { kind: 'meta', version: null, creator: null, creatorVersion: null, pages: [] };
  const ctx: EntryContext = { bodyCap, elided: null, creator: null, excerpt: null };
  let badMeta: ScanError | null = null;

  const convert = (item: ScanItem): ParseEvent | null => {
    if (item.t === 'entrySkip') {
      return {
        kind: 'skip',
        unit: item.index,
        locator: { line: null, entry: item.index },
        reason: `entry_invalid:${item.reason}`,
        excerpt: item.excerpt,
      };
    }
    if (item.t === 'meta') {
      let value: unknown;
      try {
        value = JSON.parse(item.bytes.toString('utf8'));
      } catch {
        if (badMeta === null) badMeta = { byte: item.byte, expected: `valid JSON in log.${item.key}`, found: 'invalid JSON' };
        return null;
      }
      if (item.key === 'version') meta.version = str(value, 64);
      else if (item.key === 'creator') {
        const c = creatorOf(value);
        meta.creator = c.name;
        meta.creatorVersion = c.version;
        ctx.creator = c.name;
      } else meta.pages = pagesOf(value);
      return null;
    }
    const bytes = item.bytes;
    let text: string;
    let value: unknown;
    try {
      text = bytes.toString('utf8');
      value = JSON.parse(text);
    } catch {
      return {
        kind: 'skip',
        unit: item.index,
        locator: { line: null, entry: item.index },
        reason: 'entry_invalid:json',
        excerpt: excerptOf(bytes),
      };
    }
    ctx.elided = item.elided;
    ctx.excerpt = () => wellFormed(text.slice(0, 200));
    const ev = entryToEvent(value, item.index, ctx);
    ctx.elided = null;
    ctx.excerpt = null;
    return ev;
  };

  for await (const chunk of input) {
    const buf = toBuffer(chunk);
    if (buf.length === 0) continue;
    sc.feed(buf);
    let item: ScanItem | null;
    while ((item = sc.next()) !== null) {
      const ev = convert(item);
      if (ev !== null) yield ev;
    }
    if (sc.failed || (badMeta !== null && !sc.entriesSeen)) break;
  }
  if (!sc.failed) sc.end();

  // --- how did it end?
  if (!sc.entriesSeen) {
    // nothing has been yielded: refuse the file with the most useful message
    if (sc.error) throw new UserError(syntaxMessage(sc.error), { where: `byte ${sc.error.byte}`, hint: HINT });
    if (badMeta !== null) throw new UserError(syntaxMessage(badMeta), { where: `byte ${(badMeta as ScanError).byte}`, hint: HINT });
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

  yield meta;
  const unit = sc.tailUnit;
  if (sc.error) {
    const where = sc.entriesClosed ? 'after the entries' : `at entry ${unit}`;
    yield {
      kind: 'skip',
      unit,
      locator: { line: null, entry: unit },
      reason: 'har_truncated',
      excerpt: `${syntaxMessage(sc.error).slice('not a HAR: '.length)} ${where}; the rest of the file was not read`,
    };
    return;
  }
  if (badMeta !== null) {
    // every entry was read (log.* values after the entries), but the file is not valid JSON
    const bad = badMeta as ScanError;
    yield {
      kind: 'skip',
      unit,
      locator: { line: null, entry: unit },
      reason: 'har_truncated',
      excerpt: `invalid JSON at byte ${bad.byte} (expected ${bad.expected}); the entries were all read`,
    };
    return;
  }
  if (sc.eof) {
    yield {
      kind: 'skip',
      unit,
      locator: { line: null, entry: unit },
      reason: 'har_truncated',
      excerpt: `input ended at byte ${sc.eof.byte} (expected ${sc.eof.expected}) ${sc.entriesClosed ? 'after the entries' : `at entry ${unit}`}`,
    };
  }
}
