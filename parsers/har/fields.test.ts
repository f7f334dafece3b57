/**
 * Field helpers of the HAR parser: URL split, ISO time, MIME policy, sniffing, header forms.
 * Inputs are small synthetic strings (note: 'synthetic').
 */
import { describe, expect, it } from 'vitest';
import { keepsBody, mimeEssence } from './body.js';
import { indexHeaders, normalizeHeaders, findTraceId, findRequestId } from './headers.js';
import { sniffHar } from './sniff.js';
import { escapeControls, parseIsoTime } from './text.js';
import { splitUrl } from './url.js';

describe('splitUrl', () => {
  it('splits as sent, drops fragment and userinfo, keeps percent-encoding', () => {
    expect(splitUrl('https://User:PASS@API.Example.test:8443/a%2Fb/../c?x=1&y=%20#access_token=SECRET')).toEqual({
      scheme: 'https',
      host: 'api.example.test:8443',
      path: '/a%2Fb/../c',
      query: 'x=1&y=%20',
    });
    expect(splitUrl('https://a.test')).toEqual({ scheme: 'https', host: 'a.test', path: '/', query: null });
    expect(splitUrl('https://a.test?')).toEqual({ scheme: 'https', host: 'a.test', path: '/', query: '' });
    expect(splitUrl('http://[::1]:3000/p#x')).toEqual({ scheme: 'http', host: '[::1]:3000', path: '/p', query: null });
    expect(splitUrl('WSS://a.test/socket')).toMatchObject({ scheme: 'wss', host: 'a.test' });
    expect(splitUrl('/relative?q')).toEqual({ scheme: null, host: null, path: '/relative', query: 'q' });
    expect(splitUrl('chrome-extension://abc/bg.js')).toEqual({ scheme: 'chrome-extension', host: 'abc', path: '/bg.js', query: null });
    expect(splitUrl('blob:https://a.test/uuid')).toMatchObject({ scheme: 'blob', host: null, path: 'https://a.test/uuid' });
    expect(splitUrl('')).toEqual({ scheme: null, host: null, path: null, query: null });
  });
});

describe('parseIsoTime', () => {
  it('honours offsets and any number of fraction digits', () => {
    const base = Date.UTC(2023, 6, 17, 13, 4, 44, 56);
    expect(parseIsoTime('2023-07-17T13:04:44.056651+00:00')).toBe(base); // mitmproxy: 6 digits
    expect(parseIsoTime('2023-07-17T13:04:44.0566517Z')).toBe(base); // Fiddler: 7 digits
    expect(parseIsoTime('2023-07-17T15:04:44.056+02:00')).toBe(base);
    expect(parseIsoTime('2023-07-17T08:34:44.056-0430')).toBe(base);
    expect(parseIsoTime('2023-07-17T13:04:44.056')).toBe(base); // no offset: UTC
    expect(parseIsoTime('2023-07-17 13:04:44Z')).toBe(Date.UTC(2023, 6, 17, 13, 4, 44));
  });
  it('returns null for anything malformed', () => {
    for (const bad of ['', '1', 'yesterday', '2023-13-01T00:00:00Z', '2023-07-17T13:04:44.Z', '2023-07-17T13:04:44+2', '2023-07-17T13:04:44Zjunk', 42, null]) {
      expect(parseIsoTime(bad), String(bad)).toBeNull();
    }
  });
});

describe('body policy (R-M1)', () => {
  it('keeps API text types and drops the rest', () => {
    for (const m of ['application/json', 'Application/JSON; charset=utf-8', 'application/problem+json', 'application/vnd.api+json', 'text/plain', 'Content-Type: application/json']) {
      expect(keepsBody(mimeEssence(m)), m).toBe(true);
    }
    for (const m of ['text/html', 'text/javascript', 'application/javascript', 'text/css', 'text/xml', 'application/xml', 'image/png', 'font/woff2', 'audio/mpeg', 'video/mp4', 'application/octet-stream', 'binary/octet-stream', 'x-unknown', '', null]) {
      expect(keepsBody(mimeEssence(m)), String(m)).toBe(false);
    }
  });
});

describe('sniffHar', () => {
  it('recognises HAR heads and rejects others', () => {
    expect(sniffHar(Buffer.from('  {\n "log": {'))).toBe(true);
    expect(sniffHar(Buffer.from('\ufeff{"log":{'))).toBe(true);
    expect(sniffHar(Buffer.from('onInputData({"log":{'))).toBe(true);
    expect(sniffHar(Buffer.from('{"_meta":1, "log" : {"entries":[]}}'))).toBe(true);
    for (const no of ['', '[]', '{"logs":[]}', '{"level":"info","log":"x"}', '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326', 'log({"x":1})']) {
      expect(sniffHar(Buffer.from(no)), no).toBe(false);
    }
  });
});

describe('headers', () => {
  it('normalizes every header form and caps hostile ones', () => {
    expect(normalizeHeaders([{ name: 'A', value: 'x' }, ['B', 'y'], { name: 'C', value: ['1', 2] }, { name: 'D', value: null }, { name: 'E', value: {} }]).headers).toEqual([
      ['A', 'x'],
      ['B', 'y'],
      ['C', '1, 2'],
      ['D', ''],
    ]);
    expect(normalizeHeaders({ Host: 'a.test' }).headers).toEqual([['Host', 'a.test']]);
    expect(normalizeHeaders('nope')).toEqual({ headers: null, truncated: false });
    const many = normalizeHeaders(Array.from({ length: 1500 }, (_, i) => ({ name: `h${i}`, value: 'v'.repeat(i === 0 ? 100_000 : 1) })));
    expect(many.headers).toHaveLength(1000);
    expect(many.headers![0]![1]).toHaveLength(65536);
    expect(many.truncated).toBe(true);
  });

  it('finds request and trace ids in the usual headers', () => {
    const idx = (h: [string, string][]) => indexHeaders(h);
    expect(findTraceId(idx([['X-Amzn-Trace-Id', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1']]), idx([]))).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(findTraceId(idx([['x-cloud-trace-context', '105445aa7843bc8bf206b12000100000/1;o=1']]), idx([]))).toBe('105445aa7843bc8bf206b12000100000');
    expect(findTraceId(idx([]), idx([['sentry-trace', '771a43a4192642f0b136d5159a501700-b7ad6b7169203331-1']]))).toBe('771a43a4192642f0b136d5159a501700');
    expect(findRequestId(idx([['X-Request-ID', 'client-1']]), idx([['cf-ray', '7d1-AMS']]))).toBe('client-1');
    expect(findRequestId(idx([]), idx([['CF-RAY', '7d1-AMS']]))).toBe('7d1-AMS');
    expect(findRequestId(idx([['x-request-id', '   ']]), idx([]))).toBeNull();
  });

  it('escapes control characters in protocol tokens', () => {
    expect(escapeControls('HTTP/1.1')).toBe('HTTP/1.1');
    expect(escapeControls('H\u0000T\u009bP\u007f')).toBe('H\\x00T\\x9bP\\x7f');
  });
});
