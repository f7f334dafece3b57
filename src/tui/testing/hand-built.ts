/**
 * Hand-built view-model objects for component tests that must not depend on the ingest pipeline
 * (synthetic: every value below is made up for the test). Tests over real databases build them
 * with ingestAll + runAnalysis instead; see *.db.test.tsx.
 */
import { emptyRecord, type StoredRequest } from '../../core/types.js';
import type { IncidentRecord } from '../../engine/types.js';
import type { IncidentDetail, Overview, RequestPage } from '../../queries/view-model.js';
import { requestLocator, requestUrl } from '../../queries/build.js';
import type { RequestFilter } from '../../store/views.js';
import type { ReportScope, TuiSource } from '../source.js';
import { queryIncidents } from '../views/incident-list.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

export function storedRequest(id: number, over: Partial<StoredRequest> = {}): StoredRequest {
  return {
    ...emptyRecord(),
    id, sourceId: 1, sourcePath: 'capture.har', sourceKind: 'har', format: 'har', line: null, entry: id - 1,
    failed: true, route: '/v1/users/{id}', cause: 'upstream', subcause: 'unavailable', ruleId: 'upstream-503', incidentId: 'inc-a', raw: null,
    ts: T0 + id * 1000, method: 'GET', scheme: 'https', host: 'api.example.com', path: `/v1/users/${id}`, query: null,
    status: 503, durationMs: 120 + id, clientIp: '10.0.0.7', userAgent: 'synthetic-test/1.0',
    ...over,
  };
}

function incident(id: string, over: Partial<IncidentRecord>): IncidentRecord {
  return {
    id, cause: 'upstream', subcause: 'unavailable', ruleId: 'upstream-503', ruleTitle: 'Upstream unavailable (503)',
    title: `Upstream 503 on api.example.com`, group: { host: 'api.example.com' }, severity: 80, confidence: 'high', notes: [],
    firstSeen: T0, lastSeen: T0 + 600_000, count: 150, routes: ['/v1/users/{id}'],
    routeCounts: [{ host: 'api.example.com', route: '/v1/users/{id}', method: 'GET', count: 150 }],
    hosts: ['api.example.com'], statuses: { '503': 150 }, sources: ['capture.har'],
    sourceCounts: [{ path: 'capture.har', kind: 'har', count: 150 }],
    clients: [{ ip: '10.0.0.7', userAgent: 'synthetic-test/1.0', token: null, count: 150 }], clientCount: 1,
    errorRate: { window: 0.9, before: 0.01, windowTotal: 166, beforeTotal: 100 },
    messages: [{ template: 'Service Unavailable', count: 150 }],
    evidence: [{ label: 'status', values: ['503'] }, { label: 'header:retry-after', values: ['30'] }],
    advice: { check: ['Is the upstream healthy?'], fix: ['Scale the upstream', 'Retry with backoff'] },
    behaviours: [], memberIds: [],
    ...over,
  };
}

export interface HandBuilt {
  source: TuiSource;
  requests: StoredRequest[];
  exports: ReportScope[];
  pageCalls: Array<{ filter: RequestFilter; limit: number }>;
}

