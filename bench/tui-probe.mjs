#!/usr/bin/env node
// Times what the terminal UI does on a big database, through the TUI's own data source
// (src/tui/source.ts: storeSource, which caches the overview and the incident records as the app
// does): the first screen (open the store read-only, build the overview), the incident records the
// app parses in the background 30 ms after the first frame (reported on its own: a keypress that
// comes before it ends waits for it), and each navigation step a keypress triggers (open an incident,
// page its members, open a request, go back, search). Prints JSON for bench/run.mjs.
import { performance } from 'node:perf_hooks';

const db = process.argv[2];
const root = new URL('../dist/src/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', root));
const { storeSource } = await import(new URL('tui/source.js', root));

const t0 = performance.now();
const store = openStore(db, { readonly: true });
const source = storeSource(store, async () => '');
const overview = source.overview();
const firstScreenMs = performance.now() - t0;
const t1 = performance.now();
source.incidents();
const preloadMs = performance.now() - t1;
const steps = [];
const time = (fn) => { const s = performance.now(); const r = fn(); steps.push(performance.now() - s); return r; };
for (const inc of overview.incidents.slice(0, 5)) {
  time(() => source.incident(inc.id));
  let page = time(() => source.page({ incidentId: inc.id }, 20, null));
  for (let i = 0; i < 5 && page.next; i++) page = time(() => source.page({ incidentId: inc.id }, 20, page.next));
  if (page.rows[0]) time(() => source.request(page.rows[0].id));
  time(() => source.overview());
}
time(() => source.page({ failedOnly: true, search: 'admin' }, 20, null));
time(() => source.page({ failedOnly: true, cause: ['not-found'] }, 20, null));
steps.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({
  firstScreenMs, preloadMs, incidents: overview.incidents.length, keys: steps.length,
  maxKeyMs: steps[steps.length - 1] ?? 0, medianKeyMs: steps[Math.floor(steps.length / 2)] ?? 0,
}));
store.close();
