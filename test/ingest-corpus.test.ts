/**
 * Every file of ../shared/corpus through the real CLI into a real SQLite file: the format
 * detected, and counts cross-checked against independent counts (JSON.parse of the HAR, lines of
 * the log, the request/failure counts of the corpus MANIFEST).
 */
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { corpus, parseHarFile, tempDir } from './helpers/corpus.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface IngestJson {
  db: string;
  sources: Array<{ path: string; format: string | null; sha256: string | null; records: number; failures: number; skipped: number; status: string; error: string | null }>;
  totals: { records: number; failures: number; skipped: number };
}

let n = 0;
function ingest(files: string[], extra: string[] = []): { code: number | null; json: IngestJson; stderr: string; db: string } {
  const db = join(tmp.dir, `t${n++}.db`);
  const r = runCli(['ingest', ...files, '--db', db, '--json', ...extra]);
  let json: IngestJson;
  try {
    json = JSON.parse(r.stdout) as IngestJson;
  } catch {
    throw new Error(`ingest --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr, db };
}

/** Input units of a log: lines other than blank lines and # directives. */
function logUnits(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
}

// Expected format, requests and failures per log (requests and failures from the corpus MANIFEST's
// status classes: 4xx + 5xx + status 0/000 are failures).
const LOGS: Array<[file: string, format: string | RegExp, requests: number, failures: number]> = [
  ['elastic-examples__apache_logs.log', 'combined', 10000, 220],
  ['lnav__logfile_shop_access_log.0', /^(combined|nginx-main)$/, 1000, 24],
  ['lnav__logfile_w3c_big.0', 'w3c', 210, 202],
  ['lnav__logfile_w3c.3', 'w3c', 3, 1],
  ['lnav__logfile_cloudflare.json', 'cloudflare-json', 1, 0],
  ['lnav__logfile_bro_http.log.0', 'zeek-http', 197, 1],
  ['crowdsec-hub__traefik_base-http-scenario.log', 'traefik-json', 80, 80],
  ['crowdsec-hub__fastly-logs.log', 'fastly-json', 4, 3],
  ['elastic-beats__application-lb-http.log', 'aws-alb', 10, 7],
  ['elastic-beats__elb-http.log', 'aws-elb', 5, 0],
  ['elastic-beats__nginx-ingress-controller-test.log', 'ingress-nginx', 29, 4],
  // One of its 12 data lines (a 404) is cut short (31 of 33 fields): it is a counted skip, not a request.
  ['elastic-integrations__test-cloudfront.log', 'cloudfront', 11, 4],
  ['querycat__u_ex220826.log', 'w3c', 2, 0],
  ['mtail__lighttpd_access.log', 'lighttpd', 19, 0],
  ['crowdsec-hub__caddy-logs.log', 'caddy-json', 10, 9],
];

describe('access logs from the corpus', () => {
  for (const [file, format, requests, failures] of LOGS) {
    it(`${file}: ${String(format)}, ${requests} requests, ${failures} failures, records + skipped = lines`, () => {
      const path = corpus(join('logs', file));
      const { code, json } = ingest([path]);
      const s = json.sources[0]!;
      expect(s.status, s.error ?? '').toBe('ingested');
      expect(code).toBe(0);
      if (typeof format === 'string') expect(s.format).toBe(format);
      else expect(s.format).toMatch(format);
      expect(s.records).toBe(requests);
      expect(s.failures).toBe(failures);
      expect(s.records + s.skipped).toBe(logUnits(path));
    });
  }

  it('mixed files keep every request they can and count the rest as skipped with a reason', () => {
    const path = corpus('logs/crowdsec-hub__apache2-logs.log');
    const { json, db } = ingest([path]);
    const s = json.sources[0]!;
    // combined, vhost_combined and common lines are all requests (sibling formats per line); the
    // two Apache error-log lines are not.
    expect(s.records).toBe(7);
    expect(s.failures).toBe(6);
    expect(s.skipped).toBe(2);
    expect(s.records + s.skipped).toBe(logUnits(path));
    const conn = new Database(db, { readonly: true });
    const reasons = conn.prepare('SELECT reason, count(*) n FROM skipped GROUP BY reason').all() as Array<{ reason: string; n: number }>;
    conn.close();
    expect(reasons.reduce((a, r) => a + r.n, 0)).toBe(s.skipped);
    for (const r of reasons) expect(r.reason).toMatch(/^[a-z_]+/);
  });

  it('the envoy file with JSON and text lines is ingested with every unit accounted for', () => {
    const path = corpus('logs/crowdsec-hub__envoy.log');
    const { json } = ingest([path]);
    const s = json.sources[0]!;
    expect(s.format).toMatch(/^envoy/);
    expect(s.records).toBeGreaterThanOrEqual(6);
    expect(s.records + s.skipped).toBe(logUnits(path));
  });
});

const HARS = [
  'browsertime__chromehar_har-with-diskcache.har',
  'har-to-openapi__ServerService-GetNavigationMenu2-fiddler.har',
  'har-to-openapi__request-generator-all-status-and-method.har',
  'harviewer__issue-49_chrome51.har',
  'harviewer__issue-61_ie11.har',
  'harviewer__noPageTimings.har',
  'harviewer__www-cnn-com.har',
  'mitmproxy__charles.har',
  'mitmproxy__chrome.har',
  'mitmproxy__firefox.har',
  'mitmproxy__incomplete_log.har',
  'mitmproxy__insomnia.har',
  'mitmproxy__invalid_content_encoding.har',
  'mitmproxy__safari.har',
  'mitmproxy__timed_out.har',
  'mitmproxy__with-bom.har',
  'optic__petstore.swagger.io.har',
  'pagexray__aftonbladet.se-redirecting-to-www.har',
  'pagexray__responseCodes_304.har',
  'playwright__har-redirect.har',
  'pollyjs__github-api-client_getUser_recording.har',
];

describe('HAR files from the corpus', () => {
  for (const file of HARS) {
    it(`${file}: every entry stored, failures as JSON.parse counts them`, () => {
      const path = corpus(join('har', file));
      const entries = parseHarFile(path).log.entries;
      const expectedFailures = entries.filter((e) => {
        const st = e.response?.status;
        return typeof st !== 'number' || st >= 400 || st <= 0 || (typeof e._error === 'string' && e._error !== '') || (typeof e.response?._error === 'string' && e.response._error !== '');
      }).length;
      const { code, json } = ingest([path]);
      const s = json.sources[0]!;
      expect(s.status, s.error ?? '').toBe('ingested');
      expect(code).toBe(0);
      expect(s.format).toBe('har');
      expect(s.records + s.skipped).toBe(entries.length);
      expect(s.records).toBe(entries.length);
      expect(s.failures).toBe(expectedFailures);
    });
  }

  it('mitmproxy__brokenfile.har is rejected with a clear message, no stack trace, exit 2', () => {
    const path = corpus('har/mitmproxy__brokenfile.har');
    const { code, json } = ingest([path]);
    const s = json.sources[0]!;
    expect(s.status).toBe('rejected');
    expect(s.records).toBe(0);
    expect(s.error).toMatch(/brokenfile\.har/);
    expect(s.error).toMatch(/not a HAR|invalid JSON|truncated|ends early/i);
    expect(code).toBe(2);
    const human = runCli(['ingest', path, '--db', join(tmp.dir, 'human.db')]);
    expect(human.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(human.stderr).toMatch(/brokenfile\.har/);
  });
});

describe('totals and idempotence', () => {
  it('totals add up across sources; re-ingest (any name) adds nothing and reports unchanged with the stored counts', () => {
    const a = corpus('har/pagexray__responseCodes_304.har');
    const b = corpus('logs/elastic-beats__application-lb-http.log');
    const db = join(tmp.dir, 'idem.db');
    const first = runCli(['ingest', a, b, '--db', db, '--json']);
    const j1 = JSON.parse(first.stdout) as IngestJson;
    expect(j1.totals.records).toBe(j1.sources.reduce((x, s) => x + s.records, 0));
    expect(j1.totals.failures).toBe(j1.sources.reduce((x, s) => x + s.failures, 0));
    const copy = join(tmp.dir, 'renamed-copy.log');
    copyFileSync(b, copy);
    const second = runCli(['ingest', a, copy, '--db', db, '--json']);
    const j2 = JSON.parse(second.stdout) as IngestJson;
    expect(j2.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    expect(j2.sources.map((s) => s.records)).toEqual(j1.sources.map((s) => s.records));
    expect(second.code).toBe(0);
    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT count(*) AS n FROM requests').get() as { n: number };
    conn.close();
    expect(rows.n).toBe(j1.totals.records);
  });
});
