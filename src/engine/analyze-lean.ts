/**
 * The lean analysis of a large store (see analyze.ts): the same result as the reference passes,
 * reading only what can change it, with memory bounded by failures and detail rows, not by the
 * number of distinct paths, clients or user agents (a crawler's or a scanner's log has a new one on
 * every line).
 *
 *  1. route templates, learned from the most requested paths (all of them up to LEARN_MAX), and
 *     every path's route assigned in SQLite temporary tables (assignRoutes), with per-route counts;
 *     only routes with a failure or a detail row get per-route state (routeSucceeds), and two
 *     clients per path of the routes that have failures (routeSucceedsForOtherClients);
 *  2. requests per client address, for the addresses that failed (the scanner check);
 *  3. every row with detail (failures, HAR entries, records with headers or a body), hydrated: the
 *     reference observe() on it (404 paths per client, HAR sources, payload errors, warnings);
 *  4. successes without detail that SQLite pre-selects as possible warnings (query or bare-IP host);
 *  5. failures in time order: classification;
 *  6. clustering, then the traffic of each incident's routes over its windows, from SQLite.
 * The reference pass's other per-request work reads only fields a success without detail does not
 * have (headers, body) or is an order-free count, which is why 1–4 reproduce it.
 */
import type { StoredRequest } from '../core/types.js';
import { AnalysisRun, DEFAULT_GAP_MS, DEFAULT_SLOW_MS, type RunRecord, type TrafficRequest } from './analysis-run.js';
import type { AnalysisStore } from './analyze.js';
import type { Classifier } from './classify.js';
import { hostKinds } from './facts.js';
import { collectGarbage } from './heap.js';
import { RouteTemplater, templatePath } from './route-template.js';
import type { AnalysisOptions, AnalysisSummary } from './types.js';
import { sortedIndexOf } from './sorted.js';

const MINUTE = 60_000;
/** A route whose windows cover more minutes than this has its traffic read for every minute. */
const MAX_ROUTE_MINUTES = 50_000;
/**
 * Paths route templates are learned from at most (the most requested). Real captures and logs have
 * far fewer distinct paths, so for them templates are exactly those of learnRouteTemplates.
 */
export const LEARN_MAX = 25_000;

/** What the lean analysis reads (src/store's LeanReader implements it). */
export interface LeanSource {
  requestCount(): number;
  learningPaths(limit: number): Iterable<{ host: string | null; path: string; count: number }>;
  /** Routes every path (temporary tables); returns the number of distinct templates of paths. */
  assignRoutes(templateOf: (host: string | null, path: string | null) => string): number;
  releaseRoutes(): void;
  routeTotals(): Iterable<{ host: string | null; route: string; n: number; failed: number; leanOk: number }>;
  okClientPairs(): Iterable<{ host: string | null; route: string; client: string }>;
  hosts(): Iterable<{ hostId: number; host: string }>;
  /** Dictionary string of an id (null for 0). */
  str(id: number): string | null;
  /** Requests per client address of the clients that failed (at or after `since` when given). */
  failureClientTotals(since?: number): Iterable<{ ip: string; n: number }>;
  richRows(): Iterable<StoredRequest>;
  warningCandidates(hostIds: readonly number[]): Iterable<{
    id: number; sourceId: number; ts: number | null; status: number | null; hostId: number; pathId: number;
    host: string | null; path: string | null; query: string | null; scheme: string | null; route: string | null;
  }>;
  /** Failures in (ts, id) order; at or after `since` (and those without a time) when given. */
  failures(since?: number): Iterable<StoredRequest>;
  /** One request by id (evidence of an incident's sample members). */
  get(id: number): StoredRequest | null;
  trafficCells(routes: Iterable<[string | null, string, number]>, windows: Map<number, Array<[number, number]>>, allMinutes: Set<number>): Iterable<[number, number, number, number]>;
}

