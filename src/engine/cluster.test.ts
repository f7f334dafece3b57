/** Clustering on synthetic traffic (the real corpus has no multi-source or retry-storm data). */
import { describe, expect, it } from 'vitest';
import { looksLikeBackoff } from './behaviours.js';
import { rec, runOn, T0 } from './test-records.js';

const MIN = 60_000;

describe('gap split', () => {
  it('splits a group when it is quiet for longer than the gap, and not before', () => {
    const at = [0, 1, 2, 3, 20, 21].map((m) => T0 + m * MIN);
    const records = at.map((ts) => rec({ ts, status: 502, path: '/orders' }));
    const { result } = runOn(records, { gapMs: 5 * MIN });
    const incidents = result.incidents.filter((i) => i.cause === 'upstream');
    expect(incidents.map((i) => i.count).sort()).toEqual([2, 4]);
    const wide = runOn(records, { gapMs: 30 * MIN }).result.incidents.filter((i) => i.cause === 'upstream');
    expect(wide.map((i) => i.count)).toEqual([6]);
  });

  it('groups an upstream outage by host across routes, a bad URL by route', () => {
    const records = [
      rec({ ts: T0, status: 503, path: '/a' }),
      rec({ ts: T0 + 1000, status: 503, path: '/b' }),
      rec({ ts: T0 + 2000, status: 404, path: '/x//y' }),
      rec({ ts: T0 + 3000, status: 404, path: '/p//q' }),
    ];
    const { result } = runOn(records);
    const up = result.incidents.filter((i) => i.cause === 'upstream');
    expect(up).toHaveLength(1);
    expect(up[0]!.routes.sort()).toEqual(['/a', '/b']);
    expect(up[0]!.title).toMatch(/^Service unavailable on api\.example\.com: 2 requests across 2 routes, 10:00 UTC|^Service unavailable on api\.example\.com: 2 requests across 2 routes, at 10:00 UTC/);
    expect(result.incidents.filter((i) => i.subcause === 'malformed-url')).toHaveLength(2);
  });
});

describe('incident ids', () => {
  it('are stable across runs and independent of record order', () => {
    const records = [0, 1, 2].map((m) => rec({ ts: T0 + m * MIN, status: 401, path: '/me', reqHeaders: [['Authorization', 'Bearer [REDACTED:R-H1#00aa11bb22cc]']] }));
    const a = runOn(records).result.incidents.map((i) => i.id);
    const b = runOn(records.slice().reverse()).result.incidents.map((i) => i.id);
    expect(a).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/^inc-[0-9a-f]{16}$/);
  });

  it('change when the first-seen time changes', () => {
    const one = runOn([rec({ ts: T0, status: 500, path: '/x' })]).result.incidents[0]!.id;
    const two = runOn([rec({ ts: T0 + MIN, status: 500, path: '/x' })]).result.incidents[0]!.id;
    expect(one).not.toBe(two);
  });
});

