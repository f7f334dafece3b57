/**
 * nginx `log_format … escape=json` access logs whose keys are the nginx variable names
 * (remote_addr, time_local or time_iso8601, request or request_method + request_uri, status,
 * body_bytes_sent, request_time, upstream_*, http_user_agent…), as most configs and the
 * ingress-nginx JSON examples write them. Values are usually strings (`"status":"200"`).
 */
import { defineJsonFormat, type JsonFormatSpec } from './json-map.js';

export const nginxSpec: JsonFormatSpec = {
  id: 'nginx-json',
  title: 'nginx JSON access log (escape=json)',
  identify: [
    { anyOf: ['status'], what: 'an nginx JSON entry with status' },
    { anyOf: ['request', 'request_uri', 'uri'], what: 'an nginx JSON entry with request or request_uri' },
    {
      anyOf: ['remote_addr', 'body_bytes_sent', 'bytes_sent', 'request_time', 'time_local', 'time_iso8601', 'http_user_agent', 'upstream_addr'],
      what: 'an nginx JSON entry (remote_addr, body_bytes_sent, request_time…)',
    },
  ],
  fields: {
    ts: ['time_iso8601', 'time_local', 'msec', 'time', 'timestamp', '@timestamp'],
    method: ['request_method', 'method'],
    requestLine: ['request'],
    target: ['request_uri', 'uri', 'path'],
    query: ['args', 'query_string', 'request_query'],
    host: ['host', 'http_host', 'vhost', 'server_name'],
    scheme: ['scheme'],
    status: ['status'],
    httpVersion: ['server_protocol', 'request_proto', 'protocol'],
    durationMs: ['request_time:s', 'duration:s'],
    upstreamMs: ['upstream_response_time:sum-s'],
    bytesOut: ['body_bytes_sent', 'bytes_sent'],
    bytesIn: ['request_length'],
    clientIp: ['remote_addr', 'realip_remote_addr'],
    userAgent: ['http_user_agent', 'user_agent'],
    referer: ['http_referer', 'http_referrer', 'referer'],
    upstreamAddr: ['upstream_addr'],
    upstreamStatus: ['upstream_status'],
    requestId: ['request_id', 'req_id', 'http_x_request_id'],
    traceId: ['trace_id', 'opentelemetry_trace_id', 'http_traceparent'],
    respMime: ['sent_http_content_type'],
  },
  extra: {
    user: 'remote_user', xForwardedFor: ['http_x_forwarded_for', 'x_forwarded_for'], upstreamName: 'proxy_upstream_name',
    upstreamConnectTime: 'upstream_connect_time',
  },
  samples: [
    {
      line: '{"time_local":"10/Oct/2023:13:55:36 +0200","remote_addr":"203.0.113.4","remote_user":"-","request":"GET /api/v1/items?page=2 HTTP/1.1","status":"502","body_bytes_sent":"157","request_time":"0.104","http_referer":"https://app.example.com/","http_user_agent":"Mozilla/5.0 (X11; Linux x86_64)","http_x_forwarded_for":"-","upstream_addr":"10.0.0.1:8080, 10.0.0.2:8080","upstream_status":"502, 502","upstream_response_time":"0.100, 0.004","request_id":"7f3c0a1e9b2d4c5e"}',
      note: 'synthetic: classic combined fields as JSON, a retried upstream',
      expect: {
        ts: Date.UTC(2023, 9, 10, 11, 55, 36), method: 'GET', path: '/api/v1/items', query: 'page=2', httpVersion: 'HTTP/1.1', status: 502,
        bytesOut: 157, durationMs: 104, upstreamMs: 104, clientIp: '203.0.113.4', referer: 'https://app.example.com/',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', upstreamAddr: '10.0.0.1:8080, 10.0.0.2:8080', upstreamStatus: '502, 502',
        requestId: '7f3c0a1e9b2d4c5e', extra: null,
      },
    },
    {
      line: '{"time_iso8601":"2024-04-02T08:15:00+00:00","remote_addr":"2001:db8::7","request_method":"POST","request_uri":"/login?next=%2F","server_protocol":"HTTP/2.0","status":429,"body_bytes_sent":64,"request_length":512,"request_time":0.002,"host":"auth.example.com","scheme":"https","http_user_agent":"python-requests/2.31","upstream_addr":"-","upstream_status":"-","upstream_response_time":"-","remote_user":"alice"}',
      note: 'synthetic: numeric values, rate-limited at nginx (no upstream)',
      expect: {
        ts: Date.UTC(2024, 3, 2, 8, 15), method: 'POST', path: '/login', query: 'next=%2F', status: 429, scheme: 'https', host: 'auth.example.com',
        httpVersion: 'HTTP/2.0', bytesIn: 512, durationMs: 2, upstreamMs: null, upstreamAddr: null, upstreamStatus: null, clientIp: '2001:db8::7',
        extra: { user: 'alice' },
      },
    },
  ],
};

export const nginxJsonFormat = defineJsonFormat(nginxSpec);
