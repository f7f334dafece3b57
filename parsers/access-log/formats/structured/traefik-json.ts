/**
 * Traefik v2/v3 JSON access logs (accessLog.format=json). DownstreamStatus is what the client got
 * (after middlewares) and becomes the status; OriginStatus, what the backend answered, is kept as
 * upstreamStatus. Durations are Go time.Duration nanoseconds. Headers are top-level keys with a
 * prefix: request_*, downstream_* (response to the client), origin_* (response from the backend).
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineJsonFormat, setExtra, type JsonObject, type JsonFormatSpec } from './json-map.js';

function finishTraefik(rec: RequestRecord, obj: JsonObject): void {
  const origin = obj['OriginStatus'];
  // OriginStatus 0: no backend answered (no server, connection refused, timeout…), so a 5xx the
  // client got was written by Traefik itself.
  if (origin === 0 || origin === undefined) {
    rec.upstreamStatus = rec.upstreamStatus === '0' || rec.upstreamStatus === null ? '-' : rec.upstreamStatus;
    if (rec.status !== null && rec.status >= 500) setExtra(rec, 'lbError', true);
  }
  // A backend answer rewritten on the way out (error pages, middlewares) is worth seeing.
  if (typeof origin === 'number' && origin !== 0 && origin !== rec.status) setExtra(rec, 'statusRewritten', true);
}

export const traefikSpec: JsonFormatSpec = {
  id: 'traefik-json',
  title: 'Traefik JSON access log',
  identify: [
    { anyOf: ['DownstreamStatus'], what: 'a Traefik access entry with DownstreamStatus' },
    { anyOf: ['RequestMethod', 'RequestPath'], what: 'a Traefik access entry with RequestMethod/RequestPath' },
  ],
  fields: {
    ts: ['StartUTC', 'StartLocal', 'time'],
    method: ['RequestMethod'],
    target: ['RequestPath'],
    host: ['RequestHost', 'RequestAddr'],
    scheme: ['RequestScheme'],
    status: ['DownstreamStatus'],
    httpVersion: ['RequestProtocol'],
    durationMs: ['Duration:ns'],
    upstreamMs: ['OriginDuration:ns'],
    bytesOut: ['DownstreamContentSize'],
    bytesIn: ['RequestContentSize'],
    clientIp: ['ClientHost', 'ClientAddr'],
    userAgent: ['request_User-Agent'],
    referer: ['request_Referer'],
    upstreamAddr: ['ServiceAddr', 'ServiceURL.Host'],
    upstreamStatus: ['OriginStatus'],
    requestId: ['request_X-Request-Id', 'request_X-Request-ID'],
    traceId: ['TraceId', 'request_Traceparent', 'request_X-B3-Traceid', 'request_Uber-Trace-Id'],
    respMime: ['downstream_Content-Type'],
  },
  reqHeaders: [{ prefix: 'request_' }],
  respHeaders: [{ prefix: 'downstream_' }],
  extra: {
    router: 'RouterName', service: 'ServiceName', entryPoint: 'entryPointName', retries: 'RetryAttempts',
    originStatus: 'OriginStatus', user: 'ClientUsername', tlsVersion: 'TLSVersion',
  },
  finish: finishTraefik,
  samples: [
    {
      line: '{"ClientAddr":"172.17.0.1:39490","ClientHost":"172.17.0.1","ClientPort":"39490","ClientUsername":"-","DownstreamContentSize":356,"DownstreamStatus":404,"Duration":215563,"OriginContentSize":356,"OriginDuration":204708,"OriginStatus":200,"Overhead":10855,"RequestAddr":"test.docker.localhost","RequestContentSize":0,"RequestCount":113,"RequestHost":"test.docker.localhost","RequestMethod":"GET","RequestPath":"/594VAEoi.dtd","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"test@docker","ServiceAddr":"172.17.0.3:80","ServiceName":"test@docker","ServiceURL":{"Scheme":"http","Opaque":"","User":null,"Host":"172.17.0.3:80","Path":"","RawPath":"","ForceQuery":false,"RawQuery":"","Fragment":"","RawFragment":""},"StartLocal":"2021-12-08T14:02:43.464763557Z","StartUTC":"2021-12-08T14:02:43.464763557Z","downstream_Content-Length":"356","downstream_Content-Type":"text/plain; charset=utf-8","downstream_Date":"Wed, 08 Dec 2021 14:02:43 GMT","entryPointName":"http","level":"info","msg":"","origin_Content-Length":"356","origin_Content-Type":"text/plain; charset=utf-8","origin_Date":"Wed, 08 Dec 2021 14:02:43 GMT","request_Connection":"Keep-Alive","request_User-Agent":"Nikto","request_X-Forwarded-Host":"test.docker.localhost","request_X-Forwarded-Port":"80","request_X-Forwarded-Proto":"http","request_X-Forwarded-Server":"8f4adf27f2ad","request_X-Real-Ip":"172.17.0.1","time":"2021-12-08T14:02:43Z"}',
      expect: {
        ts: Date.UTC(2021, 11, 8, 14, 2, 43, 464), method: 'GET', scheme: 'http', host: 'test.docker.localhost', path: '/594VAEoi.dtd', query: null,
        status: 404, httpVersion: 'HTTP/1.1', durationMs: 0.216, upstreamMs: 0.205, bytesOut: 356, bytesIn: 0, clientIp: '172.17.0.1',
        userAgent: 'Nikto', upstreamAddr: '172.17.0.3:80', upstreamStatus: '200', respMime: 'text/plain; charset=utf-8',
        extra: { router: 'test@docker', service: 'test@docker', entryPoint: 'http', retries: 0, originStatus: 200, statusRewritten: true },
      },
    },
    {
      line: '{"ClientAddr":"10.1.2.3:51000","ClientHost":"10.1.2.3","ClientPort":"51000","ClientUsername":"-","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":30001234567,"OriginContentSize":0,"OriginDuration":30000123456,"OriginStatus":0,"Overhead":1111111,"RequestAddr":"api.example.com","RequestContentSize":42,"RequestCount":7,"RequestHost":"api.example.com","RequestMethod":"POST","RequestPath":"/v1/pay?x=1","RequestPort":"-","RequestProtocol":"HTTP/2.0","RequestScheme":"https","RetryAttempts":2,"RouterName":"api@file","ServiceAddr":"10.0.0.7:8080","ServiceName":"api@file","StartUTC":"2024-02-01T08:00:00.5Z","entryPointName":"websecure","level":"info","msg":"","request_X-Request-Id":"abc-1","time":"2024-02-01T08:00:30Z"}',
      note: 'synthetic: Traefik-generated 502 after the backend never answered (OriginStatus 0), retried twice',
      expect: {
        status: 502, upstreamStatus: '-', durationMs: 30001.235, upstreamMs: 30000.123, scheme: 'https', path: '/v1/pay', query: 'x=1',
        requestId: 'abc-1', extra: { lbError: true, retries: 2, originStatus: 0 },
      },
    },
  ],
};

export const traefikJsonFormat = defineJsonFormat(traefikSpec);
