/** Small parsers and detectors: header params, message templates, URL anomalies, warnings. */
import { describe, expect, it } from 'vitest';
import { hostKinds, urlAnomalies } from './facts.js';
import { headerParam, rateLimitState, retryAfterMs } from './header-params.js';
import { messageTemplate } from './messages.js';
import { sampleFacts, SAMPLE_TS } from './samples.js';
import { detectWarnings } from './warnings.js';

describe('header params', () => {
  it('reads WWW-Authenticate auth-params and RateLimit fields', () => {
    const v = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"';
    expect(headerParam(v, 'error')).toBe('invalid_token');
    expect(headerParam(v, 'ERROR_DESCRIPTION')).toBe('The access token expired');
    expect(headerParam('Basic realm="restricted"', 'error')).toBeNull();
    expect(headerParam('"default";r=0;t=5', 'r')).toBe('0');
    expect(headerParam('limit=100, remaining=3, reset=30', 'remaining')).toBe('3');
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Wed, 01 May 2024 10:00:30 GMT', SAMPLE_TS)).toBe(30_000);
    expect(retryAfterMs('soon', SAMPLE_TS)).toBeNull();
  });

  it('reads rate-limit state from the common header families', () => {
    const h = (o: Record<string, string>) => (n: string) => o[n] ?? null;
    expect(rateLimitState(h({ 'x-ratelimit-remaining': '4', 'x-ratelimit-limit': '5000' }))).toEqual({ remaining: 4, limit: 5000 });
    expect(rateLimitState(h({ ratelimit: 'limit=100, remaining=0, reset=5' }))).toEqual({ remaining: 0, limit: 100 });
    expect(rateLimitState(h({ ratelimit: '"default";r=2;t=5', 'ratelimit-policy': '"default";q=100;w=60' }))).toEqual({ remaining: 2, limit: 100 });
    expect(rateLimitState(h({}))).toBeNull();
  });
});

describe('message templates', () => {
  it('masks numbers, ids, quoted values and markers but keeps the words', () => {
    expect(messageTemplate('Order 42 not found')).toBe('Order <*> not found');
    expect(messageTemplate('Order 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f not found')).toBe('Order <*> not found');
    expect(messageTemplate('user "alice@example.com" has no access to project \'x1\'')).toBe('user "<*>" has no access to project \'<*>\'');
    expect(messageTemplate('token [REDACTED:jwt alg=HS256 exp=1 #abcdefabcdef] expired at 2024-05-01T09:00:00Z')).toBe('token <*> expired at <*>');
    expect(messageTemplate('timeout after 30s')).toBe(messageTemplate('timeout after 45s'));
    expect(messageTemplate('Pet not found')).toBe('Pet not found');
  });
});

describe('URL anomalies and hosts', () => {
  it('finds malformed URLs', () => {
    expect([...urlAnomalies('/api//users')]).toEqual(['double-slash']);
    expect(urlAnomalies('/search/red shoes').has('space')).toBe(true);
    expect(urlAnomalies('/a/%3Cscript%3E').has('angle-bracket')).toBe(true);
    expect(urlAnomalies('/a/b%20').has('trailing-whitespace')).toBe(true);
    expect(urlAnomalies('/a/../etc/passwd').has('dot-segment')).toBe(true);
    expect(urlAnomalies('/api/users/42').size).toBe(0);
  });

  it('classifies hosts', () => {
    expect([...hostKinds('18.194.223.56:80')].sort()).toEqual(['ip', 'public-ip']);
    expect([...hostKinds('10.0.0.5')].sort()).toEqual(['ip', 'private-ip']);
    expect(hostKinds('127.0.0.1:8080').has('localhost')).toBe(true);
    expect(hostKinds('[2a02:cf40::7]:5000').has('public-ip')).toBe(true);
    expect([...hostKinds('api.example.com')]).toEqual(['name']);
  });
});

describe('warnings on successful requests (synthetic)', () => {
  const kinds = (s: Parameters<typeof sampleFacts>[0]) => detectWarnings(sampleFacts(s)).map((w) => w.kind);

  it('deprecated endpoints with the Sunset date', () => {
    const w = detectWarnings(sampleFacts({ respHeaders: { Deprecation: '@1711929600', Sunset: 'Tue, 31 Dec 2024 23:59:59 GMT' } }));
    expect(w[0]!.kind).toBe('deprecated-endpoint');
    expect(w[0]!.title).toContain('2024-12-31');
    expect(w[0]!.evidence).toContain('Deprecation since 2024-04-01');
  });

  it('rate-limit headroom under 10%', () => {
    expect(kinds({ respHeaders: { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '120' } })).toEqual(['rate-limit-headroom']);
    expect(kinds({ respHeaders: { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '4999' } })).toEqual([]);
  });

  it('tokens used within minutes of expiry', () => {
    const exp = SAMPLE_TS / 1000 + 120;
    expect(kinds({ reqHeaders: { Authorization: `Bearer [REDACTED:jwt alg=RS256 exp=${exp} #0a1b2c3d4e5f]` } })).toEqual(['token-near-expiry']);
    expect(kinds({ reqHeaders: { Authorization: `Bearer [REDACTED:jwt alg=RS256 exp=${exp + 3600} #0a1b2c3d4e5f]` } })).toEqual([]);
  });

  it('credentials over plain http or in query strings, and bare public IPs', () => {
    expect(kinds({ url: 'http://api.example.com/me', reqHeaders: { Authorization: 'Basic [REDACTED:R-H1#0a1b2c3d4e5f]' } })).toEqual(['credentials-over-http']);
    expect(kinds({ url: 'http://localhost:3000/me', reqHeaders: { Authorization: 'Basic [REDACTED:R-H1#0a1b2c3d4e5f]' } })).toEqual([]);
    expect(kinds({ url: 'https://api.example.com/v1/x?api_key=[REDACTED:R-Q1#0a1b2c3d4e5f]&q=1' })).toEqual(['credentials-in-query']);
    expect(kinds({ url: 'https://bucket.example.com/f?X-Amz-Signature=[REDACTED]' })).toEqual([]);
    expect(kinds({ url: 'https://18.194.223.56/health' })).toEqual(['bare-public-ip']);
  });
});
