/**
 * W3C extended log columns (`#Fields:`), shared by IIS (`w3c`) and CloudFront (`cloudfront`).
 * A `#Fields` line is compiled once into a column plan (one small integer per column); each data
 * line is then applied with a switch, so no closure or lookup-by-name runs per line.
 */
import { emptyRecord, type Header, type RequestRecord } from '../../../../src/core/types.js';
import { utcFromDateAndTime } from './time.js';
import { capExtra, iisPlusToSpace, numOf, percentDecode, splitWireTarget, statusOf } from './values.js';

export type W3cFlavour = 'iis' | 'cloudfront';

const C = {
  other: 0, date: 1, time: 2, dateLocal: 3, timeLocal: 4, method: 5, uriStem: 6, uriQuery: 7, uri: 8,
  status: 9, substatus: 10, win32: 11, timeTaken: 12, timeTakenMs: 13, scBytes: 14, csBytes: 15,
  cIp: 16, sIp: 17, sPort: 18, username: 19, userAgent: 20, referer: 21, host: 22, distribution: 23,
  version: 24, scheme: 25, xff: 26, reqHeader: 27, respHeader: 28, edgeResult: 29, edgeDetailed: 30,
  edgeResponseResult: 31, edgeRequestId: 32, edgeLocation: 33, contentType: 34, ttfb: 35, cPort: 36,
  siteName: 37, computerName: 38,
} as const;

/** Column names (lower-cased) with a fixed meaning in both flavours. */
const COMMON: Record<string, number> = {
  date: C.date, time: C.time, 'date-local': C.dateLocal, 'time-local': C.timeLocal,
  'cs-method': C.method, 'cs-uri-stem': C.uriStem, 'cs-uri-query': C.uriQuery, 'cs-uri': C.uri,
  'sc-status': C.status, 'sc-substatus': C.substatus, 'sc-win32-status': C.win32,
  'time-taken': C.timeTaken, timetakenms: C.timeTakenMs, 'sc-bytes': C.scBytes, 'cs-bytes': C.csBytes,
  'c-ip': C.cIp, 's-ip': C.sIp, 's-port': C.sPort, 'cs-username': C.username,
  'cs(user-agent)': C.userAgent, 'cs(referer)': C.referer, 'cs(referrer)': C.referer,
  'cs-host': C.host, 'cs-version': C.version, 'cs-protocol-version': C.version, 'cs-protocol': C.scheme,
  'x-forwarded-for': C.xff, 'cs(x-forwarded-for)': C.xff,
  'x-edge-result-type': C.edgeResult, 'x-edge-detailed-result-type': C.edgeDetailed,
  'x-edge-response-result-type': C.edgeResponseResult, 'x-edge-request-id': C.edgeRequestId,
  'x-edge-location': C.edgeLocation, 'sc-content-type': C.contentType, 'sc(content-type)': C.contentType,
  'time-to-first-byte': C.ttfb, 'c-port': C.cPort, 's-sitename': C.siteName, 's-computername': C.computerName,
};

export interface ColumnPlan {
  names: readonly string[];
  codes: Uint8Array;
  /** Header names of cs(...) / sc(...) columns, by column index (those without a field of their own become headers). */
  headerNames: (string | null)[];
  hasStatus: boolean;
  hasTarget: boolean;
  /** CloudFront's own columns are present (x-edge-*). */
  cloudFrontColumns: boolean;
}

