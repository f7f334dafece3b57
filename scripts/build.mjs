// Builds dist/ atomically: tsc writes into .dist-next, which then replaces dist/ with two renames,
// so a faultline process started during a rebuild never loads a half-written mix of modules.
// A type error fails the build (and so `npm ci`, through `prepare`).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const next = join(root, '.dist-next');
const old = join(root, `.dist-old-${process.pid}`);
const dist = join(root, 'dist');
rmSync(next, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--outDir', next], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  console.error('build: tsc failed; dist/ left as it was');
  process.exit(r.status ?? 1);
}
if (existsSync(dist)) renameSync(dist, old);
renameSync(next, dist);
rmSync(old, { recursive: true, force: true });
const bin = join(dist, 'src', 'cli', 'main.js');
if (existsSync(bin)) chmodSync(bin, 0o755);
