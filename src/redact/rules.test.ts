/**
 * One test per rule id of security.md section (a), with real-looking (fake) values.
 * Every secret below is synthetic; formats follow the real ones (gitleaks ids, AWS docs example key).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { emptyRecord, type Header } from '../core/types.js';
import { createRedactor, findJwtMarkers, isMarker } from './index.js';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const fresh = () => createRedactor({ key: KEY });
const h12 = (v: string) => createHmac('sha256', KEY).update(v, 'utf8').digest('hex').slice(0, 12);
const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A signed-looking HS256 JWT whose payload has PII we must never keep (sub, email). */
const JWT = `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u({ sub: '1234567890', email: 'ana@example.com', iss: 'https://auth.example.com/', aud: 'web-app', iat: 1699990000, exp: 1700000000 })}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
const val = (hs: Header[], name: string) => hs.find(([n]) => n === name)?.[1];

describe('headers', () => {
  test('R-H1: exact names in any case; the auth scheme is kept, the credential hashed', () => {
    const r = fresh();
    const out = r.redactHeaders([
      ['Authorization', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
      ['x-api-key', 'k_live_9f8e7d6c5b4a39281706'],
      ['X-Amz-Security-Token', 'FwoGZXIvYXdzEBYaDHN0c3Rva2VuZXhhbXBsZQ'],
      ['OCP-APIM-Subscription-Key', '0123456789abcdef0123456789abcdef'],
      ['x_csrf_token', 'c5f1e0b2-7a34-4d59-9d2a-2f3c1e0b2a34'],
    ]);
    expect(val(out, 'Authorization')).toBe(`Basic [REDACTED:R-H1#${h12('YWxhZGRpbjpvcGVuc2VzYW1l')}]`);
    expect(val(out, 'x-api-key')).toBe(`[REDACTED:R-H1#${h12('k_live_9f8e7d6c5b4a39281706')}]`);
    expect(val(out, 'X-Amz-Security-Token')).toMatch(/^\[REDACTED:R-H1#[0-9a-f]{12}\]$/);
    expect(val(out, 'OCP-APIM-Subscription-Key')).toMatch(/^\[REDACTED:R-H1#/);
    expect(val(out, 'x_csrf_token')).toMatch(/^\[REDACTED:R-H1#/);
    expect(r.summary()).toEqual({ 'R-H1': 5 });
  });

  test('R-H1: Bearer JWT keeps the scheme and becomes a parseable JWT marker; SAPISIDHASH keeps its scheme', () => {
    const r = fresh();
    const out = r.redactHeaders([['authorization', `Bearer ${JWT}`], ['Authorization', 'SAPISIDHASH 1689165158_ef05b9137997efd30c0f966bee70da4590fc05b4']]);
    const bearer = val(out, 'authorization')!;
    expect(bearer.startsWith('Bearer [REDACTED:jwt ')).toBe(true);
    const [m] = findJwtMarkers(bearer);
    expect(m).toMatchObject({ alg: 'HS256', exp: 1700000000, iat: 1699990000, iss: 'https://auth.example.com/', aud: 'web-app', hash: h12(JWT) });
    expect(bearer).not.toContain('ana@example.com');
    expect(bearer).not.toContain('1234567890');
    expect(val(out, 'Authorization')).toBe(`SAPISIDHASH [REDACTED:R-H1#${h12('1689165158_ef05b9137997efd30c0f966bee70da4590fc05b4')}]`);
    expect(r.summary()).toEqual({ 'R-H1': 1, 'R-P1': 1 });
  });

  test('R-H2: name heuristics, with the CORS/auth-challenge exclusions left alone', () => {
    const r = fresh();
    const out = r.redactHeaders([
      ['X-Session-Id', 's%3A8f2a61c4d3b9e0f7.Xk2'],
      ['X_Upstream_Secret', 'hunter2hunter2'],
      ['X-Goog-AuthUser', '0'],
      ['X-Private-Thing', 'p1'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Headers', 'authorization, x-api-key'],
      ['WWW-Authenticate', 'Bearer realm="api", error="invalid_token"'],
      ['Content-Security-Policy', "default-src 'self'"],
      [':authority', 'api.example.com'],
      ['User-Agent', 'curl/8.4.0'],
    ]);
    expect(val(out, 'X-Session-Id')).toMatch(/^\[REDACTED:R-H2#/);
    expect(val(out, 'X_Upstream_Secret')).toMatch(/^\[REDACTED:R-H2#/);
    expect(val(out, 'X-Goog-AuthUser')).toMatch(/^\[REDACTED:R-H2#/);
    expect(val(out, 'X-Private-Thing')).toMatch(/^\[REDACTED:R-H2#/);
    expect(val(out, 'Access-Control-Allow-Credentials')).toBe('true');
    expect(val(out, 'Access-Control-Allow-Headers')).toBe('authorization, x-api-key');
    expect(val(out, 'WWW-Authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(val(out, 'Content-Security-Policy')).toBe("default-src 'self'");
    expect(val(out, ':authority')).toBe('api.example.com');
    expect(val(out, 'User-Agent')).toBe('curl/8.4.0');
    expect(r.summary()).toEqual({ 'R-H2': 4 });
  });

  test('R-H3: URL-carrying headers get the URL rules (referer, location, :path, link, refresh)', () => {
    const r = fresh();
    const out = r.redactHeaders([
      ['Referer', 'https://app.example.com/callback?code=4%2F0AfJohXn8Qq&state=af0ifjsldkj'],
      ['Location', '/login#access_token=ya29.a0AfH6SMBx3&token_type=Bearer'],
      [':path', '/v1/items?api_key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe&page=2'],
      ['Link', '<https://api.example.com/items?page=3&sig=0a1b2c3d4e5f>; rel="next"'],
      ['Refresh', '0; url=https://example.com/r?token=tk_0123456789'],
      ['Content-Location', 'https://cdn.example.com/a/0123456789abcdef0123456789abcdef.json'],
    ]);
    expect(val(out, 'Referer')).toBe(`https://app.example.com/callback?code=[REDACTED:R-Q1%23${h12('4/0AfJohXn8Qq')}]&state=[REDACTED:R-Q1%23${h12('af0ifjsldkj')}]`);
    // token_type contains "token": R-Q2 takes it too (harmless over-redaction, by the rule).
    expect(val(out, 'Location')).toMatch(/^\/login#access_token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&token_type=\[REDACTED:R-Q2%23[0-9a-f]{12}\]$/);
    expect(val(out, ':path')).toMatch(/^\/v1\/items\?api_key=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&page=2$/);
    expect(val(out, 'Link')).toMatch(/^<https:\/\/api\.example\.com\/items\?page=3&sig=\[REDACTED:R-Q1%23[0-9a-f]{12}\]>; rel="next"$/);
    expect(val(out, 'Refresh')).toMatch(/^0; url=https:\/\/example\.com\/r\?token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]$/);
    // A segment with an extension is a file name, not a bare token (R-U3 needs the whole segment).
    expect(val(out, 'Content-Location')).toBe('https://cdn.example.com/a/0123456789abcdef0123456789abcdef.json');
  });

  test('B-7: the same secret in Authorization/authorization/AUTHORIZATION and in :path is redacted everywhere, with one fingerprint', () => {
    const r = fresh();
    const secret = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';
    const out = r.redactHeaders([
      ['Authorization', `token ${secret}`],
      ['authorization', `token ${secret}`],
      ['AUTHORIZATION', `token ${secret}`],
      [':path', `/x?access_token=${secret}`],
    ]);
    const text = JSON.stringify(out);
    expect(text).not.toContain(secret);
    const fp = h12(secret);
    expect(out.slice(0, 3).map(([, v]) => v)).toEqual(Array(3).fill(`token [REDACTED:R-H1#${fp}]`));
    expect(val(out, ':path')).toBe(`/x?access_token=[REDACTED:R-Q1%23${fp}]`);
  });
});

describe('cookies', () => {
  test('R-C1: Cookie keeps names, every value redacted; Set-Cookie keeps name and attributes', () => {
    const r = fresh();
    const out = r.redactHeaders([
      ['Cookie', 'sid=s%3AgJ7x2k9Q.Xk2p; theme=dark; _ga=GA1.2.1234567890.1699990000; empty='],
      ['Set-Cookie', '__Host-session=8f2a61c4d3b9e0f7a1b2; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600; Expires=Wed, 21 Oct 2026 07:28:00 GMT\nOTZ=; expires=Mon, 01-Jan-1990 00:00:00 GMT; path=/'],
    ]);
    expect(val(out, 'Cookie')).toBe(`sid=[REDACTED:R-C1#${h12('s%3AgJ7x2k9Q.Xk2p')}]; theme=[REDACTED:R-C1#${h12('dark')}]; _ga=[REDACTED:R-C1#${h12('GA1.2.1234567890.1699990000')}]; empty=`);
    expect(val(out, 'Set-Cookie')).toBe(`__Host-session=[REDACTED:R-C1#${h12('8f2a61c4d3b9e0f7a1b2')}]; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600; Expires=Wed, 21 Oct 2026 07:28:00 GMT\nOTZ=; expires=Mon, 01-Jan-1990 00:00:00 GMT; path=/`);
    expect(r.summary()).toEqual({ 'R-C1': 4 });
  });

  test('R-C2: cookie arrays and cookie headers are redacted independently (HAR)', () => {
    const r = fresh();
    const entry = {
      request: {
        method: 'GET', url: 'https://example.com/', headers: [{ name: 'Cookie', value: 'sid=abc123def456' }],
        cookies: [{ name: 'sid', value: 'abc123def456', path: '/', httpOnly: true }],
      },
      response: {
        status: 200, headers: [{ name: 'Set-Cookie', value: 'sid=zzz987yyy654; Path=/' }],
        cookies: [{ name: 'sid', value: 'zzz987yyy654', path: '/', domain: 'example.com', httpOnly: true, secure: true }],
        content: { size: 0, mimeType: 'text/plain' }, redirectURL: '',
      },
    };
    r.redactHarEntry(entry);
    expect(entry.request.cookies[0]).toEqual({ name: 'sid', value: `[REDACTED:R-C1#${h12('abc123def456')}]`, path: '/', httpOnly: true });
    expect(entry.response.cookies[0]!.value).toBe(`[REDACTED:R-C1#${h12('zzz987yyy654')}]`);
    expect(entry.request.headers[0]!.value).toBe(`sid=[REDACTED:R-C1#${h12('abc123def456')}]`);
    expect(r.summary()['R-C1']).toBe(4);
  });
});

describe('URL, query, fragment', () => {
  test('R-Q1: exact parameter names in any case, order and names kept', () => {
    const r = fresh();
    const q = r.redactQuery('page=2&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024&X-AMZ-CREDENTIAL=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&Key-Pair-Id=APKAEIBAERJR2EXAMPLE&sort=asc&code=&SAMLResponse=PHNhbWxwOlJlc3BvbnNl');
    expect(q).toBe([
      'page=2',
      `X-Amz-Signature=[REDACTED:R-Q1%23${h12('fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024')}]`,
      `X-AMZ-CREDENTIAL=[REDACTED:R-Q1%23${h12('AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request')}]`,
      `Key-Pair-Id=[REDACTED:R-Q1%23${h12('APKAEIBAERJR2EXAMPLE')}]`,
      'sort=asc',
      'code=',
      `SAMLResponse=[REDACTED:R-Q1%23${h12('PHNhbWxwOlJlc3BvbnNl')}]`,
    ].join('&'));
    expect(r.summary()).toEqual({ 'R-Q1': 4 });
  });

  test('R-Q2: name heuristics (token, secret, passw, signature, credential, session, apikey)', () => {
    const r = fresh();
    const q = r.redactQuery('myAccessToken=t0k3n_abcdef&user_password=Tr0ub4dor%263&sessionKey=9f8e7d&clientApiKey=ck_123&lang=en');
    expect(q).toMatch(/^myAccessToken=\[REDACTED:R-Q2%23[0-9a-f]{12}\]&user_password=\[REDACTED:R-Q2%23[0-9a-f]{12}\]&sessionKey=\[REDACTED:R-Q2%23[0-9a-f]{12}\]&clientApiKey=\[REDACTED:R-Q2%23[0-9a-f]{12}\]&lang=en$/);
    expect(r.summary()).toEqual({ 'R-Q2': 4 });
  });

  test('R-U1: the password always goes, the user name is kept as a hash', () => {
    const r = fresh();
    expect(r.redactUrl('https://deploy:gh0st-Pa55@git.example.com:8443/repo.git')).toBe(
      `https://[REDACTED:R-U1%23${h12('deploy')}]:[REDACTED:R-U1%23${h12('gh0st-Pa55')}]@git.example.com:8443/repo.git`);
    expect(r.redactUrl('ftp://anonymous@ftp.example.org/pub/')).toBe(`ftp://[REDACTED:R-U1%23${h12('anonymous')}]@ftp.example.org/pub/`);
    const rec = { ...emptyRecord(), host: 'admin:s3cr3t@10.0.0.5:9200' };
    r.redactRecord(rec);
    expect(rec.host).toBe(`[REDACTED:R-U1%23${h12('admin')}]:[REDACTED:R-U1%23${h12('s3cr3t')}]@10.0.0.5:9200`);
    expect(r.summary()).toEqual({ 'R-U1': 5 });
  });

  test('R-U2: fragments and URLs everywhere (implicit-flow fragment, SPA route fragment, URL inside text)', () => {
    const r = fresh();
    const u = r.redactUrl(`https://app.example.com/cb#access_token=ya29.A0ARrdaM-k9&token_type=Bearer&expires_in=3599&id_token=${JWT}`);
    expect(u).toMatch(/^https:\/\/app\.example\.com\/cb#access_token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&token_type=\[REDACTED:R-Q2%23[0-9a-f]{12}\]&expires_in=3599&id_token=\[REDACTED:jwt%20alg%3DHS256%20/);
    expect(u).not.toContain(JWT.split('.')[1]!);
    expect(r.redactUrl('https://app.example.com/#/reset?token=rst_7f3a9c2e')).toMatch(/^https:\/\/app\.example\.com\/#\/reset\?token=\[REDACTED:R-Q1%23[0-9a-f]{12}\]$/);
    const text = r.redactText('redirecting to https://idp.example.com/authorize?client_id=my-app&login_hint=ana%40example.com, then back');
    expect(text).toMatch(/^redirecting to https:\/\/idp\.example\.com\/authorize\?client_id=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&login_hint=\[REDACTED:R-Q1%23[0-9a-f]{12}\], then back$/);
  });

  test('R-U3: ;jsessionid and long random path segments become {token}; slugs and short ids stay', () => {
    const r = fresh();
    expect(r.redactUrl('https://shop.example.com/cart;jsessionid=1A530637289A03B07199A44E8D531427?item=42')).toBe('https://shop.example.com/cart;jsessionid={token}?item=42');
    expect(r.redactUrl('/account/reset/8c1f6f3e0b9a4d2c9e7f1a2b3c4d5e6f/confirm')).toBe('/account/reset/{token}/confirm');
    expect(r.redactUrl('/magic/Zx9_kQ2-LmN0pR4sT6uV8wY1aB3cD5eF7gH')).toBe('/magic/{token}');
    expect(r.redactUrl('/blog/how-to-configure-the-reverse-proxy-server')).toBe('/blog/how-to-configure-the-reverse-proxy-server');
    expect(r.redactUrl('/users/12345/orders/9876')).toBe('/users/12345/orders/9876');
    const rec = { ...emptyRecord(), path: '/v1/invite/0f8fad5b-d9cb-469f-a165-70867728950e', query: 'token=abc' };
    r.redactRecord(rec);
    expect(rec.path).toBe('/v1/invite/{token}');
    expect(r.summary()['R-U3']).toBe(4);
  });
});

describe('bodies', () => {
  test('R-B1: JSON keys from R-Q1/R-Q2 (nested, arrays, numbers); formatting and big numbers kept; word-like code/state kept', () => {
    const r = fresh();
    const body = '{\n  "user": {"id": 12345678901234567890, "password": "Tr0ub4dor&3", "pin": 1234},\n  "credentials": ["AKIA-like-0", {"kind": "x"}],\n  "refreshToken": "rt_01HZX5Q",\n  "error": {"code": 404, "state": "failed", "message": "not found"},\n  "otp": 493817\n}';
    const out = r.redactBody(body, 'application/json; charset=utf-8');
    expect(JSON.parse(out)).toEqual({
      user: { id: 12345678901234567890, password: `[REDACTED:R-B1#${h12('Tr0ub4dor&3')}]`, pin: 1234 },
      credentials: [`[REDACTED:R-B1#${h12('AKIA-like-0')}]`, { kind: `[REDACTED:R-B1#${h12('x')}]` }],
      refreshToken: `[REDACTED:R-B1#${h12('rt_01HZX5Q')}]`,
      error: { code: 404, state: 'failed', message: 'not found' },
      otp: `[REDACTED:R-B1#${h12('493817')}]`,
    });
    expect(out).toContain('"id": 12345678901234567890'); // raw digits, not re-serialized
    expect(out.startsWith('{\n  "user": {')).toBe(true);
    expect(r.summary()).toEqual({ 'R-B1': 5 });
  });

  test('R-B1: past the depth cap the body falls back to the text patterns (no RangeError), still redacting', () => {
    const r = fresh();
    const deep = '['.repeat(100_000) + `{"password":"hunter2hunter2"}` + ']'.repeat(100_000);
    const out = r.redactBody(deep, 'application/json');
    expect(out).not.toContain('hunter2hunter2');
    expect(out.length).toBeLessThan(deep.length + 100);
    expect(r.summary()['R-P4']).toBe(1);
  });

  test('R-B1: past the depth cap, arrays and objects under a secret key still go whole (O2), as quoted markers', () => {
    const r = fresh();
    const deep = (v: string) => `{"password":${v},"x":${'['.repeat(70)}${']'.repeat(70)}}`;
    const a = r.redactBody(deep('["hunter2"]'), 'application/json');
    expect(a.startsWith(`{"password":"[REDACTED:R-P4#${h12('["hunter2"]')}]","x":[[[`)).toBe(true);
    const b = r.redactBody(`{"client_secret":{"v":"abcdefgh"},"x":${'['.repeat(70)}${']'.repeat(70)}}`, 'application/json');
    expect(b).not.toContain('abcdefgh');
    expect(() => JSON.parse(b)).not.toThrow();
    // Weak names keep their structure; their inner secret keys are still found.
    const c = r.redactBody(`{"state":{"phase":"failed","token":"tk_998877"},"x":${'['.repeat(70)}${']'.repeat(70)}}`, 'application/json');
    expect(c).toContain('"phase":"failed"');
    expect(c).not.toContain('tk_998877');
  });

  test('R-B2: form bodies use the R-Q rules; multipart file parts drop content and file name, keep name, type and size', () => {
    const r = fresh();
    expect(r.redactBody('grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb', 'application/x-www-form-urlencoded', { request: true }))
      .toMatch(/^grant_type=authorization_code&code=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&client_secret=\[REDACTED:R-Q1%23[0-9a-f]{12}\]&redirect_uri=https%3A%2F%2Fclient\.example\.com%2Fcb$/);
    const fileBytes = '\u0089PNG\r\n\u001a\nIHDRrawbytes';
    const mp = [
      '------WebKitFormBoundary7MA4YWxkTrZu0gW',
      'Content-Disposition: form-data; name="username"', '', 'ana', 
      '------WebKitFormBoundary7MA4YWxkTrZu0gW',
      'Content-Disposition: form-data; name="password"', '', 'correct horse battery staple',
      '------WebKitFormBoundary7MA4YWxkTrZu0gW',
      'Content-Disposition: form-data; name="avatar"; filename="ana-passport-scan.png"', 'Content-Type: image/png', '', fileBytes,
      '------WebKitFormBoundary7MA4YWxkTrZu0gW--', '',
    ].join('\r\n');
    const out = r.redactBody(mp, 'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW', { request: true });
    expect(out).toContain('name="username"\r\n\r\nana\r\n');
    expect(out).toContain(`name="password"\r\n\r\n[REDACTED:R-Q1#${h12('correct horse battery staple')}]\r\n`);
    expect(out).toContain(`name="avatar"; filename="[REDACTED:R-B2#${h12('ana-passport-scan.png')}]"\r\nContent-Type: image/png\r\n\r\n[REDACTED:R-B2#`);
    expect(out).toContain(`[REDACTED:R-B2#${h12(fileBytes)}] (${fileBytes.length} bytes)\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--`);
    expect(out).not.toContain('passport');
    expect(out).not.toContain('rawbytes');
  });

  test('R-B3: other text bodies get the patterns only', () => {
    const r = fresh();
    const out = r.redactBody(`upstream said: 401 for key AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe (retry with Bearer ${JWT})\nplain words stay`, 'text/plain');
    expect(out).toMatch(/^upstream said: 401 for key \[REDACTED:R-P3#[0-9a-f]{12}\] \(retry with Bearer \[REDACTED:jwt alg=HS256 exp=1700000000 iat=1699990000 iss=https:\/\/auth\.example\.com\/ aud=web-app #[0-9a-f]{12}\]\)\nplain words stay$/);
  });

  test('R-B4: binary bodies are never decoded (HAR base64 image, unknown application/* type, binary WebSocket frame)', () => {
    const r = fresh();
    const png = Buffer.from('\u0089PNG fake image bytes with SECRET_IN_PIXELS').toString('base64');
    const entry = {
      request: { url: 'https://x.example/a', headers: [] },
      response: { headers: [], content: { size: 44, mimeType: 'application/x-protobuf', encoding: 'base64', text: png } },
      _webSocketMessages: [{ type: 'receive', time: 1, opcode: 2, data: 'AAECAwQF' }],
    };
    r.redactHarEntry(entry);
    expect(entry.response.content).toEqual({ size: 44, mimeType: 'application/x-protobuf', text: `[REDACTED:R-B4#${h12(png)}]` });
    expect(entry._webSocketMessages[0]!.data).toMatch(/^\[REDACTED:R-B4#/);
    expect(r.redactBody('\u0000\u0001binary', 'application/zip')).toMatch(/^\[REDACTED:R-B4#/);
  });

  test('R-B5: WebSocket text frames get the body rules (graphql-ws connection_init with a token)', () => {
    const r = fresh();
    const entry = {
      _webSocketMessages: [
        { type: 'send', time: 1, opcode: 1, data: `{"type":"connection_init","payload":{"authToken":"${JWT}"}}` },
        { type: 'send', time: 2, opcode: 1, data: 'PING access_token=wsT0k3n_abc' },
      ],
    };
    r.redactHarEntry(entry);
    expect(JSON.parse(entry._webSocketMessages[0]!.data).payload.authToken).toMatch(/^\[REDACTED:jwt alg=HS256 /);
    expect(entry._webSocketMessages[1]!.data).toMatch(/^PING access_token=\[REDACTED:R-P4#[0-9a-f]{12}\]$/);
  });

  test('R-M1: script, style, HTML and media response bodies are dropped; JSON, problem+json and text/plain are kept', () => {
    const r = fresh();
    for (const mime of ['application/javascript', 'text/css', 'text/html; charset=utf-8', 'image/svg+xml', 'font/woff2', 'application/octet-stream', 'text/xml']) {
      expect(r.redactBody('<html>window.__TOKEN__="x"</html>', mime)).toMatch(/^\[REDACTED:R-M1#[0-9a-f]{12}\]$/);
    }
    expect(r.redactBody('{"type":"about:blank","title":"Too Many Requests","status":429}', 'application/problem+json')).toBe('{"type":"about:blank","title":"Too Many Requests","status":429}');
    expect(r.redactBody('upstream connect error', 'text/plain')).toBe('upstream connect error');
    expect(r.summary()).toEqual({ 'R-M1': 7 });
    // Request bodies are not dropped by R-M1 (they carry the failing input), only scanned.
    expect(r.redactBody('<password>hunter2</password>', 'text/xml', { request: true })).toMatch(/^<password>\[REDACTED:R-P4#[0-9a-f]{12}\]<\/password>$/);
  });
});

describe('patterns', () => {
  test('R-P1: JWT replaced as a whole by a machine-readable marker; PII claims never kept', () => {
    const r = fresh();
    const out = r.redactText(`jwt=${JWT}; also ${JWT}.`);
    expect(out).not.toContain(JWT.slice(0, 20));
    expect(out).not.toContain('ana@example.com');
    const ms = findJwtMarkers(out);
    expect(ms).toHaveLength(2);
    expect(ms[1]).toMatchObject({ alg: 'HS256', exp: 1700000000, hash: h12(JWT) });
    expect(out.endsWith(`#${h12(JWT)}].`)).toBe(true);
  });

  test('R-P2: auth-scheme credentials in text; prose and challenges stay readable', () => {
    const r = fresh();
    const out = r.redactText('curl -H "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l" / sent Bearer 8f2a61c4d3b9e0f7a1b2 / Token ghs_notlongenough9 / Basic authentication failed / Bearer realm="api"');
    expect(out).toBe(`curl -H "Authorization: Basic [REDACTED:R-H1#${h12('YWxhZGRpbjpvcGVuc2VzYW1l')}]" / sent Bearer [REDACTED:R-P2#${h12('8f2a61c4d3b9e0f7a1b2')}] / Token [REDACTED:R-P2#${h12('ghs_notlongenough9')}] / Basic authentication failed / Bearer realm="api"`);
    const digest = r.redactText('Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
    for (const s of ['Mufasa', '7ypf/xlj9XXwfDPEoM4URrv', 'f2/wE4q74E6zIJEtWaHKaf5wv', '753927fa0e85d155564e2e272a28d1802ca10daf', 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS']) expect(digest).not.toContain(s);
    expect(digest).toContain('realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256');
  });

  test('R-P3: known credential formats (gitleaks ids) and PEM private keys', () => {
    const r = fresh();
    const secrets = [
      'AKIAIOSFODNN7EXAMPLE', // aws-access-token (AWS docs example)
      'ghp_R2d2C3poR2d2C3poR2d2C3poR2d2C3po1234', // github-pat
      `github_pat_11ABCDEFG0123456789_${'a1B2c3D4e5'.repeat(6)}ab`, // github-fine-grained-pat
      'xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1', // slack-bot-token
      'sk_live_51H8x2LKj3n4m5b6v7c8x9z0aQwErTy', // stripe-access-token
      'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', // gcp-api-key
    ];
    const out = r.redactText(secrets.map((s, k) => `k${k}: ${s}`).join('\n'));
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out.split('\n').every((l) => /^k\d: \[REDACTED:R-P3#[0-9a-f]{12}\]$/.test(l))).toBe(true);
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE/Wm/Rr500P\n-----END RSA PRIVATE KEY-----';
    expect(r.redactText(`key:\n${pem}\ndone`)).toBe(`key:\n[REDACTED:R-P3#${h12(pem)}]\ndone`);
    // JSON-escaped newlines, as a key sits in a JSON string
    const esc = JSON.stringify({ private_key_pem: pem });
    expect(r.redactText(esc)).not.toContain('MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi');
    // Azure connection strings
    const az = r.redactText('DefaultEndpointsProtocol=https;AccountName=prodstore;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net');
    expect(az).toBe(`DefaultEndpointsProtocol=https;AccountName=prodstore;AccountKey=[REDACTED:R-P3#${h12('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')}];EndpointSuffix=core.windows.net`);
  });

  test('R-P4: assignments to secret names in free text (=, quoted JSON, YAML-ish, XML), word-like values of weak names kept', () => {
    const r = fresh();
    const out = r.redactText('POST failed: password=Tr0ub4dor&3 client_secret: "7Fjfp0ZBr1KtDRbnfVdmIw" {"refresh_token":"rt_9a8b7c6d"} <ApiKey>k-123-456</ApiKey> status code=503 state=failed user[password]=hunter2x');
    expect(out).toBe([
      `POST failed: password=[REDACTED:R-P4#${h12('Tr0ub4dor')}]&3`,
      `client_secret: "[REDACTED:R-P4#${h12('7Fjfp0ZBr1KtDRbnfVdmIw')}]"`,
      `{"refresh_token":"[REDACTED:R-P4#${h12('rt_9a8b7c6d')}]"}`,
      `<ApiKey>[REDACTED:R-P4#${h12('k-123-456')}]</ApiKey>`,
      'status code=503 state=failed',
      `user[password]=[REDACTED:R-P4#${h12('hunter2x')}]`,
    ].join(' '));
    // Inside URL-encoded and JSON-escaped strings
    expect(r.redactText('next=%2Fcb%3Faccess_token%3Dya29.a0AfH6SM%26x%3D1')).toMatch(/^next=%2Fcb%3Faccess_token%3D\[REDACTED:R-P4#[0-9a-f]{12}\]%26x%3D1$/);
    expect(r.redactText('"{\\"apiKey\\":\\"k_5f4dcc3b5aa765d6\\"}"')).toMatch(/^"\{\\"apiKey\\":\\"\[REDACTED:R-P4#[0-9a-f]{12}\]\\"\}"$/);
  });
});

describe('logs and invariants', () => {
  test('R-L1: request URL, referer, basic-auth user field and e-mail user fields in raw log lines', () => {
    const r = fresh();
    const line = '2a02:cf40:: - remote_monitoring_user [24/Aug/2022:21:04:17 +0000] "POST /_bulk?api_key=VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw HTTP/1.1" 200 470 "https://kibana.example.com/app?state=xyz123abc" "Elastic-metricbeat/7.16.3"';
    const out = r.redactLogLine(line);
    expect(out).toBe(`2a02:cf40:: - [REDACTED:R-L1#${h12('remote_monitoring_user')}] [24/Aug/2022:21:04:17 +0000] "POST /_bulk?api_key=[REDACTED:R-Q1%23${h12('VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw')}] HTTP/1.1" 200 470 "https://kibana.example.com/app?state=[REDACTED:R-Q1%23${h12('xyz123abc')}]" "Elastic-metricbeat/7.16.3"`);
    const w3c = r.redactLogLine('2022-08-26 07:52:29 10.142.0.2 GET /health - 443 mcaffee@example.com 10.142.0.9 Mozilla/5.0 - 200 0 0 15');
    expect(w3c).toBe(`2022-08-26 07:52:29 10.142.0.2 GET /health - 443 [REDACTED:R-L1#${h12('mcaffee@example.com')}] 10.142.0.9 Mozilla/5.0 - 200 0 0 15`);
    const rec = { ...emptyRecord(), extra: { user: 'frank', passwordLogged: true, serverPort: 443 } };
    r.redactRecord(rec);
    expect(rec.extra).toEqual({ user: `[REDACTED:R-L1#${h12('frank')}]`, passwordLogged: true, serverPort: 443 });
  });

  test('R-L1: JSON log lines (Caddy, Traefik) use header and user-field rules for keys', () => {
    const r = fresh();
    const caddy = '{"level":"error","logger":"http.log.access","request":{"uri":"/admin?token=tk_123","headers":{"Authorization":["Basic YWRtaW46YWRtaW4="],"Cookie":["sid=abc123"]}},"user_id":"admin","status":401}';
    const out = JSON.parse(r.redactLogLine(caddy));
    expect(out.request.headers.Authorization[0]).toBe(`Basic [REDACTED:R-H1#${h12('YWRtaW46YWRtaW4=')}]`);
    expect(out.request.headers.Cookie[0]).toBe(`sid=[REDACTED:R-C1#${h12('abc123')}]`);
    expect(out.request.uri).toBe(`/admin?token=[REDACTED:R-Q1%23${h12('tk_123')}]`);
    expect(out.user_id).toBe(`[REDACTED:R-L1#${h12('admin')}]`);
    expect(out.status).toBe(401);
    const traefik = JSON.parse(r.redactLogLine('{"ClientUsername":"bob","RequestPath":"/x?sig=0a1b2c","request_Authorization":"Bearer abcdef0123456789","DownstreamStatus":401}'));
    expect(traefik).toEqual({ ClientUsername: `[REDACTED:R-L1#${h12('bob')}]`, RequestPath: `/x?sig=[REDACTED:R-Q1%23${h12('0a1b2c')}]`, request_Authorization: `Bearer [REDACTED:R-H1#${h12('abcdef0123456789')}]`, DownstreamStatus: 401 });
  });

  test('O2: a field whose redaction throws fails closed as [REDACTED:error] and is counted', () => {
    const r = fresh();
    const rec = emptyRecord();
    // A getter that throws stands in for any bug inside a rule.
    rec.reqHeaders = [['Authorization', { toString() { throw new Error('boom'); } } as unknown as string], ['Accept', '*/*']];
    r.redactRecord(rec);
    expect(rec.reqHeaders).toEqual([['Authorization', '[REDACTED:error]'], ['Accept', '*/*']]);
    const entry = { request: { url: 'https://x/', headers: [] }, deep: {} as Record<string, unknown> };
    let cur = entry.deep;
    for (let k = 0; k < 200; k++) { const next = {}; cur['n'] = next; cur = next; }
    cur['secret'] = 'should-never-survive';
    r.redactHarEntry(entry);
    expect(JSON.stringify(entry)).not.toContain('should-never-survive');
    expect(JSON.stringify(entry)).toContain('[REDACTED:error]');
    expect(r.summary()['error']).toBe(2);
  });

  test('O3: markers are [REDACTED:<rule>#<first 12 hex of HMAC-SHA256(key, value)>]; another key gives another hash', () => {
    const a = createRedactor({ key: KEY });
    const b = createRedactor({ key: Buffer.alloc(32, 9) });
    const ma = a.redactHeaders([['X-Api-Key', 'same-secret-value']])[0]![1];
    const mb = b.redactHeaders([['X-Api-Key', 'same-secret-value']])[0]![1];
    expect(ma).toBe(`[REDACTED:R-H1#${h12('same-secret-value')}]`);
    expect(isMarker(ma)).toBe(true);
    expect(mb).not.toBe(ma);
    expect(() => createRedactor({ key: Buffer.alloc(4) })).toThrow(/at least 16/);
  });

  test('O5 and O6: names compare case-insensitively; the summary counts per rule, never values', () => {
    const r = fresh();
    r.redactHeaders([['COOKIE', 'a=1'], ['cookie', 'b=2'], ['X-API-KEY', 'k1'], ['x-api-key', 'k2']]);
    r.redactQuery('ACCESS_TOKEN=t1&Access_Token=t2');
    const s = r.summary();
    expect(s).toEqual({ 'R-C1': 2, 'R-H1': 2, 'R-Q1': 2 });
    expect(JSON.stringify(s)).not.toMatch(/k1|k2|t1|t2/);
  });

  test('redaction is idempotent: already-redacted input comes back unchanged (sanitize, then ingest)', () => {
    const r = fresh();
    const url = `https://u:p@example.com/r/8c1f6f3e0b9a4d2c9e7f1a2b3c4d5e6f;jsessionid=X1?access_token=${JWT}&q=1#id_token=abc`;
    const once = r.redactUrl(url);
    expect(r.redactUrl(once)).toBe(once);
    const hs: Header[] = [['Authorization', `Bearer ${JWT}`], ['Cookie', `a=${JWT}; b=2`], ['Set-Cookie', 'sid=1; Path=/']];
    const h1 = r.redactHeaders(hs);
    expect(r.redactHeaders(h1)).toEqual(h1);
    const t1 = r.redactLogLine(`1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] "GET /x?token=${JWT} HTTP/1.1" 200 1 "-" "ua"`);
    expect(r.redactLogLine(t1)).toBe(t1);
    const b1 = r.redactBody(`{"password":"x","msg":"Bearer ${JWT}"}`, 'application/json');
    expect(r.redactBody(b1, 'application/json')).toBe(b1);
  });
});

describe('R-U3: ASP.NET cookieless session ids in the path', () => {
  test('the (S(…)) segment is replaced, in request URLs and in Location-style full URLs', () => {
    const r = createRedactor({ key: Buffer.alloc(32, 7) });
    const sid = 'pvnzao45hzjcdb55lgyjx1ql';
    const out = r.redactUrl(`http://bango.net/(X(1)S(${sid}))/ProcessRequest.aspx?x=1`);
    expect(out).not.toContain(sid);
    expect(out).toContain('/{token}/ProcessRequest.aspx');
    expect(r.redactUrl(`/(S(${sid}))/a`)).toBe('/{token}/a');
    // Ordinary parentheses in paths are not sessions.
    expect(r.redactUrl('/wiki/Foo_(bar)')).toBe('/wiki/Foo_(bar)');
    expect(r.summary()['R-U3']).toBeGreaterThanOrEqual(2);
  });
});
