/**
 * Echo sweep: a secret redacted in one place (a cookie value, an Authorization credential, a secret query
 * parameter) is often repeated verbatim where no rule can see it, e.g. Google Analytics' `utmcc=__utma%3D…`
 * beacon parameter copies the site's cookies (found in the corpus, browsertime HAR). Every value a rule
 * redacted is remembered (bounded), and final strings are swept for it with a rolling hash over an
 * 8-character window: one pass, candidates verified with startsWith (at most 8 per window, each at most
 * 256 characters), so the cost stays linear in the text.
 */
import type { Ctx } from './context.js';
import { markerText } from './context.js';
import { markerEndAt } from './markers.js';

/** Rules whose values are credentials or identifiers worth chasing (not whole bodies or truncated tails). */
const LEARN_RULES = new Set(['R-H1', 'R-H2', 'R-C1', 'R-Q1', 'R-Q2', 'R-U1', 'R-B1', 'R-P2', 'R-P3', 'R-P4', 'R-L1']);
const WINDOW = 8;
const MAX_VALUE = 256;
const MAX_VALUES = 4096;
const MAX_BUCKET = 8;
const B = 31;
/** B^(WINDOW-1) mod 2^32 */
const B_TOP = (() => {
  let x = 1;
  for (let k = 0; k < WINDOW - 1; k++) x = Math.imul(x, B);
  return x;
})();

function windowHash(s: string, i: number): number {
  let h = 0;
  for (let k = 0; k < WINDOW; k++) h = (Math.imul(h, B) + s.charCodeAt(i + k)) | 0;
  return h;
}

interface Learned {
  value: string;
  rule: string;
  hash: string;
  /** Where the indexed 8-character window starts inside the value. */
  offset: number;
}

export class LearnedSecrets {
  private readonly buckets = new Map<number, Learned[]>();
  private readonly seen = new Set<string>();
  /**
   * One byte per low 16 bits of a bucket's window hash: almost every window of a text has no bucket,
   * and a byte load rejects it much faster than a Map lookup (the sweep visits every character of
   * every header and body excerpt; it was ~15% of HAR parse-side CPU).
   */
  private readonly filter = new Uint8Array(1 << 16);

  get size(): number {
    return this.seen.size;
  }

  /**
   * Remembers a redacted value when it is distinctive enough to chase (see `isDistinctive`), so that
   * `undefined`, `password` or a bare timestamp is never chased through every body.
   * The value is indexed by one 8-character window: its end, start or middle, whichever bucket is
   * emptiest, because related values often share a prefix (timestamps, `GA1.2.`) or a suffix.
   */
  learn(rule: string, value: string): void {
    if (!LEARN_RULES.has(rule) || value.length > MAX_VALUE || !isDistinctive(value)) return;
    if (this.seen.size >= MAX_VALUES || this.seen.has(value)) return;
    let best: { h: number; offset: number; b: Learned[] | undefined } | null = null;
    for (const offset of [value.length - WINDOW, 0, (value.length - WINDOW) >> 1]) {
      const h = windowHash(value, offset);
      const b = this.buckets.get(h);
      if (!best || (b?.length ?? 0) < (best.b?.length ?? 0)) best = { h, offset, b };
    }
    let b = best!.b;
    if (!b) {
      this.buckets.set(best!.h, (b = []));
      this.filter[best!.h & 0xffff] = 1;
    }
    if (b.length >= MAX_BUCKET) return;
    this.seen.add(value);
    b.push({ value, rule, hash: '', offset: best!.offset });
    // Longest first, so a value that extends another wins.
    b.sort((x, y) => y.value.length - x.value.length);
  }

  /** Replaces every remembered value in `s` by its marker (same rule, same hash as where it was found). */
  sweep(ctx: Ctx, s: string, url: boolean): string {
    if (this.seen.size === 0 || s.length < WINDOW) return s;
    let out: string[] | null = null;
    /** Everything before `last` is already emitted. */
    let last = 0;
    /** No match may start before `floor` (the end of the last match or marker). */
    let floor = 0;
    let i = 0;
    let h = windowHash(s, 0);
    const n = s.length;
    while (i + WINDOW <= n) {
      let jump = 0;
      if (s.charCodeAt(i) === 91 /* [ */) {
        const e = markerEndAt(s, i);
        if (e > 0) {
          jump = e - i;
          floor = e;
        }
      }
      if (jump === 0 && this.filter[h & 0xffff] !== 0) {
        const b = this.buckets.get(h);
        if (b) {
          // The window [i, i+8) is the candidate's indexed window, `offset` characters into it.
          for (const e of b) {
            const start = i - e.offset;
            if (start < floor || !s.startsWith(e.value, start)) continue;
            if (!e.hash) e.hash = ctx.hash(e.value);
            ctx.count(e.rule);
            (out ??= []).push(s.slice(last, start), markerText(e.rule, e.hash, url));
            last = start + e.value.length;
            floor = last;
            jump = last - i;
            break;
          }
        }
      }
      if (jump > 0) {
        i += jump;
        if (i + WINDOW <= n) h = windowHash(s, i);
        continue;
      }
      // Roll the window one character.
      if (i + WINDOW < n) h = (Math.imul(h - Math.imul(s.charCodeAt(i), B_TOP), B) + s.charCodeAt(i + WINDOW)) | 0;
      i++;
    }
    if (!out) return s;
    out.push(s.slice(last));
    return out.join('');
  }
}

/**
 * Worth chasing: 8+ characters with a letter and a digit, or 16+ characters. Cookie values such as
 * `/rum.gif`, `en-US` or a bare millisecond timestamp are not secrets and would only cause noise.
 */
export function isDistinctive(v: string): boolean {
  if (v.length < WINDOW) return false;
  if (v.length >= 16) return true;
  let letter = false;
  let digit = false;
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c >= 48 && c <= 57) digit = true;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letter = true;
  }
  return letter && digit;
}
