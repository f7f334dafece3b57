/**
 * Apache `vhost_combined`: `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"` (Debian's
 * default for other_vhosts_access.log). Also read without the port and with the referer/user agent
 * missing (vhost + common). Text after the user agent is kept in extra.trailing.
 */
import { defineTemplateFormat } from '../../template/compile.js';

export const vhostCombined = defineTemplateFormat({
  id: 'vhost_combined',
  title: 'Apache vhost_combined (host[:port] first)',
  syntax: 'nginx',
  spec: '$vhost_port $remote_addr $remote_ident $remote_user [$time_local] "$request" $status $body_bytes_sent_clf "$http_referer" "$http_user_agent"',
  options: { mayEndAfter: ['body_bytes_sent_clf'], trailing: 'keep', truncatedLast: true },
  samples: [
    {
      note: 'real: crowdsec-hub__apache2-logs.log line 7',
      line: 'website.com:443 1.2.3.4 - - [25/Oct/2021:11:05:52 +0200] "GET /web/.well-known HTTP/1.1" 403 6963 "abc.com" "User-agent-string"',
      expect: {
        ts: Date.UTC(2021, 9, 25, 9, 5, 52), host: 'website.com', clientIp: '1.2.3.4', method: 'GET', path: '/web/.well-known',
        status: 403, bytesOut: 6963, referer: 'abc.com', userAgent: 'User-agent-string', extra: { serverPort: 443 },
      },
    },
    {
      note: 'real: crowdsec-hub__apache2-logs.log line 4 (vhost without port)',
      line: 'www.crowdsec.net 1.2.3.4 - - [08/Jun/2020:08:04:43 +0000] "GET /solr/admin/info/system?wt=json HTTP/1.1" 500 803 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36"',
      expect: { host: 'www.crowdsec.net', status: 500, path: '/solr/admin/info/system', query: 'wt=json', extra: null },
    },
    {
      note: 'synthetic (lnav access_log sample): vhost + user name',
      line: 'www.example.com 1.2.3.4 - theuser [10/Feb/2012:16:41:07 -0500] "GET / HTTP/1.0" 200 368 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/535.11 (KHTML, like Gecko) Chrome/17.0.963.56 Safari/535.11"',
      expect: { host: 'www.example.com', status: 200, extra: { user: 'theuser' } },
    },
  ],
});
