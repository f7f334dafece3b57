/**
 * Envoy (and Envoy Gateway, Istio) JSON access logs: response_code, response_flags (UF, UH, UT, NR…),
 * response_code_details, duration in ms, upstream_host. Envoy Gateway's default keys are header-like
 * (`:authority`, `x-envoy-origin-path`, `user-agent`); Istio's are snake_case (`authority`, `path`,
 * `user_agent`): both are candidates. Lines read from /var/log/containers carry a CRI prefix, which the
 * JSON line reader strips.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineJsonFormat, setExtra, strOf, type JsonObject, type JsonFormatSpec, type StringFix } from './json-map.js';

/** response_code_details that describe a normal answer. */
const NORMAL_DETAILS = new Set(['via_upstream', 'direct_response', 'ext_authz_denied']);

/**
 * errorText from response_flags, response_code_details and upstream_transport_failure_reason, e.g.
 * `UF,URX (upstream_reset_before_response_started{connection_failure}) delayed connect error: 111`.
 * lbError when Envoy wrote the 5xx itself: a response flag is set, or the details are not via_upstream.
 */
function finishEnvoy(rec: RequestRecord, obj: JsonObject, fix: StringFix): void {
  const flags = strOf(obj['response_flags'], fix);
  const details = strOf(obj['response_code_details'], fix);
  const transport = strOf(obj['upstream_transport_failure_reason'], fix);
  let text = flags ?? '';
  if (details !== null && !NORMAL_DETAILS.has(details)) text += (text ? ' (' + details + ')' : details);
  if (transport !== null) text += (text ? ' ' : '') + transport;
  if (text !== '') rec.errorText = text;
  if (rec.status !== null && rec.status >= 500 && (flags !== null || (details !== null && details !== 'via_upstream'))) {
    setExtra(rec, 'lbError', true);
  }
  // response_code 0: the downstream went away before any response (flag DC) or the stream was reset.
  if (rec.upstreamStatus === null && rec.upstreamAddr === null && details === 'direct_response') setExtra(rec, 'directResponse', true);
}

