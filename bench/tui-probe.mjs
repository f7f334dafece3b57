#!/usr/bin/env node
// Times what the terminal UI does on a big database: the first screen (open the store read-only and
// build the overview view model) and each navigation step a keypress triggers (open an incident, page
// its members, open a request, go back, search). Prints JSON for bench/run.mjs.
import { performance } from 'node:perf_hooks';

const db = process.argv[2];
const root = new URL('../dist/src/', import.meta.url);
const { openStore } = await import(new URL('store/index.js', root));
const { buildOverview, buildIncident, pageRequests, buildRequest } = await import(new URL('queries/build.js', root));

const t0 = performance.now();
const store = openStore(db, { readonly: true });
const overview = buildOverview(store);
const firstScreenMs = performance.now() - t0;
const steps = [];
const time = (fn) => { const s = performance.now(); const r = fn(); steps.push(performance.now() - s); return r; };
for (const inc of overview.incidents.slice(0, 5)) {
  time(() => buildIncident(store, inc.id));
  let page = time(() => pageRequests(store, { incidentId: inc.id }, 20));
  for (let i = 0; i < 5 && page.next; i++) page = time(() => pageRequests(store, { incidentId: inc.id }, 20, page.next));
  if (page.rows[0]) time(() => buildRequest(store, page.rows[0].id));
  time(() => buildOverview(store));
}
time(() => pageRequests(store, { failedOnly: true, search: 'admin' }, 20));
time(() => pageRequests(store, { failedOnly: true, cause: ['not-found'] }, 20));
steps.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ firstScreenMs, keys: steps.length, maxKeyMs: steps[steps.length - 1] ?? 0, medianKeyMs: steps[Math.floor(steps.length / 2)] ?? 0 }));
store.close();
