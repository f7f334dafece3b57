#!/usr/bin/env node
// npm run bench: generates large inputs from the real seeds in ../shared/bench-data (outside the repo),
// measures faultline beside reference tools in the same run (wc -l, lnav, GoAccess, JSON.parse),
// and prints medians, ratios and pass/fail per goal (issues 2 and 7).
//
// Options: --quick (1M lines, 300 MB HAR, one run each), --lines N (default 10M), --runs N (default 3),
//          --dir D (generated data; default $FAULTLINE_BENCH_DIR or /tmp/faultline-bench), --linear (also 30M lines),
//          --db-only [--db F] [--ingest-seconds S]: only the rows over an existing database (TUI, report, analysis
//          alone; default F = <dir>/bench-log.db from an earlier run), with S the ingest wall time of that
//          database for the "classification does not halve ingest throughput" goal (n/a without it).
// Needs a built CLI (npm run build). lnav/GoAccess are measured when installed (apt-get install lnav goaccess).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const quick = flag('--quick');
const LINES = Number(opt('--lines', quick ? 1_000_000 : 10_000_000));
const RUNS = Number(opt('--runs', quick ? 1 : 3));
const DIR = opt('--dir', process.env.FAULTLINE_BENCH_DIR || '/tmp/faultline-bench');
const CLI = join(root, 'dist', 'src', 'cli', 'main.js');
mkdirSync(DIR, { recursive: true });
if (!existsSync(CLI)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => bytes / 1e6;

/** Runs a command under /usr/bin/time -v: wall seconds and peak RSS in MB. */
function measure(cmd, argv, { before } = {}) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (r.status !== 0 && r.status !== 2) {
      console.error(`bench: ${cmd} ${argv.join(' ')} exited ${r.status}\n${(r.stderr ?? '').slice(-2000)}`);
    }
    walls.push(wall);
    rss.push(m ? Number(m[1]) / 1024 : NaN);
  }
  return { wall: median(walls), rss: Math.max(...rss), walls };
}

function gen(script, out, arg) {
  if (existsSync(out)) return;
  console.error(`bench: generating ${out} …`);
  execFileSync(process.execPath, [join(root, 'bench', script), out, String(arg)], { stdio: 'inherit' });
}

const rows = [];
const goals = [];
const row = (what, r, units, unitName) =>
  rows.push({ what, wall: r.wall.toFixed(2) + ' s', throughput: units ? `${Math.round(units / r.wall).toLocaleString('en-US')} ${unitName}/s` : '', rss: Number.isFinite(r.rss) ? r.rss.toFixed(0) + ' MB' : '' });
