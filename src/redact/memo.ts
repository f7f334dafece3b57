/**
 * Per-field memo of redaction results. Access logs repeat their fields heavily: in the real 10k-line
 * Apache seed of ../shared/bench-data, 1,733 distinct request lines, 559 user agents and 628 referers.
 * Redacting a string is a pure function of the string, the HMAC key and the echo-sweep state, so the
 * result of a repeated value is reused instead of re-tokenized (the tokenizers were ~60% of parse-side
 * CPU on a combined log).
 *
 * Two stages per value, as record.ts runs them: the rules (`redact`), then, after every field of the
 * record went through its rules, the echo sweep (`sweep`) of the result. What keeps this exact:
 * - counters (O6): the rule counts a computation produced are stored with its result and replayed on
 *   each hit;
 * - learning: a value a rule redacts is learned on the first (missed) call; a hit skips `learn`, which
 *   would find the value already known (or refuse it again: the learned set only grows);
 * - the sweep depends on what has been learned so far: a swept result is reused only while the learned
 *   set has the size it had when the result was computed (it is bounded at 4,096 values).
 */
import type { Ctx } from './context.js';

/** Entries per memo before it is cleared (bounded memory on high-cardinality fields). */
const MAX_ENTRIES = 16_384;
/** Characters (keys and results) per memo before it is cleared: all-distinct 2 KB cookies must not pile up. */
const MAX_CHARS = 2 * 1024 * 1024;
/**
 * Longer strings are not memoized. Beacon and analytics URLs repeat with 10-20 KB query strings
 * (the bench HAR: 17,385-character ones, 9 distinct, 68 times each) and are the costliest to redact;
 * memory stays bounded by MAX_CHARS, a long value just fills it sooner.
 */
const MAX_KEY = 32_768;

type Counts = Array<string | number> | null;

export interface MemoEntry {
  /** The value after the field's rules. */
  out: string;
  /** Rule ids and counts the rules produced, flattened: [rule, n, rule, n, …]. */
  counts: Counts;
  /** `out` after the echo sweep, valid while `learned.size === sweptAt`. */
  swept: string | null;
  sweptAt: number;
  sweptCounts: Counts;
}

/** Counts the rule counts a memoized computation produced, again (O6: a hit counts as a redaction). */
export function replay(ctx: Ctx, c: Counts): void {
  if (c !== null) for (let k = 0; k < c.length; k += 2) ctx.count(c[k] as string, c[k + 1] as number);
}

/**
 * Runs `fn` recording the counts it produces (and passing them on to an enclosing recording). A throw
 * propagates (the caller fails the field closed, O2) and nothing is recorded.
 */
export function recording(ctx: Ctx, fn: () => string): { out: string; counts: Counts } {
  const outer = ctx.tap;
  const tap: Array<string | number> = [];
  ctx.tap = tap;
  let out: string;
  try {
    out = fn();
  } finally {
    ctx.tap = outer;
  }
  if (outer !== null) for (const x of tap) outer.push(x);
  return { out, counts: tap.length > 0 ? tap : null };
}

export class FieldMemo {
  private readonly map = new Map<string, MemoEntry>();
  /** Characters held by `map` (keys + results). */
  private chars = 0;
  /**
   * The value of the previous call and its entry. Consecutive log lines often share a user agent or
   * a referer (~60% in the Apache seed), and comparing with the last value is much cheaper than the
   * map lookup, which hashes the whole freshly cut string first.
   */
  private lastKey: string | null = null;
  private lastEntry: MemoEntry | null = null;

  /** Stage 1: the field's rules. A throw fails closed (O2) as `[REDACTED:error]`, not kept. */
  redact(ctx: Ctx, s: string, rules: (s: string) => string): MemoEntry {
    return this.hit(ctx, s) ?? this.compute(ctx, s, rules);
  }

  /**
   * Stage 1 for a value inside a larger text (a URL in a log line kept raw): like `redact`, but a
   * throw is not caught here, so the caller still fails the whole text closed (O2) as without the
   * memo. Returns the value after the rules; the text's own sweep covers the echoes.
   */
  redactInText(ctx: Ctx, s: string, rules: (ctx: Ctx, s: string) => string): string {
    return this.hit(ctx, s)?.out ?? this.computeInText(ctx, s, rules);
  }

  /** The kept entry of `s` (the previous value first, then the map), its counts replayed; undefined on a miss. */
  private hit(ctx: Ctx, s: string): MemoEntry | undefined {
    if (s === this.lastKey) {
      replay(ctx, this.lastEntry!.counts);
      return this.lastEntry!;
    }
    const hit = s.length <= MAX_KEY ? this.map.get(s) : undefined;
    if (hit !== undefined) {
      replay(ctx, hit.counts);
      this.lastKey = s;
      this.lastEntry = hit;
    }
    return hit;
  }

  private computeInText(ctx: Ctx, s: string, rules: (ctx: Ctx, s: string) => string): string {
    const r = recording(ctx, () => rules(ctx, s));
    this.keep(s, { out: r.out, counts: r.counts, swept: null, sweptAt: -1, sweptCounts: null });
    return r.out;
  }

  /** Stores an entry (values over MAX_KEY are not kept), clearing the map when it is full. */
  private keep(s: string, e: MemoEntry): void {
    if (s.length > MAX_KEY) return;
    if (this.map.size >= MAX_ENTRIES || this.chars >= MAX_CHARS) {
      this.map.clear();
      this.chars = 0;
    }
    this.map.set(s, e);
    this.chars += s.length + 2 * e.out.length; // the swept result is about as long as `out`
    this.lastKey = s;
    this.lastEntry = e;
  }

  /**
   * A miss: runs the rules and keeps the result. Apart from `redact` because of its closure: V8
   * allocates the captured variables' context on entry to the function that holds a closure, on
   * hits too (~50 bytes a call).
   */
  private compute(ctx: Ctx, s: string, rules: (s: string) => string): MemoEntry {
    let r: { out: string; counts: Counts };
    try {
      r = recording(ctx, () => rules(s));
    } catch {
      return { out: ctx.error(), counts: null, swept: null, sweptAt: -1, sweptCounts: null };
    }
    const e: MemoEntry = { out: r.out, counts: r.counts, swept: null, sweptAt: -1, sweptCounts: null };
    this.keep(s, e);
    return e;
  }
}

/** Stage 2: echoes of learned values in a stage-1 result (learned.ts), reused while nothing new was learned. */
export function sweepEntry(ctx: Ctx, e: MemoEntry, url: boolean): string {
  const at = ctx.learned.size;
  if (e.swept !== null && e.sweptAt === at) {
    replay(ctx, e.sweptCounts);
    return e.swept;
  }
  return resweep(ctx, e, url, at);
}

/** Sweeps `e.out` again and keeps the result (apart from sweepEntry for its closure, see FieldMemo.compute). */
function resweep(ctx: Ctx, e: MemoEntry, url: boolean, at: number): string {
  try {
    const r = recording(ctx, () => ctx.sweep(e.out, url));
    e.swept = r.out;
    e.sweptCounts = r.counts;
    e.sweptAt = at;
    return r.out;
  } catch {
    return ctx.error();
  }
}
