/**
 * SYNTHETIC: a hand-built ReportModel full of hostile input (markdown and HTML injection, control
 * characters, backtick runs, credentials the ingest redaction "missed") for the renderer's unit
 * tests, independent of the ingest pipeline and the rules engine.
 */
import { emptyRecord, type StoredRequest } from '../src/core/types.js';
import type { IncidentRecord, WarningRecord } from '../src/engine/types.js';
import type { IncidentDetail, Overview } from '../src/queries/view-model.js';
import type { ReportModel } from '../src/report/model.js';

export const T0 = Date.UTC(2026, 2, 14, 10, 0, 0);
const MIN = 60_000;

/** Strings that must never reach the report unmasked, in any form. */
export const SECRETS = {
  bearer: 'abcDEF0123456789ghiJKL0123',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU',
  apiKey: '0123456789abcdef0123456789abcdef',
  password: 'hunter2hunter2',
};

export const HOSTILE = {
  title: 'Expired tokens on [evil](https://evil.example/x) <img src=x onerror=alert(1)> # not a heading',
  path: '/v1/users/</td><script>alert(1)</script>|extra|cell',
  userAgent: '![pixel](https://evil.example/p.png) <iframe src=//evil> \u001b[31mred\u001b[0m | Mozilla',
  errorText: 'upstream said:\n# HEADING\n| a | b |\n\u202Eevil',
  body: 'line one\n````\n</code></pre><script>alert(1)</script>\n``` still inside\n' + '`'.repeat(7) + ' end',
  message: 'token * _emphasis_ `code` <b>bold</b> [ref]: https://evil.example',
};

function request(id: number, over: Partial<StoredRequest>): StoredRequest {
  return {
    ...emptyRecord(),
    id, sourceId: 1, sourcePath: 'capture.har', sourceKind: 'har', format: 'har', line: null, entry: id - 1,
    failed: true, route: '/v1/users/{id}', cause: 'auth', subcause: 'expired-token', ruleId: 'auth.expired-jwt',
    incidentId: 'inc1aaaaaaaa', raw: null,
    ...over,
  };
}

export function hostileSamples(): StoredRequest[] {
  return [
    request(1, {
      ts: T0 + 2 * MIN, method: 'GET', scheme: 'https', host: 'api.example.com', path: HOSTILE.path,
      query: `token=${SECRETS.apiKey}&page=2`, status: 401, durationMs: 42,
      userAgent: HOSTILE.userAgent, clientIp: '203.0.113.10', errorText: HOSTILE.errorText,
      reqHeaders: [
        ['Authorization', `Bearer ${SECRETS.bearer}`],
        ['X-Api-Key', '[REDACTED:header#0a1b2c3d4e5f]'],
        ['Accept', 'application/json'],
        [':authority', 'api.example.com'],
        ['Content-Length', '0'],
      ],
      respHeaders: [['WWW-Authenticate', 'Bearer error="invalid_token"']],
      respMime: 'application/json', body: HOSTILE.body, bodySize: 4096,
    }),
    request(2, {
      ts: T0 + 3 * MIN, method: 'POST', scheme: 'https', host: 'api.example.com', path: '/v1/orders', status: 401,
      route: '/v1/orders', body: `{"access_token":"${SECRETS.jwt}","password":"${SECRETS.password}"}`, respMime: 'application/json',
      reqHeaders: [['Cookie', 'session=[REDACTED:cookie#aaaaaaaaaaaa]']],
    }),
    // A log line: no host, no headers.
    request(3, {
      sourcePath: 'access.log', sourceKind: 'log', format: 'combined', line: 12, entry: null,
      ts: T0 + 4 * MIN, method: 'GET', scheme: null, host: null, path: "/it's/ok", status: 401, userAgent: 'curl/8.5.0',
    }),
  ];
}

export function hostileIncident(over: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: 'inc1aaaaaaaa', cause: 'auth', subcause: 'expired-token', ruleId: 'auth.expired-jwt', ruleTitle: 'Expired JWT bearer token',
    title: HOSTILE.title, group: { host: 'api.example.com' }, severity: 87, confidence: 'high',
    notes: ['HAR was sanitized: Authorization headers may be missing'],
    firstSeen: T0 + 2 * MIN, lastSeen: T0 + 9 * MIN, count: 42,
    routes: ['/v1/users/{id}', '/v1/orders'],
    routeCounts: [
      { host: 'api.example.com', route: '/v1/orders', method: 'POST', count: 12 },
      { host: 'api.example.com', route: HOSTILE.path, method: 'GET', count: 30 },
    ],
    hosts: ['api.example.com'],
    statuses: { '401': 40, '403': 2 },
    sources: ['capture.har', 'access.log'],
    sourceCounts: [{ path: 'capture.har', kind: 'har', count: 30 }, { path: 'access.log', kind: 'log', count: 12 }],
    clients: [
      { ip: '203.0.113.10', userAgent: HOSTILE.userAgent, token: '[REDACTED:jwt#5e6f7a8b9c0d]', count: 30 },
      { ip: '198.51.100.23', userAgent: 'ShopApp/4.2.1 (iPhone; iOS 18.1; Scale/3.00)', token: null, count: 12 },
    ],
    clientCount: 2,
    errorRate: { window: 0.84, before: 0.004, windowTotal: 50, beforeTotal: 250 },
    messages: [{ template: HOSTILE.message, count: 30 }, { template: 'jwt expired at {n}', count: 12 }],
    evidence: [
      { label: 'header:WWW-Authenticate', values: ['Bearer error="invalid_token"', `Bearer ${SECRETS.bearer}`] },
      { label: 'jwt.exp', values: ['2026-03-14T10:02:00Z'] },
    ],
    advice: {
      check: ['Decode the token (jwt.io) and compare `exp` with the request time'],
      fix: ['Refresh the token before it expires; <b>retry</b> once on 401 with a new token'],
    },
    behaviours: [{ kind: 'retry-storm', client: '203.0.113.10', route: '/v1/users/{id}', count: 25, detail: '25 retries in 60 s' }],
    memberIds: [1, 2, 3],
    ...over,
  };
}

