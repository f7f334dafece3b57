#!/usr/bin/env node
// Soak for `faultline watch` (issue 8): a generator appends combined-log lines at a steady rate while
// faultline follows the file; the watcher's RSS is sampled every 10 s. Memory must stay flat.
// Lines are the real apache_logs sample with the current time stamped in (a live log; the sample's
// own 2015 timestamps, replayed over and over, would pile every line into the same three days:
// SOAK_REPLAY_TS=1 keeps them).
// Usage: node scripts/watch-soak.mjs [minutes=5] [linesPerSecond=5000]   (npm run soak:watch)
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const minutes = Number(process.argv[2] ?? 5);
const rate = Number(process.argv[3] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'faultline-soak-'));
const log = join(dir, 'access.log');
const db = join(dir, 'soak.db');
const seed = gunzipSync(readFileSync(join(root, '..', 'shared', 'bench-data', 'apache_logs.gz'))).toString('utf8').split('\n').filter(Boolean);
writeFileSync(log, '');
// FAULTLINE_CLI: another build's main.js (a before/after comparison).
const cli = process.env.FAULTLINE_CLI ?? join(root, 'dist/src/cli/main.js');
const child = spawn(process.execPath, [cli, 'watch', log, '--db', db, '--interval', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
const rss = () => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
const clfNow = () => {
  const d = new Date();
  return `${two(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
};
const replay = process.env.SOAK_REPLAY_TS === '1';
/** The line with its [time] replaced by now. */
const stamped = (l, now) => {
  const a = l.indexOf('[');
  const b = a < 0 ? -1 : l.indexOf(']', a);
  return replay || b < 0 ? l : l.slice(0, a + 1) + now + l.slice(b);
};
let written = 0;
let i = 0;
const started = Date.now();
const samples = [];
const tick = setInterval(() => {
  const batch = [];
  const now = clfNow();
  for (let k = 0; k < rate / 10; k++) batch.push(stamped(seed[i++ % seed.length], now));
  appendFileSync(log, batch.join('\n') + '\n');
  written += batch.length;
}, 100);
const sampler = setInterval(() => {
  const s = { t: Math.round((Date.now() - started) / 1000), rssMb: rss(), written };
  samples.push(s);
  console.log(`t=${s.t}s  written=${s.written}  watcher RSS=${s.rssMb.toFixed(0)} MB`);
}, 10_000);
setTimeout(() => {
  clearInterval(tick);
  clearInterval(sampler);
  child.kill('SIGINT');
  child.on('exit', (code) => {
    const rs = samples.map((s) => s.rssMb).filter(Number.isFinite);
    const firstHalf = rs.slice(0, Math.ceil(rs.length / 2));
    const secondHalf = rs.slice(Math.ceil(rs.length / 2));
    const avg = (a) => a.reduce((x, y) => x + y, 0) / Math.max(a.length, 1);
    console.log(`\nwatch exited ${code}; ${written} lines appended in ${minutes} min; RSS first half ${avg(firstHalf).toFixed(0)} MB, second half ${avg(secondHalf).toFixed(0)} MB, max ${Math.max(...rs).toFixed(0)} MB`);
    // The sample nearest each mark (the last one comes a few seconds before the end).
    const at = (m) => samples.reduce((best, s) => (!best || Math.abs(s.t - m * 60) < Math.abs(best.t - m * 60) ? s : best), null)?.rssMb;
    console.log(`RSS at ${[1, 3, 5, 10, 30, 60].filter((m) => m <= minutes).map((m) => `${m} min: ${at(m)?.toFixed(0) ?? '-'} MB`).join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
  });
}, minutes * 60_000);
