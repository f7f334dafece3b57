/**
 * The positional (text) access-log formats, in DETECTION ORDER: most specific first, generic last.
 * Detection runs every format over a file's first lines and keeps the one that parses the most;
 * ties go to the earlier format. So each format must reject the lines of every format listed
 * before it, and a format may accept a later (more generic) format's lines only if it reads them
 * at least as well (the generic `combined` is last for that reason). See formats/README.md.
 */
import type { LogFormat } from '../format.js';
import { awsAlb } from './text/aws-alb.js';
import { awsElb } from './text/aws-elb.js';
import { combined } from './text/combined.js';
import { common } from './text/common.js';
import { envoyText } from './text/envoy-text.js';
import { haproxy } from './text/haproxy.js';
import { ingressNginx } from './text/ingress-nginx.js';
import { jiraAccess } from './text/jira-access.js';
import { lighttpd } from './text/lighttpd.js';
import { nginxMain } from './text/nginx-main.js';
import { nginxUpstream } from './text/nginx-upstream.js';
import { traefikClf } from './text/traefik-clf.js';
import { vhostCombined } from './text/vhost-combined.js';

export const textFormats: LogFormat[] = [
  awsAlb, // `http|https|h2|… <iso time> app/…`
  awsElb, // `<iso time> <name> ip:port …`
  haproxy, // `[syslog] ip:port [date] frontend backend/server Tq/Tw/Tc/Tr/Ta …`
  envoyText, // `[<iso time>] "METHOD path PROTO" code flags …`
  ingressNginx, // combined + reqlen reqtime [upstream] [alt] addr len time status id
  traefikClf, // combined + count "router" "url" Nms
  nginxUpstream, // combined + rt=… urt=…
  nginxMain, // combined + "xff"
  jiraAccess, // vhost:port ip reqid user [time] … duration
  lighttpd, // xff ip user [time] "req" status body in out secs "ref" "ua"
  vhostCombined, // vhost[:port] + combined
  common, // strict CLF
  combined, // generic fallback
];
