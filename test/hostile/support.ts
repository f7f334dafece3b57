/**
 * Shared by the hostile-input tests (security.md section (b)): run the real CLI on a file, read the
 * real SQLite file back, measure a child's peak RSS, and search files for canary bytes.
 * Every input these tests use is SYNTHETIC and built by the test itself.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { CLI, ROOT } from '../helpers/corpus.js';

export interface SourceJson {
  path: string;
  format: string | null;
  sha256: string | null;
  records: number;
  failures: number;
  skipped: number;
  status: string;
  error: string | null;
}

export interface IngestRun extends CliResult {
  db: string;
  sources: SourceJson[];
}

/** `faultline ingest FILES --db DB --json`: the parsed summary, or a test failure showing what was printed. */
export function ingestJson(db: string, paths: string[], extra: string[] = [], env: Record<string, string> = {}, timeoutMs = 300_000): IngestRun {
  // A hang is a failure too: spawnSync blocks the test's own timers, so it gets its own time limit.
  const r = runCli(['ingest', ...paths, '--db', db, '--json', ...extra], { env: { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '', ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' });
  let sources: SourceJson[];
  try {
    sources = (JSON.parse(r.stdout) as { sources: SourceJson[] }).sources;
  } catch {
    throw new Error(`ingest --json printed no JSON (exit ${r.code}):\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  }
  return { ...r, db, sources };
}

/** A message for users: no stack trace unless --debug. */
export function expectNoStack(s: string): void {
  expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(s).not.toMatch(/internal error/);
}

/** Runs a read-only query on a closed database file. */
export function query<T = unknown>(db: string, sql: string, ...args: unknown[]): T[] {
  const c = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return c.prepare(sql).all(...args) as T[];
  } finally {
    c.close();
  }
}

export function scalar<T = number>(db: string, sql: string, ...args: unknown[]): T {
  const c = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return c.prepare(sql).pluck().get(...args) as T;
  } finally {
    c.close();
  }
}

/**
 * The accounting identity (security.md section 5) for every source of a database: the counters match
 * the rows, and records + skipped = units read (next_unit counts lines 1-based, HAR entries 0-based).
 */
export function expectAccounting(db: string): Array<{ id: number; kind: string; records: number; skipped: number; next_unit: number; status: string }> {
  const sources = query<{ id: number; kind: string; records: number; failures: number; skipped: number; next_unit: number; status: string }>(
    db,
    'SELECT id, kind, records, failures, skipped, next_unit, status FROM sources ORDER BY id',
  );
  for (const s of sources) {
    const rows = scalar(db, 'SELECT count(*) FROM requests WHERE source_id = ?', s.id);
    const failed = scalar(db, 'SELECT IFNULL(sum(failed), 0) FROM requests WHERE source_id = ?', s.id);
    const skips = scalar(db, 'SELECT count(*) FROM skipped WHERE source_id = ?', s.id);
    expect(rows, `source ${s.id}: records counter`).toBe(s.records);
    expect(failed, `source ${s.id}: failures counter`).toBe(s.failures);
    expect(skips, `source ${s.id}: skipped counter`).toBe(s.skipped);
  }
  return sources;
}

/** Peak resident set size of a child process, in MiB. */
export interface Measured extends CliResult {
  peakRssMiB: number;
  how: 'time -v' | 'proc';
}

/**
 * Runs the CLI and measures the child's peak RSS: GNU time's "Maximum resident set size" when
 * /usr/bin/time exists, else VmHWM polled from /proc/PID/status until the child exits.
 */
export async function runCliMeasured(args: string[], env: Record<string, string> = {}): Promise<Measured> {
  const fullEnv = { ...process.env, NO_COLOR: '1', FAULTLINE_DB: '', ...env };
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: fullEnv, maxBuffer: 64 << 20 });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (!m) throw new Error(`/usr/bin/time printed no peak RSS:\n${(r.stderr ?? '').slice(-2000)}`);
    // GNU time's report is appended to the child's stderr: cut it off.
    const cut = (r.stderr ?? '').lastIndexOf('\tCommand being timed:');
    return { code: r.status, stdout: r.stdout ?? '', stderr: cut >= 0 ? r.stderr.slice(0, cut) : r.stderr, peakRssMiB: Number(m[1]) / 1024, how: 'time -v' };
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: fullEnv });
    let stdout = '';
    let stderr = '';
    let hwm = 0;
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {
        // the child just exited
      }
    }, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, peakRssMiB: hwm / 1024, how: 'proc' });
    });
  });
}

/** Byte search (like `grep -a -F`) for each needle over each file that exists; returns "needle in file" hits. */
export function grepFiles(files: readonly string[], needles: Iterable<string>): string[] {
  const hits: string[] = [];
  const list = [...needles];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    for (const n of list) if (bytes.indexOf(Buffer.from(n, 'utf8')) >= 0) hits.push(`${n} in ${f}`);
  }
  return hits;
}

/** The database file and its WAL/SHM companions. */
export function dbFiles(db: string): string[] {
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
}

/** Writes a file under dir and returns its path. */
export function put(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** One combined-format access-log line (synthetic). */
export function combinedLine(i: number, opts: { status?: number; path?: string; user?: string; ua?: string; referer?: string } = {}): string {
  const t = `14/Mar/2026:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
  return `203.0.113.${i % 250} - ${opts.user ?? '-'} [${t}] "GET ${opts.path ?? `/api/items/${i}`} HTTP/1.1" ${opts.status ?? 200} 512 "${opts.referer ?? '-'}" "${opts.ua ?? 'curl/8.5.0'}"`;
}

export function combinedLog(count: number, failEvery = 10): string {
  return Array.from({ length: count }, (_, i) => combinedLine(i, { status: i % failEvery === 0 ? 503 : 200 })).join('\n') + '\n';
}

/** A minimal valid HAR entry (synthetic); `over` replaces top-level keys. */
export function harEntry(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    startedDateTime: new Date(Date.UTC(2026, 2, 14, 10, 0, 0) + i * 1000).toISOString(),
    time: 12,
    request: { method: 'GET', url: `https://api.example.com/v1/items/${i}`, httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: -1 },
    response: {
      status: i % 3 === 0 ? 503 : 200, statusText: '', httpVersion: 'HTTP/1.1', cookies: [], headers: [],
      content: { size: 2, mimeType: 'application/json', text: '{}' }, redirectURL: '', headersSize: -1, bodySize: 2,
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1 },
    ...over,
  };
}

export function harOf(entries: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'faultline-hostile-synthetic', version: '1' }, pages: [], entries, ...extra } });
}
