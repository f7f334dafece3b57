/**
 * The structured access-log formats (header-driven TSV/W3C logs and JSON lines), in DETECTION
 * ORDER: most specific first. The registry tries every format on a file's first lines; the one
 * that parses most lines wins and ties go to the earlier format, so a specific format (cloudfront,
 * caddy-json…) must come before the general one that could also read its lines (w3c, json).
 */
import type { LogFormat } from '../format.js';
import { cloudfrontFormat } from './structured/cloudfront.js';
import { w3cFormat } from './structured/w3c.js';
import { zeekHttpFormat } from './structured/zeek-http.js';
import { caddyJsonFormat } from './structured/caddy-json.js';
import { traefikJsonFormat } from './structured/traefik-json.js';
import { envoyJsonFormat } from './structured/envoy-json.js';
import { cloudflareJsonFormat } from './structured/cloudflare-json.js';
import { fastlyJsonFormat } from './structured/fastly-json.js';
import { nginxJsonFormat } from './structured/nginx-json.js';
import { genericJsonFormat } from './structured/generic-json.js';

export const structuredFormats: LogFormat[] = [
  cloudfrontFormat, // W3C-style header with x-edge-* columns: before w3c
  w3cFormat,
  zeekHttpFormat,
  caddyJsonFormat,
  traefikJsonFormat,
  envoyJsonFormat,
  cloudflareJsonFormat,
  fastlyJsonFormat,
  nginxJsonFormat,
  genericJsonFormat, // last: reads any JSON object with a status and a path
];
