/**
 * B-8 inputs (SYNTHETIC): a HAR with a unique canary in every place a secret can hide, invalid entries
 * whose stored excerpt would carry one, an access log with tokens in queries, referers, paths and the
 * basic-auth user (%u), and a Caddy JSON log with credential headers. Only places that the rules
 * (security.md section (a)) call secret get a canary: never a user agent, a host or a JWT claim that
 * the marker keeps on purpose (alg, kid, exp, iat, iss, aud).
 */

export class Canaries {
  readonly byPlace = new Map<string, string>();
  private n = 0;

  /** A unique, secret-looking value for a place: letters and digits only, so every encoding keeps it whole. */
  make(place: string): string {
    const tag = place.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 12);
    const v = `cnry${tag}${(this.n++).toString(36)}q7x3k9w2`;
    this.byPlace.set(place, v);
    return v;
  }

  /** Every form under which a canary could be stored: itself, and its base64 in the 3 alignments. */
  needles(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [place, v] of this.byPlace) {
      out.set(v, place);
      for (let k = 0; k < 3; k++) {
        const b64 = Buffer.concat([Buffer.alloc(k, 0x20), Buffer.from(v)]).toString('base64');
        // drop the chars that depend on the neighbours; the middle is the same in any encoding
        out.set(b64.slice(4, -4).replace(/=+$/, ''), `${place} (base64)`);
      }
    }
    return out;
  }
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** Well-known credential shapes that cannot carry a canary (their alphabet is fixed): searched as they are. */
export const FIXED_SECRETS = ['AKIAQZ7XK3W2M5PL4RTV'];