/** Unions [a, b] minute intervals; returns sorted disjoint intervals. */
function unionIntervals(list: Array<[number, number]>): Array<[number, number]> {
  const sorted = list.filter(([a, b]) => b >= a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function analyzeLean(store: AnalysisStore, src: LeanSource, classifier: Classifier, opts: AnalysisOptions, t0: number): AnalysisSummary {
  collectGarbage();
  try {
    return analyzeLeanRouted(store, src, classifier, opts, t0);
  } finally {
    src.releaseRoutes();
  }
}

function analyzeLeanRouted(store: AnalysisStore, src: LeanSource, classifier: Classifier, opts: AnalysisOptions, t0: number): AnalysisSummary {
  // 1. Routes: templates learned (bounded), every path routed in SQLite, per-route counts.
  const templater = RouteTemplater.learn(src.learningPaths(LEARN_MAX));
  const routeCount = src.assignRoutes((host, path) => templater.template(host, path));
  const run = new AnalysisRun(classifier, templater, {
    gapMs: opts.gapMs ?? DEFAULT_GAP_MS, slowMs: opts.slowMs ?? DEFAULT_SLOW_MS, deferred: true, since: opts.since,
  });
  for (const r of src.routeTotals()) {
    // Only a route with a failure or a detail row is asked about (routeSucceeds); any other route's
    // successes matter only for its API version.
    if (r.n > r.leanOk) run.context.addOk(r.host, r.route, r.leanOk);
    else if (r.leanOk > 0) run.context.addOkVersion(r.host, r.route);
  }
  // Clients of successes matter only where something failed ("succeeds for other clients").
  for (const c of src.okClientPairs()) run.context.addOkClient(c.host, c.route, c.client);
  const publicHosts: number[] = [];
  for (const h of src.hosts()) if (hostKinds(h.host).has('public-ip')) publicHosts.push(h.hostId);
  // 2. Requests per client address (scanner check), for the addresses that failed.
  for (const { ip, n } of src.failureClientTotals(opts.since)) run.context.setClientTotal(ip, n);
  // 3. Rows with detail: the reference observation.
  for (const r of src.richRows()) run.observe(r as RunRecord);
  run.requests = src.requestCount();
  // 4. Successes without detail that may raise a warning.
  for (const w of src.warningCandidates(publicHosts)) {
    const route = w.route ?? templatePath(w.path ?? '');
    const rec: RunRecord = {
      id: w.id, sourceId: w.sourceId, sourceKind: 'log', failed: false,
      ts: w.ts, method: null, scheme: w.scheme, host: w.host, path: w.path, query: w.query, status: w.status, httpVersion: null,
      durationMs: null, upstreamMs: null, timings: null, bytesOut: null, bytesIn: null, clientIp: null, userAgent: null, referer: null,
      upstreamAddr: null, upstreamStatus: null, requestId: null, traceId: null, errorText: null, reqHeaders: null, respHeaders: null,
      respMime: null, body: null, bodySize: null, bodyHash: null, extra: null,
    };
    run.warnOnly(rec, route);
  }
  // 5. Failures, in time order.
  run.flushObserved();
  for (const r of src.failures(opts.since)) run.classifyFailure(r as RunRecord);
  collectGarbage();
  // 6. Incidents, with traffic loaded for their routes and windows.
  const result = run.finish((id) => src.get(id), (want) => {
    collectGarbage();
    loadTraffic(run, src, want);
    collectGarbage();
  }, { stream: true });
  store.applyAnalysis({
    routes: new Map(),
    leanRoutes: true,
    ...(opts.since === undefined ? {} : { since: opts.since }),
    classifications: result.classifications(),
    incidents: collectingEvery(result.incidentStream(), 20_000),
    warnings: result.warnings,
  });
  return {
    requests: run.requests,
    failures: result.failures,
    byCause: result.byCause,
    unknown: result.unknown,
    incidents: result.incidentCount,
    warnings: result.warnings.length,
    routes: routeCount,
    rules: classifier.rules.length,
    elapsedMs: Date.now() - t0,
  };
}

/** Passes `items` through, collecting garbage every `n` of them (incident records are built, written, dropped). */
function* collectingEvery<T>(items: Iterable<T>, n: number): IterableIterator<T> {
  let k = 0;
  for (const x of items) {
    if (++k % n === 0) collectGarbage();
    yield x;
  }
}

/** Reads per-minute traffic of the requested routes over their windows and hands it to the context. */
function loadTraffic(run: AnalysisRun, src: LeanSource, want: TrafficRequest): void {
  const routeNo = new Map<string, number>();
  const routes: Array<[string | null, string, number]> = [];
  for (const rk of want.keys()) {
    const cut = rk.indexOf('\u0000');
    const host = rk.slice(0, cut);
    routes.push([host === '' ? null : host, rk.slice(cut + 1), routeNo.size]);
    routeNo.set(rk, routeNo.size);
  }
  const spans = new Map<number, Array<[number, number]>>();
  const allMinutes = new Set<number>();
  for (const [rk, windows] of want) {
    const no = routeNo.get(rk)!;
    const minutes: Array<[number, number]> = [];
    for (let k = 0; k < windows.length; k += 2) minutes.push([Math.floor(windows[k]! / MINUTE), Math.floor(windows[k + 1]! / MINUTE)]);
    const merged = unionIntervals(minutes);
    // Windows covering a long stretch (say, an incident that lasts weeks): every minute is as cheap.
    let total = 0;
    for (const [a, b] of merged) total += b - a + 1;
    if (total > MAX_ROUTE_MINUTES) allMinutes.add(no);
    else spans.set(no, merged);
  }
  // Cells come grouped by route and ordered by minute: columns per route, no object per cell.
  const cols = new Map<number, { minute: number[]; total: number[]; failed: number[] }>();
  for (const [no, m, n, f] of src.trafficCells(routes, spans, allMinutes)) {
    let c = cols.get(no);
    if (!c) { c = { minute: [], total: [], failed: [] }; cols.set(no, c); }
    c.minute.push(m);
    c.total.push(n);
    c.failed.push(f);
  }
  // Payload errors count as failed traffic, though the store has not marked them yet.
  for (const p of run.observedFailures()) {
    if (p.ts === null) continue;
    const no = routeNo.get((p.host ?? '') + '\u0000' + p.route);
    const c = no === undefined ? undefined : cols.get(no);
    if (!c) continue;
    const k = sortedIndexOf(c.minute, Math.floor(p.ts / MINUTE));
    if (k >= 0) c.failed[k]!++;
  }
  for (const [rk, no] of routeNo) {
    const c = cols.get(no);
    run.context.setTraffic(rk, c?.minute ?? [], c?.total ?? [], c?.failed ?? []);
    cols.delete(no);
  }
}
