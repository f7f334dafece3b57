/**
 * Issue 3 quality bar: on every failure of ../shared/corpus the engine's cause must be what an
 * experienced engineer would say. The expectations are hand-written judgment per file
 * (test/expectations/label-corpus.mjs → corpus-causes.json); this test reports accuracy per cause
 * and fails below 95% for any cause (and overall).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { CORPUS, ROOT, tempDir } from './helpers/corpus.js';

interface Expected { source: string; line: number | null; entry: number | null; status: number | null; cause: string; alt?: string[] }
interface Failure { source: string; line: number | null; entry: number | null; status: number | null; cause: string; subcause: string; rule: string }

const tmp = tempDir();
afterAll(() => tmp.cleanup());

it('classifies ≥ 95% of the corpus failures as an engineer would, for every cause', () => {
  const expected = (JSON.parse(readFileSync(join(ROOT, 'test/expectations/corpus-causes.json'), 'utf8')) as { failures: Expected[] }).failures;
  const bySource = new Map<string, Expected[]>();
  for (const e of expected) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  const perCause = new Map<string, { ok: number; total: number }>();
  const misses: string[] = [];
  for (const [source, exps] of bySource) {
    const db = join(tmp.dir, source.replace(/\W/g, '_') + '.db');
    const path = join(CORPUS, source);
    const ing = runCli(['ingest', path, '--db', db, '--json']);
    expect(ing.code, ing.stderr).toBe(0);
    const out = runCli(['failures', '--db', db, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const got = new Map<string, Failure>();
    for (const line of out.stdout.split('\n')) {
      if (!line.trim()) continue;
      const f = JSON.parse(line) as Failure;
      got.set(`${f.line ?? ''}#${f.entry ?? ''}`, f);
    }
    expect(got.size, `${source}: failures --json count`).toBe(exps.length);
    for (const e of exps) {
      const f = got.get(`${e.line ?? ''}#${e.entry ?? ''}`);
      const c = perCause.get(e.cause) ?? { ok: 0, total: 0 };
      c.total++;
      const ok = f !== undefined && (f.cause === e.cause || (e.alt ?? []).includes(f.cause));
      if (ok) c.ok++;
      else if (misses.length < 60) misses.push(`${source} ${e.line !== null ? 'line ' + e.line : 'entry ' + e.entry} status ${e.status}: expected ${e.cause}, got ${f ? `${f.cause}/${f.subcause} (${f.rule})` : 'nothing'}`);
      perCause.set(e.cause, c);
    }
  }
  const rows = [...perCause].sort((a, b) => a[0].localeCompare(b[0]));
  const table = rows.map(([cause, c]) => `${cause.padEnd(14)} ${String(c.ok).padStart(5)}/${String(c.total).padEnd(5)} ${((100 * c.ok) / c.total).toFixed(1)}%`).join('\n');
  const ok = rows.reduce((a, [, c]) => a + c.ok, 0);
  const total = rows.reduce((a, [, c]) => a + c.total, 0);
  console.log(`corpus cause accuracy:\n${table}\noverall        ${ok}/${total} ${((100 * ok) / total).toFixed(1)}%${misses.length ? '\nmisses:\n  ' + misses.join('\n  ') : ''}`);
  for (const [cause, c] of rows) expect(c.ok / c.total, `${cause}: ${c.ok}/${c.total}\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  expect(ok / total).toBeGreaterThanOrEqual(0.95);
});
