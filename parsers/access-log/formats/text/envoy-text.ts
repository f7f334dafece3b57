/**
 * Envoy text access log, in its default format
 *   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
 *   %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
 *   "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
 * or in Istio's default (adds response code details, termination details, transport failure reason,
 * cluster and addresses). Either may follow a Kubernetes CRI prefix (`<time> stdout F `).
 * Response flags (UF, UH, URX, UT, NR…) become errorText with a description.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import type { LineParser, LogFormat } from '../../format.js';
import { compileTemplate } from '../../template/compile.js';
import { templateParser } from '../../template/engine.js';
import type { LineCtx, VarDef } from '../../template/types.js';
import { hostOnly, numValue } from '../../template/values.js';
import { extraVar, putExtra } from '../../template/vars.js';
import { markLbError } from './shared.js';

/** Envoy response flags (envoy docs, "Access logging: format rules", %RESPONSE_FLAGS%). */
export const ENVOY_FLAGS: Record<string, string> = {
  UH: 'no healthy upstream host',
  UF: 'upstream connection failure',
  UO: 'upstream overflow (circuit breaker)',
  NR: 'no route configured',
  URX: 'upstream retry limit reached',
  NC: 'upstream cluster not found',
  DT: 'max connection/stream duration exceeded',
  DC: 'downstream connection terminated',
  LH: 'local service failed health check',
  UT: 'upstream request timeout',
  LR: 'connection local reset',
  UR: 'upstream remote reset',
  UC: 'upstream connection termination',
  DI: 'request delayed by fault injection',
  FI: 'request aborted by fault injection',
  RL: 'rate limited locally',
  UAEX: 'unauthorized by external authorization',
  RLSE: 'rate limit service error',
  IH: 'invalid header value (strict check)',
  SI: 'stream idle timeout',
  DPE: 'downstream protocol error',
  UPE: 'upstream protocol error',
  UMSDR: 'upstream max stream duration reached',
  OM: 'overload manager terminated the request',
  DF: 'DNS resolution failed',
  DO: 'dropped by overload',
};

/** `UF,URX` → "UF,URX: upstream connection failure; upstream retry limit reached"; null for `-`. */
export function describeEnvoyFlags(flags: string): string | null {
  if (flags === '-' || flags === '') return null;
  const parts = flags.split(',').map((f) => ENVOY_FLAGS[f] ?? f);
  return `${flags}: ${parts.join('; ')}`;
}

const COMMON_HEAD =
  '[$time_iso8601] "$request_method $request_uri $server_protocol" $envoy_code $envoy_flags';
const COMMON_TAIL =
  '$request_length $body_bytes_sent $request_time_ms $envoy_upstream_time "$envoy_xff" "$http_user_agent" ' +
  '"$request_id" "$host" "$upstream_addr"';

const ENVOY_SPEC = `${COMMON_HEAD} ${COMMON_TAIL}`;
const ISTIO_SPEC =
  `${COMMON_HEAD} $envoy_code_details $envoy_termination_details "$envoy_transport_failure" ${COMMON_TAIL} ` +
  '$envoy_upstream_cluster $envoy_upstream_local $envoy_downstream_local $envoy_downstream_remote $envoy_sni $envoy_route';

const VARS: Record<string, VarDef> = {
  envoy_code: {
    expect: 'a response code',
    apply(r, v) {
      const x = numValue(v);
      if (x === undefined || x === null || !Number.isInteger(x) || x < 0 || x > 999) return false;
      r.status = x; // 0: no response was sent (downstream gone, stream reset)
      return true;
    },
  },
  envoy_flags: {
    expect: 'response flags',
    apply(r, v, ctx) {
      if (v !== '-') {
        // Flags are upper-case letters and commas; anything else is another format.
        for (let i = 0; i < v.length; i++) {
          const c = v.charCodeAt(i);
          if (!((c >= 65 && c <= 90) || c === 44)) return false;
        }
        r.errorText = describeEnvoyFlags(v);
        putExtra(ctx, 'responseFlags', v);
      }
      return true;
    },
  },
  envoy_upstream_time: {
    expect: 'milliseconds',
    apply(r, v) {
      const x = numValue(v);
      if (x === undefined) return false;
      if (x !== null) r.upstreamMs = x;
      return true;
    },
  },
  envoy_xff: {
    expect: 'X-Forwarded-For',
    apply(r, v, ctx) {
      if (v === '-' || v === '') return true;
      putExtra(ctx, 'xForwardedFor', v);
      const comma = v.indexOf(',');
      r.clientIp = hostOnly((comma < 0 ? v : v.slice(0, comma)).trim(), false);
      return true;
    },
  },
  envoy_code_details: extraVar('responseCodeDetails'),
  envoy_termination_details: extraVar('terminationDetails'),
  envoy_transport_failure: {
    expect: 'a transport failure reason',
    apply(r, v, ctx) {
      if (v !== '-' && v !== '') {
        putExtra(ctx, 'transportFailure', v);
        r.errorText = r.errorText === null ? v : `${r.errorText} (${v})`;
      }
      return true;
    },
  },
  envoy_upstream_cluster: extraVar('upstreamCluster'),
  envoy_upstream_local: extraVar('upstreamLocalAddr'),
  envoy_downstream_local: extraVar('downstreamLocalAddr'),
  envoy_downstream_remote: {
    expect: 'an address',
    apply(r, v, ctx) {
      if (v === '-') return true;
      putExtra(ctx, 'downstreamRemoteAddr', v);
      if (r.clientIp === null) r.clientIp = hostOnly(v, true);
      return true;
    },
  },
  envoy_sni: extraVar('sni'),
  envoy_route: extraVar('route'),
};

