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

/**
 * A log member's value through the page sweep, wrapped under its own name so key rules apply to it
 * (`_apiKey: "…"` is a secret by name, `_callback: "https://…?token=…"` a URL). Throws when redaction fails.
 */
function redactMember(redactor: HarRedactor, name: string, value: unknown): unknown {
  const box: Json = { [name]: value };
  redactor.redactHarPage(box);
  return box[name];
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

  let inputComment: string | null = null;
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
    // log-level values, in file order (a repeated key keeps the first)
    const key = item.key;
    if (key === 'comment') {
      // kept, redacted, and written at the end after faultline's own note (so the reader sees both)
      if (inputComment !== null) continue;
      if (typeof item.value !== 'string') {
        conform.repaired('log.comment');
        continue;
      }
      try {
        inputComment = redactMember(redactor, 'comment', item.value) as string;
      } catch {
        inputComment = ''; // fail closed (O2): the comment is left out
      }
      continue;
    }
    if (key === '_faultline') continue; // the note of an earlier sanitize run: this run writes its own
    if (writer.has(key)) continue;
    if (key === 'version') {
      const v = item.value;
      await writer.logValue('version', typeof v === 'string' && VERSION_RE.test(v) ? v : '1.2');
    } else if (key === 'creator' || key === 'browser') {
      const c = conform.creator(item.value, key);
      try {
        // the page redaction sweeps every string of an object: the same treatment for name/version/comment
        redactor.redactHarPage(c);
      } catch {
        if (key === 'creator') await writer.logValue('creator', { name: 'unknown', version: '' });
        continue;
      }
      await writer.logValue(key, c);
    } else if (key === 'pages') {
      if (!Array.isArray(item.value)) {
        conform.repaired('log.pages');
        continue;
      }
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
    } else {
      // A custom member (`_x`, any JSON) is kept, every string in it swept by the same rules as a page
      // (its name counts: `_authToken` is a secret). HAR 1.2 allows no other member names in log, so
      // an unknown one is kept under a custom name (`foo` → `_foo`) and the output stays valid.
      const name = key.startsWith('_') ? key : `_${key}`;
      if (name !== key) conform.repaired(`log.${key}`);
      if (writer.has(name)) continue;
      let value: unknown;
      try {
        value = redactMember(redactor, key, item.value);
      } catch {
        continue; // fail closed (O2): left out rather than written unredacted
      }
      await writer.logValue(name, value);
    }
  }

  result.redactions = redactor.summary();
  result.repairs = Object.fromEntries([...conform.repairs.entries()].sort());
  const now = opts.now ?? new Date();
  const note = sanitizedComment(result, now);
  await writer.finish([
    ['version', '1.2'],
    ['creator', { name: 'unknown', version: '' }],
    ['comment', inputComment === null || inputComment === '' ? note : `${note}\n\nOriginal comment: ${inputComment}`],
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
