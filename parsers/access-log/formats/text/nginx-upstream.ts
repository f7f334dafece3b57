/**
 * nginx combined + upstream timings as key=value pairs: the `upstream_time` format from the NGINX
 * admin guide ("Configuring Logging"), widely copied:
 *
 *   log_format upstream_time '$remote_addr - $remote_user [$time_local] '
 *                            '"$request" $status $body_bytes_sent '
 *                            '"$http_referer" "$http_user_agent"'
 *                            'rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time"';
 *
 * (No space before `rt=` in the guide, so real lines read `…"curl/8.0"rt=0.002 …`; both spellings are read.)
 * Pairs may come in any order, quoted or not, and common variants are understood too: short keys
 * `rt uct uht urt ua us cs rid` or full variable names (`request_time=`, `upstream_addr=`,
 * `upstream_status=`, `request_id=` …). Unknown keys land in extra. At least one timing key is required,
 * which is what tells this format from plain combined.
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineTemplateFormat } from '../../template/compile.js';
import type { LineCtx, VarDef } from '../../template/types.js';
import { varDef } from '../../template/vars.js';
import { NGINX_COMBINED_SPEC, nginxProxyError } from './shared.js';

/** Short keys seen in the wild → nginx variable names. */
const ALIASES: Record<string, string> = {
  rt: 'request_time',
  uct: 'upstream_connect_time',
  uht: 'upstream_header_time',
  urt: 'upstream_response_time',
  ua: 'upstream_addr',
  us: 'upstream_status',
  cs: 'upstream_cache_status',
  rid: 'request_id',
  xff: 'http_x_forwarded_for',
  host: 'host',
};

const TIMING = new Set(['request_time', 'upstream_connect_time', 'upstream_header_time', 'upstream_response_time']);

/** Cache of resolved keys (a log has a handful of distinct keys). */
const defs = new Map<string, { name: string; def: VarDef }>();
function keyDef(key: string): { name: string; def: VarDef } {
  let d = defs.get(key);
  if (d === undefined) {
    const name = Object.hasOwn(ALIASES, key) ? ALIASES[key]! : key;
    d = { name, def: varDef(name) };
    if (defs.size < 256) defs.set(key, d);
  }
  return d;
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Reads `key=value key="value" …` from `at`; returns a rejection reason or null. */
function readPairs(r: RequestRecord, ctx: LineCtx, line: string, at: number): string | null {
  const n = line.length;
  let i = at;
  let timings = 0;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const k0 = i;
    while (i < n && isKeyChar(line.charCodeAt(i))) i++;
    if (i === k0 || line.charCodeAt(i) !== 61) return `expected key=value timings (rt=…, urt=…) at column ${k0 + 1}`;
    const key = line.slice(k0, i);
    i++; // '='
    let value: string;
    if (line.charCodeAt(i) === 34) {
      let q = line.indexOf('"', i + 1);
      while (q > 0 && line.charCodeAt(q - 1) === 92) q = line.indexOf('"', q + 1);
      if (q < 0) return `expected closing '"' for ${key} opened at column ${i + 1}`;
      value = line.slice(i + 1, q);
      i = q + 1;
    } else {
      // Unquoted: to the next space, but `a, b` and `a : b` lists continue.
      let e = line.indexOf(' ', i);
      while (e >= 0 && (line.charCodeAt(e - 1) === 44 || (line.charCodeAt(e + 1) === 58 && line.charCodeAt(e + 2) === 32))) {
        e = line.indexOf(' ', line.charCodeAt(e - 1) === 44 ? e + 1 : e + 3);
      }
      if (e < 0) e = n;
      value = line.slice(i, e);
      i = e;
    }
    const { name, def } = keyDef(key);
    if (!def.apply(r, value, ctx)) return `expected ${def.expect} for ${key} at column ${i - value.length + 1}`;
    if (TIMING.has(name)) timings++;
  }
  return timings > 0 ? null : 'expected upstream timings (rt=…, urt=…) after the user agent';
}

function finish(r: RequestRecord, ctx: LineCtx, line: string): string | null {
  if (ctx.trailingAt < 0) return 'expected upstream timings (rt=…, urt=…) after the user agent';
  const why = readPairs(r, ctx, line, ctx.trailingAt);
  if (why !== null) return why;
  if (ctx.extra !== null) delete ctx.extra['trailing'];
  nginxProxyError(r, ctx);
  return null;
}

export const nginxUpstream = defineTemplateFormat({
  id: 'nginx-upstream',
  title: 'nginx combined + upstream timings (NGINX admin guide upstream_time: rt= uct= uht= urt=)',
  syntax: 'nginx',
  spec: NGINX_COMBINED_SPEC,
  options: { trailing: 'keep', truncatedLast: false },
  finish,
  samples: [
    {
      note: 'synthetic: the NGINX admin guide layout, no space before rt=',
      line: '203.0.113.10 - - [12/Mar/2024:10:15:32 +0000] "GET /api/v2/products?limit=20 HTTP/1.1" 200 5123 "-" "python-requests/2.31.0"rt=0.052 uct="0.001" uht="0.050" urt="0.051"',
      expect: {
        ts: Date.UTC(2024, 2, 12, 10, 15, 32), status: 200, path: '/api/v2/products', query: 'limit=20', userAgent: 'python-requests/2.31.0',
        durationMs: 52, upstreamMs: 51, extra: { upstreamConnectTime: '0.001', upstreamHeaderTime: '0.050', upstreamResponseTime: '0.051' },
      },
    },
    {
      note: 'synthetic: common variant with upstream address/status and a retry (two upstreams), upstream timed out',
      line: '10.1.1.1 - - [12/Mar/2024:10:16:00 +0100] "POST /pay HTTP/1.1" 504 167 "https://shop.example/cart" "Mozilla/5.0" rt=60.002 uct="0.000, 0.001" uht="-, -" urt="30.001, 30.000" ua="10.0.0.5:8080, 10.0.0.6:8080" us="504, 504" rid=5f2b1c',
      expect: {
        status: 504, durationMs: 60002, upstreamMs: 60001, upstreamAddr: '10.0.0.5:8080, 10.0.0.6:8080', upstreamStatus: '504, 504',
        requestId: '5f2b1c', referer: 'https://shop.example/cart',
      },
    },
    {
      note: 'synthetic: full variable names, unquoted list, nginx answered 502 with no upstream response',
      line: '10.1.1.2 - - [12/Mar/2024:10:17:00 +0000] "GET /ws HTTP/1.1" 502 157 "-" "curl/8.5.0" request_time=0.003 upstream_addr=10.0.0.7:8080 upstream_status=- upstream_response_time=- cache=MISS',
      expect: { status: 502, durationMs: 3, upstreamStatus: '-', upstreamMs: null, extra: { lbError: true, cache: 'MISS' } },
    },
  ],
});