function finish(r: RequestRecord, ctx: LineCtx): string | null {
  // `"- - -"` (dashes read as null): a TCP proxy connection. Its response code 0 means "not HTTP",
  // not "no response", unless response flags say something went wrong.
  if (r.method === null && r.status === 0 && r.errorText === null) r.status = null;
  const generated = r.errorText !== null || r.upstreamAddr === null;
  if (r.status !== null && (r.status >= 400 || r.status === 0) && generated) {
    markLbError(r, ctx, `envoy answered ${r.status} without an upstream response`);
  }
  return null;
}

const envoyTemplate = compileTemplate(ENVOY_SPEC, { vars: VARS, truncatedLast: false }, 'nginx');
const istioTemplate = compileTemplate(ISTIO_SPEC, { vars: VARS, truncatedLast: false, trailing: 'keep' }, 'nginx');

function createEnvoy(): LineParser {
  const envoy = templateParser(envoyTemplate, { finish });
  const istio = templateParser(istioTemplate, { finish });
  return (line) => {
    const a = envoy(line);
    if ('ok' in a && a.ok) return a;
    const b = istio(line);
    return 'ok' in b && b.ok ? b : a;
  };
}

const CRI = '2026-01-24T01:34:36.743000000+00:00 stdout F ';

export const envoyText: LogFormat = {
  id: 'envoy-text',
  title: 'Envoy / Istio text access log (default formats), optional CRI prefix',
  create: createEnvoy,
  samples: [
    {
      note: 'real: crowdsec-hub__envoy.log line 4 (Envoy docs example behind a CRI prefix)',
      line: '2025-12-31T19:00:00.310000000+01:00 stdout F [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"',
      expect: {
        ts: Date.UTC(2016, 3, 15, 20, 17, 0, 310), method: 'POST', path: '/api/v1/locations', httpVersion: 'HTTP/2', status: 204,
        bytesIn: 154, bytesOut: 0, durationMs: 226, upstreamMs: 100, clientIp: '10.0.35.28', userAgent: 'nsq2http',
        requestId: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2', host: 'locations', upstreamAddr: 'tcp://10.0.2.1:80', errorText: null,
      },
    },
    {
      note: 'real: crowdsec-hub__envoy.log line 5 (IPv6 client in brackets)',
      line: `${CRI}[2026-01-24T01:34:36.743Z] "GET /test HTTP/1.1" 200 - 0 256 50 25 "[fd00:1234:5678::5a24]" "curl/8.10.1" "test-request-id" "example.com" "tcp://[fd00:1234:5678::e18]:8080"`,
      expect: { status: 200, clientIp: 'fd00:1234:5678::5a24', durationMs: 50, upstreamMs: 25, requestId: 'test-request-id', host: 'example.com' },
    },
    {
      note: 'real: crowdsec-hub__envoy.log line 10 (X-Forwarded-For list)',
      line: '2026-01-24T01:38:00.000000000+00:00 stdout F [2026-01-24T01:38:00.000Z] "POST /api/proxy6 HTTP/1.1" 201 - 0 1024 40 20 "fd00:1234:5678::5a24, [fd00:1234:5678::1]:54321" "curl/8.10.1" "multi-ip-clf-v6" "proxy6.example.com" "tcp://[fd00:1234:5678::e18]:8080"',
      expect: { status: 201, clientIp: 'fd00:1234:5678::5a24', extra: { xForwardedFor: 'fd00:1234:5678::5a24, [fd00:1234:5678::1]:54321' } },
    },
    {
      note: 'synthetic: upstream connect failure with retries (UF,URX → 503), no CRI prefix',
      line: '[2024-05-01T08:00:00.000Z] "GET /api/items?page=2 HTTP/1.1" 503 UF,URX 0 91 1003 - "203.0.113.5" "okhttp/4.9" "7c0d2a53-9d6e-4b8e-8d84-1c4a3b0a9f11" "items.svc" "10.1.2.3:8080"',
      expect: {
        status: 503, query: 'page=2', upstreamMs: null, durationMs: 1003,
        errorText: 'UF,URX: upstream connection failure; upstream retry limit reached',
        extra: { responseFlags: 'UF,URX', lbError: true },
      },
    },
    {
      note: 'synthetic: TCP proxy connection (no HTTP request, code 0, no flags) is not a failure',
      line: '[2024-05-01T08:00:02.000Z] "- - -" 0 - 1200 5400 30010 - "-" "-" "-" "-" "10.1.2.9:5432"',
      expect: { status: null, method: null, path: null, httpVersion: null, errorText: null, bytesIn: 1200, bytesOut: 5400, upstreamAddr: '10.1.2.9:5432', extra: null },
    },
    {
      note: 'synthetic: Istio default format, upstream request timeout (UT → 504)',
      line: '[2024-05-01T08:00:01.000Z] "POST /checkout HTTP/2" 504 UT response_timeout - "-" 812 24 15001 - "198.51.100.4" "Mozilla/5.0" "a1b2c3" "shop.example.com" "10.8.0.12:8080" outbound|8080||checkout.shop.svc.cluster.local 10.8.0.5:43210 10.8.0.5:8080 198.51.100.4:50123 - default',
      expect: {
        status: 504, method: 'POST', path: '/checkout', durationMs: 15001, clientIp: '198.51.100.4',
        errorText: 'UT: upstream request timeout',
        extra: { responseCodeDetails: 'response_timeout', upstreamCluster: 'outbound|8080||checkout.shop.svc.cluster.local', route: 'default', lbError: true },
      },
    },
  ],
};
