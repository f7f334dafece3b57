/**
 * Cross-record facts gathered in one streaming pass over every request before failures are
 * classified: which routes succeed (and for which clients), which newer API versions succeed,
 * which clients behave like scanners, per-route traffic per minute (error rates, herds), and
 * which HAR sources were sanitized (Chrome drops Authorization/Cookie on export).
 * Memory is bounded per key (client sets are capped) and proportional to routes × active minutes.
 *
 * Deferred mode (analysis of a large store, see analyze.ts): per-minute traffic and requests per
 * client are not counted record by record; the store's aggregates seed them (setClientTotal,
 * addOk, addOkClient) and traffic is loaded for the incident windows only (setTraffic), so memory
 * stays proportional to failures, not to requests.
 */
import type { ContextFacts } from './types.js';
import { lowerBound } from './sorted.js';

const CLIENTS_CAP = 16;
const SCAN_PATHS_CAP = 64;
const MINUTE = 60_000;

interface RouteStat {
  ok: number;
  okClients: Set<string>;
}

interface ClientStat {
  total: number;
  notFound: number;
  paths: Set<string>;
}

interface SourceStat {
  chromeExport: boolean;
  credentialHeaders: boolean;
}

/** One record as the context sees it. */
export interface ContextObservation {
  host: string | null;
  route: string;
  ts: number | null;
  status: number | null;
  /** Counts as a failure (ingest marking or a payload error). */
  failed: boolean;
  client: string;
  clientIp: string | null;
  path: string | null;
  sourceId: number;
  harCreator: string | null;
  credentialHeaders: boolean;
}

/** Splits "/v2/users/{id}" into ("/v*\/users/{id}", 2); null when no /vN/ segment. */
export function versionKey(route: string): { key: string; version: number } | null {
  const segs = route.split('/');
  for (let i = 0; i < segs.length; i++) {
    const m = /^v(\d{1,3})$/i.exec(segs[i]!);
    if (m) {
      const copy = segs.slice();
      copy[i] = 'v*';
      return { key: copy.join('/'), version: Number(m[1]) };
    }
  }
  return null;
}

function isChromeExport(creator: string | null): boolean {
  if (!creator) return false;
  const c = creator.toLowerCase();
  return c.includes('webinspector') || c === 'chrome' || c.startsWith('chrome ') || c.includes('devtools');
}

/** Traffic of one route over the minutes analysis asked about: sorted minutes with prefix sums. */
interface RouteTraffic {
  minutes: Float64Array;
  /** cum[i] = requests in minutes[0..i). */
  cumTotal: Float64Array;
  cumFailed: Float64Array;
}

export class AnalysisContext {
  /** Traffic and client totals come from setTraffic / setClientTotal instead of observe(). */
  readonly deferred: boolean;
  private deferredTraffic = new Map<string, RouteTraffic>();
  private readonly routes = new Map<string, RouteStat>();
  private readonly versions = new Map<string, number>();
  private readonly clients = new Map<string, ClientStat>();
  private readonly sources = new Map<number, SourceStat>();
  /** host\0route → minute → [total, failed] */
  private readonly traffic = new Map<string, Map<number, [number, number]>>();

  private readonly versionCache = new Map<string, { key: string; version: number } | null>();

  constructor(opts: { deferred?: boolean } = {}) {
    this.deferred = opts.deferred === true;
  }

  /** versionKey, memoized: there are far fewer routes than requests. */
  private versionOf(route: string): { key: string; version: number } | null {
    let v = this.versionCache.get(route);
    if (v === undefined) {
      v = versionKey(route);
      if (this.versionCache.size < 100_000) this.versionCache.set(route, v);
    }
    return v;
  }

  observe(o: ContextObservation): void {
    const rk = (o.host ?? '') + '\u0000' + o.route;
    if (o.ts !== null && !this.deferred) {
      let byMin = this.traffic.get(rk);
      if (!byMin) { byMin = new Map(); this.traffic.set(rk, byMin); }
      const m = Math.floor(o.ts / MINUTE);
      const cell = byMin.get(m);
      if (cell) { cell[0]++; if (o.failed) cell[1]++; } else byMin.set(m, [1, o.failed ? 1 : 0]);
    }
    const ok = !o.failed && o.status !== null && o.status >= 200 && o.status < 400;
    if (ok) {
      this.addOkAt(rk, o.host, o.route, 1);
      this.addOkClientAt(rk, o.client);
    }
    // Deferred: totals come from setClientTotal, so only a 404 needs a client entry here (the scanner
    // check reads nothing else), and clients that never got one cost nothing.
    if (o.clientIp !== null && (!this.deferred || o.status === 404)) {
      const cs = this.clientStat(o.clientIp);
      if (!this.deferred) cs.total++;
      if (o.status === 404) {
        cs.notFound++;
        if (o.path !== null && cs.paths.size < SCAN_PATHS_CAP) cs.paths.add(o.path);
      }
    }
    let ss = this.sources.get(o.sourceId);
    if (!ss) { ss = { chromeExport: isChromeExport(o.harCreator), credentialHeaders: false }; this.sources.set(o.sourceId, ss); }
    if (o.credentialHeaders) ss.credentialHeaders = true;
    else if (!ss.chromeExport && isChromeExport(o.harCreator)) ss.chromeExport = true;
  }

  private clientStat(ip: string): ClientStat {
    let cs = this.clients.get(ip);
    if (!cs) { cs = { total: 0, notFound: 0, paths: new Set() }; this.clients.set(ip, cs); }
    return cs;
  }

