import { describe, expect, test } from 'vitest';
import type { LineResult } from '../format.js';
import { compileLogFormat, detectSyntax, LogFormatError } from './compile.js';

function rec(r: LineResult) {
  if (!('ok' in r) || !r.ok) throw new Error(`expected a record, got ${JSON.stringify(r)}`);
  return r.record;
}
function reason(r: LineResult): string {
  if ('ok' in r && !r.ok) return r.reason;
  throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
}

const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

describe('compileLogFormat: nginx syntax', () => {
  test('combined plus timings, upstream lists and ids', () => {
    const f = compileLogFormat(
      `${NGINX_COMBINED} $request_time $upstream_response_time $upstream_addr $upstream_status $host $request_id "$http_traceparent" "$http_x_forwarded_for" $pipe`,
      'mine',
    );
    expect(f.id).toBe('mine');
    const r = rec(f.create()(
      '10.0.0.1 - alice [07/Feb/2020:11:48:51 +0100] "POST /api/v1/orders?id=7 HTTP/1.1" 502 157 "-" "curl/8.0" 2.004 1.000, 1.002 10.0.0.5:8080, 10.0.0.6:8080 502, 502 api.example.com 4f1c2e "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" "203.0.113.9, 10.0.0.1" p',
    ));
    expect(r).toMatchObject({
      ts: Date.UTC(2020, 1, 7, 10, 48, 51),
      method: 'POST', path: '/api/v1/orders', query: 'id=7', httpVersion: 'HTTP/1.1',
      status: 502, bytesOut: 157, clientIp: '10.0.0.1', userAgent: 'curl/8.0', referer: null,
      durationMs: 2004, upstreamMs: 2002, upstreamAddr: '10.0.0.5:8080, 10.0.0.6:8080', upstreamStatus: '502, 502',
      host: 'api.example.com', requestId: '4f1c2e', traceId: '0af7651916cd43dd8448eb211c80319c',
    });
    expect(r.extra).toMatchObject({ user: 'alice', xForwardedFor: '203.0.113.9, 10.0.0.1', pipe: 'p', upstreamResponseTime: '1.000, 1.002' });
  });

  test('log_format directive with several quoted parts and ${var}', () => {
    const f = compileLogFormat(`log_format main escape=default '\${remote_addr} [$time_iso8601] "$request" '
                    '$status $request_length $msec';`);
    const r = rec(f.create()('::1 [2024-03-01T12:00:00+00:00] "GET / HTTP/2.0" 404 120 1709294400.123'));
    expect(r).toMatchObject({ clientIp: '::1', status: 404, bytesIn: 120, ts: 1709294400123, path: '/' });
  });

  test('$uri$is_args$args reads as one request URI', () => {
    const f = compileLogFormat('$remote_addr "$request_method $uri$is_args$args" $status');
    expect(rec(f.create()('1.1.1.1 "GET /x?y=1" 200'))).toMatchObject({ method: 'GET', path: '/x', query: 'y=1', status: 200 });
  });

  test('nginx \\x22 escapes are kept, backslash-quote is unescaped', () => {
    const f = compileLogFormat(NGINX_COMBINED);
    const r = rec(f.create()('1.1.1.1 - - [07/Feb/2020:11:48:51 +0000] "GET /a\\x22b HTTP/1.1" 200 1 "-" "say \\"hi\\""'));
    expect(r.path).toBe('/a\\x22b');
    expect(r.userAgent).toBe('say "hi"');
  });

  test('unknown variables go to extra by name; secrets are withheld', () => {
    const f = compileLogFormat('$remote_addr $foo_bar "$http_authorization" $cookie_sid $status');
    const r = rec(f.create()('1.1.1.1 xyz "Bearer abc.def" s3cr3t 200'));
    expect(r.extra).toEqual({ foo_bar: 'xyz', http_authorization: '[withheld]', cookie_sid: '[withheld]' });
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
    expect(JSON.stringify(r)).not.toContain('abc.def');
  });

  test('rejects lines of another shape with the column and what was expected', () => {
    const p = compileLogFormat(NGINX_COMBINED).create();
    expect(reason(p('1.1.1.1 - - 07/Feb/2020:11:48:51 +0000] "GET / HTTP/1.1" 200 1 "-" "-"'))).toMatch(/expected " \[" at column 12/);
    expect(reason(p('1.1.1.1 - - [07/Feb/2020:11:48:51 +0000] "GET / HTTP/1.1" abc 1 "-" "-"'))).toMatch(/expected an HTTP status \(status\) at column 59/);
    expect(reason(p('1.1.1.1 - - [yesterday] "GET / HTTP/1.1" 200 1 "-" "-"'))).toMatch(/time \(time_local\) at column 14/);
    expect(reason(p('1.1.1.1 - - [07/Feb/2020:11:48:51 +0000] "GET / HTTP/1.1" 200 1 "-" "x" extra'))).toMatch(/unexpected text at column/);
  });

  test('a trailing space in the spec or the line does not matter', () => {
    const p = compileLogFormat('$remote_addr $status $request_time ').create();
    expect(rec(p('1.1.1.1 200 0.5'))).toMatchObject({ status: 200, durationMs: 500 });
    expect(rec(p('1.1.1.1 200 0.5  '))).toMatchObject({ status: 200, durationMs: 500 });
  });
});

