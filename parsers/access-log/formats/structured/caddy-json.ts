/**
 * Caddy v2 access logs (`log` directive, JSON encoder): logger `http.log.access[.name]`, the request
 * nested under `request` with headers as name → [values], `duration` in seconds (Caddy's default
 * duration_format), `status` 0 when no handler wrote a status.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineJsonFormat, setExtra, type JsonObject, type JsonFormatSpec } from './json-map.js';

const ACCESS_LOGGER = 'http.log.access';

function checkCaddy(obj: JsonObject): string | null {
  const logger = obj['logger'];
  if (typeof logger !== 'string' || !(logger === ACCESS_LOGGER || logger.startsWith(ACCESS_LOGGER + '.'))) {
    return 'expected a Caddy access entry (logger http.log.access…)';
  }
  return null;
}

function finishCaddy(rec: RequestRecord, obj: JsonObject): void {
  const req = obj['request'] as JsonObject;
  // TLS connections carry a `tls` object; Caddy logs none for cleartext.
  if (rec.scheme === null) rec.scheme = req['tls'] !== null && typeof req['tls'] === 'object' ? 'https' : 'http';
  // Caddy >= 2.7 logs client_ip (after trusted_proxies) beside the peer's remote_ip.
  if (typeof req['client_ip'] === 'string' && typeof req['remote_ip'] === 'string' && req['client_ip'] !== req['remote_ip']) {
    setExtra(rec, 'remoteIp', req['remote_ip']);
  }
  // status 0: the handler chain returned without writing a status (Caddy's "empty response").
  if (rec.status === 0) setExtra(rec, 'noStatus', true);
}

export const caddySpec: JsonFormatSpec = {
  id: 'caddy-json',
  title: 'Caddy v2 JSON access log',
  identify: [
    { anyOf: ['logger'], what: 'a Caddy access entry (logger http.log.access…)' },
    { anyOf: ['request.method', 'request.uri'], what: 'a Caddy access entry with a request object' },
    { anyOf: ['status'], what: 'a Caddy access entry with a status field' },
  ],
  check: checkCaddy,
  fields: {
    ts: ['ts'],
    method: ['request.method'],
    target: ['request.uri'],
    host: ['request.host'],
    status: ['status'],
    httpVersion: ['request.proto'],
    durationMs: ['duration:s'],
    bytesOut: ['size'],
    bytesIn: ['bytes_read'],
    clientIp: ['request.client_ip', 'request.remote_ip'],
    userAgent: ['request.headers.User-Agent'],
    referer: ['request.headers.Referer'],
    requestId: ['request.headers.X-Request-Id', 'resp_headers.X-Request-Id'],
    traceId: ['traceID', 'trace_id'],
    errorText: ['err', 'error'],
    respMime: ['resp_headers.Content-Type'],
  },
  reqHeaders: [{ map: 'request.headers' }],
  respHeaders: [{ map: 'resp_headers' }],
  extra: { user: 'user_id', level: 'level' },
  finish: finishCaddy,
  samples: [
    {
      line: '{"level":"info","ts":1693840791.7564995,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"172.17.0.1","remote_port":"44790","client_ip":"127.0.0.1","proto":"HTTP/1.0","method":"GET","host":"127.0.0.1:8080","uri":"/","headers":{"X-Forwarded-Port":["80"],"X-Real-Ip":["127.0.0.1"],"Forwarded":["for=127.0.0.1"],"X-Forwarded-Host":["127.0.0.1"],"User-Agent":["curl/7.74.0"],"Accept":["*/*"],"Connection":["close"],"X-Forwarded-For":["127.0.0.1"],"X-Forwarded-Proto":["http"]}},"bytes_read":0,"user_id":"","duration":0.000002701,"size":0,"status":0,"resp_headers":{"Server":["Caddy"]}}',
      expect: {
        ts: 1693840791756, method: 'GET', scheme: 'http', host: '127.0.0.1:8080', path: '/', query: null, status: 0, httpVersion: 'HTTP/1.0',
        durationMs: 0.003, bytesOut: 0, bytesIn: 0, clientIp: '127.0.0.1', userAgent: 'curl/7.74.0', respHeaders: [['Server', 'Caddy']],
        extra: { remoteIp: '172.17.0.1', noStatus: true, level: 'info' },
      },
    },
    {
      line: '{"level":"error","ts":1711741798.0391326,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"46944","client_ip":"127.0.0.1","proto":"HTTP/1.1","method":"GET","host":"localhost:9080","uri":"/","headers":{"Authorization":[],"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"","duration":0.782670468,"size":0,"status":401,"resp_headers":{"Server":["Caddy"],"Www-Authenticate":["Basic realm=\\"restricted\\""]}}',
      expect: {
        status: 401, durationMs: 782.67, host: 'localhost:9080',
        reqHeaders: [['Authorization', ''], ['User-Agent', 'curl/7.88.1'], ['Accept', '*/*']],
        respHeaders: [['Server', 'Caddy'], ['Www-Authenticate', 'Basic realm="restricted"']],
      },
    },
    {
      line: '{"level":"info","ts":1711741864.947103,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"43498","client_ip":"127.0.0.1","proto":"HTTP/1.1","method":"GET","host":"localhost:9080","uri":"/","headers":{"Authorization":[],"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"Bob","duration":0.794682124,"size":18630,"status":200,"resp_headers":{"Content-Type":["text/html; charset=utf-8"],"Last-Modified":["Fri, 08 Dec 2023 00:28:15 GMT"],"Accept-Ranges":["bytes"],"Content-Length":["18630"],"Server":["Caddy"]}}',
      note: 'corpus line shortened: the Etag response header was dropped',
      expect: { status: 200, bytesOut: 18630, respMime: 'text/html; charset=utf-8', extra: { user: 'Bob', level: 'info' } },
    },
    {
      line: '{"level":"info","ts":"2024-05-01T10:00:00.250Z","logger":"http.log.access","msg":"handled request","request":{"remote_ip":"10.0.0.9","remote_port":"5555","proto":"HTTP/2.0","method":"POST","host":"api.example.com","uri":"/v1/orders?dry=1","headers":{"X-Request-Id":["req-42"]},"tls":{"resumed":false,"version":772,"proto":"h2","server_name":"api.example.com"}},"bytes_read":120,"duration":"1.5s","size":35,"status":502,"err":"dial tcp 10.0.0.20:8080: connect: connection refused","resp_headers":{"Content-Type":["application/json"]}}',
      note: 'synthetic: TLS, iso8601 time_format, string duration_format, upstream error text',
      expect: {
        ts: Date.UTC(2024, 4, 1, 10, 0, 0, 250), scheme: 'https', method: 'POST', path: '/v1/orders', query: 'dry=1', status: 502,
        durationMs: 1500, clientIp: '10.0.0.9', requestId: 'req-42', errorText: 'dial tcp 10.0.0.20:8080: connect: connection refused',
        respMime: 'application/json',
      },
    },
  ],
};

export const caddyJsonFormat = defineJsonFormat(caddySpec);
