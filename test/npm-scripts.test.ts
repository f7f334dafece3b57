/**
 * `npm run examples` is what a reader of package.json tries first; it passed an option that the
 * ingest command does not have (--no-tui) from the first commit on, and failed. It runs here as a
 * user runs it: through npm, on the bundled example outage, into a database under examples/.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './helpers/corpus.js';

const DB = join(ROOT, 'examples', '.faultline-examples.db');
const clean = (): void => { for (const s of ['', '-wal', '-shm', '-journal']) rmSync(DB + s, { force: true }); };
afterAll(clean);

it('npm run examples ingests the bundled outage and prints its summary', () => {
  clean();
  const r = spawnSync('npm', ['run', '--silent', 'examples'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '' } });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).toMatch(/spa-outage\.har\s+har\s+\d+/);
  expect(r.stdout + r.stderr).toMatch(/nginx-access\.log\s+\S+\s+\d+/);
  expect(r.stderr).not.toMatch(/unknown option|at .*\.js:\d+/);
});
