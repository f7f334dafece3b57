/**
 * HAR header lists → `[name, value]` pairs, and the request/trace ids and client headers we lift
 * out of them. Pseudo-headers (`:path`, `:authority`) are kept: the redaction module handles them.
 */
import type { Header } from '../../src/core/types.js';
import { obj, wellFormed } from './text.js';

/** Beyond these, headers are dropped / values cut (a hostile HAR must not bloat the store). */
export const MAX_HEADERS = 1000;
export const MAX_HEADER_NAME = 256;
export const MAX_HEADER_VALUE = 65536;

export interface HeaderList {
  headers: Header[] | null;
  /** Some header was dropped or cut by the caps above. */
  truncated: boolean;
}

/** A header value as exporters write it: a string, a number, or (Polly.JS) an array of values. */
function headerValueText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const t = headerValueText(x);
      if (t !== null) parts.push(t);
      if (parts.length > MAX_HEADERS) break;
    }
    return parts.join(', ');
  }
  return null;
}

/**
 * Accepts the HAR shape `[{name, value}]`, pairs `[[name, value]]`, and an object `{name: value}`
 * (odd exporters, bad-input case B-6). Null when the field is absent or of another type.
 */
export function normalizeHeaders(v: unknown): HeaderList {
  const out: Header[] = [];
  let truncated = false;
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || name.length === 0) return;
    const text = headerValueText(value);
    if (text === null) return;
    if (out.length >= MAX_HEADERS) {
      truncated = true;
      return;
    }
    let n = name;
    let t = text;
    if (n.length > MAX_HEADER_NAME) {
      n = n.slice(0, MAX_HEADER_NAME);
      truncated = true;
    }
    if (t.length > MAX_HEADER_VALUE) {
      t = t.slice(0, MAX_HEADER_VALUE);
      truncated = true;
    }
    out.push([wellFormed(n), wellFormed(t)]);
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      if (Array.isArray(item)) {
        if (item.length >= 2) add(item[0], item[1]);
        continue;
      }
      const o = obj(item);
      if (o) add(o['name'], o['value']);
    }
    return { headers: out, truncated };
  }
  const o = obj(v);
  if (o) {
    for (const k of Object.keys(o)) add(k, o[k]);
    return { headers: out, truncated };
  }
  return { headers: null, truncated: false };
}

/** Header names we lift values from (lower case). */
const REQUEST_ID_HEADERS = [
  'x-request-id', 'request-id', 'x-correlation-id', 'correlation-id', 'x-amzn-requestid', 'x-amz-request-id',
  'x-ms-request-id', 'x-github-request-id', 'x-vercel-id', 'fly-request-id', 'x-amz-cf-id', 'cf-ray',
];
const TRACE_HEADERS = [
  'traceparent', 'x-amzn-trace-id', 'x-cloud-trace-context', 'x-b3-traceid', 'b3', 'uber-trace-id', 'x-datadog-trace-id',
  'sentry-trace',
];
const WANTED = new Set([...REQUEST_ID_HEADERS, ...TRACE_HEADERS, 'user-agent', 'referer']);
const MAX_WANTED_LEN = Math.max(...[...WANTED].map((n) => n.length));

/**
 * First trimmed, non-blank value of each header we care about, keyed by lower-case name: one pass
 * over the list instead of one case-insensitive scan per name looked up.
 */
export type HeaderIndex = Map<string, string>;

export function indexHeaders(headers: Header[] | null): HeaderIndex {
  const idx: HeaderIndex = new Map();
  if (!headers) return idx;
  for (const [n, v] of headers) {
    if (n.length > MAX_WANTED_LEN) continue;
    const lower = n.toLowerCase();
    if (!WANTED.has(lower) || idx.has(lower)) continue;
    const t = v.trim();
    if (t.length > 0) idx.set(lower, t);
  }
  return idx;
}

/** First value of a header (case-insensitive), trimmed; null when absent or blank. */
export function firstHeader(headers: Header[] | null, lowerName: string): string | null {
  if (!headers) return null;
  for (const [n, v] of headers) {
    if (n.length === lowerName.length && n.toLowerCase() === lowerName) {
      const t = v.trim();
      if (t.length > 0) return t;
    }
  }
  return null;
}

const ID_CAP = 256;

function cap(s: string): string {
  return s.length > ID_CAP ? s.slice(0, ID_CAP) : s;
}

/** The request id: response headers first (servers assign them), then the request. */
export function findRequestId(req: HeaderIndex, resp: HeaderIndex): string | null {
  for (const name of REQUEST_ID_HEADERS) {
    const v = resp.get(name) ?? req.get(name);
    if (v !== undefined) return cap(v);
  }
  return null;
}

/** The trace id out of the common propagation headers; request first (the client starts traces). */
export function findTraceId(req: HeaderIndex, resp: HeaderIndex): string | null {
  for (const h of [req, resp]) {
    const tp = h.get('traceparent');
    if (tp !== undefined) {
      // W3C: version-traceid-spanid-flags
      const parts = tp.split('-');
      if (parts.length >= 4 && parts[1]!.length === 32) return parts[1]!;
      return cap(tp);
    }
    const amzn = h.get('x-amzn-trace-id');
    if (amzn !== undefined) {
      // Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…;Sampled=1
      for (const field of amzn.split(';')) {
        const f = field.trim();
        if (f.startsWith('Root=')) return cap(f.slice(5));
      }
      return cap(amzn);
    }
    const gcp = h.get('x-cloud-trace-context');
    if (gcp !== undefined) {
      // TRACE_ID/SPAN_ID;o=1
      const slash = gcp.indexOf('/');
      return cap(slash > 0 ? gcp.slice(0, slash) : gcp);
    }
    const b3 = h.get('x-b3-traceid');
    if (b3 !== undefined) return cap(b3);
    const b3single = h.get('b3');
    if (b3single !== undefined) return cap(b3single.split('-')[0]!);
    const uber = h.get('uber-trace-id');
    if (uber !== undefined) return cap(uber.split(':')[0]!);
    const dd = h.get('x-datadog-trace-id');
    if (dd !== undefined) return cap(dd);
    const sentry = h.get('sentry-trace');
    if (sentry !== undefined) return cap(sentry.split('-')[0]!);
  }
  return null;
}
