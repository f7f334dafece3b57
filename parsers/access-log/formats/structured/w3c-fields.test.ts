/**
 * (d) W3C and CloudFront headers: #Fields changing mid-file re-maps the columns, data before any
 * #Fields is rejected with a reason, the #Date directive supplies the date when the columns lack it,
 * and field-count mismatches are rejected, not misread. Lines here are synthetic.
 */
import { describe, expect, it } from 'vitest';
import type { LineResult } from '../../format.js';
import { cloudfrontFormat } from './cloudfront.js';
import { tokenizeW3c, w3cFormat } from './w3c.js';

function ok(r: LineResult) {
  if (!('ok' in r) || !r.ok) throw new Error(`rejected: ${JSON.stringify(r)}`);
  return r.record;
}

describe('w3c: #Fields changing mid-file', () => {
  it('re-maps the columns at each #Fields', () => {
    const parse = w3cFormat.create();
    expect(parse('#Software: Microsoft Internet Information Services 10.0')).toEqual({ directive: true });
    expect(parse('#Fields: date time cs-method cs-uri-stem sc-status time-taken')).toEqual({ directive: true });
    expect(ok(parse('2024-01-02 03:04:05 GET /a 200 15'))).toMatchObject({ method: 'GET', path: '/a', status: 200, durationMs: 15 });
    // columns reordered, some added, date now from #Date
    expect(parse('#Date: 2024-01-03 00:00:00')).toEqual({ directive: true });
    expect(parse('#Fields: time sc-status cs-uri-stem cs-method c-ip cs-uri-query sc-bytes')).toEqual({ directive: true });
    expect(ok(parse('06:07:08 503 /b POST 10.0.0.1 x=1 99'))).toMatchObject({
      ts: Date.UTC(2024, 0, 3, 6, 7, 8), status: 503, path: '/b', query: 'x=1', method: 'POST', clientIp: '10.0.0.1', bytesOut: 99, durationMs: null,
    });
    // a line still in the old layout is now the wrong width
    expect(parse('2024-01-02 03:04:05 GET /a 200 15')).toEqual({ ok: false, reason: 'expected 7 fields (per #Fields), got 6' });
    // back to a layout with a full URI and a header column
    expect(parse('#Fields: date time cs-uri sc-status cs(X-Request-Id) sc(Content-Type)')).toEqual({ directive: true });
    expect(ok(parse('2024-01-04 00:00:01 https://h.example/c?d=1 404 abc text/html'))).toMatchObject({
      scheme: 'https', host: 'h.example', path: '/c', query: 'd=1', status: 404,
      reqHeaders: [['X-Request-Id', 'abc']], respHeaders: [['Content-Type', 'text/html']], respMime: 'text/html',
    });
  });

  it('rejects data before any #Fields with the documented reason', () => {
    const parse = w3cFormat.create();
    expect(parse('#Version: 1.0')).toEqual({ directive: true });
    expect(parse('2024-01-02 03:04:05 GET /a 200 15')).toEqual({ ok: false, reason: 'no #Fields directive before this line' });
  });

  it('rejects a #Fields without status or URI (not an HTTP access log) and CloudFront headers', () => {
    const a = w3cFormat.create();
    a('#Fields: date time c-ip cs-username');
    expect(a('2024-01-02 03:04:05 10.0.0.1 bob')).toEqual({ ok: false, reason: 'no sc-status or cs-uri-stem in #Fields: not an HTTP access log' });
    const b = w3cFormat.create();
    b('#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status');
    expect(b('2024-01-02 03:04:05 LAX1 1 1.2.3.4 GET d.cloudfront.net / 200')).toMatchObject({ ok: false, reason: expect.stringMatching(/cloudfront/) });
  });

  it('rejects unparseable dates, non-numeric statuses and broken quoting with reasons', () => {
    const parse = w3cFormat.create();
    parse('#Fields: date time cs-method cs-uri-stem sc-status cs(User-Agent)');
    expect(parse('yesterday 03:04:05 GET /a 200 x')).toEqual({ ok: false, reason: 'expected date yyyy-mm-dd and time hh:mm:ss' });
    expect(parse('2024-01-02 03:04:05 GET /a OK x')).toEqual({ ok: false, reason: 'sc-status is not an HTTP status' });
    const open = '2024-01-02 03:04:05 GET /a 200 "open';
    expect(parse(open)).toEqual({ ok: false, reason: `unterminated quoted value at column ${open.indexOf('"') + 1}` });
    const glued = '2024-01-02 03:04:05 GET /a 200 "a"b';
    expect(parse(glued)).toEqual({ ok: false, reason: `expected a space after the quoted value at column ${glued.lastIndexOf('b') + 1}` });
  });

  it('reads IIS `+` as a space in the user agent, but not in quoted values', () => {
    const parse = w3cFormat.create();
    parse('#Fields: date time cs-uri-stem sc-status cs(User-Agent)');
    expect(ok(parse('2024-01-02 03:04:05 / 200 Mozilla/5.0+(X11;++http://x)')).userAgent).toBe('Mozilla/5.0 (X11; +http://x)');
    expect(ok(parse('2024-01-02 03:04:05 / 200 "a+b ""c"""')).userAgent).toBe('a+b "c"');
  });

  it('time-taken: integer is ms (IIS), a fraction is seconds (W3C spec)', () => {
    const parse = w3cFormat.create();
    parse('#Fields: date time cs-uri-stem sc-status time-taken');
    expect(ok(parse('2024-01-02 03:04:05 / 200 250')).durationMs).toBe(250);
    expect(ok(parse('2024-01-02 03:04:05 / 200 0.250')).durationMs).toBe(250);
  });

  it('win32 status becomes errorText (64: the client went away)', () => {
    const parse = w3cFormat.create();
    parse('#Fields: date time cs-uri-stem sc-status sc-win32-status');
    expect(ok(parse('2024-01-02 03:04:05 / 200 64')).errorText).toBe('win32 64 ERROR_NETNAME_DELETED (client closed the connection)');
    expect(ok(parse('2024-01-02 03:04:05 / 200 0')).errorText).toBeNull();
  });

  it('tokenizer stops at the field limit instead of splitting a huge line', () => {
    const values: string[] = [];
    const literal: boolean[] = [];
    expect(tokenizeW3c('a '.repeat(100000), values, literal, 5)).toBe('expected 5 fields (per #Fields), got more');
    expect(values.length).toBe(5);
  });
});