/** Splits the value of a `#Fields:` directive (runs of spaces or tabs) into column names. */
export function fieldNames(directiveValue: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= directiveValue.length; i++) {
    const c = i < directiveValue.length ? directiveValue.charCodeAt(i) : 32;
    if (c === 32 || c === 9) {
      if (start >= 0) out.push(directiveValue.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

export function planColumns(names: readonly string[], flavour: W3cFlavour): ColumnPlan {
  const codes = new Uint8Array(names.length);
  const headerNames: (string | null)[] = new Array<string | null>(names.length).fill(null);
  let hasStatus = false;
  let hasTarget = false;
  let cloudFrontColumns = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const lower = name.toLowerCase();
    let code = COMMON[lower] ?? C.other;
    if (flavour === 'cloudfront') {
      // CloudFront: cs(Host) is the distribution's domain; the viewer's Host header is x-host-header.
      if (lower === 'cs(host)') code = C.distribution;
      else if (lower === 'x-host-header') code = C.host;
    } else if (lower === 'cs(host)') code = C.host;
    if (lower.length > 4 && lower.endsWith(')') && (lower.startsWith('cs(') || lower.startsWith('sc('))) {
      headerNames[i] = name.slice(3, -1);
      if (code === C.other) code = lower.startsWith('cs(') ? C.reqHeader : C.respHeader;
    }
    if (lower.startsWith('x-edge-')) cloudFrontColumns = true;
    if (code === C.status) hasStatus = true;
    if (code === C.uriStem || code === C.uri) hasTarget = true;
    codes[i] = code;
  }
  return { names, codes, headerNames, hasStatus, hasTarget, cloudFrontColumns };
}

/** Most `extra` keys a line may add from columns this module does not know. */
const MAX_OTHER_EXTRAS = 24;

/**
 * Builds a record from one data line's values (already split and unquoted). `literal[i]` is true
 * for values that were quoted (IIS Advanced Logging): their spaces are real, so no `+` decoding.
 * `-` and empty mean absent, quoted or not.
 * Returns a reason string when the line cannot be a request of this plan.
 */
export function applyColumns(
  plan: ColumnPlan,
  values: readonly string[],
  literal: readonly boolean[] | null,
  flavour: W3cFlavour,
  defaultDate: string | null,
): RequestRecord | string {
  const rec = emptyRecord();
  const extra: Record<string, string | number | boolean | null> = {};
  let date: string | null = defaultDate;
  let time: string | null = null;
  let localTime = false;
  let stem: string | null = null;
  let query: string | null = null;
  let reqHeaders: Header[] | null = null;
  let respHeaders: Header[] | null = null;
  let others = 0;
  const codes = plan.codes;
  for (let i = 0; i < codes.length; i++) {
    const raw = values[i]!;
    if (raw === '-' || raw === '') continue;
    const v = raw;
    const quoted = literal !== null && literal[i] === true;
    switch (codes[i]) {
      case C.date: date = v; break;
      case C.time: time = v; break;
      case C.dateLocal: date = v; localTime = true; break;
      case C.timeLocal: time = v; localTime = true; break;
      case C.method: rec.method = v; break;
      case C.uriStem: stem = v; break;
      case C.uriQuery: query = v; break;
      case C.uri: {
        const t = splitWireTarget(v);
        stem = t.path;
        if (t.query !== null) query = t.query;
        if (t.host !== null) rec.host = t.host;
        if (t.scheme !== null) rec.scheme = t.scheme;
        break;
      }
      case C.status: {
        const s = statusOf(v);
        if (Number.isNaN(s)) return 'sc-status is not an HTTP status';
        rec.status = s;
        break;
      }
      case C.substatus: extra['substatus'] = numOf(v) ?? capExtra(v); break;
      case C.win32: extra['win32Status'] = numOf(v) ?? capExtra(v); break;
      case C.timeTaken: {
        // IIS: integer ms. CloudFront and the W3C spec: seconds (always written with a fraction).
        const n = numOf(v);
        if (n !== null && n >= 0) {
          rec.durationMs = flavour === 'cloudfront' || v.indexOf('.') >= 0 ? Math.round(n * 1e6) / 1e3 : n;
        }
        break;
      }
      case C.timeTakenMs: { const n = numOf(v); if (n !== null && n >= 0) rec.durationMs = n; break; }
      case C.ttfb: { const n = numOf(v); if (n !== null && n >= 0) extra['ttfbMs'] = Math.round(n * 1e6) / 1e3; break; }
      case C.scBytes: rec.bytesOut = numOf(v); break;
      case C.csBytes: rec.bytesIn = numOf(v); break;
      case C.cIp: rec.clientIp = v; break;
      case C.sIp: extra['serverIp'] = capExtra(v); break;
      case C.sPort: extra['serverPort'] = numOf(v) ?? capExtra(v); break;
      case C.cPort: extra['clientPort'] = numOf(v) ?? capExtra(v); break;
      // The user name may be an e-mail address: it stays in extra, where redaction (R-L1) finds it.
      case C.username: extra['user'] = capExtra(v); break;
      case C.userAgent:
        rec.userAgent = quoted ? v : flavour === 'cloudfront' ? percentDecode(v) : iisPlusToSpace(v);
        break;
      case C.referer: rec.referer = v; break;
      case C.host: rec.host = v; break;
      case C.distribution: extra['distribution'] = capExtra(v); break;
      case C.version: rec.httpVersion = v; break;
      case C.scheme: rec.scheme = v.toLowerCase(); break;
      case C.xff: extra['xForwardedFor'] = capExtra(v); break;
      case C.reqHeader: (reqHeaders ??= []).push([plan.headerNames[i]!, v]); break;
      case C.respHeader: (respHeaders ??= []).push([plan.headerNames[i]!, v]); break;
      case C.edgeResult: extra['edgeResultType'] = capExtra(v); break;
      case C.edgeDetailed: extra['edgeDetailedResultType'] = capExtra(v); break;
      case C.edgeResponseResult: extra['edgeResponseResultType'] = capExtra(v); break;
      case C.edgeRequestId: rec.requestId = v; break;
      case C.edgeLocation: extra['edgeLocation'] = capExtra(v); break;
      case C.contentType:
        rec.respMime = v;
        if (plan.headerNames[i] !== null) (respHeaders ??= []).push([plan.headerNames[i]!, v]);
        break;
      case C.siteName: extra['site'] = capExtra(v); break;
      case C.computerName: extra['computer'] = capExtra(v); break;
      default:
        if (others < MAX_OTHER_EXTRAS) {
          extra[plan.names[i]!] = capExtra(v);
          others++;
        }
    }
  }
  if (stem !== null) {
    rec.path = stem;
    rec.query = query;
  }
  if (date !== null && time !== null) {
    rec.ts = utcFromDateAndTime(date, time);
    if (rec.ts === null) {
      // A well-formed stamp that names no real moment (2025-02-29, 25:00:00) gets its own reason.
      const shaped = date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45 && time.length >= 8 && time.charCodeAt(2) === 58 && time.charCodeAt(5) === 58;
      return shaped ? `date and time ${JSON.stringify(`${date} ${time}`.slice(0, 40))} is not a real UTC time (day of month, hour 00-23, minute 00-59)` : 'expected date yyyy-mm-dd and time hh:mm:ss';
    }
  }
  // Advanced Logging's local time has no zone: it is read as UTC and flagged.
  if (localTime) extra['localTime'] = true;
  rec.reqHeaders = reqHeaders;
  rec.respHeaders = respHeaders;
  for (const _ in extra) { rec.extra = extra; break; }
  return rec;
}
