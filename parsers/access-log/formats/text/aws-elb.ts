/**
 * AWS Classic Load Balancer (ELB) access log:
 * `timestamp elb client:port backend:port request_processing_time backend_processing_time
 *  response_processing_time elb_status_code backend_status_code received_bytes sent_bytes "request"
 *  "user_agent" ssl_cipher ssl_protocol` (user_agent and TLS fields were added in 2015: optional).
 * backend `-` / backend_status_code `-` / timings -1 mean the load balancer answered by itself.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { parseIsoTime } from '../../fields.js';
import { defineTemplateFormat } from '../../template/compile.js';
import type { LineCtx, VarDef } from '../../template/types.js';
import { sToMs } from '../../template/values.js';
import { putExtra, strVar } from '../../template/vars.js';
import { lbBackendStatus, lbClient, lbSeconds, lbStatus } from './aws-lb-vars.js';
import { markLbError } from './shared.js';

const SPEC =
  '$elb_time $elb_name $elb_client $elb_backend $elb_req_proc $elb_backend_proc $elb_resp_proc ' +
  '$elb_status $elb_backend_status $request_length $body_bytes_sent "$request" "$http_user_agent" $ssl_cipher $ssl_protocol';

const VARS: Record<string, VarDef> = {
  elb_time: {
    expect: 'an ISO 8601 time',
    apply(r, v) {
      // Cheap shape check first: the time is what tells an ELB line from everything else.
      if (v.length < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(10) !== 84) return false;
      r.ts = parseIsoTime(v);
      return r.ts !== null;
    },
  },
  elb_name: {
    expect: 'a load balancer name',
    apply(_r, v, ctx) {
      if (v.indexOf('/') >= 0) return false; // ALB/NLB ids are app/… and net/…
      putExtra(ctx, 'elb', v);
      return true;
    },
  },
  elb_client: lbClient,
  elb_backend: strVar('upstreamAddr'),
  elb_req_proc: lbSeconds('req', false),
  elb_backend_proc: lbSeconds('backend', false),
  elb_resp_proc: lbSeconds('resp', false),
  elb_status: lbStatus,
  elb_backend_status: lbBackendStatus('backendStatus'),
};

const LB_STATUS: Record<number, string> = {
  400: 'load balancer rejected a malformed request (400)',
  405: 'method not allowed by the load balancer (405)',
  408: 'client did not send data before the idle timeout (408)',
  502: 'backend closed the connection or sent a malformed response (502)',
  503: 'no healthy backend or surge queue full (503)',
  504: 'backend did not respond before the idle timeout (504)',
};

function finish(r: RequestRecord, ctx: LineCtx): string | null {
  const t = ctx.tmp;
  const req = t?.['req'] as number | undefined;
  const backend = t?.['backend'] as number | undefined;
  const resp = t?.['resp'] as number | undefined;
  if (req !== undefined && backend !== undefined && resp !== undefined && req >= 0 && backend >= 0 && resp >= 0) {
    r.durationMs = sToMs(req + backend + resp);
  }
  if (backend !== undefined && backend >= 0) r.upstreamMs = sToMs(backend);
  if (r.method === '-') {
    // `"- - - "`: a TCP connection or a request the load balancer could not parse.
    r.method = null;
    r.path = null;
    r.query = null;
    r.httpVersion = null;
  }
  if (r.upstreamStatus === '-' && r.status !== null && (r.status >= 400 || r.status === 0)) {
    markLbError(r, ctx, LB_STATUS[r.status] ?? `load balancer answered ${r.status} without a backend response`);
  }
  return null;
}

export const awsElb = defineTemplateFormat({
  id: 'aws-elb',
  title: 'AWS Classic Load Balancer (ELB) access log',
  syntax: 'nginx',
  spec: SPEC,
  options: { vars: VARS, mayEndAfter: ['request', 'http_user_agent'], trailing: 'reject', truncatedLast: false },
  parser: { cri: false },
  finish,
  samples: [
    {
      note: 'real: elastic-beats__elb-http.log line 1 (µs timings)',
      line: '2019-10-14T12:00:20.694172Z filebeat-aws-elb-test 175.16.199.1:54106 10.0.1.185:80 0.000043 0.000785 0.000023 200 200 0 612 "GET http://18.194.223.56:80/ HTTP/1.1" "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36" - -',
      expect: {
        ts: Date.UTC(2019, 9, 14, 12, 0, 20, 694), status: 200, upstreamStatus: '200', clientIp: '175.16.199.1',
        upstreamAddr: '10.0.1.185:80', durationMs: 0.851, upstreamMs: 0.785, bytesIn: 0, bytesOut: 612,
        method: 'GET', scheme: 'http', host: '18.194.223.56:80', path: '/', httpVersion: 'HTTP/1.1',
        extra: { elb: 'filebeat-aws-elb-test', elbStatus: 200, backendStatus: 200 },
      },
    },
    {
      note: 'real: elastic-beats__elb-http.log line 3',
      line: '2019-10-14T12:01:49.543250Z filebeat-aws-elb-test 81.2.69.193:52406 10.0.1.185:80 0.000041 0.00079 0.000024 200 200 0 612 "GET http://filebeat-aws-elb-test-1703142762.eu-central-1.elb.amazonaws.com:80/ HTTP/1.1" "curl/7.58.0" - -',
      expect: { status: 200, userAgent: 'curl/7.58.0', clientIp: '81.2.69.193', errorText: null },
    },
    {
      note: 'synthetic (AWS docs shape): no backend reached, 504 with -1 timings and backend `-`',
      line: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 - -1 -1 -1 504 - 0 0 "GET https://www.example.com:443/slow HTTP/1.1" "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2',
      expect: {
        status: 504, upstreamStatus: '-', upstreamAddr: null, durationMs: null, upstreamMs: null,
        errorText: 'backend did not respond before the idle timeout (504)',
        extra: { lbError: true, elbStatus: 504, backendStatus: null, sslProtocol: 'TLSv1.2' },
      },
    },
    {
      note: 'synthetic (AWS docs TCP-listener example): no HTTP request, statuses `-`',
      line: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "- - - " "-" - -',
      expect: { status: null, upstreamStatus: '-', method: null, path: null, httpVersion: null, bytesIn: 82, bytesOut: 305, errorText: null, extra: { elb: 'my-loadbalancer' } },
    },
    {
      note: 'synthetic: pre-2015 line without user agent and TLS fields',
      line: '2014-02-15T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1"',
      expect: { status: 200, userAgent: null, path: '/' },
    },
  ],
});
