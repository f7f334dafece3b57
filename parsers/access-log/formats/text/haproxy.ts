/**
 * HAProxy HTTP log (`option httplog`), with or without a syslog header:
 *   [Mar  1 12:00:00 host haproxy[123]: ]client:port [accept_date] frontend backend/server
 *   TR/Tw/Tc/Tr/Ta status bytes req_cookie resp_cookie termination_state
 *   actconn/feconn/beconn/srv_conn/retries srv_queue/backend_queue [{req headers}] [{resp headers}] "request"
 * Timers are ms, -1 when the phase was never reached (older versions log Tq/…/Tt: same positions).
 * The 4-char termination state (`sH--`, `CD--`) says who ended the session and when; anything but `-`
 * first becomes errorText. Hand-written (not a template) because the header captures are optional.
 * accept_date has no zone: it is read as UTC.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { emptyRecord } from '../../../../src/core/types.js';
import { parseClfTime, parseRequestLine } from '../../fields.js';
import type { LineResult, LogFormat } from '../../format.js';
import { criPrefixLength, syslogPrefixLength } from '../../prefix.js';
import { hostOnly, intValue, statusValue } from '../../template/values.js';

const CAUSE: Record<string, string> = {
  C: 'client aborted',
  S: 'server aborted or refused the connection',
  P: 'proxy aborted the session (limit, deny rule or security check)',
  L: 'haproxy answered locally',
  R: 'proxy ran out of a resource',
  I: 'proxy internal error',
  D: 'session killed because the server went down',
  U: 'session killed because a backup server came up',
  K: 'session killed by an administrator',
  c: 'client-side timeout',
  s: 'server-side timeout',
};
const PHASE: Record<string, string> = {
  R: 'while waiting for the client request',
  Q: 'while queued for a connection slot',
  C: 'while connecting to the server',
  H: 'while waiting for the response headers',
  D: 'during the data transfer',
  L: 'while sending the last data to the client',
  T: 'while the request was tarpitted',
};

/** `sH--` → "sH--: server-side timeout while waiting for the response headers"; null for a normal end. */
export function describeTermination(state: string): string | null {
  const c = state[0];
  if (c === undefined || c === '-') return null;
  const cause = CAUSE[c] ?? `termination cause ${c}`;
  const phase = PHASE[state[1] ?? '-'];
  return `${state}: ${cause}${phase ? ' ' + phase : ''}`;
}

function fail(reason: string): LineResult {
  return { ok: false, reason };
}

/** Signed int (`-1`, `+123` as logasap writes it). undefined when not a number. */
function timer(s: string): number | null | undefined {
  if (s.charCodeAt(0) === 43) return intValue(s.slice(1)); // '+'
  if (s === '-1') return -1;
  return intValue(s);
}

