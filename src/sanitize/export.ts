/**
 * `faultline export`: the failing requests of an incident as a small HAR 1.2, rebuilt from what the
 * store holds. Everything in the store was redacted at ingest (O1), so the HAR carries the same
 * [REDACTED:…] markers the report shows and nothing else; no original value exists to leak.
 *
 * What a stored record cannot give back is filled with HAR's "unknown" values (-1 sizes, empty
 * cookies) or derived (queryString from the stored query, redirectURL from Location). Access-log
 * requests have no headers: User-Agent and Referer are rebuilt from their own columns; a request
 * with no host gets `http://unknown.invalid` so the URL is absolute as the spec requires.
 * faultline's own verdict rides along in a custom `_faultline` member per entry.
 */
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { headerValue, type Header, type StoredRequest } from '../core/types.js';
import { VERSION } from '../core/version.js';
import type { Store } from '../store/index.js';
import type { IncidentRow } from '../store/views.js';
import { HarWriter } from './har-writer.js';
import type { TextOutput } from './output.js';

type Obj = Record<string, unknown>;

const PAGE = 500;
const UNKNOWN_ORIGIN = 'http://unknown.invalid';

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Content',
  423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected',
  510: 'Not Extended', 511: 'Network Authentication Required',
};

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `a=1&b=%20x&flag` → HAR queryString pairs, decoded like browsers do (invalid escapes kept as written). */
export function queryPairs(query: string | null): Array<{ name: string; value: string }> {
  if (query === null || query === '') return [];
  const out: Array<{ name: string; value: string }> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? { name: safeDecode(part), value: '' } : { name: safeDecode(part.slice(0, eq)), value: safeDecode(part.slice(eq + 1)) });
  }
  return out;
}

function headerList(hs: Header[] | null): Array<{ name: string; value: string }> {
  return (hs ?? []).map(([name, value]) => ({ name, value }));
}