describe('compileLogFormat: Apache syntax', () => {
  test('combined with %D, %v, %{X-Request-Id}i, %L (escaped quotes as in httpd.conf)', () => {
    const f = compileLogFormat('%v %h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D %{X-Request-Id}i %L');
    const r = rec(f.create()(
      'www.example.com 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 503 - "http://ref/" "Mozilla/4.08" 1500123 req-1 logid',
    ));
    expect(r).toMatchObject({
      host: 'www.example.com', clientIp: '192.0.2.7', ts: Date.UTC(2000, 9, 10, 20, 55, 36),
      status: 503, bytesOut: 0, referer: 'http://ref/', userAgent: 'Mozilla/4.08', durationMs: 1500.123, requestId: 'req-1',
    });
  });

  test('LogFormat wrapper, %T, %{ms}T, %I %O, %a, %V, %U%q', () => {
    const f = compileLogFormat('LogFormat "%a %V \\"%m %U%q %H\\" %>s %I %O %T %{ms}T" timed');
    const r = rec(f.create()('2001:db8::1 shop.example "GET /cart?item=3 HTTP/1.1" 200 321 4567 2 2345'));
    expect(r).toMatchObject({
      clientIp: '2001:db8::1', host: 'shop.example', method: 'GET', path: '/cart', query: 'item=3', httpVersion: 'HTTP/1.1',
      status: 200, bytesIn: 321, bytesOut: 4567, durationMs: 2345,
    });
  });

  test('custom strftime time with a space, msec_frac and a separate zone', () => {
    const f = compileLogFormat('%h [%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t %{%z}t] %>s');
    expect(rec(f.create()('1.1.1.1 [10/Oct/2000:13:55:36.250 -0700] 200')).ts).toBe(Date.UTC(2000, 9, 10, 20, 55, 36, 250));
    const g = compileLogFormat('%h %{%Y-%m-%d %H:%M:%S}t %>s');
    expect(rec(g.create()('1.1.1.1 2024-01-02 03:04:05 404'))).toMatchObject({ status: 404 });
  });

  test('conditional and original-status modifiers are accepted', () => {
    const f = compileLogFormat('%h %<s %!200,304{Referer}i %400,501{User-agent}i');
    expect(rec(f.create()('1.1.1.1 200 - -'))).toMatchObject({ status: 200, referer: null, userAgent: null });
  });

  test('%% is a literal percent', () => {
    const f = compileLogFormat('%h 100%% %>s');
    expect(rec(f.create()('1.1.1.1 100% 204')).status).toBe(204);
  });
});

describe('compileLogFormat: bad specs', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /column 1: no fields found/],
    ['just text', /no fields found: expected nginx \$variables .* or Apache %directives/],
    ['$remote_addr $', /column 14: expected a variable name after '\$', found end of format/],
    ['$remote_addr ${status', /column 14: unterminated '\$\{': expected '\}'/],
    ['$remote_addr ${9x}', /column 16: expected a variable name inside/],
    ['$remote_addr$status', /column 13: \$remote_addr and \$status have nothing between them/],
    ['%h %Z %>s', /column 5: unknown Apache directive %Z: expected one of %a %A/],
    ['%h %{Referer', /column 5: unterminated '%\{': expected '\}'/],
    ['%h %>', /column 4: expected a directive letter after %/],
    ['%h %i', /column 4: %i needs a \{name\} argument/],
    ['%h %{fortnights}T', /column 4: unknown %\{…\}T unit "fortnights": expected ms, us or s/],
    ['$remote_addr %h', /mixes 1 nginx \$variables and 1 Apache %directives/],
    ["log_format main '$remote_addr", /unterminated ' string: expected a closing '/],
    ["log_format main '$remote_addr' junk", /unexpected text after the format string/],
  ];
  test.each(cases)('%j', (spec, msg) => {
    let err: unknown;
    try {
      compileLogFormat(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LogFormatError);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(msg);
  });

  test('detectSyntax picks the majority syntax', () => {
    expect(detectSyntax('$remote_addr $status 100%')).toBe('nginx');
    expect(detectSyntax('%h %>s $5')).toBe('apache');
  });

  test('a $constructor variable is an unknown variable, not Object.prototype', () => {
    const r = rec(compileLogFormat('$constructor $status').create()('x 200'));
    expect(r.extra).toEqual({ constructor: 'x' });
  });
});

describe('hostile lines stay linear (security.md B-24)', () => {
  const p = compileLogFormat(`${NGINX_COMBINED} $upstream_addr $request_time`).create();
  const prefix = '1.1.1.1 - - [07/Feb/2020:11:48:51 +0000] "';
  const hostile = [
    '"'.repeat(10_000),
    '['.repeat(10_000),
    '\\'.repeat(10_000),
    prefix + '\\"'.repeat(5_000),
    prefix + 'GET /' + '" '.repeat(5_000),
    prefix + 'GET / HTTP/1.1" 200 1 "' + '" "'.repeat(3_000),
    '1.1.1.1 - - [' + ']'.repeat(10_000),
    '1.1.1.1 - - [07/Feb/2020:11:48:51 +0000] "GET / HTTP/1.1" 200 1 "-" "-" ' + ', '.repeat(5_000),
    ' '.repeat(10_000),
  ];
  // Speed is measured in bench/hostile-lines.mjs (npm run bench), never in timed tests: here the call
  // returns a record or a short rejection reason, the same answer twice, no field longer than the line.
  test.each(hostile.map((h, i) => [i, h] as const))('hostile line %i parses or rejects with a reason', (_i, line) => {
    const first = p(line);
    expect('ok' in first || 'directive' in first).toBe(true);
    if ('ok' in first && !first.ok) {
      expect(first.reason.length).toBeGreaterThan(0);
      expect(first.reason.length).toBeLessThanOrEqual(1024);
    }
    if ('ok' in first && first.ok) {
      for (const v of Object.values(first.record)) if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(line.length);
    }
    expect(p(line)).toEqual(first);
  });
});