export function canaryHar(c: Canaries): string {
  const k = (place: string): string => c.make(place);
  const jwt = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k1' }))}.${b64url(JSON.stringify({ sub: k('jwt-sub'), email: `${k('jwt-email')}@example.com`, exp: 1773482520 }))}.${b64url(k('jwt-signature'))}`;
  const boundary = '----faultlineB8boundary';
  const multipart =
    `--${boundary}\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n${k('multipart-field')}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="${k('multipart-filename')}.txt"\r\nContent-Type: text/plain\r\n\r\n${k('multipart-file')}\r\n--${boundary}--\r\n`;
  const r1h = [
    'authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'x-refresh-token', 'x-id-token',
    'x-csrf-token', 'x-xsrf-token', 'x-amz-security-token', 'x-goog-api-key', 'ocp-apim-subscription-key', 'ocp-apim-header-authorization', 'x-client-data',
  ];
  const r2h = ['X-Session-Id', 'X-My-Secret', 'X-Upstream-Password', 'X-Signature', 'X-Private-Thing', 'X-Credential-Ref', 'X_Internal_Token', 'X-Db-ConnectionString'];
  const reqHeaders: Array<{ name: string; value: string }> = [
    ...r1h.map((name) => ({ name, value: name === 'authorization' ? `Bearer ${k('h-' + name)}` : k('h-' + name) })),
    ...r2h.map((name) => ({ name, value: k('h-' + name) })),
    { name: 'AUTHORIZATION', value: `Basic ${Buffer.from(`alice:${k('basic-password')}`).toString('base64')}` },
    { name: 'Cookie', value: `sid=${k('cookie-header-1')}; theme=${k('cookie-header-2')}` },
    { name: ':path', value: `/v1/items?access_token=${k(':path')}&page=2` },
    { name: 'Referer', value: `https://app.example.com/cb?token=${k('referer')}#id_token=${k('referer-fragment')}` },
    { name: 'X-Forwarded-Jwt', value: jwt },
    { name: 'User-Agent', value: 'Mozilla/5.0 (synthetic B-8)' },
  ];
  const entry = (i: number, over: Record<string, unknown>): Record<string, unknown> => ({
    startedDateTime: new Date(Date.UTC(2026, 2, 14, 10, 0, i)).toISOString(),
    time: 20 + i,
    request: { method: 'GET', url: `https://api.example.com/v1/e${i}`, httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: -1 },
    response: { status: 500, statusText: 'Error', httpVersion: 'HTTP/1.1', cookies: [], headers: [], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: -1 },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    ...over,
  });
  const entries: unknown[] = [
    entry(0, {
      request: {
        method: 'POST',
        url: `https://${k('userinfo-user')}:${k('userinfo-password')}@api.example.com/v1/items/${k('url-path-token').padEnd(40, 'Q')}?access_token=${k('query')}&page=2#id_token=${k('fragment')}`,
        httpVersion: 'HTTP/2',
        cookies: [{ name: 'sid', value: k('request-cookie-array') }],
        headers: reqHeaders,
        queryString: [{ name: 'access_token', value: k('queryString-array') }, { name: 'page', value: '2' }],
        postData: { mimeType: 'application/json', text: JSON.stringify({ user: 'x', password: k('post-json'), nested: { api_key: k('post-json-nested') } }) },
        headersSize: -1,
        bodySize: 100,
      },
      response: {
        status: 401,
        statusText: 'Unauthorized',
        httpVersion: 'HTTP/2',
        cookies: [{ name: 'sid', value: k('response-cookie-array'), path: '/', httpOnly: true }],
        headers: [
          { name: 'Set-Cookie', value: `sid=${k('set-cookie')}; Path=/; HttpOnly; Secure` },
          { name: 'Location', value: `https://app.example.com/cb?code=${k('location-code')}&state=${k('location-state')}` },
          { name: 'Content-Location', value: `https://app.example.com/x?sig=${k('content-location')}` },
          { name: 'Link', value: `<https://api.example.com/next?api_key=${k('link')}>; rel="next"` },
          { name: 'Refresh', value: `0; url=https://app.example.com/?code=${k('refresh')}` },
          { name: 'WWW-Authenticate', value: 'Bearer realm="api", error="invalid_token"' },
          { name: 'Content-Type', value: 'application/json' },
        ],
        content: { size: 120, mimeType: 'application/json', text: JSON.stringify({ error: 'invalid_token', access_token: k('response-json'), deep: { refresh_token: k('response-json-nested'), list: [{ client_secret: k('response-json-array') }] } }) },
        redirectURL: `https://app.example.com/cb?code=${k('redirectURL')}`,
        headersSize: -1,
        bodySize: -1,
        _error: `net::ERR_FAILED after Bearer ${k('error-text')}`,
      },
      comment: `retried with Bearer ${k('entry-comment')}`,
      _initiator: {
        type: 'script',
        url: `https://cdn.example.com/app.js?api_key=${k('initiator-url')}`,
        stack: { callFrames: [{ functionName: 'load', url: `https://cdn.example.com/chunk.js?sig=${k('stack-frame')}`, lineNumber: 1, columnNumber: 2 }] },
      },
    }),
    entry(1, {
      request: {
        method: 'POST', url: 'https://api.example.com/login', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], queryString: [],
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          text: `username=alice&password=${k('form-body')}&client_secret=${k('form-secret')}`,
          params: [{ name: 'password', value: k('params') }, { name: 'client_secret', value: k('params-2') }],
        },
        headersSize: -1, bodySize: 60,
      },
      response: {
        status: 403, statusText: 'Forbidden', httpVersion: 'HTTP/1.1', cookies: [], headers: [],
        content: { size: 80, mimeType: 'application/json', encoding: 'base64', text: Buffer.from(JSON.stringify({ access_token: k('base64-body'), refresh_token: k('base64-refresh') })).toString('base64') },
        redirectURL: '', headersSize: -1, bodySize: 80,
      },
    }),
    entry(2, {
      request: { method: 'POST', url: 'https://api.example.com/upload', httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], postData: { mimeType: `multipart/form-data; boundary=${boundary}`, text: multipart }, headersSize: -1, bodySize: multipart.length },
      response: {
        status: 502, statusText: 'Bad Gateway', httpVersion: 'HTTP/1.1', cookies: [], headers: [],
        content: { size: 40, mimeType: 'text/plain', text: `upstream said token=${k('text-body')} and Authorization: Bearer ${k('text-body-bearer')} and ${jwt} and ${FIXED_SECRETS[0]} ghp_${k('github-pat').padEnd(36, 'x').slice(0, 36)}` },
        redirectURL: '', headersSize: -1, bodySize: 40,
      },
    }),
    entry(3, {
      request: { method: 'GET', url: 'https://api.example.com/page', httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0 },
      response: {
        status: 500, statusText: 'Error', httpVersion: 'HTTP/1.1', cookies: [], headers: [],
        content: { size: 90, mimeType: 'text/html', text: `<html><input name="csrf_token" value="${k('html-body')}"></html>` },
        redirectURL: '', headersSize: -1, bodySize: 90,
      },
    }),
    entry(4, {
      request: { method: 'GET', url: 'wss://rt.example.com/graphql', httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0 },
      response: { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0, _error: 'net::ERR_CONNECTION_RESET' },
      _resourceType: 'websocket',
      _webSocketMessages: [
        { type: 'send', time: 1, opcode: 1, data: JSON.stringify({ type: 'connection_init', payload: { authToken: k('websocket') } }) },
        { type: 'receive', time: 2, opcode: 1, data: JSON.stringify({ type: 'data', payload: { session: k('websocket-2') } }) },
      ],
    }),
  ];
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'faultline-b8-synthetic', version: '1', comment: `Bearer ${k('creator-comment')}` },
      pages: [{ startedDateTime: '2026-03-14T10:00:00.000Z', id: 'page_1', title: `https://app.example.com/cb#access_token=${k('page-title')}`, pageTimings: {} }],
      entries,
      comment: `note: Bearer ${k('log-comment')}`,
    },
  }, null, 1);
}