function nonNeg(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

function isoOf(ts: number | null): string {
  return new Date(ts !== null && Number.isFinite(ts) && Math.abs(ts) <= 8.64e15 ? ts : 0).toISOString();
}

/** One stored request → one HAR 1.2 entry (plus `_faultline` with its cause, rule and origin). */
export function requestToHarEntry(r: StoredRequest): Obj {
  const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}` : UNKNOWN_ORIGIN;
  const url = `${origin}${r.path ?? '/'}${r.query !== null ? '?' + r.query : ''}`;
  const reqHeaders = headerList(r.reqHeaders);
  if (r.reqHeaders === null) {
    if (r.userAgent !== null) reqHeaders.push({ name: 'User-Agent', value: r.userAgent });
    if (r.referer !== null) reqHeaders.push({ name: 'Referer', value: r.referer });
  }
  const status = r.status !== null && Number.isFinite(r.status) ? Math.trunc(r.status) : 0;
  const t = r.timings;
  const duration = nonNeg(r.durationMs);
  const timings: Obj = {
    blocked: nonNeg(t?.blocked) ?? -1,
    dns: nonNeg(t?.dns) ?? -1,
    connect: nonNeg(t?.connect) ?? -1,
    ssl: nonNeg(t?.ssl) ?? -1,
    send: nonNeg(t?.send) ?? 0,
    // an access log knows the total (and maybe the upstream time), not the phases: show it as waiting
    wait: nonNeg(t?.wait) ?? nonNeg(r.upstreamMs) ?? duration ?? 0,
    receive: nonNeg(t?.receive) ?? 0,
  };
  const content: Obj = {
    size: nonNeg(r.bodySize) ?? (r.body !== null ? Buffer.byteLength(r.body) : 0),
    mimeType: r.respMime ?? '',
  };
  if (r.body !== null) {
    content['text'] = r.body;
    const full = nonNeg(r.bodySize);
    if (full !== null && full > Buffer.byteLength(r.body)) content['comment'] = `excerpt: the first ${r.body.length} characters of ${full} bytes`;
  }
  const location = headerValue(r.respHeaders, 'location');
  const entry: Obj = {
    startedDateTime: isoOf(r.ts),
    time: duration ?? 0,
    request: {
      method: r.method ?? 'GET',
      url,
      httpVersion: r.httpVersion ?? '',
      cookies: [],
      headers: reqHeaders,
      queryString: queryPairs(r.query),
      headersSize: -1,
      bodySize: nonNeg(r.bytesIn) ?? -1,
    },
    response: {
      status,
      statusText: REASONS[status] ?? '',
      httpVersion: r.httpVersion ?? '',
      cookies: [],
      headers: headerList(r.respHeaders),
      content,
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: nonNeg(r.bytesOut) ?? -1,
    },
    cache: {},
    timings,
  };
  if (r.ts === null) entry['comment'] = 'start time unknown in the source';
  if (r.upstreamAddr !== null && r.sourceKind === 'har') entry['serverIPAddress'] = r.upstreamAddr;
  // Chrome's convention for a request that failed without (or besides) a status; faultline's HAR parser reads it back
  if (r.errorText !== null) (entry['response'] as Obj)['_error'] = r.errorText;
  entry['_faultline'] = {
    cause: r.cause,
    subcause: r.subcause,
    rule: r.ruleId,
    incident: r.incidentId,
    route: r.route,
    source: `${basename(r.sourcePath)}${r.line !== null ? `:${r.line}` : r.entry !== null ? `#${r.entry}` : ''}`,
    format: r.format,
  };
  return entry;
}

export interface ExportSelection {
  /** Incident ids or unique id prefixes; empty: the most severe incident. */
  incidents?: string[];
  /** Every failed request instead of incidents. */
  allFailures?: boolean;
}

export interface ExportResult {
  entries: number;
  incidents: Array<{ id: string; title: string; count: number }>;
}

/** Resolves ids/prefixes against the stored incidents; a prefix matching two incidents is an error. */
export function pickIncidents(rows: IncidentRow[], wanted: string[] | undefined): IncidentRow[] {
  if (!wanted || wanted.length === 0) {
    const top = rows[0];
    if (!top) {
      throw new UserError('the database has no incidents', {
        hint: 'ingest files with failures first (analysis runs at ingest), or use --all-failures',
      });
    }
    return [top];
  }
  const out: IncidentRow[] = [];
  for (const w of wanted) {
    const exact = rows.find((r) => r.id === w);
    const hits = exact ? [exact] : rows.filter((r) => r.id.startsWith(w));
    if (hits.length === 0) throw new UserError(`no incident with id ${w}`, { hint: 'list them with `faultline incidents`' });
    if (hits.length > 1) throw new UserError(`incident id ${w} is ambiguous (${hits.length} incidents start with it)`, { hint: 'give more characters of the id' });
    if (!out.includes(hits[0]!)) out.push(hits[0]!);
  }
  return out;
}

/** Keyset-paged member requests in (time, id) order: memory stays at one page whatever the incident's size. */
function* members(store: Store, filter: { incidentId?: string; failedOnly?: boolean }): Generator<StoredRequest> {
  let after: { ts: number | null; id: number } | null = null;
  for (;;) {
    const rows = store.views.page(filter, PAGE, after);
    yield* rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { ts: last.ts, id: last.id };
  }
}

/**
 * Merges the members of several incidents by (time, id) so entries come out in time order even
 * when incidents overlap. Each incident is read in pages; at most one row per incident is held.
 */
function* mergedMembers(store: Store, ids: string[]): Generator<StoredRequest> {
  const its = ids.map((id) => members(store, { incidentId: id }));
  const heads = its.map((it) => it.next());
  const key = (r: StoredRequest): number => r.ts ?? -1;
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (h.done) continue;
      if (best < 0) { best = i; continue; }
      const b = (heads[best] as IteratorYieldResult<StoredRequest>).value;
      if (key(h.value) < key(b) || (key(h.value) === key(b) && h.value.id < b.id)) best = i;
    }
    if (best < 0) return;
    const cur = heads[best] as IteratorYieldResult<StoredRequest>;
    yield cur.value;
    heads[best] = its[best]!.next();
  }
}

/** Writes the selected failures of `store` as a HAR to `out`. */
export async function exportHar(store: Store, out: Pick<TextOutput, 'write'>, sel: ExportSelection, now = new Date()): Promise<ExportResult> {
  const writer = new HarWriter(out);
  await writer.logValue('version', '1.2');
  await writer.logValue('creator', { name: 'faultline', version: VERSION });
  const picked = sel.allFailures ? [] : pickIncidents(store.views.incidents(), sel.incidents);
  const source = sel.allFailures ? members(store, { failedOnly: true }) : mergedMembers(store, picked.map((p) => p.id));
  for (const r of source) await writer.entry(requestToHarEntry(r));
  const what = sel.allFailures
    ? 'every failed request'
    : picked.map((p) => `incident ${p.id} (${p.title}; ${p.count} requests)`).join(', ');
  await writer.finish([
    [
      'comment',
      `Exported by faultline ${VERSION} on ${now.toISOString()} from ${basename(store.path)}: ${what}. ` +
        'Built from the investigation database, which only holds data redacted at ingest: secrets appear as [REDACTED:<rule>#<hash>] markers. ' +
        'Bodies are the stored excerpts; sizes and timings the source did not record are -1.',
    ],
  ]);
  return { entries: writer.entries, incidents: picked.map((p) => ({ id: p.id, title: p.title, count: p.count })) };
}
