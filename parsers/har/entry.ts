/**
 * One parsed HAR entry → a RequestRecord (or a counted skip `entry_invalid:<path>`).
 * Never throws on any JSON value: a HAR is untrusted input (B-6, B-40).
 * No redaction here: src/redact works on the record. Nothing from the entry goes anywhere but the
 * returned event.
 */
import { createHash } from 'node:crypto';
import { emptyRecord, type ParseEvent, type RequestRecord, type Timings } from '../../src/core/types.js';
import { base64DecodedLength, decodeBase64Prefix, keepsBody, mimeEssence } from './body.js';
import type { ElidedString } from './digest.js';
import { findRequestId, findTraceId, indexHeaders, normalizeHeaders } from './headers.js';
import { escapeControls, nonEmpty, nonNegative, num, obj, parseIsoTime, str, wellFormed } from './text.js';
import { splitUrl } from './url.js';

export const DEFAULT_BODY_CAP = 64 * 1024;
const MAX_URL = 64 * 1024;
const EXCERPT_CHARS = 200;

export interface EntryContext {
  /** Characters of body excerpt kept. */
  bodyCap: number;
  /** Strings the scanner did not keep (huge content.text), by marker. */
  elided: Map<string, ElidedString> | null;
  /** log.creator.name when it was known before this entry. */
  creator: string | null;
  /** Excerpt of the raw entry for skip events (the scanner has the bytes); else one is built. */
  excerpt: (() => string) | null;
}

type Extra = NonNullable<RequestRecord['extra']>;

