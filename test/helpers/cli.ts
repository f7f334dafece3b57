import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { CLI, ROOT } from './corpus.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real built CLI (global setup builds it) as a user would, without a TTY. */
export function runCli(args: string[], opts: SpawnSyncOptions & { input?: string | Buffer } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '' },
    ...opts,
  });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}
