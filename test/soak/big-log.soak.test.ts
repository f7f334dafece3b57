/**
 * security.md section 7 ("many tiny records"): a generated 1 GiB access log (bench/gen-access-log.mjs,
 * about 4.5 million lines) through the real ingest with the child's peak RSS measured; every line is a
 * record or a counted skip. Minutes long, so it runs in npm run soak (FAULTLINE_SOAK=1), not in CI.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/corpus.js';
import { expectAccounting, runCliMeasured } from '../hostile/support.js';

const SOAK = process.env['FAULTLINE_SOAK'] === '1';
const tmp = tempDir('faultline-soak-log-');
afterAll(() => tmp.cleanup());

describe.skipIf(!SOAK)('1 GiB log soak', () => {
  it('every line accounted for, peak RSS < 300 MiB', async () => {
    const p = join(tmp.dir, 'big.log');
    const lines = 4_500_000;
    execFileSync(process.execPath, [join(ROOT, 'bench', 'gen-access-log.mjs'), p, String(lines)], { stdio: 'ignore' });
    const size = statSync(p).size;
    const db = join(tmp.dir, 'big.db');
    const r = await runCliMeasured(['ingest', p, '--db', db, '--json']);
    console.log(`1 GiB log (${(size / 2 ** 30).toFixed(2)} GiB, ${lines} lines): peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${r.how})`);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as { sources: Array<{ records: number; skipped: number }> }).sources[0]!;
    expect(s.records + s.skipped).toBe(lines);
    expectAccounting(db);
    expect(r.peakRssMiB).toBeLessThan(300);
  });
});