/** A bounded, iterative JSON-ish rendering of any value (for skip excerpts): never recurses. */
export function boundedExcerpt(v: unknown, cap = EXCERPT_CHARS): string {
  let out = '';
  interface Frame {
    arr: unknown[] | null;
    o: Record<string, unknown> | null;
    keys: string[];
    i: number;
  }
  const stack: Frame[] = [];
  let cur: unknown = v;
  let pending = true;
  while (out.length < cap) {
    if (pending) {
      pending = false;
      if (Array.isArray(cur)) {
        out += '[';
        stack.push({ arr: cur, o: null, keys: [], i: 0 });
      } else if (typeof cur === 'object' && cur !== null) {
        const o = cur as Record<string, unknown>;
        out += '{';
        stack.push({ arr: null, o, keys: Object.keys(o).slice(0, 64), i: 0 });
      } else if (typeof cur === 'string') out += JSON.stringify(cur.slice(0, cap));
      else out += String(cur);
    }
    const f = stack[stack.length - 1];
    if (!f) break;
    if (f.arr) {
      if (f.i >= f.arr.length || f.i >= 64) {
        out += ']';
        stack.pop();
        continue;
      }
      if (f.i > 0) out += ',';
      cur = f.arr[f.i++];
    } else {
      if (f.i >= f.keys.length) {
        out += '}';
        stack.pop();
        continue;
      }
      if (f.i > 0) out += ',';
      const k = f.keys[f.i++]!;
      out += `${JSON.stringify(k.slice(0, cap))}:`;
      cur = f.o![k];
    }
    pending = true;
  }
  return wellFormed(out.slice(0, cap));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function timingsOf(v: unknown): Timings | null {
  const t = obj(v);
  if (!t) return null;
  return {
    blocked: nonNegative(t['blocked']),
    dns: nonNegative(t['dns']),
    connect: nonNegative(t['connect']),
    ssl: nonNegative(t['ssl']),
    send: nonNegative(t['send']),
    wait: nonNegative(t['wait']),
    receive: nonNegative(t['receive']),
  };
}

/** A short protocol token (method, HTTP version): capped, controls escaped, blank → null. */
function token(v: unknown): string | null {
  const s = nonEmpty(v, 64);
  return s === null ? null : escapeControls(s.trim());
}

function startedMs(v: unknown): number | null {
  const iso = parseIsoTime(v);
  if (iso !== null) return iso;
  // other spellings some tools write (RFC 2822 and the like); only plausible-looking ones
  if (typeof v !== 'string' || v.length < 8 || v.length > 64) return null;
  // ISO-shaped but impossible (29 Feb 2025, hour 25): no time rather than the date Date.parse rolls it to.
  if (v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) return null;
  const c = v.charCodeAt(0);
  if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** The public mapping: a parsed entry value and its 0-based index → record or skip. */
export function harEntryToRecord(entry: unknown, index: number): ParseEvent {
  return entryToEvent(entry, index, { bodyCap: DEFAULT_BODY_CAP, elided: null, creator: null, excerpt: null });
}

export function entryToEvent(entry: unknown, index: number, ctx: EntryContext): ParseEvent {
  const locator = { line: null, entry: index };
  const skip = (path: string): ParseEvent => ({
    kind: 'skip',
    unit: index,
    locator,
    reason: `entry_invalid:${path}`,
    excerpt: ctx.excerpt ? ctx.excerpt() : boundedExcerpt(entry),
  });

  const e = obj(entry);
  if (!e) return skip('entry');
  const req = obj(e['request']);
  if (!req) return skip('request');
  const rawUrl = req['url'];
  if (typeof rawUrl !== 'string' || rawUrl.length === 0 || elidedOf(rawUrl, ctx) !== null) return skip('request.url');
  const respRaw = e['response'];
  const resp = respRaw === null || respRaw === undefined ? null : obj(respRaw);
  if (respRaw !== null && respRaw !== undefined && resp === null) return skip('response');

  const r = emptyRecord();
  r.ts = startedMs(e['startedDateTime']);
  r.method = token(req['method']);
  const u = splitUrl(wellFormed(rawUrl.length > MAX_URL ? rawUrl.slice(0, MAX_URL) : rawUrl));
  r.scheme = u.scheme;
  r.host = u.host;
  r.path = u.path;
  r.query = u.query;

  const status = resp ? num(resp['status']) : 0;
  r.status = status === null ? null : Math.trunc(status);
  r.httpVersion = (resp ? token(resp['httpVersion']) : null) ?? token(req['httpVersion']);
  r.durationMs = nonNegative(e['time']);
  r.timings = timingsOf(e['timings']);

  const content = resp ? obj(resp['content']) : null;
  r.bytesOut = resp
    ? nonNegative(resp['bodySize']) ?? nonNegative(resp['_transferSize']) ?? (content ? nonNegative(content['size']) : null)
    : null;
  const postData = obj(req['postData']);
  const postText = postData ? postData['text'] : undefined;
  r.bytesIn =
    nonNegative(req['bodySize']) ??
    (typeof postText === 'string' ? elidedOf(postText, ctx)?.size ?? Buffer.byteLength(postText) : null);
  r.upstreamAddr = nonEmpty(e['serverIPAddress'], 256);

  const reqH = normalizeHeaders(req['headers']);
  const respH = resp ? normalizeHeaders(resp['headers']) : { headers: null, truncated: false };
  r.reqHeaders = reqH.headers;
  r.respHeaders = respH.headers;
  const reqIdx = indexHeaders(reqH.headers);
  const respIdx = indexHeaders(respH.headers);
  r.userAgent = reqIdx.get('user-agent') ?? null;
  r.referer = reqIdx.get('referer') ?? null;
  r.requestId = findRequestId(reqIdx, respIdx);
  r.traceId = findTraceId(reqIdx, respIdx);

  // errors: Chrome/Edge `_error` (on the response, older exports on the entry), Playwright `_failureText`
  const harErrorText = nonEmpty(resp?.['_error'], 1024) ?? nonEmpty(e['_error'], 1024);
  r.errorText = harErrorText ?? nonEmpty(resp?.['_failureText'], 1024) ?? nonEmpty(e['_failureText'], 1024);
  if (r.errorText === null) {
    if (resp === null) r.errorText = 'no response';
    else if (r.status !== null && r.status <= 0) r.errorText = nonEmpty(resp['statusText'], 1024);
    if (r.errorText === null && resp !== null) {
      const charles = nonEmpty(resp['_charlesStatus'], 64);
      if (charles !== null && charles !== 'COMPLETE') r.errorText = charles;
    }
  }

  const extra: Extra = { harError: harErrorText !== null };
  if (content) bodyOf(content, r, extra, ctx);
  if (reqH.truncated || respH.truncated) extra['headersTruncated'] = true;

  const resourceType = nonEmpty(e['_resourceType'], 64);
  if (resourceType !== null) extra['resourceType'] = resourceType;
  const initiator = obj(e['_initiator']);
  const initiatorType = initiator ? nonEmpty(initiator['type'], 64) : null;
  if (initiatorType !== null) extra['initiatorType'] = initiatorType;
  const fromCache = nonEmpty(e['_fromCache'], 64) ?? safariCache(e['_fetchType']);
  if (fromCache !== null) extra['fromCache'] = fromCache;
  const pageref = nonEmpty(e['pageref'], 200);
  if (pageref !== null) extra['pageref'] = pageref;
  const connection = nonEmpty(e['connection'], 64) ?? (typeof e['connection'] === 'number' ? String(e['connection']) : null);
  if (connection !== null) extra['connection'] = connection;
  if (ctx.creator !== null) extra['harCreator'] = ctx.creator;
  r.extra = extra;

  return { kind: 'record', unit: index, locator, record: r };
}

/** Safari writes `_fetchType: "Memory Cache" | "Disk Cache" | "Network Load"`. */
function safariCache(v: unknown): string | null {
  const s = nonEmpty(v, 64);
  if (s === null) return null;
  const l = s.toLowerCase();
  if (l.includes('memory')) return 'memory';
  if (l.includes('disk')) return 'disk';
  return null;
}

function elidedOf(s: string, ctx: EntryContext): ElidedString | null {
  if (ctx.elided === null || s.length > 200 || s.charCodeAt(0) !== 0) return null;
  return ctx.elided.get(s) ?? null;
}

/** response.content → respMime, bodySize, bodyHash and (for API-looking types) a capped excerpt. */
function bodyOf(content: Record<string, unknown>, r: RequestRecord, extra: Extra, ctx: EntryContext): void {
  const mime = nonEmpty(content['mimeType'], 256);
  r.respMime = mime === null ? null : mime.trim();
  const essence = mimeEssence(r.respMime);
  const enc = content['encoding'];
  const isB64 = typeof enc === 'string' && enc.toLowerCase() === 'base64';
  const size = nonNegative(content['size']);
  const keep = keepsBody(essence);
  const cap = ctx.bodyCap;
  const t = content['text'];
  r.bodySize = size;
  if (typeof t !== 'string') return;
  const elided = elidedOf(t, ctx);
  let excerptSource: string | null = null;
  let truncated = false;
  if (elided !== null) {
    // the capped path: the scanner hashed and sized the text without keeping it (R-B4: never decoded)
    r.bodyHash = elided.sha256;
    r.bodySize = size ?? (isB64 ? base64DecodedLength(elided.size, elided.tail) : elided.size);
    extra['bodyCapped'] = true;
    truncated = true;
    if (keep) {
      const head = elided.head.toString('utf8');
      excerptSource = isB64 ? decodeBase64Prefix(head, cap + 1) : head;
    }
  } else {
    if (t.length > 0) r.bodyHash = sha256(t);
    r.bodySize = size ?? (isB64 ? base64DecodedLength(t.length, t.slice(-2)) : Buffer.byteLength(t));
    if (keep && t.length > 0) {
      if (isB64) {
        excerptSource = decodeBase64Prefix(t, cap + 1);
        if (t.length > cap * 4 + 4) truncated = true;
      } else excerptSource = t;
    }
  }
  if (excerptSource !== null && excerptSource.length > 0 && cap > 0) {
    if (excerptSource.length > cap) truncated = true;
    r.body = wellFormed(excerptSource.length > cap ? excerptSource.slice(0, cap) : excerptSource);
  }
  if (truncated && r.body !== null) extra['bodyTruncated'] = true;
}

/** Meta values out of log.creator / log.pages (used by the streaming parser). */
export function creatorOf(v: unknown): { name: string | null; version: string | null } {
  const c = obj(v);
  return { name: c ? str(c['name'], 256) : null, version: c ? str(c['version'], 256) : null };
}

export function pagesOf(v: unknown): { id: string; title: string | null; startedMs: number | null }[] {
  if (!Array.isArray(v)) return [];
  const out: { id: string; title: string | null; startedMs: number | null }[] = [];
  for (const p of v) {
    const o = obj(p);
    if (!o) continue;
    const id = str(o['id'], 200);
    if (id === null) continue;
    out.push({ id, title: str(o['title'], 2048), startedMs: startedMs(o['startedDateTime']) });
    if (out.length >= 10000) break;
  }
  return out;
}
