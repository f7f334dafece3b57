/**
 * NCSA Common Log Format: `%h %l %u %t "%r" %>s %b`. Strict: anything after the byte count rejects the
 * line, so combined logs go to `combined` (which also reads common lines, but comes later).
 */
import { defineTemplateFormat } from '../../template/compile.js';
import { COMMON_SPEC } from './shared.js';

export const common = defineTemplateFormat({
  id: 'common',
  title: 'NCSA common log format',
  syntax: 'nginx',
  spec: COMMON_SPEC,
  options: {},
  samples: [
    {
      note: 'real: crowdsec-hub__apache2-logs.log line 6',
      line: '116.203.1.1 - - [05/Mar/2021:09:01:38 +0100] "GET /test/lists/sip_30d.txt HTTP/1.0" 200 1513',
      expect: {
        ts: Date.UTC(2021, 2, 5, 8, 1, 38), clientIp: '116.203.1.1', method: 'GET', path: '/test/lists/sip_30d.txt',
        httpVersion: 'HTTP/1.0', status: 200, bytesOut: 1513, referer: null, userAgent: null,
      },
    },
    {
      note: 'synthetic (the Apache docs example): user name, `-` bytes',
      line: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 -',
      expect: { status: 304, bytesOut: 0, extra: { user: 'frank' } },
    },
    {
      note: 'synthetic (lnav access_log sample): HTTP/0.9-style request without a version',
      line: '202.32.92.47 - - [01/Jun/1995:00:00:59 -0600] "GET /~scottp/publish.html" 200 271',
      expect: { method: 'GET', path: '/~scottp/publish.html', httpVersion: null, status: 200 },
    },
    {
      note: 'synthetic (lnav access_log sample): Python http.server time without zone',
      line: '172.18.0.1 - - [29/Aug/2023 22:02:58] "GET / HTTP/1.1" 200 -',
      expect: { ts: Date.UTC(2023, 7, 29, 22, 2, 58), status: 200, bytesOut: 0 },
    },
  ],
});
