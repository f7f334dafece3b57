/**
 * What each log variable means for a RequestRecord. Names are nginx variable names; Apache directives
 * are translated to these names (apache.ts) so both syntaxes share one table. A variable that is not
 * here is kept in `extra` under its own name (`genericVar`).
 */
import type { RequestRecord } from '../../../src/core/types.js';
import { parseClfTime, parseEpoch, parseIsoTime, parseRequestLineCached, splitTarget } from '../fields.js';
import type { LineCtx, VarDef } from './types.js';
import {
  capExtra, hostOnly, intValue, isSensitiveName, listSum, numValue, portOf, sToMs, statusValue, traceIdFrom,
} from './values.js';

type StrKey = {
  [K in keyof RequestRecord]-?: RequestRecord[K] extends string | null ? K : never;
}[keyof RequestRecord];

/** Sets an extra on the current line (creating the extras object on first use). */
export function putExtra(ctx: LineCtx, key: string, v: string | number | boolean | null): void {
  if (ctx.extra === null) ctx.extra = {};
  ctx.extra[key] = typeof v === 'string' ? capExtra(v) : v;
}

/** Sets a per-line scratch value for a format's finish hook. */
export function putTmp(ctx: LineCtx, key: string, v: string | number | null): void {
  if (ctx.tmp === null) ctx.tmp = {};
  ctx.tmp[key] = v;
}

function isDash(v: string): boolean {
  return v.length === 0 || (v.length === 1 && v.charCodeAt(0) === 45);
}

/** A string field; `-` and empty stay null. */
export function strVar(key: StrKey, expect = 'text'): VarDef {
  return {
    expect,
    apply(r, v) {
      if (!isDash(v)) r[key] = v;
      return true;
    },
  };
}

/** A string field set only when no earlier variable set it (request ids, trace ids: first wins). */
function firstStr(key: StrKey): VarDef {
  return {
    expect: 'text',
    apply(r, v) {
      if (!isDash(v) && r[key] === null) r[key] = v;
      return true;
    },
  };
}

/** Kept as `extra[key]` (not validated). */
export function extraVar(key: string): VarDef {
  return {
    expect: 'text',
    apply(_r, v, ctx) {
      if (!isDash(v)) putExtra(ctx, key, v);
      return true;
    },
  };
}

/** Kept as `extra[key]`, as a number; the line is rejected when the text is not an integer. */
export function extraInt(key: string, expect = 'an integer'): VarDef {
  return {
    expect,
    apply(_r, v, ctx) {
      const x = intValue(v);
      if (x === undefined) return false;
      if (x !== null) putExtra(ctx, key, x);
      return true;
    },
  };
}

/** An nginx list variable kept raw in `extra[key]`. */
function extraList(key: string): VarDef {
  return { ...extraVar(key), list: true };
}

/** Any variable not in the table: kept under its name, secrets withheld. */
export function genericVar(name: string): VarDef {
  const sensitive = isSensitiveName(name);
  return {
    expect: 'text',
    apply(_r, v, ctx) {
      if (!isDash(v)) putExtra(ctx, name, sensitive ? '[withheld]' : v);
      return true;
    },
  };
}

/** A variable whose value is not kept (ident `%l`, which is `-` in practice). */
const ignored: VarDef = { expect: 'text', apply: () => true };

/** One-entry memo: busy logs repeat the same second on consecutive lines. */
let lastClfText = '';
let lastClfTs = 0;

const clfTime: VarDef = {
  expect: 'a real dd/Mon/yyyy:HH:MM:SS +zzzz time',
  apply(r, v) {
    if (v === lastClfText) {
      r.ts = lastClfTs;
      return true;
    }
    let t = parseClfTime(v);
    // Python's http.server (and Werkzeug) log `[29/Aug/2023 22:02:58]`: no zone, a space before the hour.
    if (t === null && v.length === 20 && v.charCodeAt(11) === 32) t = parseClfTime(`${v.slice(0, 11)}:${v.slice(12)}`);
    if (t === null) return false;
    lastClfText = v;
    lastClfTs = t;
    r.ts = t;
    return true;
  },
};

const isoTime: VarDef = {
  expect: 'a real ISO 8601 time',
  apply(r, v) {
    const t = parseIsoTime(v);
    if (t === null) return false;
    r.ts = t;
    return true;
  },
};

const epochTime: VarDef = {
  expect: 'epoch seconds',
  apply(r, v) {
    if (isDash(v)) return true;
    const x = numValue(v);
    if (x === undefined || x === null) return false;
    r.ts = parseEpoch(x);
    return r.ts !== null;
  },
};

/** `%{msec_frac}t` / `%{usec_frac}t`: the sub-second part of a time logged just before it. */
function timeFrac(digits: number): VarDef {
  return {
    expect: 'a fraction of a second',
    apply(r, v) {
      const x = intValue(v);
      if (x === undefined) return false;
      if (x !== null && r.ts !== null) r.ts += digits === 3 ? x : Math.round(x / 1000);
      return true;
    },
  };
}