  private routeStat(rk: string): RouteStat {
    let rs = this.routes.get(rk);
    if (!rs) { rs = { ok: 0, okClients: new Set() }; this.routes.set(rk, rs); }
    return rs;
  }

  private addOkAt(rk: string, host: string | null, route: string, n: number): void {
    this.routeStat(rk).ok += n;
    this.addOkVersion(host, route);
  }

  /**
   * A route with successes that no failure is on (so never asked about): only its API version
   * matters, for "a newer version succeeds" on its /v1/ sibling. No per-route state is kept.
   */
  addOkVersion(host: string | null, route: string): void {
    const v = this.versionOf(route);
    if (v) {
      const vk = (host ?? '') + '\u0000' + v.key;
      if ((this.versions.get(vk) ?? -1) < v.version) this.versions.set(vk, v.version);
    }
  }

  private addOkClientAt(rk: string, client: string): void {
    const rs = this.routeStat(rk);
    if (rs.okClients.size < CLIENTS_CAP) rs.okClients.add(client);
  }

  /** `n` successes (2xx/3xx, not failed) on a route, counted elsewhere (the store's aggregates). */
  addOk(host: string | null, route: string, n: number): void {
    if (n > 0) this.addOkAt((host ?? '') + '\u0000' + route, host, route, n);
  }

  /** A client seen succeeding on a route (counted elsewhere; `addOk` carries the count). */
  addOkClient(host: string | null, route: string, client: string): void {
    this.addOkClientAt((host ?? '') + '\u0000' + route, client);
  }

  /** Deferred mode: every request of a client address, counted elsewhere. */
  setClientTotal(ip: string, total: number): void {
    this.clientStat(ip).total = total;
  }

  /**
   * Deferred mode: per-minute traffic of a route (host\u0000route key) over the minutes analysis
   * will ask about, as columns sorted by minute.
   */
  setTraffic(routeKey: string, minutes: readonly number[], totals: readonly number[], failed: readonly number[]): void {
    const n = minutes.length;
    const t: RouteTraffic = { minutes: Float64Array.from(minutes), cumTotal: new Float64Array(n + 1), cumFailed: new Float64Array(n + 1) };
    for (let i = 0; i < n; i++) {
      if (i > 0 && minutes[i]! <= minutes[i - 1]!) throw new Error('setTraffic: minutes must ascend');
      t.cumTotal[i + 1] = t.cumTotal[i]! + totals[i]!;
      t.cumFailed[i + 1] = t.cumFailed[i]! + failed[i]!;
    }
    this.deferredTraffic.set(routeKey, t);
  }

  /** Facts for one failure (its own client excluded from "other clients"). */
  factsFor(host: string | null, route: string, client: string, clientIp: string | null): ContextFacts {
    const rk = (host ?? '') + '\u0000' + route;
    const rs = this.routes.get(rk);
    let newer = false;
    const v = this.versionOf(route);
    if (v) newer = (this.versions.get((host ?? '') + '\u0000' + v.key) ?? -1) > v.version;
    return {
      routeSucceeds: rs !== undefined && rs.ok > 0,
      routeSucceedsForOtherClients: rs !== undefined && (rs.okClients.size > 1 || (rs.okClients.size === 1 && !rs.okClients.has(client))),
      newerVersionSucceeds: newer,
      clientLooksLikeScanner: clientIp !== null && this.looksLikeScanner(clientIp),
    };
  }

  /** Many 404s over many distinct paths, most of the client's traffic. */
  looksLikeScanner(clientIp: string): boolean {
    const cs = this.clients.get(clientIp);
    return cs !== undefined && cs.notFound >= 10 && cs.paths.size >= 8 && cs.notFound * 2 >= cs.total;
  }

  /** A HAR source exported by Chrome/Edge DevTools in which no request carried Authorization/Cookie. */
  sourceSanitized(sourceId: number): boolean {
    const ss = this.sources.get(sourceId);
    return ss !== undefined && ss.chromeExport && !ss.credentialHeaders;
  }

  /** Total and failed requests on a route within [fromMs, toMs] (minute resolution). */
  trafficIn(host: string | null, route: string, fromMs: number, toMs: number): [number, number] {
    if (this.deferred) return this.deferredIn((host ?? '') + '\u0000' + route, Math.floor(fromMs / MINUTE), Math.floor(toMs / MINUTE));
    const byMin = this.traffic.get((host ?? '') + '\u0000' + route);
    if (!byMin) return [0, 0];
    let t = 0;
    let f = 0;
    const a = Math.floor(fromMs / MINUTE);
    const b = Math.floor(toMs / MINUTE);
    if (b - a < byMin.size) {
      for (let m = a; m <= b; m++) { const c = byMin.get(m); if (c) { t += c[0]; f += c[1]; } }
    } else {
      for (const [m, c] of byMin) if (m >= a && m <= b) { t += c[0]; f += c[1]; }
    }
    return [t, f];
  }

  private deferredIn(rk: string, a: number, b: number): [number, number] {
    const t = this.deferredTraffic.get(rk);
    if (!t || b < a) return [0, 0];
    const lo = lowerBound(t.minutes, a);
    const hi = lowerBound(t.minutes, b + 1);
    return [t.cumTotal[hi]! - t.cumTotal[lo]!, t.cumFailed[hi]! - t.cumFailed[lo]!];
  }
}


/** Minute windows [a, b] (inclusive, in minutes) that trafficIn will be asked about. */
export function minuteSpan(fromMs: number, toMs: number): [number, number] {
  return [Math.floor(fromMs / MINUTE), Math.floor(toMs / MINUTE)];
}
