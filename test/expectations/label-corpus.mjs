#!/usr/bin/env node
// Writes test/expectations/corpus-causes.json: the cause an experienced engineer gives each failed
// request of ../shared/corpus. The labels below are OUR judgment, written per file from the corpus
// MANIFEST and from reading the files, independent of rules/*.json: the engine is scored against them.
// Locators (line / entry) are enumerated by faultline's parsers, whose counts are checked elsewhere.
// Run after `npm run build`: node test/expectations/label-corpus.mjs
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(root, '..', 'shared', 'corpus');

/** Status-code judgment shared by every file unless a file says otherwise. `alt` = also acceptable. */
function byStatus(st, r) {
  const err = (r.error_text ?? '').toUpperCase();
  if (st === 0 || st === -1 || st === null) {
    if (err.includes('PROXY_AUTH')) return { cause: 'auth', note: '407 proxy authentication (Chrome reports status 0)' };
    if (err.includes('TIMED_OUT')) return { cause: 'timeout' };
    return { cause: 'network', alt: ['timeout'] };
  }
  if (st < 400) return { cause: 'network', note: `${st} with a browser _error (${r.error_text})` };
  if (st === 401 || st === 407) return { cause: 'auth' };
  if (st === 403 || st === 451) return { cause: 'permission' };
  if (st === 402) return { cause: 'permission', alt: ['bad-request', 'auth'] };
  if (st === 404) return { cause: 'not-found' };
  if (st === 408) return { cause: 'timeout' };
  if (st === 410) return { cause: 'deprecated', alt: ['not-found'] };
  if (st === 429) return { cause: 'rate-limit' };
  if (st === 499 || st === 460) return { cause: 'timeout', alt: ['network'] };
  if (st === 420) return { cause: 'timeout', alt: ['rate-limit'] };
  if (st === 424) return { cause: 'upstream', alt: ['bad-request', 'server-error'] };
  // Laravel's 419 "Page Expired": the CSRF token/session expired.
  if (st === 419) return { cause: 'permission', alt: ['auth', 'bad-request'] };
  if (st === 426) return { cause: 'bad-request', alt: ['deprecated'] };
  if (st >= 400 && st < 500) return { cause: 'bad-request', alt: st === 418 || st === 421 || st === 423 || st === 425 ? ['unknown'] : [] };
  if (st === 502 || st === 503) return { cause: 'upstream', alt: st === 503 ? ['server-error', 'rate-limit'] : [] };
  if (st === 504) return { cause: 'upstream', alt: ['timeout'] };
  if (st === 511) return { cause: 'auth', alt: ['network'] };
  if (st >= 500) return { cause: 'server-error' };
  return { cause: 'unknown' };
}

/** Per-file judgment where the status alone would mislead. */
const FILES = {
  // A third-party image host answering 503 to every request: an upstream (dependency) outage.
  'pagexray__responseCodes_304.har': (r) => (r.status === 503 ? { cause: 'upstream' } : null),
  // 420 "Response Timeout" after 29 s on a CSS request.
  'harviewer__noPageTimings.har': (r) => (r.status === 420 ? { cause: 'timeout' } : null),
  // Requests whose responses never arrived (mitmproxy incomplete flows).
  'mitmproxy__incomplete_log.har': () => ({ cause: 'network', alt: ['timeout'] }),
  // ALB 504 with target status "-" and -1 timings: the target timed out behind the load balancer.
  'elastic-beats__application-lb-http.log': (r) => (r.status === 504 ? { cause: 'upstream', alt: ['timeout'] } : null),
  // ingress-nginx: 502 after two upstream attempts; 400 for malformed methods (PATCHp, geti).
  'elastic-beats__nginx-ingress-controller-test.log': (r) => (r.status === 502 ? { cause: 'upstream' } : r.status === 400 ? { cause: 'bad-request' } : null),
  // CloudFront: 502 OriginDnsError is the origin's DNS; 000 means the client went away.
  'elastic-integrations__test-cloudfront.log': (r) => (r.status === 502 ? { cause: 'upstream' } : r.status === 0 ? { cause: 'network', alt: ['timeout'] } : null),
  // Caddy logs status 0 when no handler wrote a response (an unhandled route answered empty).
  'crowdsec-hub__caddy-logs.log': (r) => (r.status === 0 ? { cause: 'not-found', alt: ['network', 'server-error', 'unknown'] } : null),
  // A Nikto-style scan: every request is a probe, whatever status the middleware rewrote it to.
  'crowdsec-hub__traefik_base-http-scenario.log': (r) => (r.status === 400 ? { cause: 'bad-request', alt: ['not-found'] } : null),
};

const tmp = mkdtempSync(join(tmpdir(), 'faultline-label-'));
const out = [];
try {
  for (const kind of ['har', 'logs']) {
    for (const f of readdirSync(join(corpus, kind)).sort()) {
      if (f === 'mitmproxy__brokenfile.har') continue;
      const db = join(tmp, `${f}.db`);
      execFileSync(process.execPath, [join(root, 'dist/src/cli/main.js'), 'ingest', join(corpus, kind, f), '--db', db, '--json'], { stdio: 'pipe' });
      const conn = new Database(db, { readonly: true });
      const rows = conn.prepare('SELECT source_kind, unit, status, error_text, host, path, method FROM requests_v WHERE failed = 1 ORDER BY unit').all();
      conn.close();
      for (const r of rows) {
        const j = FILES[f]?.(r) ?? byStatus(r.status, r);
        out.push({
          source: `${kind}/${f}`,
          line: r.source_kind === 'har' ? null : r.unit,
          entry: r.source_kind === 'har' ? r.unit : null,
          status: r.status,
          cause: j.cause,
          ...(j.alt?.length ? { alt: j.alt } : {}),
        });
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const file = join(root, 'test', 'expectations', 'corpus-causes.json');
writeFileSync(file, JSON.stringify({ note: 'Hand-written judgment per file (see label-corpus.mjs), one entry per failed request of ../shared/corpus.', failures: out }, null, 0).replace(/\},\{/g, '},\n{') + '\n');
console.log(`${basename(file)}: ${out.length} labelled failures`);