/** `%{%z}t`: a `+hhmm` offset logged apart from a local time read just before it. */
const timeZone: VarDef = {
  expect: 'a +hhmm offset',
  apply(r, v) {
    if (v.length !== 5 || (v[0] !== '+' && v[0] !== '-')) return false;
    const hh = intValue(v.slice(1, 3)), mm = intValue(v.slice(3, 5));
    if (hh == null || mm == null) return false;
    if (r.ts !== null) r.ts -= (v[0] === '-' ? -1 : 1) * (hh * 60 + mm) * 60000;
    return true;
  },
};

/**
 * A time in a custom format (Apache `%{…}t`): CLF shape (`dd/Mon/yyyy:HH:MM:SS[ +zzzz]`) or ISO 8601.
 * Other shapes are kept raw in `extra.time` rather than guessed (Date.parse would read them as local time).
 */
export const customTime: VarDef = {
  expect: 'a time',
  apply(r, v, ctx) {
    if (isDash(v)) return true;
    let t = parseClfTime(v);
    if (t === null && v.charCodeAt(4) === 45) t = parseIsoTime(v);
    if (t === null) putExtra(ctx, 'time', v);
    else r.ts = t;
    return true;
  },
};

const requestLine: VarDef = {
  expect: 'a request line',
  apply(r, v) {
    const q = parseRequestLineCached(v);
    r.method = q.method;
    r.path = q.path;
    r.query = q.query;
    r.httpVersion = q.httpVersion;
    if (q.scheme !== null && r.scheme === null) r.scheme = q.scheme;
    if (q.host !== null && r.host === null) r.host = q.host;
    return true;
  },
};

const requestUri: VarDef = {
  expect: 'a request URI',
  apply(r, v) {
    if (isDash(v)) return true;
    const t = splitTarget(v);
    r.path = t.path;
    r.query = t.query;
    if (t.scheme !== null && r.scheme === null) r.scheme = t.scheme;
    if (t.host !== null && r.host === null) r.host = t.host;
    return true;
  },
};

/** `$uri` / `%U`: the path only; never overrides a path read from the request line or `$request_uri`. */
const uriPath: VarDef = {
  expect: 'a path',
  apply(r, v) {
    if (!isDash(v) && r.path === null) r.path = v;
    return true;
  },
};

/** `$args` (no `?`) and Apache `%q` (`?a=1` or empty). */
const queryVar: VarDef = {
  expect: 'a query string',
  apply(r, v) {
    if (isDash(v)) return true;
    const q = v.charCodeAt(0) === 63 ? v.slice(1) : v;
    if (q !== '') r.query = q;
    return true;
  },
};

const schemeVar: VarDef = {
  expect: 'a scheme',
  apply(r, v) {
    if (!isDash(v)) r.scheme = v.toLowerCase();
    return true;
  },
};

/** Apache `%v:%p`-style `host[:port]` as one token (vhost_combined logs both with and without a port). */
const vhostPort: VarDef = {
  expect: 'a host[:port]',
  apply(r, v, ctx) {
    if (isDash(v)) return true;
    const port = portOf(v);
    if (port !== null) {
      r.host = hostOnly(v, true);
      putExtra(ctx, 'serverPort', port);
    } else {
      r.host = v;
    }
    return true;
  },
};

const status: VarDef = {
  expect: 'an HTTP status',
  apply(r, v) {
    const s = statusValue(v);
    if (s === undefined) return false;
    r.status = s;
    return true;
  },
};

function intField(key: 'bytesOut' | 'bytesIn', dashIsZero = false): VarDef {
  return {
    expect: 'a byte count',
    apply(r, v) {
      const x = intValue(v);
      if (x === undefined) return false;
      if (x !== null) r[key] = x;
      else if (dashIsZero && v === '-') r[key] = 0;
      return true;
    },
  };
}

/** `$bytes_sent` / `%O`: whole response; used as bytesOut only when no body count is logged. */
const bytesSent: VarDef = {
  expect: 'a byte count',
  apply(r, v, ctx) {
    const x = intValue(v);
    if (x === undefined) return false;
    if (x === null) return true;
    if (r.bytesOut === null) r.bytesOut = x;
    else putExtra(ctx, 'bytesSent', x);
    return true;
  },
};

/** A duration in `unit`-per-ms (1000 for seconds, 1 for ms, 0.001 for µs) into durationMs. */
function duration(msPerUnit: number, expect: string): VarDef {
  return {
    expect,
    apply(r, v) {
      const x = numValue(v);
      if (x === undefined) return false;
      if (x !== null && x >= 0) r.durationMs = msPerUnit === 1000 ? sToMs(x) : Math.round(x * msPerUnit * 1000) / 1000;
      return true;
    },
  };
}

const upstreamResponseTime: VarDef = {
  expect: 'upstream times',
  list: true,
  apply(r, v, ctx) {
    if (isDash(v)) return true;
    const s = listSum(v);
    if (s !== null) r.upstreamMs = sToMs(s);
    putExtra(ctx, 'upstreamResponseTime', v);
    return true;
  },
};

