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
import { HarItems, syntaxMessage, type HarItem } from './items.js';
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

function intOption(v: number | undefined, dflt: number, min: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < min) throw new UserError(`invalid HAR option ${name}: ${String(v)} (must be a number >= ${min})`);
  return Math.floor(v);
}

export async function* parseHar(input: AsyncIterable<Buffer>, opts: HarParseOptions = {}): AsyncGenerator<ParseEvent | HarMeta> {
  const bodyCap = intOption(opts.bodyCap, DEFAULT_BODY_CAP, 0, 'bodyCap');
  const entryTextCap = intOption(opts.entryTextCap, DEFAULT_ENTRY_TEXT_CAP, 64, 'entryTextCap');
  const startEntry = intOption(opts.startEntry, 0, 0, 'startEntry');
  const reader = new HarItems({ entryTextCap, headBytes: Math.max(4 * bodyCap + 8, 64), startEntry });
  const sc = reader.sc;
  const meta: HarMeta = { kind: 'meta', version: null, creator: null, creatorVersion: null, pages: [] };
  const ctx: EntryContext = { bodyCap, elided: null, creator: null, excerpt: null };

  const convert = (item: HarItem): ParseEvent | null => {
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
      const value = item.value;
      if (item.key === 'version') meta.version = str(value, 64);
      else if (item.key === 'creator') {
        const c = creatorOf(value);
        meta.creator = c.name;
        meta.creatorVersion = c.version;
        ctx.creator = c.name;
      } else if (item.key === 'pages') meta.pages = pagesOf(value);
      return null;
    }
    const text = item.text;
    ctx.elided = item.elided;
    ctx.excerpt = () => wellFormed(text.slice(0, 200));
    const ev = entryToEvent(item.value, item.index, ctx);
    ctx.elided = null;
    ctx.excerpt = null;
    return ev;
  };

  for await (const chunk of input) {
    for (const item of reader.feed(chunk)) {
      const ev = convert(item);
      if (ev !== null) yield ev;
    }
    if (reader.done) break;
  }
  reader.end();

  // --- how did it end?
  // nothing has been yielded: refuse the file with the most useful message
  if (!sc.entriesSeen) throw reader.notAHar();

  yield meta;
  const unit = sc.tailUnit;
  if (sc.error) {
    const where = sc.entriesClosed ? 'after the entries' : `at entry ${unit}`;
    yield {
      kind: 'skip',
      unit,
      locator: { line: null, entry: unit },
      reason: 'har_truncated',
      excerpt: `${syntaxMessage(sc.error)} ${where}; the rest of the file was not read`,
    };
    return;
  }
  if (reader.badMeta !== null) {
    // every entry was read (log.* values after the entries), but the file is not valid JSON
    const bad = reader.badMeta;
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
