/**
 * Kubernetes ingress-nginx default `log-format-upstream` ("upstreaminfo"):
 *   combined + $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name]
 *   $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id
 * Upstream fields are lists when nginx retried (`10.0.0.1:80, 10.0.0.2:80` / `0.100, 0.004` / `502, 502`).
 * Versions before 0.21 had no [alternative] field; both layouts are read. Optional CRI prefix.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import type { LineParser, LogFormat } from '../../format.js';
import { compileTemplate } from '../../template/compile.js';
import { templateParser } from '../../template/engine.js';
import type { LineCtx } from '../../template/types.js';
import { NGINX_COMBINED_SPEC, nginxProxyError } from './shared.js';

export const INGRESS_NGINX_SPEC =
  `${NGINX_COMBINED_SPEC} $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] ` +
  '$upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';
const LEGACY_SPEC =
  `${NGINX_COMBINED_SPEC} $request_length $request_time [$proxy_upstream_name] ` +
  '$upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';

const current = compileTemplate(INGRESS_NGINX_SPEC, { truncatedLast: false }, 'nginx');
const legacy = compileTemplate(LEGACY_SPEC, { truncatedLast: false }, 'nginx');

function finish(r: RequestRecord, ctx: LineCtx): string | null {
  nginxProxyError(r, ctx);
  return null;
}

function create(): LineParser {
  const a = templateParser(current, { finish });
  const b = templateParser(legacy, { finish });
  return (line) => {
    const x = a(line);
    if ('ok' in x && x.ok) return x;
    // Only a line with a single [upstream] group can be the legacy layout.
    const y = b(line);
    return 'ok' in y && y.ok ? y : x;
  };
}

export const ingressNginx: LogFormat = {
  id: 'ingress-nginx',
  title: 'Kubernetes ingress-nginx (upstreaminfo log format)',
  create,
  samples: [
    {
      note: 'real: elastic-beats__nginx-ingress-controller-test.log line 1',
      line: '192.168.64.1 - - [07/Feb/2020:11:48:51 +0000] "POST /products HTTP/1.1" 200 59 "-" "curl/7.54.0" 89 0.001 [default-web-8080] [] 172.17.0.5:8080 59 0.000 200 529a007902362a5f51385a5fa7049884',
      expect: {
        ts: Date.UTC(2020, 1, 7, 11, 48, 51), clientIp: '192.168.64.1', method: 'POST', path: '/products', status: 200, bytesOut: 59,
        bytesIn: 89, durationMs: 1, upstreamMs: 0, upstreamAddr: '172.17.0.5:8080', upstreamStatus: '200',
        requestId: '529a007902362a5f51385a5fa7049884', userAgent: 'curl/7.54.0', referer: null,
        extra: { upstreamName: 'default-web-8080', upstreamResponseLength: '59' },
      },
    },
    {
      note: 'real: line 5, malformed method rejected by nginx itself (400, upstream fields `-`)',
      line: '192.168.64.1 - - [07/Feb/2020:11:49:50 +0000] "PATCHp /products/42 HTTP/1.1" 400 163 "-" "-" 0 0.000 [] [] - - - - 4c7d2079340e68353c7d0dfff00b904b',
      expect: {
        status: 400, method: 'PATCHp', upstreamAddr: null, upstreamStatus: '-', upstreamMs: null, userAgent: null,
        extra: { lbError: true },
      },
    },
    {
      note: 'real: line 23, two upstream attempts (lists)',
      line: '192.168.64.14 - - [07/Feb/2020:12:02:42 +0000] "GET /v2/some HTTP/1.1" 200 61 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0" 348 0.001 [default-web2-8080] [] 172.17.0.6:8080, 172.17.0.7:8080 61, 100 0.100, 0.004 200, 203 835136ae24486dbb4156dcbe21f5d402',
      expect: {
        upstreamAddr: '172.17.0.6:8080, 172.17.0.7:8080', upstreamStatus: '200, 203', upstreamMs: 104,
        extra: { upstreamResponseTime: '0.100, 0.004', upstreamResponseLength: '61, 100' },
      },
    },
    {
      note: 'real: line 26, IPv6 client, two failed attempts 502, 502',
      line: '2a02:cf40::4e36 - - [24/Aug/2022:18:05:41 +0000] "GET /favicon.ico HTTP/2.0" 502 552 "https://localhost:8080/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0.0.0 Safari/537.36" 27 0.000 [localhost-8080] [] [2a02:cf40::7]:5000, [2a02:cf40::4e36]:5000 0, 0 0.000, 0.000 502, 502 3db73c6c673c4256ade033a6ce08c2ab',
      expect: {
        clientIp: '2a02:cf40::4e36', status: 502, httpVersion: 'HTTP/2.0', referer: 'https://localhost:8080/',
        upstreamAddr: '[2a02:cf40::7]:5000, [2a02:cf40::4e36]:5000', upstreamStatus: '502, 502', upstreamMs: 0,
      },
    },
    {
      note: 'real: line 29, second attempt never answered (`-` inside lists)',
      line: '192.168.64.14 - - [07/Feb/2020:12:02:42 +0000] "GET /test/test.mp4 HTTP/1.1" 200 61 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0" 348 0.001 [default-web2-8080] [] 172.17.0.6:8080, 172.17.0.7:8080 - 0.100, - 200, - 835136ae24486dbb4156dcbe21f5d402',
      expect: { upstreamStatus: '200, -', upstreamMs: 100, extra: { upstreamResponseTime: '0.100, -' } },
    },
    {
      note: 'synthetic: pre-0.21 layout without [alternative], behind a CRI prefix',
      line: '2024-02-01T10:00:00.000000001Z stdout F 10.2.0.1 - - [01/Feb/2024:10:00:00 +0000] "GET /api HTTP/1.1" 504 160 "-" "curl/8.0" 80 60.001 [default-api-80] 10.2.3.4:80 0 60.000 504 e3b0c44298fc1c149afbf4c8996fb924',
      expect: { status: 504, upstreamStatus: '504', upstreamMs: 60000, durationMs: 60001, extra: { upstreamName: 'default-api-80' } },
    },
  ],
};