const upstreamAddr: VarDef = { ...strVar('upstreamAddr', 'upstream addresses'), list: true };

/** Upstream status list kept raw, `-` included: it means the proxy never got a response. */
const upstreamStatus: VarDef = {
  expect: 'upstream statuses',
  list: true,
  apply(r, v) {
    if (v !== '') r.upstreamStatus = v;
    return true;
  },
};

function traceVar(header: string): VarDef {
  return {
    expect: 'a trace id',
    apply(r, v) {
      if (r.traceId === null) r.traceId = traceIdFrom(header, v);
      return true;
    },
  };
}

const requestId = firstStr('requestId');

export const VARS: Record<string, VarDef> = {
  // client
  remote_addr: strVar('clientIp', 'a client address'),
  remote_user: extraVar('user'),
  remote_ident: ignored,
  remote_port: extraInt('remotePort'),
  realip_remote_addr: extraVar('peerAddr'),
  peer_addr: extraVar('peerAddr'),
  http_x_forwarded_for: extraVar('xForwardedFor'),
  http_x_real_ip: extraVar('xRealIp'),
  http_x_forwarded_proto: extraVar('xForwardedProto'),
  // time
  time_local: clfTime,
  time_iso8601: isoTime,
  msec: epochTime,
  time_custom: customTime,
  epoch_sec: epochTime,
  epoch_msec: epochTime,
  epoch_usec: epochTime,
  msec_frac: timeFrac(3),
  usec_frac: timeFrac(6),
  time_zone: timeZone,
  // request
  request: requestLine,
  request_method: strVar('method', 'a method'),
  request_uri: requestUri,
  uri: uriPath,
  document_uri: uriPath,
  args: queryVar,
  apache_query: queryVar,
  query_string: queryVar,
  server_protocol: strVar('httpVersion', 'a protocol'),
  scheme: schemeVar,
  host: strVar('host', 'a host'),
  http_host: strVar('host', 'a host'),
  server_name: strVar('host', 'a host'),
  vhost_port: vhostPort,
  server_port: extraInt('serverPort', 'a port'),
  server_addr: extraVar('serverAddr'),
  http_referer: strVar('referer'),
  http_user_agent: strVar('userAgent'),
  // response
  status,
  body_bytes_sent: intField('bytesOut'),
  body_bytes_sent_clf: intField('bytesOut', true),
  bytes_sent: bytesSent,
  request_length: intField('bytesIn'),
  bytes_transferred: extraInt('bytesTransferred', 'a byte count'),
  connection_status: extraVar('connStatus'),
  // durations
  request_time: duration(1000, 'seconds'),
  request_time_s: duration(1000, 'whole seconds'),
  request_time_ms: duration(1, 'milliseconds'),
  request_time_us: duration(0.001, 'microseconds'),
  // upstream (nginx lists)
  upstream_addr: upstreamAddr,
  upstream_status: upstreamStatus,
  upstream_response_time: upstreamResponseTime,
  upstream_connect_time: extraList('upstreamConnectTime'),
  upstream_header_time: extraList('upstreamHeaderTime'),
  upstream_response_length: extraList('upstreamResponseLength'),
  upstream_bytes_received: extraList('upstreamBytesReceived'),
  upstream_bytes_sent: extraList('upstreamBytesSent'),
  upstream_cache_status: extraVar('cacheStatus'),
  proxy_upstream_name: extraVar('upstreamName'),
  proxy_alternative_upstream_name: extraVar('upstreamAlternative'),
  // correlation
  request_id: requestId,
  req_id: requestId,
  http_x_request_id: requestId,
  http_request_id: requestId,
  http_x_correlation_id: requestId,
  unique_id: requestId,
  request_log_id: requestId,
  http_traceparent: traceVar('traceparent'),
  http_x_b3_traceid: traceVar('x_b3_traceid'),
  http_b3: traceVar('b3'),
  http_x_amzn_trace_id: traceVar('x_amzn_trace_id'),
  http_x_cloud_trace_context: traceVar('x_cloud_trace_context'),
  http_uber_trace_id: traceVar('uber_trace_id'),
  http_x_datadog_trace_id: traceVar('x_datadog_trace_id'),
  opentelemetry_trace_id: traceVar('otel'),
  otel_trace_id: traceVar('otel'),
  // TLS
  ssl_protocol: extraVar('sslProtocol'),
  ssl_cipher: extraVar('sslCipher'),
};

/** The definition for a variable name: the table entry, or a generic extra. */
export function varDef(name: string, overrides?: Record<string, VarDef>): VarDef {
  // hasOwn: a spec may name `$constructor` or `$toString`; those must not resolve to Object.prototype.
  if (overrides && Object.hasOwn(overrides, name)) return overrides[name]!;
  if (Object.hasOwn(VARS, name)) return VARS[name]!;
  return genericVar(name);
}