describe('client behaviour', () => {
  it('detects a retry storm: one client repeating a failing call without backoff', () => {
    const storm = Array.from({ length: 12 }, (_, k) => rec({ ts: T0 + k * 300, status: 503, path: '/pay', method: 'POST', clientIp: '203.0.113.9' }));
    const { result } = runOn(storm);
    const b = result.incidents[0]!.behaviours.find((x) => x.kind === 'retry-storm');
    expect(b?.count).toBe(12);
    expect(b?.client).toContain('203.0.113.9');
  });

  it('does not call exponential backoff a storm', () => {
    let ts = T0;
    const backoff = Array.from({ length: 8 }, (_, k) => { ts += 200 * 2 ** k; return rec({ ts, status: 503, path: '/pay', method: 'POST' }); });
    expect(runOn(backoff).result.incidents[0]!.behaviours.filter((x) => x.kind === 'retry-storm')).toEqual([]);
    expect(looksLikeBackoff([100, 200, 400, 800])).toBe(true);
    expect(looksLikeBackoff([100, 110, 90, 100])).toBe(false);
  });

  it('does not call many different resources on one route a storm', () => {
    const images = Array.from({ length: 20 }, (_, k) => rec({ ts: T0 + k * 50, status: 503, path: `/img/${k}.jpg` }));
    expect(runOn(images).result.incidents[0]!.behaviours).toEqual([]);
  });

  it('flags clients retrying before Retry-After elapsed', () => {
    const r429 = [0, 2000, 4000].map((d) => rec({ ts: T0 + d, status: 429, path: '/search', respHeaders: [['Retry-After', '30']] }));
    const inc = runOn(r429).result.incidents[0]!;
    expect(inc.cause).toBe('rate-limit');
    expect(inc.behaviours.find((b) => b.kind === 'ignores-retry-after')?.count).toBe(2);
  });

  it('detects a thundering herd after recovery', () => {
    const before = Array.from({ length: 10 }, (_, k) => rec({ ts: T0 + k * MIN, status: 200, path: '/feed' }));
    const outage = Array.from({ length: 20 }, (_, k) => rec({ ts: T0 + 10 * MIN + k * 6000, status: 503, path: '/feed', clientIp: `10.0.0.${k}` }));
    const herd = Array.from({ length: 60 }, (_, k) => rec({ ts: T0 + 12 * MIN + 30_000 + k * 500, status: 200, path: '/feed', clientIp: `10.0.1.${k}` }));
    const inc = runOn([...before, ...outage, ...herd]).result.incidents.find((i) => i.cause === 'upstream')!;
    expect(inc.behaviours.find((b) => b.kind === 'thundering-herd')?.count).toBeGreaterThanOrEqual(20);
    expect(inc.errorRate.window).toBeGreaterThan(0.5);
    expect(inc.errorRate.before).toBe(0);
  });
});

describe('HAR and server log of the same traffic', () => {
  it('joins both views into one incident, by request id or by method, route and time', () => {
    const records = [];
    for (let k = 0; k < 3; k++) {
      const ts = T0 + k * 10_000;
      records.push(rec({ ts, status: 502, path: '/api/cart', sourceKind: 'har', sourceId: 1, requestId: k === 0 ? 'req-1' : null, clientIp: null }));
      records.push(rec({ ts: ts + 300, status: 502, path: '/api/cart', host: null, sourceKind: 'log', sourceId: 2, requestId: k === 0 ? 'req-1' : null, upstreamStatus: '502' }));
    }
    const { result } = runOn(records);
    expect(result.incidents).toHaveLength(1);
    const inc = result.incidents[0]!;
    expect(inc.count).toBe(6);
    expect(inc.sourceCounts.map((s) => s.kind).sort()).toEqual(['har', 'log']);
    expect(inc.notes.join(' ')).toMatch(/both views/);
  });
});

describe('sanitized HAR', () => {
  it('lowers confidence of auth conclusions from a Chrome export without credentials', () => {
    const chrome = { harCreator: 'WebInspector' };
    const records = [
      // A HAR entry always has a header list (here Chrome left none that carries credentials).
      rec({ ts: T0, status: 200, path: '/home', sourceKind: 'har', extra: chrome, reqHeaders: [] }),
      rec({ ts: T0 + 1000, status: 401, path: '/api/me', sourceKind: 'har', extra: chrome, reqHeaders: [] }),
    ];
    const inc = runOn(records).result.incidents[0]!;
    expect(inc.subcause).toBe('missing-credentials');
    expect(inc.confidence).toBe('low');
    expect(inc.notes[0]).toMatch(/Chrome/);
    const withCookie = records.map((r) => ({ ...r, reqHeaders: [['Cookie', 'sid=[REDACTED:R-C1#0a0b0c0d0e0f]']] as [string, string][] }));
    const inc2 = runOn(withCookie).result.incidents[0]!;
    expect(inc2.subcause).toBe('rejected-credentials');
    expect(inc2.confidence).toBe('high');
  });
});