export const envoySpec: JsonFormatSpec = {
  id: 'envoy-json',
  title: 'Envoy / Envoy Gateway / Istio JSON access log',
  identify: [
    { anyOf: ['response_code'], what: 'an Envoy access entry with response_code' },
    {
      anyOf: ['response_flags', 'response_code_details', 'upstream_cluster', 'upstream_host', 'downstream_remote_address', 'x-envoy-origin-path'],
      what: 'an Envoy access entry (response_flags, upstream_cluster or downstream_remote_address)',
    },
  ],
  fields: {
    ts: ['start_time'],
    method: ['method', ':method'],
    target: ['x-envoy-origin-path', 'path', ':path'],
    host: [':authority', 'authority', 'host'],
    status: ['response_code'],
    httpVersion: ['protocol'],
    durationMs: ['duration:ms'],
    upstreamMs: ['x-envoy-upstream-service-time:ms', 'upstream_service_time:ms', 'resp_upstream_service_time:ms'],
    bytesOut: ['bytes_sent'],
    bytesIn: ['bytes_received'],
    clientIp: ['downstream_remote_address', 'downstream_direct_remote_address'],
    userAgent: ['user-agent', 'user_agent'],
    referer: ['referer', 'referrer'],
    upstreamAddr: ['upstream_host'],
    requestId: ['x-request-id', 'request_id'],
    traceId: ['trace_id', 'x-b3-traceid', 'traceparent'],
  },
  extra: {
    responseFlags: 'response_flags', responseCodeDetails: 'response_code_details', route: 'route_name',
    upstreamCluster: 'upstream_cluster', xForwardedFor: ['x-forwarded-for', 'x_forwarded_for'],
    connectionTermination: 'connection_termination_details', sni: 'requested_server_name',
  },
  finish: finishEnvoy,
  samples: [
    {
      line: '2025-12-31T17:37:40.493035218+01:00 stdout F {":authority":"www.example.com","bytes_received":0,"bytes_sent":121258,"connection_termination_details":null,"downstream_local_address":"10.42.0.77:10443","downstream_remote_address":"10.0.0.12:59292","duration":11,"method":"GET","protocol":"HTTP/2","requested_server_name":null,"response_code":200,"response_code_details":"via_upstream","response_flags":"-","route_name":"httproute/app/app-www-example-com/rule/0/match/0/www_example_com","start_time":"2025-12-31T16:37:40.479Z","upstream_cluster":"httproute/app/app-www-example-com/rule/0","upstream_host":"10.42.0.82:8080","upstream_local_address":"10.42.0.77:51216","upstream_transport_failure_reason":null,"user-agent":"Mozilla/4.0 (Windows NT 9.0; Win64; x64; rv:136.0) Gecko/20101 Firefox/136.0","x-envoy-origin-path":"/assets/image.webp","x-envoy-upstream-service-time":null,"x-forwarded-for":"10.0.0.12","x-request-id":"3bbc0252-2d5c-49fe-bd89-104e9b61770b"}',
      note: 'with its CRI prefix',
      expect: {
        ts: Date.UTC(2025, 11, 31, 16, 37, 40, 479), method: 'GET', host: 'www.example.com', path: '/assets/image.webp', query: null,
        status: 200, httpVersion: 'HTTP/2', durationMs: 11, upstreamMs: null, bytesOut: 121258, bytesIn: 0, clientIp: '10.0.0.12',
        userAgent: 'Mozilla/4.0 (Windows NT 9.0; Win64; x64; rv:136.0) Gecko/20101 Firefox/136.0', upstreamAddr: '10.42.0.82:8080',
        requestId: '3bbc0252-2d5c-49fe-bd89-104e9b61770b', errorText: null,
        extra: { responseCodeDetails: 'via_upstream', upstreamCluster: 'httproute/app/app-www-example-com/rule/0', xForwardedFor: '10.0.0.12' },
      },
    },
    {
      line: '2025-12-31T18:22:06.456373561+01:00 stdout F {":authority":"10.0.0.13","bytes_received":0,"bytes_sent":0,"connection_termination_details":null,"downstream_local_address":"10.42.0.77:10080","downstream_remote_address":"192.168.1.45:33045","duration":0,"method":"GET","protocol":"HTTP/1.1","requested_server_name":null,"response_code":301,"response_code_details":"direct_response","response_flags":"-","route_name":"httproute/app/http-to-https-filter-redirect/rule/0/match/0/*","start_time":"2025-12-31T17:22:04.951Z","upstream_cluster":null,"upstream_host":null,"upstream_local_address":null,"upstream_transport_failure_reason":null,"user-agent":"Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36","x-envoy-origin-path":"/","x-envoy-upstream-service-time":null,"x-forwarded-for":"192.168.1.45","x-request-id":"a9864e02-c6f5-4375-a27d-3ffd7f312811"}',
      expect: { status: 301, host: '10.0.0.13', path: '/', upstreamAddr: null, clientIp: '192.168.1.45', errorText: null, extra: { responseCodeDetails: 'direct_response', directResponse: true } },
    },
    {
      line: '{"start_time":"2024-03-01T12:00:00.000Z","method":"GET","path":"/api/items?page=2","protocol":"HTTP/1.1","response_code":503,"response_flags":"UF,URX","response_code_details":"upstream_reset_before_response_started{connection_failure}","bytes_received":0,"bytes_sent":91,"duration":250,"upstream_service_time":null,"x_forwarded_for":"203.0.113.9","user_agent":"curl/8.0","request_id":"r-9","authority":"shop.local","upstream_host":"10.1.1.5:8080","upstream_cluster":"outbound|8080||items.default.svc.cluster.local","upstream_transport_failure_reason":"delayed connect error: 111","downstream_remote_address":"203.0.113.9:40000"}',
      note: 'synthetic: Istio keys, upstream connection failure',
      expect: {
        status: 503, path: '/api/items', query: 'page=2', host: 'shop.local', durationMs: 250, clientIp: '203.0.113.9', requestId: 'r-9',
        errorText: 'UF,URX (upstream_reset_before_response_started{connection_failure}) delayed connect error: 111',
        extra: { lbError: true, responseFlags: 'UF,URX' },
      },
    },
  ],
};

export const envoyJsonFormat = defineJsonFormat(envoySpec);