export function hostileWarning(over: Partial<WarningRecord> = {}): WarningRecord {
  return {
    id: 'warn1', kind: 'deprecated-endpoint', host: 'api.example.com', route: '/v1/legacy|x',
    title: 'Sunset 2026-06-30; Deprecation header present', evidence: ['Sunset: Tue, 30 Jun 2026 00:00:00 GMT', '<a href=x>link</a>'],
    firstSeen: T0, lastSeen: T0 + 10 * MIN, count: 17, sampleIds: [5],
    ...over,
  };
}

export function hostileModel(): ReportModel {
  const inc: IncidentDetail = { ...hostileIncident(), sparkline: [0, 0, 10, 12, 8, 5, 3, 2, 1, 1, 0, 0] };
  const second: IncidentDetail = {
    ...hostileIncident({
      id: 'inc2bbbbbbbb', cause: 'server-error', subcause: 'bad-gateway', ruleId: 'upstream.502', ruleTitle: 'Bad gateway',
      title: 'Bad gateway on api.example.com', severity: 60, count: 8, statuses: { '502': 8 }, notes: [], behaviours: [],
      messages: [], evidence: [], clients: [], clientCount: 0, memberIds: [],
      errorRate: { window: null, before: null, windowTotal: 0, beforeTotal: 0 },
    }),
    sparkline: [0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0],
  };
  const overview: Overview = {
    dbPath: '/tmp/report test/faultline.db',
    sources: [
      {
        id: 1, path: 'capture.har', kind: 'har', format: 'har', sha256: 'ab'.repeat(32), status: 'ingested', error: null,
        records: 900, failures: 40, skipped: 1, firstTs: T0, lastTs: T0 + 11 * MIN,
        skipReasons: [{ reason: 'entry-not-object', count: 1 }],
        skipSamples: [{ unit: 7, reason: 'entry-not-object', detail: null, excerpt: '"<script>x</script>|a|b"' }],
        invalidUtf8Lines: 0, truncatedLines: 0,
      },
      {
        id: 2, path: 'access|log <b>.log', kind: 'log', format: 'combined', sha256: 'cd'.repeat(32), status: 'partial',
        error: 'access.log: line 99 too long; lines before it were kept',
        records: 100, failures: 12, skipped: 0, firstTs: T0 + MIN, lastTs: T0 + 10 * MIN,
        skipReasons: [], skipSamples: [], invalidUtf8Lines: 2, truncatedLines: 1,
      },
    ],
    window: { from: T0, to: T0 + 11 * MIN },
    requests: 1000,
    failures: 52,
    errorRate: 0.052,
    timeline: {
      bucketMs: MIN, start: T0,
      total: [80, 80, 90, 90, 85, 85, 80, 80, 80, 80, 85, 85],
      failed: [0, 1, 10, 12, 8, 9, 7, 2, 1, 1, 1, 0],
    },
    causes: [{ cause: 'auth', count: 42 }, { cause: 'server-error', count: 8 }, { cause: 'unknown', count: 2 }],
    incidents: [],
    warnings: [hostileWarning(), hostileWarning({ id: 'warn2', kind: 'credentials-in-query', route: '/v1/search', title: 'api_key sent in the query string', evidence: [`key=${SECRETS.apiKey}`], count: 3 })],
    unknownFailures: 2,
    redaction: { 'R-H1': 120, 'R-Q1': 7, 'R-P1': 3 },
    scorecard: { p95Ms: 340, errorRate: 0.052, timeoutRate: 0, authFailures: 42, validationErrors: 0, retrySuccessRate: null },
  };
  overview.incidents = [inc, second].map((i) => ({
    id: i.id, cause: i.cause, subcause: i.subcause, title: i.title, severity: i.severity, firstSeen: i.firstSeen, lastSeen: i.lastSeen,
    count: i.count, routes: i.routes, statuses: i.statuses, sources: i.sources, sparkline: i.sparkline,
  }));
  const unknown = request(9, {
    cause: 'unknown', subcause: 'unknown', ruleId: 'unmatched', incidentId: null, sourcePath: 'access.log', sourceKind: 'log',
    line: 40, entry: null, ts: T0 + 6 * MIN, method: 'GET', path: '/weird', status: 418, errorText: 'teapot | <b>',
  });
  return {
    overview,
    filters: {},
    selected: [inc, second],
    sections: [{ incident: inc, samples: hostileSamples() }, { incident: second, samples: [] }],
    unknownSamples: [unknown],
  };
}
