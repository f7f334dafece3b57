/**
 * RequestRecord redaction, in place, before the record reaches the store (O1). Each field fails closed on
 * its own (O2): a throw turns that field into [REDACTED:error] and the rest of the record is still redacted.
 */
import type { RequestRecord } from '../core/types.js';
import type { Ctx } from './context.js';
import { redactBodyInner } from './body.js';
import { isUrlHeader, redactHeaderList, redactHeaderValue } from './headers.js';
import { classifyKeyForSweep } from './json.js';
import { isMarker, OPEN } from './markers.js';
import { sweepEntry } from './memo.js';
import { isUrlKey, isUserKey } from './names.js';
import { redactTextCapped, secretMarker } from './text.js';
import { redactAuthority, redactQueryInner, redactUrlInner } from './url.js';

/** Body excerpts kept per record (R-M1: "redacted and capped, for example at 64 KiB"). */
export const BODY_EXCERPT_CAP = 64 * 1024;

function field(ctx: Ctx, v: string | null, fn: (s: string) => string): string | null {
  if (v === null) return null;
  try {
    return fn(v);
  } catch {
    return ctx.error();
  }
}

/** Cuts a redacted text at `cap` without splitting a marker or a surrogate pair, then marks the cut. */
export function capRedacted(ctx: Ctx, s: string, cap: number): string {
  if (s.length <= cap) return s;
  let cut = cap;
  const open = s.lastIndexOf(OPEN, cut);
  if (open >= 0) {
    const close = s.indexOf(']', open);
    if (close < 0 || close >= cut) cut = open;
  }
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return s.slice(0, cut) + ctx.marker('truncated', s.slice(cut));
}

function extraValue(ctx: Ctx, key: string, v: string | number | boolean | null): string | number | boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  if (isUserKey(key)) {
    // R-L1: the basic-auth / log user field is kept as a hash.
    if (typeof v === 'number') return v;
    return v === '' || v === '-' || isMarker(v) ? v : ctx.marker('R-L1', v);
  }
  const cls = classifyKeyForSweep(key);
  if (typeof v === 'number') return cls && (cls.k === 'secret' || cls.k === 'header') ? secretMarker(ctx, 'R-P4', String(v), false) : v;
  if (cls === null) return redactTextCapped(ctx, v);
  switch (cls.k) {
    case 'secret': return v.length === 0 ? v : secretMarker(ctx, 'R-P4', v, false);
    case 'header': return redactHeaderValue(ctx, cls.name, v);
    case 'url': return redactUrlInner(ctx, v, 0);
    case 'query': return redactQueryInner(ctx, v, 0);
    case 'user': return redactTextCapped(ctx, v);
  }
}

/** The rules of the memoized record fields, bound to one Ctx. */
interface FieldRules {
  url(s: string): string;
  query(s: string): string;
  text(s: string): string;
}

/**
 * Made once per Ctx: closures created per record were a third of the parse side's allocations on a
 * combined log (~330 bytes a line), all garbage for the worker's young-generation collector.
 */
const rulesByCtx = new WeakMap<Ctx, FieldRules>();

function rulesOf(ctx: Ctx): FieldRules {
  let r = rulesByCtx.get(ctx);
  if (r === undefined) {
    r = {
      url: (s) => redactUrlInner(ctx, s, 0),
      query: (s) => redactQueryInner(ctx, s, 0),
      text: (s) => redactTextCapped(ctx, s),
    };
    rulesByCtx.set(ctx, r);
  }
  return r;
}

/** Userinfo in the host (`user:pass@host`); fails closed on its own (O2). */
function redactHost(ctx: Ctx, h: string): string {
  if (h.indexOf('@') < 0) return h;
  try {
    return redactAuthority(ctx, h);
  } catch {
    return ctx.error();
  }
}

/** The echo sweep of a value no memo holds; fails closed on its own (O2). */
function sweepValue(ctx: Ctx, s: string, url: boolean): string {
  try {
    return ctx.sweep(s, url);
  } catch {
    return ctx.error();
  }
}