function parseHaproxy(line: string): LineResult {
  let pos = criPrefixLength(line);
  pos += syslogPrefixLength(line, pos);
  const n = line.length;
  const word = (): string | null => {
    const e = line.indexOf(' ', pos);
    if (e <= pos) return null;
    const w = line.slice(pos, e);
    pos = e + 1;
    return w;
  };
  const col = () => `column ${pos + 1}`;

  const client = word();
  if (client === null || client.indexOf(':') < 0) return fail(`expected client ip:port at ${col()}`);
  if (line.charCodeAt(pos) !== 91) return fail(`expected [accept date] at ${col()}`);
  const close = line.indexOf('] ', pos);
  if (close < 0 || close - pos > 40) return fail(`expected [accept date] at ${col()}`);
  const ts = parseClfTime(line.slice(pos + 1, close));
  if (ts === null) return fail(`expected [dd/Mon/yyyy:HH:MM:SS.mmm] at ${col()}`);
  pos = close + 2;
  const frontend = word();
  if (frontend === null) return fail(`expected frontend name at ${col()}`);
  const bs = word();
  const slash = bs === null ? -1 : bs.indexOf('/');
  if (bs === null || slash < 0) return fail(`expected backend/server at ${col()}`);
  const timersAt = pos;
  const timersText = word();
  const t = timersText?.split('/');
  if (timersText == null || t === undefined || t.length !== 5) return fail(`expected timers TR/Tw/Tc/Tr/Ta at column ${timersAt + 1}`);
  const timers = t.map(timer);
  if (timers.some((x) => x === undefined || x === null)) return fail(`expected numeric timers TR/Tw/Tc/Tr/Ta at column ${timersAt + 1}`);
  const statusAt = pos;
  const st = word();
  const status = st === null ? undefined : statusValue(st);
  if (status === undefined) return fail(`expected an HTTP status at column ${statusAt + 1}`);
  const bytesText = word();
  const bytes = bytesText === null ? undefined : timer(bytesText);
  if (bytes === undefined) return fail(`expected a byte count at ${col()}`);
  if (word() === null || word() === null) return fail(`expected captured cookies at ${col()}`);
  const stateAt = pos;
  const state = word();
  if (state === null || (state.length !== 4 && state.length !== 2)) return fail(`expected a termination state like ---- at column ${stateAt + 1}`);
  const conns = word();
  if (conns === null || conns.split('/').length !== 5) return fail(`expected actconn/feconn/beconn/srv_conn/retries at ${col()}`);
  const queues = word();
  if (queues === null || queues.indexOf('/') < 0) return fail(`expected srv_queue/backend_queue at ${col()}`);
  // Optional captured request/response headers: {…} {…}
  let captures: string | null = null;
  for (let k = 0; k < 2 && line.charCodeAt(pos) === 123; k++) {
    const e = line.indexOf('} ', pos);
    if (e < 0) return fail(`expected '}' closing captured headers opened at column ${pos + 1}`);
    const c = line.slice(pos, e + 1);
    captures = captures === null ? c : `${captures} ${c}`;
    pos = e + 2;
  }
  if (line.charCodeAt(pos) !== 34) return fail(`expected "request" at column ${pos + 1}`);
  let endq = line.indexOf('"', pos + 1);
  const truncated = endq < 0;
  if (truncated) endq = n; // haproxy cuts long request lines (no closing quote)
  const reqText = line.slice(pos + 1, endq);

  const r: RequestRecord = emptyRecord();
  r.ts = ts;
  r.clientIp = hostOnly(client, true);
  r.status = status ?? 0;
  if (reqText !== '<BADREQ>') {
    const q = parseRequestLine(reqText);
    r.method = q.method;
    r.path = q.path;
    r.query = q.query;
    r.scheme = q.scheme;
    r.host = q.host;
    r.httpVersion = q.httpVersion;
  }
  const [, , , tr, ta] = timers as number[];
  r.durationMs = ta! >= 0 ? ta! : null;
  r.upstreamMs = tr! >= 0 ? tr! : null;
  r.bytesOut = bytes ?? null;
  const backend = bs.slice(0, slash);
  const server = bs.slice(slash + 1);
  r.upstreamAddr = server === '<NOSRV>' ? null : server;
  r.errorText = describeTermination(state);
  const extra: Record<string, string | number | boolean | null> = {
    frontend, backend, server, timers: timersText, termination: state,
  };
  const retries = conns.slice(conns.lastIndexOf('/') + 1);
  if (retries !== '0') extra['retries'] = retries;
  if (queues !== '0/0') extra['queues'] = queues;
  if (captures !== null) extra['captures'] = captures.length > 512 ? captures.slice(0, 512) + '…' : captures;
  if (truncated) extra['truncated'] = true;
  if (!truncated && endq + 1 < n) {
    const rest = line.slice(endq + 1).trim();
    if (rest !== '') extra['trailing'] = rest;
  }
  // No server response (Tr = -1, or no server chosen): the error came from haproxy itself.
  if (r.status !== null && (r.status >= 400 || r.status === 0) && (tr === -1 || server === '<NOSRV>')) {
    extra['lbError'] = true;
    if (r.errorText === null) r.errorText = `haproxy answered ${r.status} without a server response`;
  }
  r.extra = extra;
  return { ok: true, record: r };
}

export const haproxy: LogFormat = {
  id: 'haproxy',
  title: 'HAProxy HTTP log (option httplog), optional syslog header',
  create: () => parseHaproxy,
  samples: [
    {
      note: 'synthetic: the example from the HAProxy configuration manual (8.2.3), syslog header, header captures',
      line: 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"',
      expect: {
        ts: Date.UTC(2009, 1, 6, 12, 14, 14, 655), clientIp: '10.0.1.2', status: 200, bytesOut: 2750, durationMs: 109, upstreamMs: 69,
        method: 'GET', path: '/index.html', httpVersion: 'HTTP/1.1', upstreamAddr: 'srv1', errorText: null,
        extra: { frontend: 'http-in', backend: 'static', server: 'srv1', termination: '----', captures: '{1wt.eu} {}' },
      },
    },
    {
      note: 'synthetic: server timeout waiting for headers (sH--), haproxy answers 504, no syslog header',
      line: '192.168.1.50:51034 [01/Mar/2024:12:00:00.120] fe_https~ be_api/api2 0/0/1/-1/30002 504 194 - - sH-- 12/10/3/1/0 0/0 "POST /v1/orders?id=9 HTTP/1.1"',
      expect: {
        status: 504, durationMs: 30002, upstreamMs: null, method: 'POST', path: '/v1/orders', query: 'id=9',
        errorText: 'sH--: server-side timeout while waiting for the response headers',
        extra: { frontend: 'fe_https~', termination: 'sH--', lbError: true },
      },
    },
    {
      note: 'synthetic: no server available (503 <NOSRV>, SC--), RFC 3339 syslog header, retries',
      line: '2024-03-01T12:00:01.000000+00:00 lb1 haproxy[2211]: 10.0.0.9:40112 [01/Mar/2024:12:00:01.002] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 216 - - SC-- 5/5/0/0/3 0/0 "GET /health HTTP/1.1"',
      expect: {
        status: 503, upstreamAddr: null, durationMs: 0,
        errorText: 'SC--: server aborted or refused the connection while connecting to the server',
        extra: { server: '<NOSRV>', lbError: true, retries: '3' },
      },
    },
    {
      note: 'synthetic: client aborted before sending a request (CR--, <BADREQ>, status -1 → 0)',
      line: 'Mar  1 12:00:02 lb1 haproxy[2211]: 10.0.0.7:40200 [01/Mar/2024:12:00:02.500] fe_http fe_http/<NOSRV> -1/-1/-1/-1/5001 -1 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"',
      expect: { status: 0, method: null, path: null, durationMs: 5001, errorText: 'CR--: client aborted while waiting for the client request' },
    },
  ],
};
