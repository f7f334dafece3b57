/**
 * Per-field memo of redaction results. Access logs repeat their fields heavily: in the real 10k-line
 * Apache seed of ../shared/bench-data, 1,733 distinct request lines, 559 user agents and 628 referers.
 * Redacting a string is a pure function of the string, the HMAC key and the echo-sweep state, so the
 * result of a repeated value is reused instead of re-tokenized (the tokenizers were ~60% of parse-side
 * CPU on a combined log).
 *
 * What keeps this exact:
 * - counters (O6): the rule counts a miss produced are stored with the result and replayed on each hit;
 * - learning: a value a rule redacts is learned on the first (missed) call; a hit skips `learn`, which
 *   would find the value already known (or refuse it again: the learned set only grows);
 * - the echo sweep depends on what has been learned so far, so a memo of swept strings is dropped
 *   whenever the learned set has grown (it is bounded at 4,096 values, so at most that many times).
 */
import type { Ctx } from './context.js';

/** Entries per memo before it is cleared (bounded memory on high-cardinality fields). */
const MAX_ENTRIES = 16_384;
/** Longer strings are not memoized (rare, and keeping them would cost memory). */
const MAX_KEY = 2048;

interface Entry {
  out: string;
  /** Rule ids and counts the computation produced, flattened: [rule, n, rule, n, …]. */
  counts: Array<string | number> | null;
}

export class RedactionMemo {
  private readonly map = new Map<string, Entry>();
  /** `learned.size` when the entries were computed; -1: the memo does not depend on the learned set. */
  private epoch: number;

  constructor(dependsOnLearned: boolean) {
    this.epoch = dependsOnLearned ? 0 : -1;
  }

  get(ctx: Ctx, s: string, compute: (s: string) => string): string {
    if (s.length > MAX_KEY) return compute(s);
    if (this.epoch >= 0 && ctx.learned.size !== this.epoch) {
      this.map.clear();
      this.epoch = ctx.learned.size;
    }
    const hit = this.map.get(s);
    if (hit !== undefined) {
      const c = hit.counts;
      if (c !== null) for (let k = 0; k < c.length; k += 2) ctx.count(c[k] as string, c[k + 1] as number);
      return hit.out;
    }
    const outer = ctx.tap;
    const tap: Array<string | number> = [];
    ctx.tap = tap;
    let out: string;
    try {
      out = compute(s);
    } finally {
      ctx.tap = outer;
    }
    if (outer !== null) for (const x of tap) outer.push(x);
    // A computation that learned something may give another result next time (the sweep): not kept.
    if (this.epoch >= 0 && ctx.learned.size !== this.epoch) return out;
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    this.map.set(s, { out, counts: tap.length > 0 ? tap : null });
    return out;
  }
}
