/** Cross-record facts on synthetic traffic (signals the real corpus lacks). */
import { describe, expect, it } from 'vitest';
import { versionKey } from './context.js';
import { rec, runOn, T0 } from './test-records.js';

function causeOf(result: ReturnType<typeof runOn>['result'], id: number): string {
  for (const c of result.classifications()) if (c.id === id) return `${c.cause}/${c.subcause}`;
  return 'none';
}

describe('context facts', () => {
  it('version keys', () => {
    expect(versionKey('/api/v2/users/{id}')).toEqual({ key: '/api/v*/users/{id}', version: 2 });
    expect(versionKey('/users/{id}')).toBeNull();
  });

  it('an old version failing while a newer version works is deprecated', () => {
    const ok = [1, 2, 3].map((k) => rec({ ts: T0 + k, path: `/api/v2/users/${k}` }));
    const old = rec({ ts: T0 + 10, path: '/api/v1/users/4', status: 404 });
    const alone = rec({ ts: T0 + 11, path: '/api/v1/teams/4', status: 404 });
    const { result } = runOn([...ok, old, alone]);
    expect(causeOf(result, old.id)).toBe('deprecated/old-version');
    expect(causeOf(result, alone.id)).toBe('not-found/unknown-route');
  });

  it('a 404 on a route that works for other ids is a missing resource', () => {
    const ok = [1, 2, 3].map((k) => rec({ ts: T0 + k, path: `/orders/${k}` }));
    const miss = rec({ ts: T0 + 10, path: '/orders/999', status: 404 });
    expect(causeOf(runOn([...ok, miss]).result, miss.id)).toBe('not-found/missing-resource');
  });

  it('a 403 on a route that works for other clients says so', () => {
    const ok = rec({ ts: T0, path: '/reports/1', reqHeaders: [['Authorization', 'Bearer [REDACTED:R-H1#aaaaaaaaaaaa]']] });
    const denied = rec({ ts: T0 + 5, path: '/reports/2', status: 403, reqHeaders: [['Authorization', 'Bearer [REDACTED:R-H1#bbbbbbbbbbbb]']] });
    const selfOnly = rec({ ts: T0 + 6, path: '/admin/1', status: 403, reqHeaders: [['Authorization', 'Bearer [REDACTED:R-H1#bbbbbbbbbbbb]']] });
    const selfOk = rec({ ts: T0 + 1, path: '/admin/2', reqHeaders: [['Authorization', 'Bearer [REDACTED:R-H1#bbbbbbbbbbbb]']] });
    const { result } = runOn([ok, denied, selfOnly, selfOk]);
    expect(causeOf(result, denied.id)).toBe('permission/client-not-permitted');
    expect(causeOf(result, selfOnly.id)).toBe('permission/forbidden');
    const inc = result.incidents.find((i) => i.subcause === 'client-not-permitted')!;
    expect(inc.clients[0]!.token).toBe('#bbbbbbbbbbbb');
  });

  it('a client walking many paths into 404s is a scanner', () => {
    const probes = Array.from({ length: 12 }, (_, k) => rec({ ts: T0 + k * 100, path: `/old-cms-${'abcdefghijkl'[k]}/`, status: 404, clientIp: '192.0.2.66', userAgent: 'Mozilla/5.0' }));
    const user = rec({ ts: T0 + 5000, path: '/old-cms-a/', status: 404, clientIp: '192.0.2.10', userAgent: 'Mozilla/5.0' });
    const { result } = runOn([...probes, user]);
    expect(probes.every((p) => causeOf(result, p.id) === 'not-found/scanner-probe')).toBe(true);
    expect(causeOf(result, user.id)).toBe('not-found/unknown-route');
  });

  it('payload errors on 2xx are found and clustered, never reported as warnings', () => {
    const gql = [0, 1, 2].map((k) => rec({ ts: T0 + k * 1000, method: 'POST', path: '/graphql', status: 200, respMime: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: `Order ${40 + k} not found` }] }), respHeaders: [['Deprecation', '@1711929600']] }));
    const { result } = runOn(gql);
    expect(result.incidents).toHaveLength(1);
    expect(result.incidents[0]!.subcause).toBe('graphql-errors');
    expect(result.incidents[0]!.messages).toEqual([{ template: 'Order <*> not found', count: 3 }]);
    expect(result.warnings).toEqual([]);
  });

  it('warnings aggregate per host for host-level kinds and per route for deprecations', () => {
    const cookie: [string, string][] = [['Cookie', 'sid=[REDACTED:R-C1#0a0b0c0d0e0f]']];
    const plain = ['/a', '/b/1', '/c'].map((p, k) => rec({ ts: T0 + k, scheme: 'http', host: 'shop.example.com', path: p, reqHeaders: cookie }));
    const dep = [1, 2].map((k) => rec({ ts: T0 + 10 + k, path: `/v1/items/${k}`, respHeaders: [['Sunset', 'Tue, 31 Dec 2024 23:59:59 GMT']] }));
    const { result } = runOn([...plain, ...dep]);
    const http = result.warnings.filter((w) => w.kind === 'credentials-over-http');
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ host: 'shop.example.com', route: null, count: 3, firstSeen: T0, lastSeen: T0 + 2 });
    const d = result.warnings.filter((w) => w.kind === 'deprecated-endpoint');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ route: '/v1/items/{id}', count: 2 });
    expect(d[0]!.title).toContain('Sunset 2024-12-31');
    expect(result.failures).toBe(0);
  });
});