const goal = (name, ok, detail) => goals.push({ name, result: ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL', detail });

function printTables() {
  const head = { what: 'what', wall: 'wall', throughput: 'throughput', rss: 'peak RSS' };
  const w = (k) => Math.max(...rows.map((r) => String(r[k]).length), head[k].length);
  const cols = ['what', 'wall', 'throughput', 'rss'];
  const line = (r) => '| ' + cols.map((c) => String(r[c]).padEnd(w(c))).join(' | ') + ' |';
  console.log(`\nfaultline bench — ${new Date().toISOString()} — node ${process.version}, ${RUNS} run(s) each, medians (peak RSS = max)\n`);
  console.log(line(head));
  console.log('|' + cols.map((c) => '-'.repeat(w(c) + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('\n| goal | result | measured |\n|---|---|---|');
  for (const g of goals) console.log(`| ${g.name} | ${g.result} | ${g.detail} |`);
}

/**
 * Rows over a database an ingest of `lines` lines filled: the terminal UI's first screen and every
 * navigation step (issue 4, issue 7 goal 4), `faultline report`, and the analysis alone
 * (classification + clustering + incidents, issue 3) with its records/s and peak RSS.
 * `ingest` ({ wall } of that ingest, or null) gives the "classification does not halve ingest
 * throughput" goal: ingest records/s as measured vs the same ingest without the analysis phase.
 */
/**
 * The TUI end to end in a fresh 80×24 tmux pane (own server socket): wall time from starting
 * `faultline browse --db` to the incident list on screen, then per key the time until the screen
 * changed (tmux send-keys, then capture-pane every few ms: includes Ink's render and tmux's own
 * round trips). Null without tmux or when the list never shows within 20 s.
 */
function tuiInTmux(db) {
  if (!have('tmux')) return null;
  const sock = ['-L', `faultline-bench-${process.pid}`];
  const t = (...a) => spawnSync('tmux', [...sock, ...a], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p').stdout ?? '';
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const waitFor = (ok, limitMs) => {
    const t0 = now();
    while (now() - t0 < limitMs) {
      if (ok(screen())) return now() - t0;
      spawnSync('sleep', ['0.003']);
    }
    return null;
  };
  const t0 = now();
  t('new-session', '-d', '-x', '80', '-y', '24', `${process.execPath} ${CLI} browse --db '${db.replace(/'/g, "'\\''")}'; sleep 5`);
  const w0 = now();
  const first = waitFor((s) => s.includes('Incidents ('), 20_000);
  const keys = [];
  if (first !== null) {
    // Keys from half a second after the first frame (a person reads it first; the process is still
    // compiling the code that handles keys right after it drew).
    spawnSync('sleep', ['0.5']);
    for (const [name, key] of [['j', 'j'], ['PageDown', 'NPage'], ['End', 'End'], ['k', 'k'], ['Home', 'Home'], ['s (sort)', 's'], ['s (sort)', 's'], ['s (sort)', 's'],
      ['Enter (open incident)', 'Enter'], ['Tab (focus details)', 'Tab'], ['Tab (focus requests)', 'Tab'], ['Enter (open request)', 'Enter'], ['Esc (back)', 'Escape'], ['Esc (back)', 'Escape']]) {
      const before = screen();
      const k0 = now();
      t('send-keys', key);
      const ms = waitFor((s) => s !== before, 5_000);
      keys.push({ name, ms: ms === null ? null : now() - k0 });
      spawnSync('sleep', ['0.05']);
    }
  }
  t('send-keys', 'q');
  spawnSync('sleep', ['0.3']);
  t('kill-server');
  return first === null ? null : { first: w0 - t0 + first, keys };
}

function databaseRows(db, lines, ingest) {
  // Analysis alone first: one run (it rewrites the analysis of the database, as a re-run of ingest
  // does), which also brings an older database to the current schema that the read-only TUI needs.
  const an = spawnSync('/usr/bin/time', ['-v', process.execPath, join(root, 'bench', 'analysis-probe.mjs'), db], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(an.stderr ?? '');
  if (an.status !== 0) {
    goal('classification does not halve ingest throughput (issue 3)', null, `analysis probe failed: ${(an.stderr || '').slice(-300)}`);
  } else {
    analysisRows(JSON.parse(an.stdout), m ? Number(m[1]) / 1024 : NaN, lines, ingest);
  }

  const probe = spawnSync(process.execPath, [join(root, 'bench', 'tui-probe.mjs'), db], { encoding: 'utf8' });
  if (probe.status === 0) {
    const p = JSON.parse(probe.stdout);
    rows.push({ what: `TUI first screen (open + overview head + visible incidents of ${p.incidents.toLocaleString('en-US')})`, wall: `${p.firstScreenMs.toFixed(0)} ms`, throughput: `cpu ${p.firstScreenCpuMs.toFixed(0)} ms`, rss: '' });
    rows.push({ what: `TUI keypress (slowest of ${p.keys} navigation steps: ${p.maxKeyStep})`, wall: `${p.maxKeyMs.toFixed(0)} ms`, throughput: `median ${p.medianKeyMs.toFixed(1)} ms`, rss: '' });
    rows.push({ what: `TUI keypress, most CPU (${p.maxKeyCpuStep})`, wall: '', throughput: `cpu ${p.maxKeyCpuMs.toFixed(0)} ms`, rss: '' });
    goal('TUI first screen < 1 s', p.firstScreenMs < 1000, `${p.firstScreenMs.toFixed(0)} ms`);
    goal('TUI every keypress < 100 ms', p.maxKeyMs < 100, `${p.maxKeyMs.toFixed(0)} ms max (${p.maxKeyStep}; its CPU time ${p.maxKeyCpuMs.toFixed(0)} ms at most)${p.over100.length ? `; ≥ 100 ms: ${p.over100.join(', ')}` : ''}`);
  } else {
    goal('TUI first screen < 1 s', null, `probe failed: ${(probe.stderr || '').slice(-300)}`);
  }
  const term = tuiInTmux(db);
  if (term !== null) {
    rows.push({ what: 'TUI first screen in a real terminal (`faultline browse` started → incident list drawn; tmux 80×24)', wall: `${term.first.toFixed(0)} ms`, throughput: '', rss: '' });
    goal('TUI first screen < 1 s in a terminal (node and Ink start-up included)', term.first < 1000, `${term.first.toFixed(0)} ms`);
    const done = term.keys.filter((k) => k.ms !== null);
    const worst = done.reduce((a, k) => (k.ms > a.ms ? k : a), { name: 'none', ms: 0 });
    rows.push({ what: `TUI keypress in that terminal (slowest of ${term.keys.length}: ${worst.name}; key sent → screen changed)`, wall: `${worst.ms.toFixed(0)} ms`, throughput: '', rss: '' });
    goal('TUI keypress < 100 ms in a terminal (render and tmux round trips included)', done.length === term.keys.length ? worst.ms < 100 : false,
      term.keys.map((k) => `${k.name} ${k.ms === null ? 'no change' : k.ms.toFixed(0) + ' ms'}`).join(', '));
  }
  const rep = measure(process.execPath, [CLI, 'report', '--db', db, '-o', join(DIR, 'bench-report.md')]);
  row('faultline report on that database', rep, 0, '');
  goal('report < 3 s', rep.wall < 3, `${rep.wall.toFixed(2)} s`);
}

/** Issue 3's rows from bench/analysis-probe.mjs output `a` and its peak RSS (MB). */
function analysisRows(a, rss, lines, ingest) {
  const secs = a.analysisMs / 1000;
  rows.push({
    what: `analysis alone: classify ${a.failures.toLocaleString('en-US')} failures, ${a.incidents.toLocaleString('en-US')} incidents (of which TUI summaries ${(a.summariesMs / 1000).toFixed(2)} s)`,
    wall: `${secs.toFixed(2)} s`, throughput: `${Math.round(a.records / secs).toLocaleString('en-US')} records/s`, rss: Number.isFinite(rss) ? `${rss.toFixed(0)} MB` : '',
  });
  if (ingest) {
    // With classification: the ingest as measured. Without: the same ingest minus its analysis phase
    // (approximated by this re-run of the analysis on the same data). Halved means ratio < 0.5.
    const withRate = lines / ingest.wall;
    const withoutRate = lines / Math.max(1e-9, ingest.wall - secs);
    goal('classification does not halve ingest throughput (issue 3)', withRate / withoutRate >= 0.5,
      `${Math.round(withRate).toLocaleString('en-US')} records/s with vs ${Math.round(withoutRate).toLocaleString('en-US')} without (ingest ${ingest.wall.toFixed(1)} s − analysis ${secs.toFixed(1)} s): ${(withRate / withoutRate).toFixed(2)}×`);
  } else {
    goal('classification does not halve ingest throughput (issue 3)', null, 'no ingest time: pass --ingest-seconds S with --db-only');
  }
  goal('analysis alone peak RSS < 300 MB (issue 7 bound for all of ingest)', Number.isFinite(rss) ? rss < 300 : null, `${rss.toFixed(0)} MB`);
}

if (flag('--db-only')) {
  const db = opt('--db', join(DIR, 'bench-log.db'));
  if (!existsSync(db)) {
    console.error(`bench: --db-only needs a database (${db} does not exist)`);
    process.exit(1);
  }
  const count = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});process.stdout.write(String(d.prepare('SELECT IFNULL(sum(records),0) FROM sources').pluck().get()))`, db], { encoding: 'utf8', cwd: root });
  const secs = opt('--ingest-seconds', null);
  databaseRows(db, Number(count.stdout), secs ? { wall: Number(secs) } : null);
  printTables();
  process.exit(0);
}

// ---- access log ----
const log = join(DIR, `combined-${LINES}.log`);
gen('gen-access-log.mjs', log, LINES);
const logBytes = statSync(log).size;
const wc = measure('wc', ['-l', log]);
row(`wc -l (${LINES.toLocaleString('en-US')} lines, ${mb(logBytes).toFixed(0)} MB)`, wc, LINES, 'lines');
let lnav = null;
if (have('lnav')) {
  lnav = measure('lnav', ['-n', '-c', ';SELECT count(*), sc_status FROM access_log GROUP BY sc_status', log]);
  row('lnav -n -c "SELECT count(*) … GROUP BY sc_status"', lnav, LINES, 'lines');
}
let goaccess = null;
if (have('goaccess')) {
  const outJson = join(DIR, 'goaccess-out.json');
  goaccess = measure('goaccess', [log, '--log-format=COMBINED', '-o', outJson]);
  row('GoAccess --log-format=COMBINED -o out.json', goaccess, LINES, 'lines');
}
const db = join(DIR, 'bench-log.db');
const clean = (p) => () => { for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true }); };
const fl = measure(process.execPath, [CLI, 'ingest', log, '--db', db, '--json', '--no-progress'], { before: clean(db) });
row('faultline ingest (parse, redact, store, classify, incidents)', fl, LINES, 'lines');
const dbBytes = statSync(db).size + (existsSync(db + '-wal') ? statSync(db + '-wal').size : 0);
rows.push({ what: `database size ${mb(dbBytes).toFixed(0)} MB = ${((dbBytes / logBytes) * 100).toFixed(0)}% of the raw log`, wall: '', throughput: '', rss: '' });

if (lnav) goal('ingest ≥ 1.0× lnav query throughput', lnav.wall / fl.wall >= 1.0, `${(lnav.wall / fl.wall).toFixed(2)}×`);
if (goaccess) {
  goal('ingest ≥ 2× GoAccess (issue 2)', goaccess.wall / fl.wall >= 2, `${(goaccess.wall / fl.wall).toFixed(2)}×`);
  goal('ingest never below 3× GoAccess (issue 7)', goaccess.wall / fl.wall >= 3, `${(goaccess.wall / fl.wall).toFixed(2)}×`);
}
goal('ingest peak RSS < 300 MB', fl.rss < 300, `${fl.rss.toFixed(0)} MB`);
goal('database ≤ half the raw log', dbBytes <= logBytes / 2, `${((dbBytes / logBytes) * 100).toFixed(0)}%`);

// ---- terminal UI, report and analysis alone on the big database ----
databaseRows(db, LINES, fl);

// ---- linear cost ----
if (!quick) {
  const sizes = [1_000_000, LINES, ...(flag('--linear') ? [30_000_000] : [])].filter((v, i, a) => a.indexOf(v) === i);
  const rates = [];
  for (const n of sizes) {
    const f = join(DIR, `combined-${n}.log`);
    gen('gen-access-log.mjs', f, n);
    const d = join(DIR, `bench-lin-${n}.db`);
    const r = n === LINES ? fl : measure(process.execPath, [CLI, 'ingest', f, '--db', d, '--json', '--no-progress'], { before: clean(d) });
    rates.push({ n, rate: n / r.wall, rss: r.rss });
    if (n !== LINES) row(`faultline ingest ${n.toLocaleString('en-US')} lines`, r, n, 'lines');
  }
  const lo = Math.min(...rates.map((r) => r.rate));
  const hi = Math.max(...rates.map((r) => r.rate));
  goal('records/s within 15% from 1M to the largest size', hi / lo <= 1.15, rates.map((r) => `${(r.n / 1e6).toFixed(0)}M: ${Math.round(r.rate).toLocaleString('en-US')}/s, ${r.rss.toFixed(0)} MB`).join('; '));
}

// ---- HAR ----
const har300 = join(DIR, 'bench-300.har');
gen('gen-har.mjs', har300, 300);
const harBytes = statSync(har300).size;
const jp = measure(process.execPath, ['-e', `const t=require('fs').readFileSync(${JSON.stringify(har300)},'utf8');const j=JSON.parse(t);if(!j.log.entries.length)process.exit(3)`]);
row(`JSON.parse whole file (${mb(harBytes).toFixed(0)} MB HAR)`, jp, harBytes / 1e6, 'MB');
const hdb = join(DIR, 'bench-har.db');
const fh = measure(process.execPath, [CLI, 'ingest', har300, '--db', hdb, '--json', '--no-progress'], { before: clean(hdb) });
row('faultline ingest of the same HAR', fh, harBytes / 1e6, 'MB');
goal('HAR ingest ≥ 1.0× whole-file JSON.parse (300 MB)', jp.wall / fh.wall >= 1.0, `${(jp.wall / fh.wall).toFixed(2)}×`);
if (!quick) {
  const har1200 = join(DIR, 'bench-1200.har');
  gen('gen-har.mjs', har1200, 1200);
  const hdb2 = join(DIR, 'bench-har2.db');
  const saved = RUNS;
  const fh2 = measure(process.execPath, [CLI, 'ingest', har1200, '--db', hdb2, '--json', '--no-progress'], { before: clean(hdb2) });
  row(`faultline ingest 1.2 GB HAR`, fh2, statSync(har1200).size / 1e6, 'MB');
  goal('1.2 GB HAR peak RSS < 200 MB (issue 7; issue 2 asks < 400 MB)', fh2.rss < 200, `${fh2.rss.toFixed(0)} MB`);
  void saved;
}

// ---- print ----
printTables();