/** A small investigation: incident A (150 members, paged) and B (3 members), as view-model objects. */
export function handBuilt(opts: { requests?: StoredRequest[]; records?: IncidentRecord[]; exportResult?: (s: ReportScope) => Promise<string> } = {}): HandBuilt {
  const requests = opts.requests ?? [
    ...Array.from({ length: 150 }, (_, i) => storedRequest(i + 1)),
    ...[151, 152, 153].map((id) => storedRequest(id, { incidentId: 'inc-b', cause: 'auth', subcause: 'expired-token', ruleId: 'auth-expired', status: 401, path: '/v1/me', durationMs: 15 })),
  ];
  const records = opts.records ?? [
    incident('inc-a', {}),
    incident('inc-b', {
      cause: 'auth', subcause: 'expired-token', ruleId: 'auth-expired', ruleTitle: 'Expired bearer token', title: 'Expired tokens on api.example.com',
      severity: 55, count: 3, statuses: { '401': 3 }, firstSeen: T0 + 151_000, lastSeen: T0 + 153_000, routes: ['/v1/me'],
      routeCounts: [{ host: 'api.example.com', route: '/v1/me', method: 'GET', count: 3 }], messages: [{ template: 'token expired', count: 3 }],
    }),
  ];
  const bucket = 60_000;
  const n = 11;
  const total = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  for (const r of requests) {
    const b = Math.floor(((r.ts ?? T0) - T0) / bucket);
    if (b >= 0 && b < n) {
      total[b]! += 1;
      if (r.failed) failed[b]! += 1;
    }
  }
  const overview: Overview = {
    dbPath: '/tmp/synthetic.db',
    sources: [{ id: 1, path: 'capture.har', kind: 'har', format: 'har', sha256: '0'.repeat(64), status: 'complete', error: null, records: requests.length, failures: requests.filter((r) => r.failed).length, skipped: 0, firstTs: T0, lastTs: T0 + 600_000, skipReasons: [], skipSamples: [], invalidUtf8Lines: 0, truncatedLines: 0 }],
    window: { from: T0, to: T0 + 600_000 },
    requests: requests.length,
    failures: requests.filter((r) => r.failed).length,
    errorRate: requests.length ? requests.filter((r) => r.failed).length / requests.length : null,
    timeline: { bucketMs: bucket, start: T0, total, failed },
    causes: [{ cause: 'upstream', count: 150 }, { cause: 'auth', count: 3 }],
    incidentCount: records.length,
    incidentCauses: [...new Set(records.map((r) => r.cause))].map((cause) => ({ cause, count: records.filter((r) => r.cause === cause).length })),
    incidentStatuses: [...records.reduce((m, r) => {
      for (const [k, n] of Object.entries(r.statuses)) m.set(Number(k), (m.get(Number(k)) ?? 0) + n);
      return m;
    }, new Map<number, number>())].map(([status, count]) => ({ status, count, incidents: records.filter((r) => (r.statuses[String(status)] ?? 0) > 0).length })),
    incidentSources: [{ path: 'capture.har', incidents: records.filter((r) => r.sources.includes('capture.har')).length }],
    incidents: records.map((r) => ({
      id: r.id, cause: r.cause, subcause: r.subcause, title: r.title, severity: r.severity, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
      count: r.count, routes: r.routes, statuses: r.statuses, sources: r.sources, sparkline: failed.map((f, i) => (r.id === 'inc-a' ? f : i === 2 ? 3 : 0)),
    })),
    warnings: [], unknownFailures: 0, redaction: {},
    scorecard: { p95Ms: 250, errorRate: null, timeoutRate: null, authFailures: 3, validationErrors: 0, retrySuccessRate: null },
  };
  const exports: ReportScope[] = [];
  const pageCalls: Array<{ filter: RequestFilter; limit: number }> = [];
  const source: TuiSource = {
    overview: () => overview,
    // The store's list contract (filters, search, sort) over the in-memory summaries.
    incidentList: (q) => {
      const rows = queryIncidents(overview.incidents, (id) => records.find((r) => r.id === id), q);
      return { count: rows.length, slice: (start, n) => rows.slice(Math.max(0, start), Math.max(0, start) + Math.max(0, n)) };
    },
    incidentIds: (q) => queryIncidents(overview.incidents, (id) => records.find((r) => r.id === id), q).map((i) => i.id),
    positionOf: (q, id) => queryIncidents(overview.incidents, (x) => records.find((r) => r.id === x), q).findIndex((i) => i.id === id),
    incident: (id): IncidentDetail | null => {
      const r = records.find((x) => x.id === id);
      return r ? { ...r, sparkline: overview.incidents.find((i) => i.id === id)!.sparkline } : null;
    },
    page: (filter, limit, after): RequestPage => {
      pageCalls.push({ filter, limit });
      // The same keyset contract as Views.page: (ts, id) order, strictly after the cursor.
      const rows = requests
        .filter((r) => (filter.incidentId === undefined || r.incidentId === filter.incidentId)
          && (!filter.status?.length || filter.status.includes(r.status ?? -1))
          && (!filter.search || (r.path ?? '').includes(filter.search) || (r.clientIp ?? '').includes(filter.search))
          && (!after || (r.ts ?? -1) > (after.ts ?? -1) || ((r.ts ?? -1) === (after.ts ?? -1) && r.id > after.id)))
        .slice(0, limit + 1);
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { rows: page, next: more && last ? { ts: last.ts, id: last.id } : null };
    },
    request: (id) => {
      const request = requests.find((r) => r.id === id);
      if (!request) return null;
      const inc = records.find((r) => r.id === request.incidentId);
      return { request, url: requestUrl(request), locator: requestLocator(request), incidentTitle: inc?.title ?? null, ruleTitle: inc?.ruleTitle ?? null };
    },
    exportReport: async (scope) => {
      exports.push(scope);
      return opts.exportResult ? opts.exportResult(scope) : '/tmp/faultline-report-test.md';
    },
  };
  return { source, requests, exports, pageCalls };
}
