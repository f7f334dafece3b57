/**
 * The sanitize pipeline, stream to stream: read HAR objects (har-reader) → redact each one in place with
 * the ingest rules (src/redact: redactHarEntry / redactHarPage) → repair HAR 1.2 types (conform) →
 * write it (har-writer). One entry in memory at a time.
 *
 * Fail closed (O2): an entry whose redaction throws, or that cannot be read, is left out and counted,
 * never written unredacted.
 */
import { VERSION } from '../core/version.js';
import type { Redactor } from '../redact/index.js';
import { Conformer } from './conform.js';
import { readHarItems, type Json } from './har-reader.js';
import { HarWriter } from './har-writer.js';
import type { TextOutput } from './output.js';

export type HarRedactor = Pick<Redactor, 'redactHarEntry' | 'redactHarPage' | 'summary'>;

export interface SanitizeOptions {
  redactor: HarRedactor;
  /** Time written in the log comment (tests pin it). */
  now?: Date;
  /** See HarReadOptions.entryTextCap. */
  entryTextCap?: number;
}

export interface DroppedEntry {
  /** 0-based index in the input's log.entries. */
  index: number;
  /** too_deep, too_large, json, entry, request, redaction_error. */
  reason: string;
}

export interface SanitizeResult {
  /** Entries read from the input (written + dropped). */
  entriesIn: number;
  entriesOut: number;
  /** Entries left out (at most 100 listed; `droppedCount` has the total). */
  dropped: DroppedEntry[];
  droppedCount: number;
  pages: number;
  /** Redaction counts per rule id (never values). */
  redactions: Record<string, number>;
  /** HAR 1.2 type repairs per member path. */
  repairs: Record<string, number>;
}

const VERSION_RE = /^\d{1,3}(?:\.\d{1,3}){0,2}$/;

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The log.comment of a sanitized file: what was done, and the counts per rule (O6), never values. */
export function sanitizedComment(r: SanitizeResult, now: Date): string {
  const parts = [
    `Sanitized by faultline ${VERSION} on ${now.toISOString()}: secret values were replaced by [REDACTED:<rule>#<hash>] markers ` +
      '(hash: HMAC-SHA256 with a random key used for this run only, so equal values can be correlated inside this file but not recovered).',
    `Redactions per rule: ${describeCounts(r.redactions)}.`,
  ];
  if (r.droppedCount > 0) parts.push(`Entries left out because they could not be read or redacted: ${r.droppedCount}.`);
  const repaired = Object.values(r.repairs).reduce((a, b) => a + b, 0);
  if (repaired > 0) parts.push(`Fields repaired to HAR 1.2 types: ${repaired}.`);
  return parts.join(' ');
}

/** Streams a sanitized copy of the HAR in `input` to `out`. Throws UserError when the input is not a (complete) HAR. */
export async function sanitizeHar(input: AsyncIterable<Buffer>, out: Pick<TextOutput, 'write'>, opts: SanitizeOptions): Promise<SanitizeResult> {
  const { redactor } = opts;
  const writer = new HarWriter(out);
  const conform = new Conformer();
  const result: SanitizeResult = {
    entriesIn: 0, entriesOut: 0, dropped: [], droppedCount: 0, pages: 0, redactions: {}, repairs: {},
  };
  const drop = (index: number, reason: string): void => {
    result.droppedCount++;
    if (result.dropped.length < 100) result.dropped.push({ index, reason });
  };

  for await (const item of readHarItems(input, { entryTextCap: opts.entryTextCap })) {
    if (item.kind === 'skip') {
      result.entriesIn++;
      drop(item.index, item.reason);
      continue;
    }
    if (item.kind === 'entry') {
      result.entriesIn++;
      const e: Json = item.value;
      try {
        redactor.redactHarEntry(e);
      } catch {
        drop(item.index, 'redaction_error');
        continue;
      }
      if (!conform.entry(e)) {
        drop(item.index, 'request');
        continue;
      }
      await writer.entry(e);
      result.entriesOut++;
      continue;
    }
    // log-level values the scanner hands over: version, creator, pages (a repeated key keeps the first)
    if (writer.has(item.key)) continue;
    if (item.key === 'version') {
      const v = item.value;
      await writer.logValue('version', typeof v === 'string' && VERSION_RE.test(v) ? v : '1.2');
    } else if (item.key === 'creator') {
      const c = conform.creator(item.value);
      try {
        // the page redaction sweeps every string of an object: the same treatment for creator name/version/comment
        redactor.redactHarPage(c);
      } catch {
        await writer.logValue('creator', { name: 'unknown', version: '' });
        continue;
      }
      await writer.logValue('creator', c);
    } else if (Array.isArray(item.value)) {
      const pages: Json[] = [];
      for (const p of item.value) {
        if (p === null || typeof p !== 'object' || Array.isArray(p)) continue;
        try {
          redactor.redactHarPage(p as Json);
        } catch {
          continue;
        }
        if (conform.page(p)) pages.push(p);
      }
      result.pages = pages.length;
      await writer.logValue('pages', pages);
    }
  }

  result.redactions = redactor.summary();
  result.repairs = Object.fromEntries([...conform.repairs.entries()].sort());
  const now = opts.now ?? new Date();
  await writer.finish([
    ['version', '1.2'],
    ['creator', { name: 'unknown', version: '' }],
    ['comment', sanitizedComment(result, now)],
    [
      '_faultline',
      {
        sanitized: true,
        version: VERSION,
        at: now.toISOString(),
        redactions: result.redactions,
        droppedEntries: result.droppedCount,
        repairs: result.repairs,
      },
    ],
  ]);
  return result;
}
