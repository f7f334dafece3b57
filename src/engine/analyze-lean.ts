/**
 * The lean analysis of a large store (see analyze.ts): the same result as the reference passes,
 * reading only what can change it.
 *
 *  1. path_stats (one row per host + path): route templates, successes per route (routeSucceeds,
 *     newer API versions) and two clients per path (routeSucceedsForOtherClients: two distinct
 *     clients decide it), resolved to strings only for routes that have failures;
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
import { learnRouteTemplates, templatePath } from './route-template.js';
import type { AnalysisOptions, AnalysisSummary } from './types.js';

const MINUTE = 60_000;
/** A route whose windows cover more minutes than this has its traffic read for every minute. */
const MAX_ROUTE_MINUTES = 50_000;

/** What the lean analysis reads (src/store's LeanReader implements it). */
export interface LeanSource {
  requestCount(): number;
  pathStats(): Iterable<{
    hostId: number; pathId: number; host: string | null; path: string | null; n: number; failed: number; leanOk: number;
    pairs: Array<[number, number]>;
  }>;
  /** Dictionary string of an id (null for 0). */
  str(id: number): string | null;
  failureClientTotals(): Iterable<{ ip: string; n: number }>;
  richRows(): Iterable<StoredRequest>;
  warningCandidates(hostIds: readonly number[]): Iterable<{
    id: number; sourceId: number; ts: number | null; status: number | null; hostId: number; pathId: number;
    host: string | null; path: string | null; query: string | null; scheme: string | null;
  }>;
  failures(): Iterable<StoredRequest>;
  /** One request by id (evidence of an incident's sample members). */
  get(id: number): StoredRequest | null;
  trafficCells(pairs: Iterable<[number, number, number]>, windows: Map<number, Array<[number, number]>>, allMinutes: Set<number>): Iterable<[number, number, number, number]>;
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
  // 1. Paths: route templates first (they need every path), then per-route successes.
  const stats = [...src.pathStats()];
  const routes = learnRouteTemplates(
    (function* () {
      for (const s of stats) if (s.path !== null) yield { host: s.host, path: s.path, count: s.n, failed: s.failed };
    })(),
  );
  const run = new AnalysisRun(classifier, routes, {
    gapMs: opts.gapMs ?? DEFAULT_GAP_MS, slowMs: opts.slowMs ?? DEFAULT_SLOW_MS, deferred: true,
  });
  const pathIds = new Map<string, [number, number]>();
  /** host\0route of every path_stats row (index-aligned with stats). */
  const routeKeyOf: string[] = new Array(stats.length);
  const routeOf: string[] = new Array(stats.length);
  const failingRoutes = new Set<string>();
  const publicHosts = new Set<number>();
  const hostChecked = new Set<number>();
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i]!;
    const key = (s.host ?? '') + '\u0000' + (s.path ?? '');
    if (s.path !== null) pathIds.set(key, [s.hostId, s.pathId]);
    const route = routes.get(key) ?? templatePath(s.path ?? '');
    routeOf[i] = route;
    routeKeyOf[i] = (s.host ?? '') + '\u0000' + route;
    run.context.addOk(s.host, route, s.leanOk);
    if (s.failed > 0) failingRoutes.add(routeKeyOf[i]!);
    if (s.hostId !== 0 && !hostChecked.has(s.hostId)) {
      hostChecked.add(s.hostId);
      if (hostKinds(s.host).has('public-ip')) publicHosts.add(s.hostId);
    }
  }
  // Clients of successes matter only where something failed ("succeeds for other clients").
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i]!;
    if (s.pairs.length === 0 || !failingRoutes.has(routeKeyOf[i]!)) continue;
    for (const [c, u] of s.pairs) run.context.addOkClient(s.host, routeOf[i]!, `${src.str(c) ?? '-'} ${src.str(u) ?? '-'}`);
  }
  // 2. Requests per client address (scanner check), for the addresses that failed.
  for (const { ip, n } of src.failureClientTotals()) run.context.setClientTotal(ip, n);
  // 3. Rows with detail: the reference observation.
  for (const r of src.richRows()) run.observe(r as RunRecord);
  run.requests = src.requestCount();
  // 4. Successes without detail that may raise a warning.
  const routeByPair = new Map<string, string>();
  for (let i = 0; i < stats.length; i++) routeByPair.set(`${stats[i]!.hostId} ${stats[i]!.pathId}`, routeOf[i]!);
  for (const w of src.warningCandidates([...publicHosts])) {
    const route = routeByPair.get(`${w.hostId} ${w.pathId}`) ?? templatePath(w.path ?? '');
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
  for (const r of src.failures()) run.classifyFailure(r as RunRecord);
  collectGarbage();
  // 6. Incidents, with traffic loaded for their routes and windows.
  const result = run.finish((id) => src.get(id), (want) => {
    collectGarbage();
    loadTraffic(run, src, stats, routeKeyOf, want);
    collectGarbage();
  }, { stream: true });
  store.applyAnalysis({
    routes,
    pathIds,
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
    routes: new Set(routes.values()).size,
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
function loadTraffic(run: AnalysisRun, src: LeanSource, stats: Array<{ hostId: number; pathId: number }>, routeKeyOf: string[], want: TrafficRequest): void {
  const routeNo = new Map<string, number>();
  const keys: string[] = [];
  for (const rk of want.keys()) { routeNo.set(rk, keys.length); keys.push(rk); }
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < stats.length; i++) {
    const no = routeNo.get(routeKeyOf[i]!);
    if (no !== undefined) pairs.push([stats[i]!.hostId, stats[i]!.pathId, no]);
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
  for (const [no, m, n, f] of src.trafficCells(pairs, spans, allMinutes)) {
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
    const k = indexOf(c.minute, Math.floor(p.ts / MINUTE));
    if (k >= 0) c.failed[k]!++;
  }
  for (const [rk, no] of routeNo) {
    const c = cols.get(no);
    run.context.setTraffic(rk, c?.minute ?? [], c?.total ?? [], c?.failed ?? []);
    cols.delete(no);
  }
}

/** Index of `v` in ascending `a`, or -1. */
function indexOf(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === v ? lo : -1;
}
