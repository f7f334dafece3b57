#!/usr/bin/env node
// Generates a large HAR from the entries of the real captures in ../shared/bench-data/har/*.har.gz:
// entries are replicated round-robin with new, increasing start times, bodies kept.
// Usage: node bench/gen-har.mjs OUT MEGABYTES
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [out, mbArg] = process.argv.slice(2);
const target = Number(mbArg ?? 300) * 1e6;
const dir = join(root, '..', 'shared', 'bench-data', 'har');
const entries = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.har.gz')).sort()) {
  let text = gunzipSync(readFileSync(join(dir, f))).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (const e of JSON.parse(text).log.entries) entries.push(e);
}
const ws = createWriteStream(out, { highWaterMark: 1 << 22 });
let written = 0;
const w = async (s) => {
  written += Buffer.byteLength(s);
  if (!ws.write(s)) await new Promise((r) => ws.once('drain', r));
};
await w('{"log":{"version":"1.2","creator":{"name":"faultline bench/gen-har.mjs","version":"1"},"pages":[],"entries":[\n');
let t = Date.UTC(2026, 0, 1);
let i = 0;
let n = 0;
while (written < target) {
  const e = entries[i % entries.length];
  e.startedDateTime = new Date(t).toISOString();
  t += 37;
  await w((n ? ',\n' : '') + JSON.stringify(e));
  i++;
  n++;
}
await w('\n]}}\n');
ws.end();
await new Promise((r) => ws.on('finish', r));
process.stderr.write(`generated ${n} entries, ${(written / 1e6).toFixed(0)} MB into ${out}\n`);
