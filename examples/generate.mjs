#!/usr/bin/env node
// SYNTHETIC example data, written by this script (not copied from anywhere): a single-page app
// (app.example.com) calling its API (api.example.com) through nginx during a 12-minute outage,
// 2026-03-14 10:00–10:12 UTC. The HAR is what the browser saw; the nginx log is the server's view.
// Deterministic: same output on every run. Run: node examples/generate.mjs
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const T0 = Date.UTC(2026, 2, 14, 10, 0, 0);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const b64u = (s) => Buffer.from(s).toString('base64url');
const hex = (s, n) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** A fake JWT (signature is a hash, nothing real). */
function jwt(sub, iat, exp) {
  const h = b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'key-2026-01' }));
  const p = b64u(JSON.stringify({ sub, iss: 'https://auth.example.com/', aud: 'api.example.com', iat: Math.floor(iat / 1000), exp: Math.floor(exp / 1000) }));
  return `${h}.${p}.${b64u(hex(sub + iat, 43))}`;
}

const UA_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const UA_MOBILE = 'ShopApp/4.2.1 (iPhone; iOS 18.1; Scale/3.00)';
const UA_PARTNER = 'partner-sync/1.8 (+https://partner.example.org)';
const CLIENTS = [
  { ip: '203.0.113.10', ua: UA_CHROME },
  { ip: '198.51.100.23', ua: UA_MOBILE },
  { ip: '192.0.2.77', ua: UA_PARTNER },
  { ip: '203.0.113.45', ua: UA_CHROME },
];
const GOOD_TOKEN = jwt('user-1001', T0 - 600_000, T0 + 3_600_000);
const EXPIRED_TOKEN = jwt('user-2002', T0 - 4_200_000, T0 + 120_000); // expires 10:02

const entries = []; // HAR entries
const lines = []; // nginx lines

function header(o) {
  return Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));
}

