/**
 * analyze() on real corpus files through the real ingest and a real SQLite store: the causes the
 * corpus MANIFEST describes, incident grouping, stable ids across re-runs, every failure linked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRequest } from '../core/types.js';
import { ingestAll } from '../ingest/index.js';
import { openStore, type Store } from '../store/index.js';
import { analyze } from './analyze.js';
import { failureJson, incidentJson } from './json-shapes.js';
import type { AnalysisSummary, IncidentRecord } from './types.js';

const CORPUS = resolve(fileURLToPath(new URL('../../../shared/corpus/', import.meta.url)));
const FILES = [
  'har/mitmproxy__chrome.har', 'har/mitmproxy__timed_out.har', 'har/mitmproxy__incomplete_log.har',
  'har/mitmproxy__invalid_content_encoding.har', 'har/harviewer__issue-49_chrome51.har', 'har/harviewer__noPageTimings.har',
  'har/harviewer__issue-61_ie11.har', 'har/pagexray__responseCodes_304.har', 'har/har-to-openapi__request-generator-all-status-and-method.har',
  'har/optic__petstore.swagger.io.har', 'har/pollyjs__github-api-client_getUser_recording.har',
  'logs/elastic-beats__application-lb-http.log', 'logs/elastic-beats__nginx-ingress-controller-test.log',
  'logs/elastic-integrations__test-cloudfront.log', 'logs/crowdsec-hub__caddy-logs.log', 'logs/crowdsec-hub__traefik_base-http-scenario.log',
  'logs/lnav__logfile_w3c_big.0', 'logs/elastic-examples__apache_logs.log', 'logs/crowdsec-hub__envoy.log',
];

let dir: string;
let store: Store;
let summary: AnalysisSummary;
let failed: StoredRequest[];
let incidents: IncidentRecord[];

function of(file: string): StoredRequest[] {
  return failed.filter((r) => r.sourcePath.endsWith(file));
}
function causes(rows: StoredRequest[]): string[] {
  return [...new Set(rows.map((r) => `${r.cause}/${r.subcause}`))].sort();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-analyze-'));
  store = openStore(join(dir, 'a.db'));
  await ingestAll(store, FILES.map((f) => join(CORPUS, f)));
  summary = analyze(store);
  failed = [...store.iterateRequests({ failedOnly: true })];
  incidents = store.views.incidents().map((r) => r.data as unknown as IncidentRecord);
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('causes on the real corpus', () => {
  it('every failure has one cause, one subcause, a rule and an incident', () => {
    expect(failed.length).toBeGreaterThan(500);
    for (const r of failed) {
      expect(r.cause, `${r.sourcePath} ${r.line ?? r.entry}`).not.toBeNull();
      expect(r.subcause).not.toBeNull();
      expect(r.ruleId).not.toBeNull();
      expect(r.incidentId).not.toBeNull();
    }
    expect(summary.failures).toBeGreaterThanOrEqual(failed.length);
    expect(summary.unknown).toBe(0);
  });

  it('HAR network errors', () => {
    expect(causes(of('mitmproxy__chrome.har'))).toEqual(['network/offline']);
    const t = of('mitmproxy__timed_out.har');
    expect(t.filter((r) => r.errorText?.includes('ERR_INTERNET_DISCONNECTED')).every((r) => r.subcause === 'offline')).toBe(true);
    expect(t.find((r) => r.status === 200)?.subcause).toBe('protocol'); // 200 + ERR_QUIC_PROTOCOL_ERROR
    expect(t.find((r) => r.errorText?.includes('ERR_ABORTED'))?.subcause).toBe('aborted');
    expect(causes(of('harviewer__issue-49_chrome51.har'))).toEqual(['network/blocked-by-client', 'network/tls']);
    expect(causes(of('mitmproxy__incomplete_log.har'))).toEqual(['network/no-response']);
  });

  it('every status of the all-status HAR maps sensibly', () => {
    const rows = of('har-to-openapi__request-generator-all-status-and-method.har');
    const by = (s: number) => causes(rows.filter((r) => r.status === s && !r.errorText?.includes('ERR_ABORTED')));
    expect(causes(rows.filter((r) => r.status === 0))).toEqual(['auth/proxy-auth']);
    expect(by(401)).toEqual(['auth/rejected-credentials']); // Cookie sent on these calls
    expect(by(403)[0]).toMatch(/^permission\//);
    expect(by(404)[0]).toMatch(/^not-found\//);
    expect(by(408)).toEqual(['timeout/request-timeout']);
    expect(by(410)).toEqual(['deprecated/gone']);
    expect(by(416)).toEqual(['bad-request/range-not-satisfiable']);
    expect(by(429)).toEqual(['rate-limit/too-many-requests']);
    expect(by(451)).toEqual(['permission/legal-block']);
    expect(by(500)).toEqual(['server-error/internal-error']);
    expect(by(501)).toEqual(['server-error/not-implemented']);
    expect(by(503)).toEqual(['upstream/service-unavailable']);
    expect(by(505)).toEqual(['server-error/http-version-not-supported']);
    expect(by(511)).toEqual(['network/network-auth-required']);
    for (const s of [400, 405, 406, 409, 411, 412, 413, 414, 415, 417, 421, 422, 431]) expect(by(s)[0], String(s)).toMatch(/^bad-request\//);
    // A HAR _error on an entry that still carries a status >= 400 is classified by the status.
    expect(causes(rows.filter((r) => r.status === 502))).toEqual(['upstream/bad-gateway']);
    expect(causes(rows.filter((r) => r.status! >= 200 && r.status! < 400))).toEqual(['network/aborted']);
  });

  it('timeouts, third-party outages, auth without credentials, missing resources', () => {
    expect(causes(of('harviewer__noPageTimings.har'))).toEqual(['timeout/response-timeout']);
    expect(causes(of('pagexray__responseCodes_304.har'))).toEqual(['upstream/service-unavailable']);
    const lorem = incidents.filter((i) => i.hosts.includes('loremflickr.com'));
    expect(lorem).toHaveLength(1);
    expect(lorem[0]!.count).toBe(94);
    expect(causes(of('mitmproxy__invalid_content_encoding.har'))).toEqual(['auth/missing-credentials']);
    expect(causes(of('harviewer__issue-61_ie11.har'))).toEqual(['not-found/missing-resource']);
    expect(causes(of('optic__petstore.swagger.io.har'))).toEqual(['not-found/missing-resource']);
  });

  it('load balancers, proxies and CDNs', () => {
    const alb = of('application-lb-http.log');
    expect(causes(alb.filter((r) => r.status === 504))).toEqual(['upstream/target-timeout']);
    expect(causes(alb.filter((r) => r.status === 460))).toEqual(['timeout/client-closed']);
    const ingress = of('nginx-ingress-controller-test.log');
    expect(causes(ingress.filter((r) => r.status === 502))).toEqual(['upstream/bad-gateway']);
    expect(causes(ingress.filter((r) => r.status === 400))).toEqual(['bad-request/malformed-request']);
    const cf = of('test-cloudfront.log');
    expect(causes(cf.filter((r) => r.status === 502))).toEqual(['upstream/origin-dns']);
    expect(causes(cf.filter((r) => r.status === 0))).toEqual(['timeout/client-closed']);
    const caddy = of('caddy-logs.log');
    expect(causes(caddy.filter((r) => r.status === 0))).toEqual(['not-found/unhandled-request']);
    expect(causes(caddy.filter((r) => r.status === 401))).toEqual(['auth/missing-credentials', 'auth/rejected-credentials']);
  });

  it('scanners are kept apart from real 404s', () => {
    const traefik = of('traefik_base-http-scenario.log');
    expect(causes(traefik)).toEqual(['not-found/scanner-probe']);
    expect(new Set(traefik.map((r) => r.incidentId)).size).toBe(1);
    const w3c = of('lnav__logfile_w3c_big.0');
    expect(w3c.filter((r) => r.clientIp === '183.60.244.30').every((r) => r.subcause === 'scanner-probe')).toBe(true);
    expect(w3c.filter((r) => r.path === '/robots.txt' && r.clientIp !== '183.60.244.30').every((r) => r.subcause === 'missing-resource')).toBe(true);
    expect(causes(of('crowdsec-hub__envoy.log'))).toEqual(['not-found/scanner-probe']); // GET /.env
    const apache = of('elastic-examples__apache_logs.log');
    expect(causes(apache.filter((r) => r.status === 500))).toEqual(['server-error/internal-error']);
    expect(apache.filter((r) => r.path === '/wp-login.php').every((r) => r.subcause === 'scanner-probe')).toBe(true);
  });
});

describe('incidents', () => {
  it('carry what the JSON outputs need, most severe first', () => {
    expect(incidents.length).toBe(summary.incidents);
    for (let k = 1; k < incidents.length; k++) expect(incidents[k - 1]!.severity).toBeGreaterThanOrEqual(incidents[k]!.severity);
    for (const i of incidents) {
      expect(i.id).toMatch(/^inc-[0-9a-f]{16}$/);
      expect(i.title.length).toBeGreaterThan(10);
      expect(Object.values(i.statuses).reduce((a, b) => a + b, 0)).toBe(i.count);
      expect(i.memberIds).toHaveLength(i.count);
      expect(i.sources.length).toBeGreaterThan(0);
      expect(i.advice.check.length).toBeGreaterThan(0);
    }
    const dns = incidents.find((i) => i.subcause === 'origin-dns')!;
    expect(dns.title).toMatch(/^CDN cannot resolve the origin \(DNS\) on www\.example\.com: 3 requests across \d routes?, /);
    expect(dns.evidence.find((e) => e.label === 'errorText')?.values).toEqual(['OriginDnsError']);
  });

  it('map to the --json shapes', () => {
    const j = incidentJson(incidents[0]!);
    expect(Object.keys(j)).toEqual(['id', 'cause', 'subcause', 'title', 'severity', 'first_seen', 'last_seen', 'count', 'routes', 'statuses', 'sources']);
    expect(j.first_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const f = failureJson(failed.find((r) => r.status === 504)!);
    expect(f).toMatchObject({ status: 504, cause: 'upstream', subcause: 'target-timeout', rule: 'upstream.target-timeout' });
    expect(f.incident).toMatch(/^inc-/);
    expect(f.line).toBeGreaterThan(0);
  });

  it('ids are stable across re-runs and re-analysis replaces the previous one', () => {
    const before = store.views.incidents().map((r) => r.id).sort();
    const again = analyze(store);
    expect(again.incidents).toBe(summary.incidents);
    expect(store.views.incidents().map((r) => r.id).sort()).toEqual(before);
  });

  it('an empty database analyzes to nothing', () => {
    const empty = openStore(join(dir, 'empty.db'));
    try {
      expect(analyze(empty)).toMatchObject({ requests: 0, failures: 0, incidents: 0, warnings: 0 });
    } finally {
      empty.close();
    }
  });

  it('a shorter gap splits more', () => {
    const short = analyze(store, { gapMs: 1000 });
    expect(short.incidents).toBeGreaterThan(summary.incidents);
    analyze(store);
  });
});
