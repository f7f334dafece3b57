#!/usr/bin/env node
// Speed on hostile lines (security.md B-18, B-24 and section 7), measured here and never in timed tests:
// every access-log format, a compiled --log-format, the line redactor and the terminal/markdown escapers
// are fed the same hostile lines (quote, bracket, backslash and separator floods of 10 KB, 1 MB lines,
// JSON nested 1e5 deep, recheck-style attack strings); each line is parsed RUNS times and the median
// single-call time is kept. Prints, per parser, the median and the worst µs per hostile line, and a
// goal per parser: every ≤ 16 KB line under 10 ms (security.md B-24) and every 1 MB line under 250 ms
// (linear: a quadratic path on 1 MB takes minutes).
//
// Usage: node bench/hostile-lines.mjs [--runs N] [--json]     (needs a built dist/: npm run build)
// From bench/run.mjs: `import { measureHostileLines } from './hostile-lines.mjs'` returns the rows.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (rel) => pathToFileURL(join(root, 'dist', rel)).href;

const KB = 1024;
const MB = 1 << 20;
export const SHORT_BUDGET_MS = 10;
export const LONG_BUDGET_MS = 250;

/** A flat string (as the line reader produces it), not a rope of concatenations. */
const flat = (s) => Buffer.from(s, 'utf8').toString('utf8');

