import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from './helpers/corpus.js';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Tests run the real CLI from dist/: rebuild it when any source is newer than the build. */
export default function setup(): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const src = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'parsers')));
  if (src <= built) return;
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // Unit tests still run; tests of the built CLI fail on their own with the stale or missing build.
    const out = String((err as { stdout?: Buffer }).stdout ?? '') + String((err as { stderr?: Buffer }).stderr ?? '');
    process.stderr.write(`global setup: npm run build failed; CLI tests will use the previous build\n${out.slice(0, 4000)}\n`);
  }
}
