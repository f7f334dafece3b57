/**
 * Apache virtual-host access log with a request id and a trailing duration, as written in front of
 * Atlassian Jira (lnav's test log):
 *   LogFormat "%v:%p %a %{…request id…} %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D"
 * The duration is read as Apache %D (microseconds): the unit is not stated in the source, and
 * microseconds gives plausible page times (116075 → 116 ms). The third field becomes requestId.
 */
import { defineTemplateFormat } from '../../template/compile.js';

export const jiraAccess = defineTemplateFormat({
  id: 'jira-access',
  title: 'Apache vhost:port + request id + %D duration (Atlassian Jira front end)',
  syntax: 'nginx',
  spec: '$vhost_port $remote_addr $request_id $remote_user [$time_local] "$request" $status $body_bytes_sent_clf "$http_referer" "$http_user_agent" $request_time_us',
  options: { truncatedLast: false },
  samples: [
    {
      note: 'real: lnav__logfile_regexp_access_log.0 line 1',
      line: 'localhost:443 178.20.184.42 1j0vhgd jsmith [26/Jul/2023:00:01:26 -0700] "GET /secure/RapidBoard.jspa?rapidView=1295&selectedIssue=AA-409111&quickFilter=385508&quickFilter=387097 HTTP/2.0" 200 17163 "-" "Mozilla/5.0" 116075',
      expect: {
        ts: Date.UTC(2023, 6, 26, 7, 1, 26), host: 'localhost', clientIp: '178.20.184.42', requestId: '1j0vhgd', method: 'GET',
        path: '/secure/RapidBoard.jspa', query: 'rapidView=1295&selectedIssue=AA-409111&quickFilter=385508&quickFilter=387097',
        httpVersion: 'HTTP/2.0', status: 200, bytesOut: 17163, userAgent: 'Mozilla/5.0', durationMs: 116.075,
        extra: { user: 'jsmith', serverPort: 443 },
      },
    },
    {
      note: 'real: lnav__logfile_regexp_access_log.0 line 2 (referer set)',
      line: 'localhost:443 154.57.4.229 cger1e khenry [26/Jul/2023:00:02:12 -0700] "GET /secure/RapidBoard.jspa?rapidView=1839&view=planning.nodetail&issueLimit=100 HTTP/2.0" 200 16517 "https://localhost/secure/RapidBoard.jspa?rapidView=1843&view=planning.nodetail&issueLimit=100" "Mozilla/5.0" 156302',
      expect: { requestId: 'cger1e', durationMs: 156.302, referer: 'https://localhost/secure/RapidBoard.jspa?rapidView=1843&view=planning.nodetail&issueLimit=100' },
    },
  ],
});