/** The hostile lines, labelled. All synthetic. */
export function hostileLines() {
  const clf = '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "';
  const ok = '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "';
  const lines = [
    ['quotes 10K', '"'.repeat(10_000)],
    ['brackets 10K', '['.repeat(10_000)],
    ['backslashes 10K', '\\'.repeat(10_000)],
    ['spaces 10K', ' '.repeat(10_000)],
    ['clf open request', clf + 'GET / '.repeat(2_000)],
    ['clf escaped quotes', clf + '\\"'.repeat(5_000)],
    ['clf quote-space', clf + 'GET /' + '" '.repeat(5_000)],
    ['clf quoted fields', clf + 'GET / HTTP/1.1" 200 1 "' + '" "'.repeat(3_000)],
    ['clf brackets', '1.1.1.1 - - [' + ']'.repeat(10_000)],
    ['nginx rt list', ok + '-" "-" ' + 'rt=, '.repeat(2_000)],
    ['upstream commas', ok + '-" "-" ' + ', '.repeat(5_000)],
    ['alb quotes', 'http 2019-10-11T15:01:12.376735Z app/x 1.2.3.4:5 - -1 -1 -1 504 - 1 1 "' + '" "'.repeat(3_000)],
    ['haproxy braces', '1.2.3.4:5 [01/Jan/2024:00:00:00.000] fe be/s 0/0/0/0/0 200 1 - - ---- 1/1/1/1/0 0/0 ' + '{'.repeat(10_000)],
    ['syslog colons', 'Mar  1 12:00:00 host haproxy[1]: ' + ': '.repeat(5_000)],
    ['cri prefix', '2024-01-01T00:00:00.000000001Z stdout F ' + 'x '.repeat(5_000)],
    ['envoy dashes', '[2024-01-01T00:00:00.000Z] "' + '- '.repeat(5_000)],
    ['json deep 1e5', '{"status":200,"path":"/","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'],
    ['json many keys', '{' + '"a":1,'.repeat(2_000) + '"status":500}'],
    ['json escapes', '{"status":500,"path":"' + '\\u0041\\"'.repeat(2_000) + '"}'],
    ['w3c tabs', '\t'.repeat(10_000)],
    ['attack: nested quantifier', '"' + '\\"'.repeat(88) + '\\'],
    ['attack: ws + nul', ' '.repeat(5_000) + '\u0000'],
    ['attack: token=token=', 'token='.repeat(2_000)],
    ['attack: jwt-ish dots', 'eyJ' + 'a.'.repeat(5_000)],
    ['attack: bearer flood', 'Bearer '.repeat(1_500)],
    ['attack: url userinfo', 'https://' + 'a:'.repeat(4_000) + '@h'],
    ['attack: percent flood', '/x?' + '%'.repeat(10_000)],
    ['attack: equals ampersand', '?' + '=&'.repeat(5_000)],
    ['controls and bidi', ('\u001b]0;x\u0007\u202e\u200b\u009b').repeat(2_000)],
    ['combining marks', 'e' + '\u0301'.repeat(10_000)],
    ['1 MB letters', 'a'.repeat(MB)],
    ['1 MB quotes', '"'.repeat(MB)],
    ['1 MB x-space', 'x '.repeat(MB / 2)],
    ['1 MB in UA', ok + 'x'.repeat(MB)],
    ['1 MB quote-space in UA', ok + '" '.repeat(MB / 2)],
    ['1 MB json string', '{"status":404,"path":"/' + 'x'.repeat(MB) + '"}'],
    ['1 MB json keys', '{' + '"a":1,'.repeat(MB / 6) + '"b":2}'],
  ];
  return lines.map(([label, s]) => ({ label, line: flat(s), long: s.length > 16 * KB }));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median single-call µs of fn(line) over `runs` calls (one warm-up call first). */
function timeOne(fn, line, runs) {
  fn(line);
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn(line);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  return median(ts);
}

/** The parsers under test: every access-log format, a custom --log-format, the redactor, the escapers. */
async function targets() {
  const { LOG_FORMATS } = await import(dist('parsers/access-log/registry.js'));
  const { compileLogFormat } = await import(dist('parsers/access-log/template/compile.js'));
  const { createRedactor } = await import(dist('src/redact/index.js'));
  const { toTerminal } = await import(dist('src/core/escape-terminal.js'));
  const { mdText, mdFence } = await import(dist('src/core/escape-markdown.js'));
  const out = [];
  // Header directives first (W3C, CloudFront and Zeek #Fields), so data lines reach the column code.
  const primed = (f) => {
    const parse = f.create();
    for (const s of f.samples) if (s.directive && !s.line.startsWith('#close')) parse(s.line);
    return parse;
  };
  for (const f of LOG_FORMATS) out.push({ name: f.id, create: () => primed(f) });
  const custom = compileLogFormat(
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr $request_time',
    'custom',
  );
  out.push({ name: 'custom --log-format', create: () => custom.create() });
  const red = createRedactor({ key: Buffer.alloc(32, 7) });
  out.push({ name: 'redact: log line', create: () => (s) => red.redactLogLine(s) });
  out.push({ name: 'redact: url', create: () => (s) => red.redactUrl(s) });
  out.push({ name: 'redact: text', create: () => (s) => red.redactText(s) });
  out.push({ name: 'escape: toTerminal', create: () => (s) => toTerminal(s, { max: 4096 }) });
  out.push({ name: 'escape: mdText', create: () => (s) => mdText(s) });
  out.push({ name: 'escape: mdFence', create: () => (s) => mdFence(s) });
  return out;
}

/**
 * Rows: { parser, overBudget, medianUs, worstUs, worstLine, shortOk, longOk }. Lines over 16 KB are timed with
 * fewer runs (they take milliseconds each).
 */
export async function measureHostileLines({ runs = 15 } = {}) {
  const lines = hostileLines();
  const rows = [];
  for (const t of await targets()) {
    const per = [];
    for (const { label, line, long } of lines) {
      const parse = t.create();
      per.push({ label, long, us: timeOne(parse, line, long ? Math.max(3, Math.floor(runs / 5)) : runs) });
    }
    const worst = per.reduce((a, b) => (b.us > a.us ? b : a));
    const over = per.filter((p) => p.us >= (p.long ? LONG_BUDGET_MS : SHORT_BUDGET_MS) * 1000);
    rows.push({
      parser: t.name,
      overBudget: over.map((p) => `${p.label} (${(p.us / 1000).toFixed(1)} ms)`),
      medianUs: median(per.map((p) => p.us)),
      worstUs: worst.us,
      worstLine: worst.label,
      shortOk: per.filter((p) => !p.long).every((p) => p.us < SHORT_BUDGET_MS * 1000),
      longOk: per.filter((p) => p.long).every((p) => p.us < LONG_BUDGET_MS * 1000),
    });
  }
  return rows;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    console.error('bench/hostile-lines: build first (npm run build)');
    process.exit(1);
  }
  const args = process.argv.slice(2);
  const i = args.indexOf('--runs');
  const runs = i >= 0 ? Number(args[i + 1]) : 15;
  const rows = await measureHostileLines({ runs });
  if (args.includes('--json')) {
    console.log(JSON.stringify(rows, null, 1));
  } else {
    const n = hostileLines().length;
    console.log(`\nhostile lines — ${n} lines per parser, median of ${runs} calls each — node ${process.version}\n`);
    console.log('| parser | median µs/line | worst µs | worst line | ≤16 KB < 10 ms | 1 MB < 250 ms |');
    console.log('|---|---:|---:|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.parser} | ${r.medianUs.toFixed(1)} | ${r.worstUs.toFixed(0)} | ${r.worstLine} | ${r.shortOk ? 'PASS' : 'FAIL'} | ${r.longOk ? 'PASS' : 'FAIL'} |`);
    }
    for (const r of rows) if (r.overBudget.length) console.log(`over budget: ${r.parser}: ${r.overBudget.join(', ')}`);
  }
  if (rows.some((r) => !r.shortOk || !r.longOk)) process.exitCode = 1;
}
