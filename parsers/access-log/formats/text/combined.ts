/**
 * NCSA combined (Apache `combined`, nginx's built-in `combined`): the generic fallback, last in
 * detection order. Tolerant on purpose:
 *  - lines that stop after the byte count (common lines mixed in) are read with referer/UA null;
 *  - a user agent cut without its closing quote is kept (extra.truncated = true);
 *  - text after the user agent (custom additions) is kept in extra.trailing;
 *  - a time without zone `[29/Aug/2023 22:02:58]` (Python http.server / Werkzeug) is read as UTC.
 * More specific formats that extend combined come earlier and win ties.
 */
import { defineTemplateFormat } from '../../template/compile.js';
import { COMBINED_SPEC } from './shared.js';

export const combined = defineTemplateFormat({
  id: 'combined',
  title: 'NCSA combined log format (Apache, nginx), tolerant',
  syntax: 'nginx',
  spec: COMBINED_SPEC,
  options: { mayEndAfter: ['body_bytes_sent_clf'], trailing: 'keep', truncatedLast: true },
  samples: [
    {
      note: 'real: elastic-examples__apache_logs.log line 1',
      line: '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"',
      expect: {
        ts: Date.UTC(2015, 4, 17, 10, 5, 3), clientIp: '83.149.9.216', method: 'GET', path: '/presentations/logstash-monitorama-2013/images/kibana-search.png',
        query: null, httpVersion: 'HTTP/1.1', status: 200, bytesOut: 203023, referer: 'http://semicomplete.com/presentations/logstash-monitorama-2013/',
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36', extra: null,
      },
    },
    {
      note: 'real: elastic-examples__apache_logs.log line 63 (404 with a query)',
      line: '66.249.73.185 - - [17/May/2015:10:05:22 +0000] "GET /doc/index.html?org/elasticsearch/action/search/SearchResponse.html HTTP/1.1" 404 294 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"',
      expect: { status: 404, path: '/doc/index.html', query: 'org/elasticsearch/action/search/SearchResponse.html', bytesOut: 294 },
    },
    {
      note: 'real: elastic-examples__apache_logs.log line 2071 (500, `-` bytes)',
      line: '66.249.73.135 - - [18/May/2015:03:05:34 +0000] "GET /misc/Title.php.txt HTTP/1.1" 500 - "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"',
      expect: { status: 500, bytesOut: 0 },
    },
    {
      note: 'real: elastic-examples__apache_logs.log, the line whose user agent has no closing quote',
      line: '46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html',
      expect: { status: 200, userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html', extra: { truncated: true } },
    },
    {
      note: 'real: crowdsec-hub__apache2-logs.log line 2 (scanner, 500)',
      line: '164.68.112.178 - - [08/Jun/2020:07:01:28 +0000] "GET / HTTP/1.0" 500 799 "-" "masscan/1.0 (https://github.com/robertdavidgraham/masscan)"',
      expect: { status: 500, path: '/', userAgent: 'masscan/1.0 (https://github.com/robertdavidgraham/masscan)' },
    },
    {
      note: 'synthetic (lnav access_log sample): gitlab-runner with empty referer and a trailing field',
      line: '10.112.2.3 - - [16/Sep/2022:00:53:14 +0200] "POST /api/v4/jobs/request HTTP/1.1" 204 0 "" "gitlab-runner 15.3.0 (15-3-stable; go1.19; linux/amd64)" -',
      expect: { status: 204, referer: null, extra: { trailing: '-' } },
    },
    {
      note: 'synthetic: Python http.server / Werkzeug time without zone, with referer and user agent',
      line: '172.18.0.1 - - [29/Aug/2023 22:02:58] "GET /api/ping HTTP/1.1" 503 - "-" "python-requests/2.31.0"',
      expect: { ts: Date.UTC(2023, 7, 29, 22, 2, 58), status: 503, userAgent: 'python-requests/2.31.0' },
    },
  ],
});
