/**
 * Cloudflare Logpush `http_requests` dataset (JSON lines). EdgeResponseStatus is what the client
 * got; OriginResponseStatus is 0 when the origin was not contacted (cache hit, edge redirect, WAF
 * block) or never answered. Timestamps come as RFC 3339, unix seconds, ms or ns (timestamp_format).
 */
import type { RequestRecord } from '../../../../src/core/types.js';
import { defineJsonFormat, setExtra, strOf, type JsonObject, type JsonFormatSpec, type StringFix } from './json-map.js';
import { parseAnyTime } from './time.js';

/** Status codes only Cloudflare's edge writes (520 unknown origin error … 527 Railgun, 530 origin DNS/1xxx). */
function isCloudflareStatus(s: number): boolean {
  return (s >= 520 && s <= 527) || s === 530;
}

const BLOCKING_ACTIONS = new Set(['block', 'drop', 'challenge', 'jschallenge', 'managed_challenge', 'connectionClose', 'forceConnectionClose']);

function finishCloudflare(rec: RequestRecord, obj: JsonObject, fix: StringFix): void {
  const origin = obj['OriginResponseStatus'];
  const originStatus = typeof origin === 'number' ? origin : null;
  if (originStatus === 0) {
    // The origin was never heard from: no upstream status, and its timings are meaningless zeros.
    rec.upstreamStatus = null;
    rec.upstreamMs = null;
  }
  // Duration: only when both edge stamps are numeric (ms/ns); RFC 3339 stamps are whole seconds.
  const start = obj['EdgeStartTimestamp'];
  const end = obj['EdgeEndTimestamp'];
  if (typeof start === 'number' && typeof end === 'number') {
    const a = parseAnyTime(start);
    const b = parseAnyTime(end);
    if (a !== null && b !== null && b >= a) rec.durationMs = b - a;
  }
  const action = strOf(obj['SecurityAction'], fix) ?? strOf(obj['WAFAction'], fix);
  const blocked = action !== null && BLOCKING_ACTIONS.has(action);
  if (blocked) rec.errorText = `WAF ${action}`;
  const s = rec.status;
  if (s !== null && ((s >= 500 && (originStatus === 0 || isCloudflareStatus(s))) || (s >= 400 && blocked))) {
    setExtra(rec, 'lbError', true);
  }
}

