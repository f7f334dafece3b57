/**
 * nginx's stock `main` format from the default nginx.conf: combined + `"$http_x_forwarded_for"`.
 *   log_format main '$remote_addr - $remote_user [$time_local] "$request" '
 *                   '$status $body_bytes_sent "$http_referer" '
 *                   '"$http_user_agent" "$http_x_forwarded_for"';
 * The forwarded-for list is kept in extra.xForwardedFor; clientIp stays $remote_addr (the TCP peer).
 */
import { defineTemplateFormat } from '../../template/compile.js';
import { NGINX_COMBINED_SPEC } from './shared.js';

export const nginxMain = defineTemplateFormat({
  id: 'nginx-main',
  title: 'nginx "main" (combined + "$http_x_forwarded_for")',
  syntax: 'nginx',
  spec: `${NGINX_COMBINED_SPEC} "$http_x_forwarded_for"`,
  options: { truncatedLast: true },
  samples: [
    {
      note: 'real: lnav__logfile_shop_access_log.0 line 17 (+0330 zone, 404)',
      line: '207.46.13.136 - - [22/Jan/2019:03:56:19 +0330] "GET /product/14926 HTTP/1.1" 404 33617 "-" "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" "-"',
      expect: {
        ts: Date.UTC(2019, 0, 22, 0, 26, 19), clientIp: '207.46.13.136', method: 'GET', path: '/product/14926', status: 404,
        bytesOut: 33617, referer: null, userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', extra: null,
      },
    },
    {
      note: 'real: lnav__logfile_shop_access_log.0 line 648 (forwarded-for set, percent-encoded UTF-8 path, 302)',
      line: '66.249.83.1 - - [22/Jan/2019:03:58:26 +0330] "GET /article/606/%D8%B9%D9%84%D8%AA-%D9%88-%D8%AF%D8%B1%D9%85%D8%A7%D9%86-%DA%AF%D8%B1%D8%AF%D9%86-%D8%AF%D8%B1%D8%AF-%28%D9%87%D9%85%D8%B1%D8%A7%D9%87-%D8%B3%D8%B1%D8%AF%D8%B1%D8%AF-%D9%88-%D8%B3%D8%B1%DA%AF%DB%8C%D8%AC%D9%87%29 HTTP/1.1" 302 0 "-" "Mozilla/5.0 (Linux; Android 4.2.1; en-us; Nexus 5 Build/JOP40D) AppleWebKit/535.19 (KHTML, like Gecko; googleweblight) Chrome/38.0.1025.166 Mobile Safari/535.19" "103.28.132.65"',
      expect: { status: 302, bytesOut: 0, extra: { xForwardedFor: '103.28.132.65' } },
    },
    {
      note: 'real: lnav__logfile_shop_access_log.0 line 156 (health check, every quoted field `-`)',
      line: '172.20.2.174 - - [22/Jan/2019:03:56:49 +0330] "GET /site/ping HTTP/1.1" 200 4 "-" "-" "-"',
      expect: { status: 200, path: '/site/ping', userAgent: null, referer: null, extra: null },
    },
  ],
});
