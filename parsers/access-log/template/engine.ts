/**
 * The positional matcher: walks a line once, left to right, against a compiled Template.
 *
 * Linear by construction: a bare field ends at the first occurrence of the next literal's first
 * character (found with indexOf); a quoted or bracketed field ends at the first unescaped closing
 * character that is followed by the expected literal (a bounded re-scan, never a backtrack over
 * earlier fields). No regular expressions. Cost is O(line length × longest literal).
 */
import { emptyRecord } from '../../../src/core/types.js';
import type { RequestRecord } from '../../../src/core/types.js';
import type { LineParser, LineResult } from '../format.js';
import { criPrefixLength, syslogPrefixLength } from '../prefix.js';
import type { FinishHook, FieldStep, LineCtx, Template } from './types.js';
import { putExtra } from './vars.js';

export interface TemplateParserOptions {
  /** Run after every field applied (derive lbError, durations…); may reject the line. */
  finish?: FinishHook;
  /** Accept an optional Kubernetes CRI prefix (default true). */
  cri?: boolean;
  /** Accept an optional syslog header (default false). */
  syslog?: boolean;
}

/** Excerpt of the text at a column for rejection reasons (short, printable). */
function around(line: string, pos: number): string {
  if (pos >= line.length) return 'end of line';
  const s = line.slice(pos, pos + 12);
  return JSON.stringify(s);
}

function fail(reason: string): LineResult {
  return { ok: false, reason };
}

