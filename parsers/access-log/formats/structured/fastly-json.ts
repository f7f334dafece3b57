/**
 * Fastly real-time log streaming with the JSON log format Fastly's docs suggest (timestamp,
 * client_ip, host, url, request_method, response_status, response_reason, response_state,
 * fastly_server…). Syslog-type endpoints put a `timestamp host ` header before the JSON; the JSON
 * line reader skips it.
 */
import { STATUS_CODES } from 'node:http';
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineJsonFormat, setExtra, type JsonObject, type JsonFormatSpec } from './json-map.js';

/**
 * A 5xx whose reason phrase is not the standard one was written by Fastly itself (`first byte
 * timeout`, `backend read error`, `No healthy backends`…): that text is the error.
 */
function finishFastly(rec: RequestRecord, obj: JsonObject): void {
  const reason = obj['response_reason'];
  const s = rec.status;
  if (s === null || s < 500 || typeof reason !== 'string' || reason === '') return;
  const standard = STATUS_CODES[s];
  if (standard !== undefined && standard.toLowerCase() === reason.toLowerCase()) return;
  rec.errorText = reason;
  setExtra(rec, 'lbError', true);
}

export const fastlySpec: JsonFormatSpec = {
  id: 'fastly-json',
  title: 'Fastly real-time log (JSON)',
  identify: [
    { anyOf: ['response_status', 'status'], what: 'a Fastly log entry with response_status' },
    { anyOf: ['url', 'request_url'], what: 'a Fastly log entry with url' },
    { anyOf: ['fastly_server', 'fastly_is_edge', 'response_state', 'fastly_info_state'], what: 'a Fastly log entry (fastly_server, response_state)' },
  ],
  fields: {
    ts: ['timestamp', 'time', 'time_start'],
    method: ['request_method', 'method'],
    target: ['url', 'request_url'],
    host: ['host', 'request_host'],
    status: ['response_status', 'status'],
    httpVersion: ['request_protocol', 'protocol'],
    durationMs: ['time_elapsed:us', 'elapsed_usec:us', 'time_elapsed_ms:ms'],
    bytesOut: ['response_body_size', 'resp_body_size', 'response_bytes'],
    bytesIn: ['request_body_size', 'req_body_size'],
    clientIp: ['client_ip'],
    userAgent: ['request_user_agent', 'user_agent'],
    referer: ['request_referer', 'referer'],
    requestId: ['request_id', 'fastly_request_id', 'req_id'],
    respMime: ['response_content_type', 'content_type'],
  },
  extra: {
    reason: 'response_reason', cacheState: ['response_state', 'fastly_info_state'], server: 'fastly_server',
    isEdge: 'fastly_is_edge', country: 'geo_country',
  },
  finish: finishFastly,
  samples: [
    {
      line: '2021-11-12T16:59:46.613304+00:00 1.1.1.1  {     "timestamp": "2021-11-12T16:59:45+0000",     "client_ip": "1.2.3.4",     "geo_country": "france",     "geo_city": "gargenville",     "host": "fastly.mydomain.com",     "url": "/zVnC16Tl.exe",     "request_method": "GET",     "request_protocol": "HTTP/1.1",     "request_referer": "",     "request_user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36",     "response_state": "MISS-CLUSTER",     "response_status": 404,     "response_reason": "Not Found",     "response_body_size": 564,     "fastly_server": "cache-cdg20764-CDG",     "fastly_is_edge": true   }',
      note: 'with its syslog-style prefix',
      expect: {
        ts: Date.UTC(2021, 10, 12, 16, 59, 45), method: 'GET', host: 'fastly.mydomain.com', path: '/zVnC16Tl.exe', query: null, status: 404,
        httpVersion: 'HTTP/1.1', bytesOut: 564, clientIp: '1.2.3.4', referer: null, errorText: null,
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36',
        extra: { reason: 'Not Found', cacheState: 'MISS-CLUSTER', server: 'cache-cdg20764-CDG', isEdge: true, country: 'france' },
      },
    },
    {
      line: '2021-11-15T06:25:31.670312+00:00 3.3.3.3  {     "timestamp": "2021-11-15T06:25:30+0000",     "client_ip": "5.6.7.8",     "geo_country": "india",     "geo_city": "rajgurunagar",     "host": "fastly.mydomain.com",     "url": "/favicon.ico",     "request_method": "GET",     "request_protocol": "HTTP/1.1",     "request_referer": "http://fastly.mydomain.com/",     "request_user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36",     "response_state": "MISS-CLUSTER",     "response_status": 404,     "response_reason": "Not Found",     "response_body_size": 186,     "fastly_server": "cache-hyd1100029-HYD",     "fastly_is_edge": true   }',
      expect: { path: '/favicon.ico', status: 404, referer: 'http://fastly.mydomain.com/', bytesOut: 186 },
    },
    {
      line: '{"timestamp":"2024-01-10T09:00:00+0000","client_ip":"192.0.2.1","host":"www.example.net","url":"/api/cart?item=3","request_method":"PUT","request_protocol":"HTTP/2","response_state":"PASS","response_status":503,"response_reason":"first byte timeout","response_body_size":0,"time_elapsed":15000432,"fastly_server":"cache-fra-1","fastly_is_edge":true}',
      note: 'synthetic: Fastly-generated 503 (backend first-byte timeout), no prefix',
      expect: { status: 503, durationMs: 15000.432, query: 'item=3', errorText: 'first byte timeout', extra: { lbError: true, cacheState: 'PASS' } },
    },
  ],
};

export const fastlyJsonFormat = defineJsonFormat(fastlySpec);