/**
 * Invalid entries (no usable request.url, a response that is not an object): each is a counted skip whose
 * stored sample is the start of the raw entry, where text patterns cannot tell a header value is secret.
 */
export function canaryInvalidHar(c: Canaries): string {
  const k = (place: string): string => c.make(place);
  const entries = [
    { request: { method: 'GET', headers: [{ name: 'X-Api-Key', value: k('invalid-entry-header') }] }, response: { status: 500 } },
    { request: { headers: [{ value: k('invalid-entry-cookie'), name: 'Cookie' }] } },
    { request: { url: 42, headers: { Authorization: k('invalid-entry-header-object') } } },
    { startedDateTime: 'x', request: { method: 'GET', url: `https://a.example/x?access_token=${k('invalid-entry-query')}` }, response: 'not an object' },
    { request: { url: '', cookies: [{ name: 'sid', value: k('invalid-entry-cookie-array') }], postData: { text: `hunter2${k('invalid-entry-post')}` } } },
  ];
  return JSON.stringify({ log: { version: '1.2', entries } });
}

/** Combined log lines with secrets in the query, the referer (query, fragment, userinfo), the path and %u. */
export function canaryLog(c: Canaries): string {
  const k = (place: string): string => c.make(place);
  const t = (s: number): string => `14/Mar/2026:10:01:${String(s).padStart(2, '0')} +0000`;
  const lines = [
    `203.0.113.10 - ${k('log-basic-user')} [${t(0)}] "GET /api/orders?access_token=${k('log-query')}&page=1 HTTP/1.1" 401 12 "https://app.example.com/cb?code=${k('log-referer-code')}#id_token=${k('log-referer-fragment')}" "curl/8.5.0"`,
    `203.0.113.11 - - [${t(1)}] "GET /api/orders?api_key=${k('log-query-ok')} HTTP/1.1" 200 12 "https://u:${k('log-referer-userinfo')}@app.example.com/" "curl/8.5.0"`,
    `203.0.113.12 - - [${t(2)}] "GET /reset/${k('log-path-token').padEnd(40, 'Z')} HTTP/1.1" 404 12 "-" "curl/8.5.0"`,
    `203.0.113.13 - - [${t(3)}] "GET /app;jsessionid=${k('log-jsessionid')}?x=1 HTTP/1.1" 500 12 "-" "curl/8.5.0"`,
    `203.0.113.14 - - [${t(4)}] "POST /login?password=${k('log-password')}&sig=${k('log-sig')} HTTP/1.1" 403 12 "-" "curl/8.5.0"`,
    `garbage line with token=${k('log-garbage-token')} and Bearer ${k('log-garbage-bearer')}`,
    ...Array.from({ length: 30 }, (_, i) => `203.0.113.20 - - [${t(10 + i)}] "GET /api/health HTTP/1.1" ${i % 3 ? 200 : 503} 2 "-" "curl/8.5.0"`),
  ];
  return lines.join('\n') + '\n';
}

/** Caddy JSON access log lines with credential headers (Caddy logs request headers). */
export function canaryCaddy(c: Canaries): string {
  const k = (place: string): string => c.make(place);
  const line = (i: number, status: number): string => JSON.stringify({
    level: 'info', ts: 1773482400 + i, logger: 'http.log.access', msg: 'handled request',
    request: {
      remote_ip: '203.0.113.30', remote_port: '5000', proto: 'HTTP/2.0', method: 'GET', host: 'api.example.com',
      uri: `/v2/me?token=${k(`caddy-uri-${i}`)}`,
      headers: { Authorization: [`Bearer ${k(`caddy-authorization-${i}`)}`], Cookie: [`sid=${k(`caddy-cookie-${i}`)}`], 'X-Api-Key': [k(`caddy-x-api-key-${i}`)], 'User-Agent': ['curl/8.5.0'] },
    },
    bytes_read: 0, user_id: '', duration: 0.01, size: 20, status,
    resp_headers: { 'Set-Cookie': [`sid=${k(`caddy-set-cookie-${i}`)}; Path=/`], 'Content-Type': ['application/json'] },
  });
  return [line(0, 401), line(1, 500), line(2, 200)].join('\n') + '\n';
}
