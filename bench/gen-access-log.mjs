#!/usr/bin/env node
// Generates a large Apache combined log from the real 10k-line seed in ../shared/bench-data/apache_logs.gz:
// the seed is repeated with timestamps shifted forward by its own span each round, so time stays monotonic.
// Usage: node bench/gen-access-log.mjs OUT LINES
import { createWriteStream, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [out, linesArg] = process.argv.slice(2);
const total = Number(linesArg ?? 1_000_000);
const seed = gunzipSync(readFileSync(join(root, '..', 'shared', 'bench-data', 'apache_logs.gz'))).toString('utf8').split('\n').filter(Boolean);
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
// Pre-split every seed line around its [time] so each round only formats a date.
const parts = seed.map((l) => {
  const a = l.indexOf('[');
  const b = l.indexOf(']', a);
  const t = l.slice(a + 1, b);
  const ms = Date.UTC(+t.slice(7, 11), MON.indexOf(t.slice(3, 6)), +t.slice(0, 2), +t.slice(12, 14), +t.slice(15, 17), +t.slice(18, 20));
  const tz = t.slice(20);
  const sign = tz[1] === '-' ? -1 : 1;
  const off = sign * (+tz.slice(2, 4) * 60 + +tz.slice(4, 6)) * 60000;
  return { pre: l.slice(0, a + 1), post: l.slice(b), ms: ms - off, tz };
});
const first = parts[0].ms;
const span = parts[parts.length - 1].ms - first + 1000;
const ws = createWriteStream(out, { highWaterMark: 1 << 22 });
let n = 0;
let round = 0;
let buf = '';
const fmt = (ms) => {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
async function main() {
  while (n < total) {
    const shift = round * span;
    for (const s of parts) {
      if (n >= total) break;
      buf += s.pre + fmt(s.ms + shift) + s.post + '\n';
      n++;
      if (buf.length > 1 << 20) {
        if (!ws.write(buf)) await new Promise((r) => ws.once('drain', r));
        buf = '';
      }
    }
    round++;
  }
  ws.end(buf);
  await new Promise((r) => ws.on('finish', r));
}
await main();
process.stderr.write(`generated ${n} lines into ${out}\n`);