/** The body excerpt: its rules (R-B*, R-M1), capped; the original size is kept when it changed. */
function redactBodyField(ctx: Ctx, rec: RequestRecord, original: string): void {
  rec.body = field(ctx, original, (b) => capRedacted(ctx, redactBodyInner(ctx, b, rec.respMime, { response: true }), BODY_EXCERPT_CAP));
  if (rec.bodySize === null && rec.body !== original) rec.bodySize = Buffer.byteLength(original, 'utf8');
}

function redactExtraValues(ctx: Ctx, extra: NonNullable<RequestRecord['extra']>): void {
  for (const k of Object.keys(extra)) {
    try {
      extra[k] = extraValue(ctx, k, extra[k] ?? null);
    } catch {
      extra[k] = ctx.error();
    }
  }
}

function sweepHeaders(ctx: Ctx, rec: RequestRecord): void {
  for (const hs of [rec.reqHeaders, rec.respHeaders]) {
    if (hs) for (const h of hs) h[1] = field(ctx, h[1], (s) => ctx.sweep(s, isUrlHeader(h[0])))!;
  }
}

function sweepExtraValues(ctx: Ctx, extra: NonNullable<RequestRecord['extra']>): void {
  for (const k of Object.keys(extra)) {
    const v = extra[k];
    if (typeof v === 'string') extra[k] = field(ctx, v, (s) => ctx.sweep(s, isUrlKey(k)));
  }
}

/**
 * Redacts every field of a record. No closure in here: a closure over `ctx` or `rec` makes V8
 * allocate their context on every call, even when the branch that creates the closure is not taken
 * (hence the helpers above).
 */
export function redactRecordInner(ctx: Ctx, rec: RequestRecord): void {
  if (rec.host !== null) rec.host = redactHost(ctx, rec.host);
  // Memoized fields (memo.ts): rules now, the echo sweep below once every field has been through its rules.
  const m = ctx.memo;
  const rules = rulesOf(ctx);
  const path = rec.path === null ? null : m.path.redact(ctx, rec.path, rules.url);
  const query = rec.query === null ? null : m.query.redact(ctx, rec.query, rules.query);
  const referer = rec.referer === null ? null : m.referer.redact(ctx, rec.referer, rules.url);
  if (rec.reqHeaders) rec.reqHeaders = redactHeaderList(ctx, rec.reqHeaders);
  if (rec.respHeaders) rec.respHeaders = redactHeaderList(ctx, rec.respHeaders);
  // redactHeaderList swept its values already: they need another sweep only if a later field teaches a new value.
  const learnedAfterHeaders = ctx.learned.size;
  if (rec.body !== null) redactBodyField(ctx, rec, rec.body);
  const errorText = rec.errorText === null ? null : m.text.redact(ctx, rec.errorText, rules.text);
  const userAgent = rec.userAgent === null ? null : m.text.redact(ctx, rec.userAgent, rules.text);
  const upstreamAddr = rec.upstreamAddr === null ? null : m.text.redact(ctx, rec.upstreamAddr, rules.text);
  if (rec.extra) redactExtraValues(ctx, rec.extra);
  // Echoes of values redacted above (or in earlier records) wherever no rule saw them (learned.ts).
  if (ctx.learned.size !== learnedAfterHeaders) sweepHeaders(ctx, rec);
  rec.path = path === null ? null : sweepEntry(ctx, path, true);
  rec.query = query === null ? null : sweepEntry(ctx, query, true);
  rec.referer = referer === null ? null : sweepEntry(ctx, referer, true);
  if (rec.body !== null) rec.body = sweepValue(ctx, rec.body, false);
  rec.errorText = errorText === null ? null : sweepEntry(ctx, errorText, false);
  rec.userAgent = userAgent === null ? null : sweepEntry(ctx, userAgent, false);
  rec.upstreamAddr = upstreamAddr === null ? null : sweepEntry(ctx, upstreamAddr, false);
  if (rec.extra) sweepExtraValues(ctx, rec.extra);
}