/** Removes the backslash escapes Apache (`\"`, `\\`) and nginx (`\"`) write inside quoted fields. */
function unescapeQuoted(v: string): string {
  let out = '';
  let last = 0;
  for (let i = v.indexOf('\\'); i >= 0 && i < v.length - 1; i = v.indexOf('\\', i)) {
    const c = v.charCodeAt(i + 1);
    if (c === 34 || c === 92) {
      out += v.slice(last, i);
      last = i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return last === 0 ? v : out + v.slice(last);
}

/** Whether only spaces/tabs remain from `pos`. */
function blankFrom(line: string, pos: number): boolean {
  for (let i = pos; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * End of a quoted field starting at `pos` (just after the opening quote): the first `"` that is not
 * backslash-escaped and is followed by `after` (which starts with the quote). -1 when none.
 */
function quotedEnd(line: string, pos: number, after: string): number {
  let q = line.indexOf('"', pos);
  while (q >= 0) {
    // An odd run of backslashes before the quote escapes it. Each run is counted once: linear.
    let b = q - 1;
    while (b >= pos && line.charCodeAt(b) === 92) b--;
    if (((q - 1 - b) & 1) === 0 && (after.length <= 1 || line.startsWith(after, q))) return q;
    q = line.indexOf('"', q + 1);
  }
  return -1;
}

/** End of a bracketed field: the first `]` followed by `after`. -1 when none. */
function bracketEnd(line: string, pos: number, after: string): number {
  let q = line.indexOf(']', pos);
  while (q >= 0) {
    if (after.length <= 1 || line.startsWith(after, q)) return q;
    q = line.indexOf(']', q + 1);
  }
  return -1;
}

/** End of a list field: separators `, ` and ` : ` belong to the value. */
function listEnd(line: string, pos: number, stopCh: string): number {
  let e = line.indexOf(stopCh, pos);
  if (stopCh !== ' ') return e;
  while (e >= 0) {
    if (e > pos && line.charCodeAt(e - 1) === 44) {
      e = line.indexOf(' ', e + 1);
    } else if (line.charCodeAt(e + 1) === 58 && line.charCodeAt(e + 2) === 32) {
      e = line.indexOf(' ', e + 3);
    } else {
      break;
    }
  }
  return e;
}

/** Builds the per-file parser for a template. One LineCtx is reused for every line. */
export function templateParser(t: Template, opts: TemplateParserOptions = {}): LineParser {
  const { head, steps, trailing } = t;
  const nsteps = steps.length;
  const finish = opts.finish ?? null;
  const cri = opts.cri !== false;
  const syslog = opts.syslog === true;
  const stopChars = steps.map((s) => (s.after.length > 0 ? s.after[0]! : ''));
  const ctx: LineCtx = { extra: null, tmp: null, trailingAt: -1 };

  return function parseLine(line: string): LineResult {
    let pos = cri ? criPrefixLength(line) : 0;
    if (syslog) pos += syslogPrefixLength(line, pos);
    if (head.length > 0) {
      if (!line.startsWith(head, pos)) return fail(`expected ${JSON.stringify(head)} at column ${pos + 1}, found ${around(line, pos)}`);
      pos += head.length;
    }
    ctx.extra = null;
    ctx.tmp = null;
    ctx.trailingAt = -1;
    const r: RequestRecord = emptyRecord();
    const n = line.length;
    let ended = false;

    for (let i = 0; i < nsteps; i++) {
      const s: FieldStep = steps[i]!;
      const after = s.after;
      let end: number;
      let value: string;
      switch (s.lex) {
        case 'quoted': {
          end = quotedEnd(line, pos, after);
          if (end < 0 && s.mayEnd) {
            // The line may stop here: a closing quote at the end of the line (blanks allowed) ends it.
            let e = n - 1;
            while (e >= pos && (line.charCodeAt(e) === 32 || line.charCodeAt(e) === 9)) e--;
            if (e >= pos && line.charCodeAt(e) === 34 && quotedEnd(line, pos, '"') === e) {
              value = line.slice(pos, e);
              if (value.indexOf('\\') >= 0) value = unescapeQuoted(value);
              end = n;
              ended = true;
              break;
            }
          }
          if (end < 0) {
            if (!s.mayEnd) return fail(`expected closing '"' of ${s.name} (opened at column ${pos}) before end of line`);
            // Truncated line (a logger cut the user agent): keep what is there.
            value = unescapeQuoted(line.slice(pos));
            putExtra(ctx, 'truncated', true);
            end = n;
            ended = true;
          } else {
            value = line.slice(pos, end);
            if (value.indexOf('\\') >= 0) value = unescapeQuoted(value);
          }
          break;
        }
        case 'bracket': {
          end = bracketEnd(line, pos, after);
          if (end < 0) return fail(`expected ']' closing ${s.name} (opened at column ${pos}) before end of line`);
          value = line.slice(pos, end);
          break;
        }
        case 'rest': {
          end = n;
          value = line.slice(pos);
          break;
        }
        default: {
          const stopCh = stopChars[i]!;
          if (stopCh === '') {
            // Last field: to the next space when trailing text is tolerated or only blanks follow it,
            // else to the end of the line (an unquoted last field may contain spaces).
            const sp = line.indexOf(' ', pos);
            end = sp >= 0 && (trailing === 'keep' || blankFrom(line, sp)) ? sp : n;
          } else {
            end = s.lex === 'list' ? listEnd(line, pos, stopCh) : line.indexOf(stopCh, pos);
            for (let k = 0; k < s.skipStops && end >= 0; k++) end = line.indexOf(stopCh, end + 1);
            if (end < 0) {
              if (!s.mayEnd) return fail(`expected ${JSON.stringify(after)} after ${s.name} (column ${pos + 1}) before end of line`);
              end = n;
              ended = true;
            }
          }
          if (end === pos && stopCh !== '') return fail(`expected ${s.def.expect} (${s.name}) at column ${pos + 1}, found ${around(line, pos)}`);
          value = line.slice(pos, end);
        }
      }
      if (!s.def.apply(r, value, ctx)) {
        return fail(`expected ${s.def.expect} (${s.name}) at column ${pos + 1}, found ${around(line, pos)}`);
      }
      if (ended) break;
      if (after.length > 0 && !line.startsWith(after, end)) {
        // A line may stop after an optional point (a trailing space is tolerated there).
        if (s.mayEnd && blankFrom(line, end)) { ended = true; break; }
        return fail(`expected ${JSON.stringify(after)} at column ${end + 1} after ${s.name}, found ${around(line, end)}`);
      }
      pos = end + after.length;
      if (pos >= n && i < nsteps - 1 && s.mayEnd) { ended = true; break; }
    }

    if (!ended && pos < n && !blankFrom(line, pos)) {
      if (trailing === 'reject') return fail(`unexpected text at column ${pos + 1}: ${around(line, pos)}`);
      let a = pos;
      while (a < n && line.charCodeAt(a) === 32) a++;
      ctx.trailingAt = a;
      putExtra(ctx, 'trailing', line.slice(a));
    }
    if (finish !== null) {
      const why = finish(r, ctx, line);
      if (why !== null) return fail(why);
    }
    r.extra = ctx.extra;
    return { ok: true, record: r };
  };
}