describe('cloudfront: header handling', () => {
  const FIELDS = '#Fields: date time x-edge-location c-ip cs-method cs(Host) cs-uri-stem sc-status time-taken x-edge-result-type x-edge-detailed-result-type';
  it('re-maps at a second #Fields (concatenated files)', () => {
    const parse = cloudfrontFormat.create();
    expect(parse('2024-01-02\t03:04:05\tFRA2\t1.2.3.4\tGET\td.cloudfront.net\t/x\t200\t0.010\tMiss\tMiss')).toEqual({
      ok: false, reason: 'no #Fields directive before this line',
    });
    parse('#Version: 1.0');
    parse(FIELDS);
    expect(ok(parse('2024-01-02\t03:04:05\tFRA2\t1.2.3.4\tGET\td.cloudfront.net\t/x\t504\t30.001\tError\tOriginReadError'))).toMatchObject({
      status: 504, durationMs: 30001, errorText: 'OriginReadError', extra: { lbError: true },
    });
    parse('#Fields: date time cs-uri-stem sc-status x-edge-result-type x-host-header');
    expect(ok(parse('2024-01-02\t03:04:06\t/y\t500\tError\tshop.example'))).toMatchObject({
      path: '/y', status: 500, host: 'shop.example', errorText: 'Error',
    });
  });

  it('a plain Error (origin 5xx passed through) is not marked as edge-generated', () => {
    const parse = cloudfrontFormat.create();
    parse(FIELDS);
    const r = ok(parse('2024-01-02\t03:04:05\tFRA2\t1.2.3.4\tGET\td.cloudfront.net\t/x\t500\t0.2\tError\tError'));
    expect(r.errorText).toBe('Error');
    expect(r.extra?.['lbError']).toBeUndefined();
  });

  it('rejects an IIS header', () => {
    const parse = cloudfrontFormat.create();
    parse('#Fields: date time cs-method cs-uri-stem sc-status');
    expect(parse('2024-01-02\t03:04:05\tGET\t/\t200')).toEqual({ ok: false, reason: 'expected CloudFront #Fields (x-edge-* columns)' });
  });
});

describe('zeek-http: header handling', () => {
  it('rejects data before #fields, other Zeek logs, and http logs without the needed columns', async () => {
    const { zeekHttpFormat } = await import('./zeek-http.js');
    const a = zeekHttpFormat.create();
    expect(a('1320279566.452687\tCwFs\tGET')).toEqual({ ok: false, reason: 'no zeek #fields header before this line' });
    const b = zeekHttpFormat.create();
    b('#separator \\x09');
    b('#path\tconn');
    b('#fields\tts\tuid\tid.orig_h\tproto\tservice');
    expect(b('1320279566.452687\tCwFs\t10.0.0.1\ttcp\thttp')).toEqual({ ok: false, reason: 'zeek log of another kind (#path is not http)' });
    const c = zeekHttpFormat.create();
    c('#separator \\x09');
    c('#fields\tts\tuid\tmethod');
    expect(c('1320279566.452687\tCwFs\tGET')).toEqual({ ok: false, reason: 'no status_code or uri in the zeek #fields: not an http.log' });
  });

  it('honours a non-tab #separator and custom unset/empty markers', async () => {
    const { zeekHttpFormat } = await import('./zeek-http.js');
    const p = zeekHttpFormat.create();
    p('#separator \\x7c');
    p('#unset_field|NONE');
    p('#empty_field|EMPTY');
    p('#fields|ts|method|host|uri|status_code|user_agent');
    expect(ok(p('1700000000.5|GET|h.example|/a?b=1|204|NONE'))).toMatchObject({
      ts: 1700000000500, method: 'GET', host: 'h.example', path: '/a', query: 'b=1', status: 204, userAgent: null,
    });
    expect(p('1700000000.5|GET|h.example|/a|204')).toEqual({ ok: false, reason: 'expected 6 fields (per #fields), got 5' });
  });
});