function clf(ms) {
  const d = new Date(ms);
  const M = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${M}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * One API call: adds a HAR entry when `har` and always an nginx line (unless the request never
 * reached the server: status 0).
 */
function call({ t, method = 'GET', path, status, client = CLIENTS[0], token = GOOD_TOKEN, reqHeaders = {}, respHeaders = {}, body = '{"ok":true}', mime = 'application/json', time = 40 + Math.floor(rnd() * 80), har = true, upstream = { addr: '10.0.3.11:8080', status: String(status), time: null }, error = null, host = 'api.example.com', postData = null }) {
  const reqId = hex(`${t}${path}${method}`, 32);
  const url = `https://${host}${path}`;
  if (har) {
    const rh = { Accept: 'application/json', 'User-Agent': client.ua, Referer: 'https://app.example.com/orders', Origin: 'https://app.example.com', 'X-Request-Id': reqId, ...reqHeaders };
    if (token) rh.Authorization = `Bearer ${token}`;
    const q = path.includes('?') ? path.split('?')[1].split('&').map((kv) => ({ name: kv.split('=')[0], value: kv.split('=')[1] ?? '' })) : [];
    entries.push({
      startedDateTime: new Date(t).toISOString(),
      time,
      request: {
        method, url, httpVersion: 'HTTP/2', headers: header(rh), queryString: q, cookies: [], headersSize: -1, bodySize: postData ? postData.length : 0,
        ...(postData ? { postData: { mimeType: 'application/json', text: postData } } : {}),
      },
      response: status === 0
        ? { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _error: error }
        : {
            status, statusText: '', httpVersion: 'HTTP/2',
            headers: header({ 'Content-Type': mime, 'X-Request-Id': reqId, ...respHeaders }),
            cookies: [], content: { size: body.length, mimeType: mime, text: body }, redirectURL: '', headersSize: -1, bodySize: body.length,
          },
      cache: {},
      timings: status === 0
        ? { blocked: 1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 }
        : { blocked: 2, dns: -1, connect: -1, ssl: -1, send: 0.3, wait: time - 4, receive: 1.7 },
      serverIPAddress: status === 0 ? '' : '198.51.100.200',
      _resourceType: 'fetch',
      ...(error ? { _error: error } : {}),
    });
  }
  if (status !== 0 && host === 'api.example.com') {
    const rt = (time / 1000).toFixed(3);
    const ut = upstream.time ?? (upstream.status === '-' ? '-' : ((time - 3) / 1000).toFixed(3));
    // nginx's upstream_time log_format (combined + key=value timings) with upstream address, status and request id.
    lines.push(`${client.ip} - - [${clf(t)}] "${method} ${path} HTTP/2.0" ${status} ${status === 0 ? 0 : body.length} "https://app.example.com/orders" "${client.ua}" rt=${rt} uct="0.001" uht="${ut}" urt="${ut}" ua="${upstream.addr}" us="${upstream.status}" rid=${reqId}`);
  }
}

const MIN = 60_000;
// Healthy background traffic across the whole window, some of it from other clients (server log only).
for (let t = T0; t < T0 + 12 * MIN; t += 2_500) {
  const c = pick(CLIENTS);
  const har = c === CLIENTS[0];
  const id = 1000 + Math.floor(rnd() * 500);
  call({ t, path: pick([`/api/v2/orders/${id}`, '/api/v2/cart', `/api/v2/users/${id}`, '/api/v2/products?page=2', '/api/v2/search?q=shoes']), status: 200, client: c, har,
    respHeaders: { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': String(300 + Math.floor(rnd() * 200)) } });
}

// 1. Expired bearer tokens: the mobile app keeps using a token that expired at 10:02.
for (let t = T0 + 2 * MIN + 5_000; t < T0 + 9 * MIN; t += 9_000) {
  call({ t, path: `/api/v2/users/${2002}/notifications`, status: 401, client: CLIENTS[1], token: EXPIRED_TOKEN, har: t % 2 === 0,
    respHeaders: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token expired"' },
    body: '{"error":"invalid_token","message":"The access token expired"}' });
}

// 2. Rate limiting on search: the partner sync retries immediately, ignoring Retry-After.
for (let t = T0 + 4 * MIN; t < T0 + 6 * MIN; t += 1_500) {
  call({ t, path: '/api/v2/search?q=sneakers&page=1', status: 429, client: CLIENTS[2], har: false,
    respHeaders: { 'Retry-After': '30', 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0' },
    body: '{"error":"rate_limited","message":"Too many requests, retry after 30 seconds"}' });
}
for (let t = T0 + 4 * MIN + 700; t < T0 + 6 * MIN; t += 6_000) {
  call({ t, path: '/api/v2/search?q=sneakers&page=1', status: 429, client: CLIENTS[0],
    respHeaders: { 'Retry-After': '30', 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0' },
    body: '{"error":"rate_limited","message":"Too many requests, retry after 30 seconds"}' });
}

// 3. Upstream outage: the orders service behind nginx fails 10:05–10:09 (502 then 504).
for (let t = T0 + 5 * MIN; t < T0 + 9 * MIN; t += 3_000) {
  const timeout = t > T0 + 7 * MIN;
  call({ t, path: `/api/v2/orders/${3000 + Math.floor(rnd() * 90)}`, status: timeout ? 504 : 502, client: pick(CLIENTS), har: rnd() < 0.4,
    time: timeout ? 60_000 : 12,
    upstream: timeout ? { addr: '10.0.3.11:8080', status: '504', time: '60.001' } : { addr: '10.0.3.11:8080, 10.0.3.12:8080', status: '502, 502', time: '0.004, 0.003' },
    mime: 'text/html', body: timeout ? '<html><body><h1>504 Gateway Time-out</h1></body></html>' : '<html><body><h1>502 Bad Gateway</h1></body></html>' });
}

// 4. A retired API version: /api/v1/users answers 410 with Deprecation/Sunset, /api/v2 works.
for (let t = T0 + MIN; t < T0 + 11 * MIN; t += 40_000) {
  call({ t, path: `/api/v1/users/${1100 + Math.floor(rnd() * 50)}`, status: 410, client: CLIENTS[2], har: false,
    respHeaders: { Deprecation: '@1735689600', Sunset: 'Sat, 28 Feb 2026 23:59:59 GMT', Link: '<https://api.example.com/docs/v2>; rel="successor-version"' },
    body: '{"error":"gone","message":"API v1 was retired on 2026-02-28; use /api/v2"}' });
}
// ... and a still-working deprecated endpoint (an early warning, not a failure).
for (let t = T0 + 30_000; t < T0 + 12 * MIN; t += 90_000) {
  call({ t, path: '/api/v2/legacy/cart-summary', status: 200, client: CLIENTS[0],
    respHeaders: { Deprecation: '@1767225600', Sunset: 'Tue, 30 Jun 2026 23:59:59 GMT' } });
}

// 5. GraphQL errors hidden in 200 responses.
for (let t = T0 + 3 * MIN; t < T0 + 5 * MIN; t += 20_000) {
  call({ t, method: 'POST', path: '/graphql', status: 200, client: CLIENTS[0], postData: '{"query":"query Cart { cart { items { sku price } } }"}',
    body: '{"data":null,"errors":[{"message":"Cannot query field \\"price\\" on type \\"CartItem\\".","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}' });
}

// 6. Validation errors (problem+json) on checkout.
for (let t = T0 + 6 * MIN; t < T0 + 8 * MIN; t += 25_000) {
  call({ t, method: 'POST', path: '/api/v2/orders', status: 422, client: CLIENTS[0], mime: 'application/problem+json', postData: '{"items":[],"currency":"EURO"}',
    body: '{"type":"https://api.example.com/problems/validation","title":"Validation failed","status":422,"detail":"currency must be a 3-letter ISO 4217 code","errors":[{"field":"currency","message":"must match ^[A-Z]{3}$"}]}' });
}

// 7. Network errors the server never saw: the metrics host does not resolve.
for (let t = T0 + 2 * MIN; t < T0 + 10 * MIN; t += 60_000) {
  call({ t, method: 'POST', path: '/v1/events', host: 'metrics.example-cdn.net', status: 0, token: null, error: 'net::ERR_NAME_NOT_RESOLVED', time: 3, body: '' });
}

// 8. A malformed URL from a bad template in the app (double slash).
for (let t = T0 + 8 * MIN; t < T0 + 9 * MIN; t += 15_000) {
  call({ t, path: '/api/v2//products/undefined', status: 404, client: CLIENTS[0], body: '{"error":"not_found","message":"No route for GET /api/v2//products/undefined"}' });
}

entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
const har = {
  log: {
    version: '1.2',
    creator: { name: 'faultline examples/generate.mjs (synthetic)', version: '1.0' },
    pages: [{ startedDateTime: new Date(T0).toISOString(), id: 'page_1', title: 'https://app.example.com/orders', pageTimings: { onContentLoad: 800, onLoad: 1200 } }],
    entries,
    comment: 'SYNTHETIC: generated by examples/generate.mjs for the faultline examples; tokens are fake.',
  },
};
writeFileSync(join(here, 'spa-outage.har'), JSON.stringify(har, null, 1) + '\n');
lines.sort((a, b) => {
  const ta = a.slice(a.indexOf('[') + 1, a.indexOf(']'));
  const tb = b.slice(b.indexOf('[') + 1, b.indexOf(']'));
  return ta < tb ? -1 : ta > tb ? 1 : 0;
});
writeFileSync(join(here, 'nginx-access.log'), lines.join('\n') + '\n');
process.stdout.write(`wrote ${entries.length} HAR entries and ${lines.length} nginx lines\n`);
