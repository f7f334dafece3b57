/**
 * Generic JSON-lines access logs: common field names of application loggers and log schemas
 * (flat and nested): ECS (`http.request.method`, `url.path`, `http.response.status_code`,
 * `event.duration` ns), OpenTelemetry-ish (`http.method`, `http.status_code`), GCP `httpRequest.*`,
 * pino-http (`req.url`, `res.statusCode`, `responseTime` ms), Zeek JSON (`status_code`, `uri`),
 * and plain `status` / `path` / `duration_ms`. Last in detection order; a line needs at least a
 * status-like AND a path/url-like field. Durations take their unit from the name (`_ms`, `_us`,
 * `_ns`, `_seconds`); otherwise it is guessed from the value and the guess recorded in extra.durationUnit.
 */
import { defineJsonFormat, type JsonFormatSpec } from './json-map.js';

const STATUS = [
  'status', 'status_code', 'statusCode', 'http_status', 'response_status', 'http.status_code', 'http.response.status_code',
  'http.status', 'response.status', 'response.status_code', 'response.statusCode', 'res.statusCode', 'res.status',
  'httpRequest.status', 'http.response.status', 'attributes.http.status_code',
];

const TARGET = [
  'url.original', 'url.full', 'url.path', 'http.url', 'http.target', 'http.path', 'httpRequest.requestUrl', 'request.url',
  'request.uri', 'request.path', 'req.url', 'url', 'uri', 'path', 'request_uri', 'request_path', 'http.request.url',
];

