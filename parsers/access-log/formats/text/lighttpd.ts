/**
 * lighttpd access log with byte counts and duration, as in google/mtail's lighttpd example:
 *   accesslog.format = "%{X-Forwarded-For}i %h %u %t \"%r\" %>s %b %I %O %T \"%{Referer}i\" \"%{User-Agent}i\""
 * (mtail reads the fields as proxied_for, request_ip, authuser, …, bytes_body, bytes_in, bytes_out,
 * time_taken in seconds). clientIp is %h, the TCP peer; the forwarded-for value goes to extra.
 * lighttpd's stock format (`%h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`) has the
 * combined shape and is read by `combined`.
 */
import { defineTemplateFormat } from '../../template/compile.js';

export const lighttpd = defineTemplateFormat({
  id: 'lighttpd',
  title: 'lighttpd (forwarded-for, client, user, time, request, status, bytes body/in/out, seconds, referer, UA)',
  syntax: 'apache',
  spec: '%{X-Forwarded-For}i %h %u %t "%r" %>s %b %I %O %T "%{Referer}i" "%{User-Agent}i"',
  options: { truncatedLast: true },
  samples: [
    {
      note: 'real: mtail__lighttpd_access.log line 1',
      line: '198.51.100.71 192.0.2.5 - [08/Apr/2010:20:43:02 -0700] "GET /group.cache.asc HTTP/1.0" 200 191 367 464 1 "-" "nsscache_0.12"',
      expect: {
        ts: Date.UTC(2010, 3, 9, 3, 43, 2), clientIp: '192.0.2.5', method: 'GET', path: '/group.cache.asc', status: 200,
        bytesOut: 191, bytesIn: 367, durationMs: 1000, userAgent: 'nsscache_0.12', referer: null,
        extra: { xForwardedFor: '198.51.100.71', bytesSent: 464 },
      },
    },
    {
      note: 'real: mtail__lighttpd_access.log line 4 (local health check, no forwarded-for)',
      line: '- 127.0.0.1 - [08/Apr/2010:20:43:09 -0700] "HEAD /healthz HTTP/1.1" 200 0 158 128 0 "-" "curl/7.15.1 (x86_64-pc-linux-gnu) libcurl/7.15.1 OpenSSL/0.9.8a zlib/1.2.3 libidn/0.5.18"',
      expect: { clientIp: '127.0.0.1', method: 'HEAD', status: 200, bytesOut: 0, bytesIn: 158, durationMs: 0, extra: { bytesSent: 128 } },
    },
    {
      note: 'real: mtail__lighttpd_access.log line 10 (304)',
      line: '198.51.100.71 192.0.2.5 - [08/Apr/2010:20:43:19 -0700] "GET /auto.master.zsync HTTP/1.0" 304 0 353 280 3 "-" "nsscache_0.12"',
      expect: { status: 304, durationMs: 3000 },
    },
  ],
});
