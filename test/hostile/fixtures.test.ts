/**
 * Regression fixtures (test/hostile/fixtures/, listed with their story in fixtures.json and README.md):
 * each input that once broke an invariant goes through the real CLI again. Always: no crash or stack
 * trace, exit 0 or 2, the accounting identity. Then the fixture's expected counts, and that none of its
 * secrets reach the database, its WAL or `failures --json`. A fixture with an open `bug` reports its
 * failing checks as known (printed) instead of failing; once they pass, the test asks to drop `bug`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ROOT, tempDir } from '../helpers/corpus.js';
import { dbFiles, expectAccounting, expectNoStack, grepFiles, ingestJson } from './support.js';

interface Fixture { note: string; expect: Record<string, string | number>; units?: number; secrets?: string[]; bug?: string }
const DIR = join(ROOT, 'test', 'hostile', 'fixtures');
const FIXTURES = JSON.parse(readFileSync(join(DIR, 'fixtures.json'), 'utf8')) as Record<string, Fixture>;
const tmp = tempDir('faultline-fixtures-');
afterAll(() => tmp.cleanup());

describe('hostile-input regression fixtures', () => {
  for (const [file, fx] of Object.entries(FIXTURES)) {
    it(`${file}: ${fx.note}`, () => {
      const db = join(tmp.dir, `${file}.db`);
      const r = ingestJson(db, [join(DIR, file)]);
      expect([0, 2]).toContain(r.code);
      expectNoStack(r.stderr);
      expectAccounting(db);
      const s = r.sources[0]!;
      const problems: string[] = [];
      for (const [k, v] of Object.entries(fx.expect)) if ((s as unknown as Record<string, unknown>)[k] !== v) problems.push(`${k}: expected ${v}, got ${String((s as unknown as Record<string, unknown>)[k])}`);
      if (fx.units !== undefined && s.records + s.skipped !== fx.units) problems.push(`records + skipped = ${s.records + s.skipped}, the file has ${fx.units} requests`);
      if (fx.secrets?.length) {
        const out = runCli(['failures', '--db', db, '--json']).stdout;
        const leaks = [...grepFiles(dbFiles(db), fx.secrets), ...fx.secrets.filter((x) => out.includes(x)).map((x) => `${x} in failures --json`)];
        if (leaks.length) problems.push(`secrets stored: ${leaks.join(', ')}`);
      }
      if (fx.bug) {
        if (problems.length) console.warn(`KNOWN BUG ${file}: ${fx.bug}\n  ${problems.join('\n  ')}`);
        else throw new Error(`${file}: every check passes now: remove its "bug" entry from fixtures.json`);
        return;
      }
      expect(problems).toEqual([]);
    });
  }
});
