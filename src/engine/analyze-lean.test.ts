/**
 * The lean analysis (aggregates + SQL-filtered rows) must give exactly what the reference passes give
 * (every request hydrated, in time order): same classifications, incidents (every field), warnings,
 * timeline and failure marks, on the whole real corpus and on synthetic traffic for the signals the
 * corpus lacks (marked synthetic below).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestAll } from '../ingest/index.js';
import { openStore } from '../store/index.js';
import { analyze } from './analyze.js';

const CORPUS = resolve(fileURLToPath(new URL('../../../shared/corpus/', import.meta.url)));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-lean-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Snapshot {
  summary: Record<string, unknown>;
  analysis: unknown[];
  incidents: unknown[];
  warnings: unknown[];
  timeline: unknown[];
  failed: unknown[];
}

function snapshot(path: string, summary: Record<string, unknown>): Snapshot {
  const c = new Database(path, { readonly: true });
  try {
    const { elapsedMs: _ms, ...rest } = summary;
    return {
      summary: rest,
      analysis: c.prepare('SELECT id, ts, cause, subcause, rule_id, incident_id FROM req_analysis ORDER BY id').all(),
      incidents: c.prepare('SELECT id, cause, subcause, severity, count, data FROM incidents ORDER BY id').all(),
      warnings: c.prepare('SELECT id, kind, route, count, data FROM warnings ORDER BY id').all(),
      timeline: c.prepare('SELECT minute, total, failed FROM timeline ORDER BY minute').all(),
      failed: c.prepare('SELECT id FROM req WHERE failed = 1 ORDER BY id').all(),
    };
  } finally {
    c.close();
  }
}

/** Analyses the database both ways; returns both snapshots. */
function both(db: string): { reference: Snapshot; lean: Snapshot } {
  const store = openStore(db);
  try {
    store.resetAnalysisFailures();
    const reference = snapshot(db, { ...analyze(store, { reference: true }) });
    store.resetAnalysisFailures();
    const lean = snapshot(db, { ...analyze(store) });
    return { reference, lean };
  } finally {
    store.close();
  }
}

function expectSame(r: { reference: Snapshot; lean: Snapshot }): void {
  // Field by field, so a failure names what differs.
  expect(r.lean.summary).toEqual(r.reference.summary);
  expect(r.lean.failed).toEqual(r.reference.failed);
  expect(r.lean.analysis).toEqual(r.reference.analysis);
  expect(r.lean.incidents).toEqual(r.reference.incidents);
  expect(r.lean.warnings).toEqual(r.reference.warnings);
  expect(r.lean.timeline).toEqual(r.reference.timeline);
}

describe('lean analysis = reference analysis', () => {
  it('on every file of the real corpus together (HAR and logs, warnings, payload errors, joins)', async () => {
    const files = [
      ...readdirSync(join(CORPUS, 'har')).map((f) => join(CORPUS, 'har', f)),
      ...readdirSync(join(CORPUS, 'logs')).map((f) => join(CORPUS, 'logs', f)),
    ];
    const db = join(dir, 'corpus.db');
    const store = openStore(db);
    await ingestAll(store, files);
    store.close();
    const r = both(db);
    expect(r.reference.analysis.length).toBeGreaterThan(1000);
    const kinds = new Set(r.reference.warnings.map((w) => (w as { kind: string }).kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['credentials-over-http', 'credentials-in-query', 'bare-public-ip']));
    expectSame(r);
  }, 300_000);

  it('on synthetic access logs: credentials and JWTs in queries, bare-IP hosts, other clients, scanners, versions, retries', async () => {
    // synthetic: combined-with-host lines crafted for the success-side signals the lean reading gets from aggregates and SQL.
    const lines: string[] = [];
    const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);
    const clf = (ms: number): string => {
      const d = new Date(ms);
      const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
      const p = (n: number): string => String(n).padStart(2, '0');
      return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    };
    const line = (k: number, ip: string, target: string, status: number, ua = 'synthetic/1.0'): string =>
      `${ip} - - [${clf(t0 + k * 7_000)}] "GET ${target} HTTP/1.1" ${status} 123 "-" "${ua}"`;
    let k = 0;
    for (let i = 0; i < 40; i++) lines.push(line(k++, `198.51.100.${i % 7}`, `/api/v2/orders/${i}`, 200));
    for (let i = 0; i < 6; i++) lines.push(line(k++, '198.51.100.9', `/api/v1/orders/${i}`, 404));
    for (let i = 0; i < 5; i++) lines.push(line(k++, '198.51.100.1', `/reports/${i}`, 200));
    for (let i = 0; i < 3; i++) lines.push(line(k++, '198.51.100.2', `/reports/${10 + i}`, 403));
    for (let i = 0; i < 4; i++) lines.push(line(k++, '198.51.100.3', `/admin/${i}`, 200));
    lines.push(line(k++, '198.51.100.3', '/admin/9', 403));
    for (let i = 0; i < 14; i++) lines.push(line(k++, '203.0.113.66', `/probe-${'abcdefghijklmn'[i]}/.env`, 404, 'scanner/0.1'));
    lines.push(line(k++, '198.51.100.4', '/search?q=shoes&api_key=abc123', 200));
    lines.push(line(k++, '198.51.100.4', '/search?Q=x&%74oken=zzz', 200));
    lines.push(line(k++, '198.51.100.4', '/search?q=monkey', 200));
    lines.push(line(k++, '198.51.100.5', '/cb?access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzE0NTU3OTAwfQ.c2lnbmF0dXJlc2lnbmF0dXJl', 200));
    for (let i = 0; i < 12; i++) lines.push(line(k++, '198.51.100.6', '/pay', i % 3 === 2 ? 200 : 503));
    for (let i = 0; i < 30; i++) lines.push(line(k++, `192.0.2.${i % 5}`, '/pay', 200));
    const log = join(dir, 'synthetic-access.log');
    writeFileSync(log, lines.join('\n') + '\n');
    // synthetic: an Apache vhost_combined log whose virtual host is a bare public IP (every success warns).
    const vhost = lines.slice(0, 30).map((l, i) => `${i % 3 === 0 ? '203.0.113.80' : 'www.example.org'}:80 ${l}`);
    const vlog = join(dir, 'synthetic-vhost.log');
    writeFileSync(vlog, vhost.join('\n') + '\n');
    const db = join(dir, 'synthetic.db');
    const store = openStore(db);
    await ingestAll(store, [log, vlog]);
    store.close();
    const r = both(db);
    // Each signal below depends on successes stored without detail (aggregates or SQL-filtered rows).
    const subcauses = new Set(r.reference.analysis.map((a) => (a as { subcause: string }).subcause));
    expect([...subcauses]).toEqual(expect.arrayContaining(['old-version', 'client-not-permitted', 'forbidden', 'scanner-probe']));
    const queryWarnings = r.reference.warnings.filter((w) => (w as { kind: string }).kind === 'credentials-in-query');
    expect(queryWarnings.reduce((n, w) => n + (w as { count: number }).count, 0)).toBe(3);
    const bareIp = r.reference.warnings.filter((w) => (w as { kind: string }).kind === 'bare-public-ip');
    expect(bareIp.map((w) => (w as { count: number }).count)).toEqual([10]);
    expectSame(r);
  });
});
