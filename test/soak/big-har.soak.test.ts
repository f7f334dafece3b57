/**
 * B-13 at full size (npm run soak; FAULTLINE_SOAK=1): a 600 MB HAR (more than V8's 512 MiB string
 * limit, so no whole-file JSON.parse could read it) generated from the real captures by
 * bench/gen-har.mjs, ingested with the child's peak RSS measured. CI runs the 150 MB version
 * (test/hostile/memory.test.ts). Also a HAR of 1,000,000 tiny entries (the "many tiny records" risk).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/corpus.js';
import { expectAccounting, runCliMeasured } from '../hostile/support.js';

const SOAK = process.env['FAULTLINE_SOAK'] === '1';
const tmp = tempDir('faultline-soak-har-');
afterAll(() => tmp.cleanup());

describe.skipIf(!SOAK)('B-13 soak', () => {
  it('600 MB HAR: streamed, every entry stored, peak RSS < 300 MiB, never ERR_STRING_TOO_LONG', async () => {
    const p = join(tmp.dir, 'big.har');
    execFileSync(process.execPath, [join(ROOT, 'bench', 'gen-har.mjs'), p, '600'], { stdio: 'ignore' });
    const entries = Number(execFileSync('sh', ['-c', `grep -c '"startedDateTime"' "${p}"`], { encoding: 'utf8' }).trim());
    const db = join(tmp.dir, 'big.db');
    const r = await runCliMeasured(['ingest', p, '--db', db, '--json']);
    console.log(`B-13 600 MB: peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${r.how}), ${entries} entries`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ERR_STRING_TOO_LONG|heap out of memory/);
    const s = (JSON.parse(r.stdout) as { sources: Array<{ records: number; skipped: number }> }).sources[0]!;
    expect(s.records + s.skipped).toBe(entries);
    expectAccounting(db);
    expect(r.peakRssMiB).toBeLessThan(300);
  });

  it('1,000,000 tiny entries: all accounted for, peak RSS < 300 MiB', async () => {
    const p = join(tmp.dir, 'tiny.har');
    const ws = createWriteStream(p);
    const write = (s: string): Promise<void> => new Promise((res) => (ws.write(s) ? res() : ws.once('drain', () => res())));
    await write('{"log":{"version":"1.2","entries":[');
    for (let i = 0; i < 1_000_000; i++) {
      const t = new Date(Date.UTC(2026, 2, 14) + i * 10).toISOString();
      await write(`${i ? ',' : ''}{"startedDateTime":"${t}","time":1,"request":{"method":"GET","url":"https://a.example/t/${i % 5000}","headers":[]},"response":{"status":${i % 13 ? 200 : 503},"headers":[],"content":{"size":0}},"timings":{}}`);
    }
    await write(']}}');
    await new Promise<void>((res) => ws.end(() => res()));
    const db = join(tmp.dir, 'tiny.db');
    const r = await runCliMeasured(['ingest', p, '--db', db, '--json']);
    console.log(`1M tiny entries: peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${r.how})`);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as { sources: Array<{ records: number; skipped: number }> }).sources[0]!;
    expect(s.records + s.skipped).toBe(1_000_000);
    expectAccounting(db);
    expect(r.peakRssMiB).toBeLessThan(300);
  });
});
