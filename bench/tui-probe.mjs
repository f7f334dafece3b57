#!/usr/bin/env node
// Times what the terminal UI does on a big database, through the TUI's own data source
// (src/tui/source.ts storeSource, as the app uses it): the first screen (open the store read-only,
// build the overview head from the summaries stored when analysis ended, read the visible page of
// incidents), then each step a keypress triggers, by name: moving through the incident list (down,
// page down, End, up from the end, Home), opening an incident and paging its members, opening a
// request, going back, the `f` filters (cause, status, source), `t` (time window), `s` (each sort
// order, then End in it), `/` search (common and rare terms) and the request-list search.
// A step's time is everything the screen reads for it (list count + the visible rows).
// Each step also records the CPU time this process used (user + system): on a machine shared with
// other work, wall time includes waiting for a core, CPU time is what the step itself costs.
// Prints JSON for bench/run.mjs; --verbose prints every step to stderr.
import { cpuUsage } from 'node:process';
import { performance } from 'node:perf_hooks';

const db = process.argv[2];
const verbose = process.argv.includes('--verbose');
const root = new URL('../dist/src/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', root));
const { storeSource } = await import(new URL('tui/source.js', root));
const { filterOptions } = await import(new URL('tui/views/filter-options.js', root));

const VIEWPORT = 14; // incident rows on an 80×24 terminal
const NO_FILTERS = { search: '', cause: null, status: null, source: null };
const steps = [];
const cpuMs = (c) => (c.user + c.system) / 1000;
const time = (name, fn) => {
  const c = cpuUsage();
  const s = performance.now();
  const r = fn();
  steps.push({ name, ms: performance.now() - s, cpu: cpuMs(cpuUsage(c)) });
  return r;
};

const c0 = cpuUsage();
const t0 = performance.now();
const store = openStore(db, { readonly: true });
const source = storeSource(store, async () => '');
const overview = source.overview();
const base = { sort: 'severity' };
const first = source.incidentList(base);
const firstRows = first.slice(0, VIEWPORT);
const firstScreenMs = performance.now() - t0;
const firstScreenCpuMs = cpuMs(cpuUsage(c0));

/** What the overview reads for a list query at a position: the count and the visible rows. */
const view = (q, top = 0) => {
  const list = source.incidentList(q);
  const n = list.count;
  return { n, rows: list.slice(Math.max(0, Math.min(top, n - VIEWPORT)), VIEWPORT) };
};
const walk = (label, q) => {
  const { n } = time(`${label}: first page`, () => view(q));
  time(`${label}: down`, () => view(q, 1));
  time(`${label}: page down`, () => view(q, VIEWPORT - 1));
  time(`${label}: End`, () => view(q, n - VIEWPORT));
  time(`${label}: up from End`, () => view(q, n - VIEWPORT - 1));
  time(`${label}: page up from End`, () => view(q, n - 2 * VIEWPORT));
  time(`${label}: Home`, () => view(q, 0));
  return n;
};

walk('list by severity', base);
for (const inc of firstRows.slice(0, 3)) {
  const detail = time('open incident', () => source.incident(inc.id));
  let page = time('incident: member page', () => source.page({ incidentId: inc.id }, 100, null));
  for (let i = 0; i < 3 && page.next; i++) page = time('incident: next member page', () => source.page({ incidentId: inc.id }, 100, page.next));
  if (page.rows[0]) time('open request', () => source.request(page.rows[0].id));
  time('back to the incident', () => source.incident(inc.id));
  time('back to the overview', () => view(base));
  void detail;
}
time('f: filter menu', () => filterOptions(source.overview(), NO_FILTERS, null));
const causes = overview.incidentCauses.map((c) => c.cause);
for (const cause of [causes[0], causes[causes.length - 1]].filter(Boolean)) walk(`filter cause ${cause}`, { ...base, cause });
const statuses = overview.incidentStatuses.map((s) => s.status);
for (const status of [statuses[0], statuses[statuses.length - 1]].filter((s) => s !== undefined)) walk(`filter status ${status}`, { ...base, status });
if (overview.sources[0]) walk('filter source', { ...base, sourcePath: overview.sources[0].path });
const inc0 = firstRows[0];
if (inc0?.firstSeen != null && inc0.lastSeen != null) walk('t: time window of an incident', { ...base, since: inc0.firstSeen, until: inc0.lastSeen });
for (const sort of ['count', 'time']) walk(`sort by ${sort}`, { sort });
const route = inc0?.routes[0]?.split('/').filter(Boolean)[0] ?? 'a';
for (const term of [route, 'admin', 'zz-no-such-text-zz']) walk(`search "${term}"`, { ...base, search: term });
walk('filter cause + search', { ...base, cause: causes[0], search: route });
time('request list search', () => source.page({ failedOnly: true, search: 'admin' }, 100, null));
time('request list cause filter', () => source.page({ failedOnly: true, cause: [causes[0] ?? 'unknown'] }, 100, null));

const sorted = [...steps].sort((a, b) => a.ms - b.ms);
const slowest = sorted[sorted.length - 1] ?? { name: '', ms: 0, cpu: 0 };
const byCpu = [...steps].sort((a, b) => a.cpu - b.cpu);
const slowestCpu = byCpu[byCpu.length - 1] ?? { name: '', ms: 0, cpu: 0 };
if (verbose) for (const s of steps) process.stderr.write(`${s.ms.toFixed(1).padStart(8)} ms wall ${s.cpu.toFixed(1).padStart(8)} ms cpu  ${s.name}\n`);
process.stdout.write(JSON.stringify({
  firstScreenMs, firstScreenCpuMs, maxKeyCpuMs: slowestCpu.cpu, maxKeyCpuStep: slowestCpu.name, incidents: overview.incidentCount, keys: steps.length,
  maxKeyMs: slowest.ms, maxKeyStep: slowest.name, medianKeyMs: sorted[Math.floor(sorted.length / 2)]?.ms ?? 0,
  over100: steps.filter((s) => s.ms >= 100).map((s) => `${s.name} ${s.ms.toFixed(0)} ms`),
}));
store.close();