export const genericSpec: JsonFormatSpec = {
  id: 'json',
  title: 'JSON lines (generic field names)',
  identify: [
    { anyOf: STATUS, what: 'JSON object with a status field (status, status_code, http.status_code…)' },
    { anyOf: TARGET, what: 'JSON object with a path or url field (path, url, uri, url.path…)' },
  ],
  fields: {
    ts: ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date', 'start_time', 'startTime', 'time_local', 'receiveTimestamp'],
    method: [
      'method', 'http_method', 'request_method', 'http.method', 'http.request.method', 'httpRequest.requestMethod', 'request.method',
      'req.method', 'verb',
    ],
    requestLine: ['request'],
    target: TARGET,
    query: ['url.query', 'query', 'query_string', 'querystring', 'args'],
    host: ['host', 'hostname', 'http.host', 'url.domain', 'request.host', 'req.headers.host', 'server_name', 'vhost', 'authority'],
    scheme: ['scheme', 'url.scheme', 'http.scheme', 'protocol_scheme'],
    status: STATUS,
    httpVersion: ['protocol', 'http_version', 'http.version', 'http.flavor', 'httpRequest.protocol', 'request.proto', 'proto'],
    durationMs: [
      'duration_ms', 'durationMs', 'latency_ms', 'latencyMs', 'response_time_ms', 'responseTime', 'response-time', 'elapsed_ms',
      'took', 'time_ms', 'duration_us', 'latency_us', 'duration_ns', 'latency_ns', 'duration_seconds', 'duration_s',
      'request_time', 'event.duration', 'httpRequest.latency', 'http.duration', 'duration', 'latency', 'response_time',
      'elapsed', 'elapsed_time', 'time_taken',
    ],
    upstreamMs: ['upstream_response_time', 'upstream_duration_ms', 'upstream_latency_ms', 'httpRequest.backendLatency'],
    bytesOut: [
      'bytes_out', 'bytes_sent', 'body_bytes_sent', 'response_size', 'responseSize', 'size', 'http.response.body.bytes',
      'http.response.bytes', 'httpRequest.responseSize', 'res.contentLength', 'response_body_len',
    ],
    bytesIn: ['bytes_in', 'bytes_received', 'request_size', 'requestSize', 'request_length', 'http.request.body.bytes', 'httpRequest.requestSize', 'request_body_len'],
    clientIp: [
      'client_ip', 'clientIp', 'clientIP', 'remote_ip', 'remoteIp', 'remote_addr', 'remoteAddr', 'ip', 'client.ip', 'client.address',
      'source.ip', 'source.address', 'httpRequest.remoteIp', 'req.remoteAddress', 'http.client_ip', 'network.client.ip', 'id.orig_h',
    ],
    userAgent: [
      'user_agent', 'userAgent', 'http_user_agent', 'user_agent.original', 'http.user_agent', 'httpRequest.userAgent',
      'req.headers.user-agent', 'request.headers.user-agent', 'ua',
    ],
    referer: ['referer', 'referrer', 'http_referer', 'http.request.referrer', 'httpRequest.referer', 'req.headers.referer'],
    upstreamAddr: ['upstream_addr', 'upstream', 'upstream_host', 'backend', 'destination.address'],
    upstreamStatus: ['upstream_status', 'upstream_status_code'],
    requestId: ['request_id', 'requestId', 'req_id', 'reqId', 'x_request_id', 'http.request.id', 'correlation_id', 'correlationId', 'req.id'],
    traceId: ['trace_id', 'traceId', 'trace.id', 'traceID', 'logging.googleapis.com/trace', 'dd.trace_id'],
    errorText: ['error.message', 'error', 'err', 'error_message', 'errorMessage', 'err.message', 'exception'],
    respMime: ['content_type', 'http.response.mime_type', 'response.content_type', 'resp_mime_types'],
  },
  samples: [
    {
      line: '{"@timestamp":"2024-05-05T12:00:00.123Z","http":{"request":{"method":"GET"},"response":{"status_code":404,"body":{"bytes":52}},"version":"1.1"},"url":{"path":"/api/users/9","query":"fields=name"},"client":{"ip":"192.0.2.10"},"user_agent":{"original":"Go-http-client/1.1"},"event":{"duration":12500000},"trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"}}',
      note: 'synthetic: ECS nested',
      expect: {
        ts: Date.UTC(2024, 4, 5, 12, 0, 0, 123), method: 'GET', path: '/api/users/9', query: 'fields=name', status: 404, httpVersion: '1.1',
        durationMs: 12.5, bytesOut: 52, clientIp: '192.0.2.10', userAgent: 'Go-http-client/1.1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
    },
    {
      line: '{"level":30,"time":1714900000456,"req":{"id":17,"method":"POST","url":"/orders?express=true","headers":{"host":"shop.local","user-agent":"curl/8.4.0"},"remoteAddress":"::ffff:10.0.0.5"},"res":{"statusCode":500},"responseTime":873,"err":{"type":"Error","message":"ECONNREFUSED 10.0.0.9:5432"},"msg":"request errored"}',
      note: 'synthetic: pino-http',
      expect: {
        ts: 1714900000456, method: 'POST', path: '/orders', query: 'express=true', host: 'shop.local', status: 500, durationMs: 873,
        userAgent: 'curl/8.4.0', clientIp: '::ffff:10.0.0.5', requestId: '17', errorText: 'ECONNREFUSED 10.0.0.9:5432',
      },
    },
    {
      line: '{"httpRequest":{"requestMethod":"GET","requestUrl":"https://lb.example.com/healthz?full=1","status":503,"responseSize":"19","userAgent":"GoogleHC/1.0","remoteIp":"35.191.0.1","latency":"0.002341s","protocol":"HTTP/1.1"},"timestamp":"2024-06-01T00:00:01.5Z","severity":"WARNING"}',
      note: 'synthetic: Google Cloud HTTP(S) load balancer (httpRequest)',
      expect: {
        ts: Date.UTC(2024, 5, 1, 0, 0, 1, 500), method: 'GET', scheme: 'https', host: 'lb.example.com', path: '/healthz', query: 'full=1',
        status: 503, durationMs: 2.341, bytesOut: 19, clientIp: '35.191.0.1', httpVersion: 'HTTP/1.1',
      },
    },
    {
      line: '{"ts":"2024-06-01 10:00:00","method":"DELETE","path":"/v1/session","status":"204","duration":0.031,"ip":"198.51.100.3:61000"}',
      note: 'synthetic: plain names, zone-less time (read as UTC), unitless fractional duration (guessed seconds)',
      expect: {
        ts: Date.UTC(2024, 5, 1, 10), method: 'DELETE', path: '/v1/session', status: 204, durationMs: 31, clientIp: '198.51.100.3',
        extra: { durationUnit: 'guessed s' },
      },
    },
  ],
};

export const genericJsonFormat = defineJsonFormat(genericSpec);
