// Builds dist/ atomically: tsc writes a fresh .dist-<time> directory and dist/ is a symlink switched
// to it with one rename, so a faultline process started during a rebuild loads one consistent build
// (Node resolves the symlink once, at start). Builds older than ten minutes are removed.
// A type error fails the build (and so `npm ci`, through `prepare`).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = `.dist-${Date.now()}-${process.pid}`;
const next = join(root, name);
const dist = join(root, 'dist');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--outDir', next], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  console.error('build: tsc failed; dist/ left as it was');
  process.exit(r.status ?? 1);
}
const bin = join(next, 'src', 'cli', 'main.js');
if (existsSync(bin)) chmodSync(bin, 0o755);
// A real directory from an older layout is moved aside once.
if (existsSync(dist) && !lstatSync(dist).isSymbolicLink()) renameSync(dist, join(root, `.dist-0-legacy`));
const tmpLink = join(root, `.dist-link-${process.pid}`);
rmSync(tmpLink, { force: true });
symlinkSync(name, tmpLink);
renameSync(tmpLink, dist);
const now = Date.now();
for (const e of readdirSync(root)) {
  if (!e.startsWith('.dist-') || e === name || e.startsWith('.dist-link-')) continue;
  const p = join(root, e);
  if (now - statSync(p).mtimeMs > 10 * 60_000 || e === '.dist-0-legacy') rmSync(p, { recursive: true, force: true });
}
