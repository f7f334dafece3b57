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

export function redactRecordInner(ctx: Ctx, rec: RequestRecord): void {
  rec.host = field(ctx, rec.host, (h) => (h.indexOf('@') >= 0 ? redactAuthority(ctx, h) : h));
  // Memoized fields (memo.ts): rules now, the echo sweep below once every field has been through its rules.
  const m = ctx.memo;
  const url = (x: string): string => redactUrlInner(ctx, x, 0);
  const text = (x: string): string => redactTextCapped(ctx, x);
  const path = rec.path === null ? null : m.path.redact(ctx, rec.path, url);
  const query = rec.query === null ? null : m.query.redact(ctx, rec.query, (x) => redactQueryInner(ctx, x, 0));
  const referer = rec.referer === null ? null : m.referer.redact(ctx, rec.referer, url);
  if (rec.reqHeaders) rec.reqHeaders = redactHeaderList(ctx, rec.reqHeaders);
  if (rec.respHeaders) rec.respHeaders = redactHeaderList(ctx, rec.respHeaders);
  // redactHeaderList swept its values already: they need another sweep only if a later field teaches a new value.
  const learnedAfterHeaders = ctx.learned.size;
  if (rec.body !== null) {
    const original = rec.body;
    rec.body = field(ctx, original, (b) => capRedacted(ctx, redactBodyInner(ctx, b, rec.respMime, { response: true }), BODY_EXCERPT_CAP));
    if (rec.bodySize === null && rec.body !== original) rec.bodySize = Buffer.byteLength(original, 'utf8');
  }
  const errorText = rec.errorText === null ? null : m.text.redact(ctx, rec.errorText, text);
  const userAgent = rec.userAgent === null ? null : m.text.redact(ctx, rec.userAgent, text);
  const upstreamAddr = rec.upstreamAddr === null ? null : m.text.redact(ctx, rec.upstreamAddr, text);
  if (rec.extra) {
    for (const k of Object.keys(rec.extra)) {
      try {
        rec.extra[k] = extraValue(ctx, k, rec.extra[k] ?? null);
      } catch {
        rec.extra[k] = ctx.error();
      }
    }
  }
  // Echoes of values redacted above (or in earlier records) wherever no rule saw them (learned.ts).
  if (ctx.learned.size !== learnedAfterHeaders) {
    for (const hs of [rec.reqHeaders, rec.respHeaders]) {
      if (hs) for (const h of hs) h[1] = field(ctx, h[1], (s) => ctx.sweep(s, isUrlHeader(h[0])))!;
    }
  }
  rec.path = path === null ? null : sweepEntry(ctx, path, true);
  rec.query = query === null ? null : sweepEntry(ctx, query, true);
  rec.referer = referer === null ? null : sweepEntry(ctx, referer, true);
  rec.body = field(ctx, rec.body, (s) => ctx.sweep(s, false));
  rec.errorText = errorText === null ? null : sweepEntry(ctx, errorText, false);
  rec.userAgent = userAgent === null ? null : sweepEntry(ctx, userAgent, false);
  rec.upstreamAddr = upstreamAddr === null ? null : sweepEntry(ctx, upstreamAddr, false);
  if (rec.extra) {
    for (const k of Object.keys(rec.extra)) {
      const v = rec.extra[k];
      if (typeof v === 'string') rec.extra[k] = field(ctx, v, (s) => ctx.sweep(s, isUrlKey(k)));
    }
  }
}
