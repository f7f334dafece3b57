/**
 * B-14: idempotent re-ingest through the real CLI. The same HAR twice, then a renamed copy (and the
 * same for an access log in the same run): the second and third runs add 0 rows, the incident ids are
 * the same, and the report is byte-identical apart from its generation time. Also: a second, fresh
 * database gives the same incident ids (ids come from content, not from insertion order or the clock).
 * Inputs: examples/spa-outage.har (synthetic, in the repo) and a synthetic log built here.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ROOT, tempDir } from '../helpers/corpus.js';
import { combinedLine, ingestJson, put, scalar } from './support.js';

const tmp = tempDir('faultline-hostile-idem-');
afterAll(() => tmp.cleanup());

const HAR = join(ROOT, 'examples', 'spa-outage.har');

function snapshot(db: string): { rows: number; skipped: number; incidents: string; failures: string; report: string } {
  const inc = runCli(['incidents', '--db', db]);
  const fail = runCli(['failures', '--db', db, '--json']);
  const out = `${db}.${Math.random().toString(36).slice(2)}.md`;
  const rep = runCli(['report', '--db', db, '-o', out]);
  for (const r of [inc, fail, rep]) expect(r.code, r.stderr).toBe(0);
  return {
    rows: scalar(db, 'SELECT count(*) FROM requests'),
    skipped: scalar(db, 'SELECT count(*) FROM skipped'),
    incidents: inc.stdout,
    failures: fail.stdout,
    // the one line that may differ: "Generated <time> by faultline …"
    report: readFileSync(out, 'utf8').replace(/^Generated \S+ /m, 'Generated <time> '),
  };
}

const log = (): string =>
  Array.from({ length: 300 }, (_, i) => combinedLine(i, { status: i % 7 === 0 ? 502 : i % 11 === 0 ? 429 : 200, path: `/api/orders/${i % 13}` })).join('\n') + '\n';

it('B-14: same HAR and log twice, then renamed copies: 0 new rows, same incident ids, same report', () => {
  const logPath = put(tmp.dir, 'access.log', log());
  const db = join(tmp.dir, 'idem.db');
  const first = ingestJson(db, [HAR, logPath]);
  expect(first.code).toBe(0);
  const s1 = snapshot(db);
  expect(s1.rows).toBeGreaterThan(400);
  expect(s1.incidents).toMatch(/inc-[0-9a-f]{16}/);

  const second = ingestJson(db, [HAR, logPath]);
  expect(second.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  const s2 = snapshot(db);

  const renamedHar = join(tmp.dir, 'renamed-capture.har');
  const renamedLog = join(tmp.dir, 'access.log.1');
  copyFileSync(HAR, renamedHar);
  copyFileSync(logPath, renamedLog);
  const third = ingestJson(db, [renamedLog, renamedHar]);
  expect(third.sources.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  expect(third.sources.map((s) => s.sha256)).toEqual([first.sources[1]!.sha256, first.sources[0]!.sha256]);
  const s3 = snapshot(db);

  for (const s of [s2, s3]) {
    expect(s.rows).toBe(s1.rows);
    expect(s.skipped).toBe(s1.skipped);
    expect(s.incidents).toBe(s1.incidents);
    expect(s.failures).toBe(s1.failures);
    expect(s.report).toBe(s1.report);
  }
  expect(scalar(db, 'SELECT count(*) FROM sources')).toBe(2);
});

it('B-14: a fresh database gives the same incident ids and failure list for the same inputs, in any order', () => {
  const logPath = put(tmp.dir, 'access-b.log', log());
  const a = join(tmp.dir, 'a.db');
  const b = join(tmp.dir, 'b.db');
  ingestJson(a, [HAR, logPath]);
  ingestJson(b, [logPath, HAR]);
  const ids = (db: string): string[] => [...runCli(['incidents', '--db', db]).stdout.matchAll(/inc-[0-9a-f]{16}/g)].map((m) => m[0]).sort();
  expect(ids(a).length).toBeGreaterThan(3);
  expect(ids(b)).toEqual(ids(a));
  const failures = (db: string): string[] =>
    runCli(['failures', '--db', db, '--json']).stdout.trim().split('\n').map((l) => {
      const j = JSON.parse(l) as Record<string, unknown>;
      return `${String(j['source'])}#${String(j['entry'] ?? j['line'])} ${String(j['cause'])}/${String(j['subcause'])} ${String(j['incident'])}`;
    }).sort();
  expect(failures(b)).toEqual(failures(a));
});