export const cloudflareSpec: JsonFormatSpec = {
  id: 'cloudflare-json',
  title: 'Cloudflare Logpush http_requests (JSON)',
  identify: [
    { anyOf: ['EdgeResponseStatus'], what: 'a Cloudflare http_requests entry with EdgeResponseStatus' },
    { anyOf: ['ClientRequestURI', 'ClientRequestPath', 'ClientRequestHost'], what: 'a Cloudflare http_requests entry with ClientRequestURI' },
  ],
  fields: {
    ts: ['EdgeStartTimestamp'],
    method: ['ClientRequestMethod'],
    target: ['ClientRequestURI', 'ClientRequestPath'],
    host: ['ClientRequestHost'],
    scheme: ['ClientRequestScheme'],
    status: ['EdgeResponseStatus'],
    httpVersion: ['ClientRequestProtocol'],
    durationMs: ['EdgeTimeToFirstByteMs:ms'],
    upstreamMs: ['OriginResponseDurationMs:ms', 'OriginResponseTime:ns'],
    bytesOut: ['EdgeResponseBytes'],
    bytesIn: ['ClientRequestBytes'],
    clientIp: ['ClientIP'],
    userAgent: ['ClientRequestUserAgent'],
    referer: ['ClientRequestReferer'],
    upstreamAddr: ['OriginIP'],
    upstreamStatus: ['OriginResponseStatus'],
    requestId: ['RayID'],
    respMime: ['EdgeResponseContentType'],
  },
  extra: {
    originStatus: 'OriginResponseStatus', cacheStatus: 'CacheCacheStatus', colo: 'EdgeColoCode',
    wafAction: ['SecurityAction', 'WAFAction'], country: 'ClientCountry', requestSource: 'ClientRequestSource',
  },
  finish: finishCloudflare,
  samples: [
    {
      line: '{"ClientIP":"87.226.160.250","ClientRequestHost":"www.ripe.net","ClientRequestMethod":"HEAD","ClientRequestURI":"/","EdgeEndTimestamp":"2022-10-30T00:00:02Z","EdgeResponseBytes":570,"EdgeResponseStatus":301,"EdgeStartTimestamp":"2022-10-30T00:00:02Z","RayID":"761fde4e984e5ab2","CacheCacheStatus":"unknown","CacheTieredFill":false,"CacheResponseBytes":0,"CacheResponseStatus":0,"FirewallMatchesActions":[],"FirewallMatchesRuleIDs":[],"FirewallMatchesSources":[],"OriginResponseBytes":0,"OriginResponseDurationMs":0,"OriginResponseHTTPExpires":"","OriginResponseHTTPLastModified":"","OriginResponseHeaderReceiveDurationMs":0,"OriginResponseStatus":0,"OriginResponseTime":0,"OriginDNSResponseTimeMs":0,"OriginIP":"","OriginRequestHeaderSendDurationMs":0,"OriginSSLProtocol":"unknown","OriginTCPHandshakeDurationMs":0,"OriginTLSHandshakeDurationMs":0,"WAFAction":"unknown","WAFFlags":"0","WAFMatchedVar":"","WAFProfile":"unknown","WAFRuleID":"","WAFRuleMessage":"","ClientASN":12389,"ClientCountry":"ru","ClientDeviceType":"desktop","ClientIPClass":"noRecord","ClientRequestBytes":567,"ClientRequestPath":"/","ClientRequestProtocol":"HTTP/1.1","ClientRequestUserAgent":"","ClientRequestReferer":"","ClientRequestScheme":"http","ClientRequestSource":"eyeball"}',
      expect: {
        ts: Date.UTC(2022, 9, 30, 0, 0, 2), method: 'HEAD', scheme: 'http', host: 'www.ripe.net', path: '/', query: null, status: 301,
        httpVersion: 'HTTP/1.1', bytesOut: 570, bytesIn: 567, clientIp: '87.226.160.250', userAgent: null, referer: null,
        upstreamAddr: null, upstreamStatus: null, upstreamMs: null, requestId: '761fde4e984e5ab2', errorText: null,
        extra: { originStatus: 0, cacheStatus: 'unknown', wafAction: 'unknown', country: 'ru', requestSource: 'eyeball' },
      },
    },
    {
      line: '{"ClientIP":"198.51.100.7","ClientRequestHost":"api.example.org","ClientRequestMethod":"GET","ClientRequestURI":"/v2/users?id=5","ClientRequestProtocol":"HTTP/2","ClientRequestScheme":"https","ClientRequestUserAgent":"okhttp/4.9.0","EdgeStartTimestamp":1700000000123000000,"EdgeEndTimestamp":1700000030223000000,"EdgeResponseStatus":524,"EdgeResponseBytes":1200,"OriginResponseStatus":0,"OriginResponseDurationMs":0,"OriginIP":"203.0.113.50","RayID":"7f00aa11bb22cc33","CacheCacheStatus":"dynamic","EdgeColoCode":"FRA","WAFAction":"unknown"}',
      note: 'synthetic: 524 origin timeout written by the edge, nanosecond timestamps',
      expect: {
        ts: 1700000000123, status: 524, durationMs: 30100, upstreamStatus: null, upstreamAddr: '203.0.113.50', path: '/v2/users', query: 'id=5',
        extra: { lbError: true, originStatus: 0, colo: 'FRA' },
      },
    },
    {
      line: '{"ClientIP":"192.0.2.66","ClientRequestHost":"www.example.org","ClientRequestMethod":"POST","ClientRequestURI":"/wp-login.php","EdgeStartTimestamp":"2023-06-01T10:00:00Z","EdgeResponseStatus":403,"OriginResponseStatus":0,"SecurityAction":"block","RayID":"80aa"}',
      note: 'synthetic: WAF block at the edge',
      expect: { status: 403, errorText: 'WAF block', extra: { lbError: true, wafAction: 'block' } },
    },
  ],
};

export const cloudflareJsonFormat = defineJsonFormat(cloudflareSpec);
