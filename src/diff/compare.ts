/**
 * What changed between a baseline and a current data set: incidents new, gone and changed, and routes
 * whose error rate, causes or p95 latency moved.
 *
 * Incidents are matched by what they are, not by id (ids hash the first-seen time): cause, subcause and
 * the rule's group key (IncidentRecord.group). Across two databases three group values need care:
 *  - redaction markers carry an HMAC keyed per database, so `#<hash>` inside `[REDACTED:…]` is ignored
 *    (two different tokens on one host then count as one incident kind);
 *  - `source` (the file name) is dropped: the baseline and the new capture are different files;
 *  - `route` is replaced by a route template learned over BOTH databases' paths, so `/users/{id}` in one
 *    and `/users/123` in the other (too few ids to generalise) still match. Route statistics use the
 *    same shared templates.
 * With `--at` both sides come from one database: only the route rule applies.
 */
import { learnRouteTemplates } from '../engine/route-template.js';
import {
  incidentMembers, incidents, loadRouteMap, pathKeys, routeBuckets, routeCauses, totals, untimed,
  type Db, type IncidentBase, type MemberRow, type TimeWindow,
} from './queries.js';

export interface DiffThresholds {
  /** An incident kind present on both sides is "changed" when its share of requests moved by this factor (either way)… */
  shareFactor: number;
  /** …and its count by at least this many requests. */
  minCountDelta: number;
  /** Route error rate: flagged when it moved by this factor… */
  rateFactor: number;
  /** …by at least this many percentage points… */
  minRateDeltaPp: number;
  /** …with at least this many requests and 2 failures on the worse side. */
  minRouteRequests: number;
  /** Route p95 latency: flagged when it grew by this factor… */
  p95Factor: number;
  /** …by at least this many ms… */
  p95MinDeltaMs: number;
  /** …with at least this many timed requests on each side. */
  p95MinSamples: number;
}

export const DEFAULT_THRESHOLDS: DiffThresholds = {
  shareFactor: 2, minCountDelta: 3, rateFactor: 2, minRateDeltaPp: 0.5, minRouteRequests: 5,
  p95Factor: 2, p95MinDeltaMs: 10, p95MinSamples: 5,
};

export interface SideSpec {
  db: Db;
  /** The database path (or "A.db before 10:05"), for display. */
  label: string;
  window: TimeWindow | null;
}

export interface SideInfo {
  label: string;
  window: TimeWindow | null;
  requests: number;
  failures: number;
  first: number | null;
  last: number | null;
}

export interface RouteRef {
  method: string;
  host: string;
  route: string;
}

export interface IncidentSide {
  /** Ids of the incidents of this kind on this side (an incident kind can recur after a quiet gap). */
  ids: string[];
  title: string;
  severity: number;
  count: number;
  /** count / requests of the side. */
  share: number | null;
  firstSeen: number | null;
  lastSeen: number | null;
  statuses: Record<string, number>;
  /** Top routes by member count. */
  routes: Array<RouteRef & { count: number }>;
}

export interface IncidentKind {
  key: string;
  cause: string;
  subcause: string;
  /** The group values as matched (markers without hashes, shared route template). */
  group: Record<string, string>;
}

export type NewOrGone = IncidentKind & IncidentSide;

export interface ChangedIncident extends IncidentKind {
  before: IncidentSide;
  after: IncidentSide;
  reasons: string[];
}

export interface RouteSide {
  requests: number;
  failures: number;
  errorRate: number | null;
  p95Ms: number | null;
  timed: number;
  causes: Record<string, number>;
}

export type RouteFlag = 'new-route' | 'error-rate-up' | 'error-rate-down' | 'new-cause' | 'p95-up' | 'p95-down';

export interface RouteChange extends RouteRef {
  before: RouteSide | null;
  after: RouteSide | null;
  flags: RouteFlag[];
  /** Causes failing on the route now that did not before. */
  newCauses: string[];
}

export interface DiffResult {
  baseline: SideInfo;
  current: SideInfo;
  new: NewOrGone[];
  gone: NewOrGone[];
  changed: ChangedIncident[];
  /** Incident kinds present on both sides without a notable change. */
  unchanged: number;
  routes: RouteChange[];
  notes: string[];
}

// ------------------------------------------------------------------ group-key normalisation

const OPEN = '[REDACTED';

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Drops the per-database HMAC from a group value: a bare token fingerprint (`#` + hex, what the engine
 * groups `token`/`client` by) becomes `#*`, and the `#`/`%23` + hex inside every `[REDACTED…]` marker is
 * removed. Linear.
 */
export function stripMarkerHashes(s: string): string {
  if (s.length >= 7 && s.length <= 65 && s.charCodeAt(0) === 35) {
    let k = 1;
    while (k < s.length && isHex(s.charCodeAt(k))) k++;
    if (k === s.length) return '#*';
  }
  if (!s.includes(OPEN)) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const at = s.indexOf(OPEN, i);
    if (at < 0) break;
    const end = s.indexOf(']', at);
    if (end < 0) break;
    out += s.slice(i, at);
    let m = s.slice(at, end + 1);
    let j = m.indexOf('#');
    let sep = 1;
    if (j < 0) {
      j = m.indexOf('%23');
      sep = 3;
    }
    if (j >= 0) {
      let k = j + sep;
      let n = 0;
      while (k < m.length && isHex(m.charCodeAt(k)) && n < 64) { k++; n++; }
      if (n >= 8) m = m.slice(0, j) + m.slice(k);
    }
    out += m;
    i = end + 1;
  }
  return out + s.slice(i);
}

// ------------------------------------------------------------------ shared routes

interface RouteTable {
  /** route number → host and template */
  list: Array<{ host: string; route: string }>;
}

/** Learns route templates over every database's paths and loads each database's path → route map. */
function shareRoutes(dbs: Db[]): RouteTable {
  const perDb = dbs.map((db) => pathKeys(db));
  const merged = new Map<string, { host: string | null; path: string; count: number }>();
  for (const rows of perDb) {
    for (const r of rows) {
      const k = (r.host ?? '') + '\u0000' + r.path;
      const m = merged.get(k);
      if (m) m.count += r.count;
      else merged.set(k, { host: r.host, path: r.path, count: r.count });
    }
  }
  const templates = learnRouteTemplates(merged.values());
  const numbers = new Map<string, number>();
  const list: RouteTable['list'] = [];
  const numberOf = (host: string, route: string): number => {
    const k = host + '\u0000' + route;
    let n = numbers.get(k);
    if (n === undefined) {
      n = list.length;
      list.push({ host, route });
      numbers.set(k, n);
    }
    return n;
  };
  dbs.forEach((db, i) => {
    const rows = perDb[i]!;
    loadRouteMap(
      db,
      rows.map((r) => {
        const host = r.host ?? '';
        const route = templates.get(host + '\u0000' + r.path) ?? r.path;
        return { hostId: r.hostId, pathId: r.pathId, route: numberOf(host, route) };
      }),
    );
  });
  return { list };
}

// ------------------------------------------------------------------ one side

interface Side {
  info: SideInfo;
  incidents: Map<string, IncidentKind & IncidentSide>;
  routes: Map<string, RouteRef & { side: RouteSide }>;
}

function routeKey(method: string, route: number): string {
  return `${method}\u0000${route}`;
}

function p95Of(hist: Array<[number, number]>): { p95: number | null; n: number } {
  let n = 0;
  for (const [, c] of hist) n += c;
  if (n === 0) return { p95: null, n };
  hist.sort((a, b) => a[0] - b[0]);
  const want = Math.ceil(n * 0.95);
  let acc = 0;
  for (const [ms, c] of hist) {
    acc += c;
    if (acc >= want) return { p95: ms, n };
  }
  return { p95: hist[hist.length - 1]![0], n };
}

function buildSide(spec: SideSpec, table: RouteTable, crossDb: boolean, bases: IncidentBase[]): Side {
  const t = totals(spec.db, spec.window);
  const info: SideInfo = { label: spec.label, window: spec.window, ...t };

  // routes: totals, failures, p95, causes
  const hist = new Map<string, Array<[number, number]>>();
  const routes = new Map<string, RouteRef & { side: RouteSide }>();
  const routeOf = (method: string, route: number): RouteRef & { side: RouteSide } => {
    const k = routeKey(method, route);
    let r = routes.get(k);
    if (!r) {
      const ref = table.list[route]!;
      r = { method, host: ref.host, route: ref.route, side: { requests: 0, failures: 0, errorRate: null, p95Ms: null, timed: 0, causes: {} } };
      routes.set(k, r);
    }
    return r;
  };
  for (const b of routeBuckets(spec.db, spec.window)) {
    const r = routeOf(b.method, b.route);
    r.side.requests += b.n;
    r.side.failures += b.failed;
    if (b.ms !== null) {
      const k = routeKey(b.method, b.route);
      let h = hist.get(k);
      if (!h) hist.set(k, (h = []));
      h.push([b.ms, b.n]);
    }
  }
  for (const [k, r] of routes) {
    r.side.errorRate = r.side.requests ? r.side.failures / r.side.requests : null;
    const p = p95Of(hist.get(k) ?? []);
    r.side.p95Ms = p.p95;
    r.side.timed = p.n;
  }
  for (const c of routeCauses(spec.db, spec.window)) {
    const r = routeOf(c.method, c.route);
    r.side.causes[c.cause] = (r.side.causes[c.cause] ?? 0) + c.n;
  }

  // incidents: members in the window, aggregated per kind
  const byId = new Map(bases.map((b) => [b.id, b]));
  const perIncident = new Map<string, MemberRow[]>();
  for (const m of incidentMembers(spec.db, spec.window)) {
    let l = perIncident.get(m.incident);
    if (!l) perIncident.set(m.incident, (l = []));
    l.push(m);
  }
  const kinds = new Map<string, IncidentKind & IncidentSide & { routeCounts: Map<string, RouteRef & { count: number }> }>();
  for (const [id, members] of perIncident) {
    const base = byId.get(id);
    if (!base) continue; // a member of an incident that analysis no longer lists (interrupted re-analysis)
    const routeCount = new Map<number, number>();
    for (const m of members) if (m.route !== null) routeCount.set(m.route, (routeCount.get(m.route) ?? 0) + m.n);
    let top: number | null = null;
    for (const [r, n] of routeCount) if (top === null || n > routeCount.get(top)!) top = r;
    const group: Record<string, string> = {};
    for (const k of Object.keys(base.group).sort()) {
      if (crossDb && k === 'source') continue;
      let v = base.group[k]!;
      if (k === 'route' && top !== null) v = table.list[top]!.route;
      group[k] = crossDb ? stripMarkerHashes(v) : v;
    }
    const key = [base.cause, base.subcause, ...Object.entries(group).map(([k, v]) => `${k}=${v}`)].join('\u0000');
    let kind = kinds.get(key);
    if (!kind) {
      kind = {
        key, cause: base.cause, subcause: base.subcause, group, ids: [], title: base.title, severity: base.severity,
        count: 0, share: null, firstSeen: null, lastSeen: null, statuses: {}, routes: [], routeCounts: new Map(),
      };
      kinds.set(key, kind);
    }
    kind.ids.push(id);
    if (base.severity > kind.severity) {
      kind.severity = base.severity;
      kind.title = base.title;
    }
    for (const m of members) {
      kind.count += m.n;
      if (m.first !== null && (kind.firstSeen === null || m.first < kind.firstSeen)) kind.firstSeen = m.first;
      if (m.last !== null && (kind.lastSeen === null || m.last > kind.lastSeen)) kind.lastSeen = m.last;
      const s = m.status === null ? '-' : String(m.status);
      kind.statuses[s] = (kind.statuses[s] ?? 0) + m.n;
      if (m.route !== null) {
        const ref = table.list[m.route]!;
        const rk = `${m.method}\u0000${m.route}`;
        const rc = kind.routeCounts.get(rk);
        if (rc) rc.count += m.n;
        else kind.routeCounts.set(rk, { method: m.method, host: ref.host, route: ref.route, count: m.n });
      }
    }
  }
  const out = new Map<string, IncidentKind & IncidentSide>();
  for (const [key, k] of kinds) {
    const { routeCounts, ...rest } = k;
    rest.routes = [...routeCounts.values()].sort((a, b) => b.count - a.count || (a.route < b.route ? -1 : 1));
    rest.share = info.requests ? rest.count / info.requests : null;
    out.set(key, rest);
  }
  return { info, incidents: out, routes };
}

// ------------------------------------------------------------------ comparison

/** A share as a percentage with sensible precision (0.12%, 3.4%, 57%). */
export function pct(x: number | null): string {
  if (x === null) return '-';
  const p = x * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)}%`;
}

function sideOf(k: IncidentSide): IncidentSide {
  return {
    ids: k.ids, title: k.title, severity: k.severity, count: k.count, share: k.share, firstSeen: k.firstSeen, lastSeen: k.lastSeen,
    statuses: k.statuses, routes: k.routes.slice(0, 10),
  };
}

function kindOf(k: IncidentKind): IncidentKind {
  return { key: k.key, cause: k.cause, subcause: k.subcause, group: k.group };
}

function changeReasons(a: IncidentSide, b: IncidentSide, th: DiffThresholds): string[] {
  const reasons: string[] = [];
  if (a.share !== null && b.share !== null && Math.abs(b.count - a.count) >= th.minCountDelta) {
    if (b.share >= a.share * th.shareFactor) reasons.push(`more frequent: ${a.count} → ${b.count} requests (${pct(a.share)} → ${pct(b.share)} of traffic)`);
    else if (b.share * th.shareFactor <= a.share) reasons.push(`less frequent: ${a.count} → ${b.count} requests (${pct(a.share)} → ${pct(b.share)} of traffic)`);
  }
  const newStatuses = Object.keys(b.statuses).filter((s) => !(s in a.statuses)).sort();
  if (newStatuses.length) reasons.push(`new status ${newStatuses.join(', ')}`);
  const before = new Set(a.routes.map((r) => `${r.method} ${r.host}${r.route}`));
  const newRoutes = b.routes.map((r) => `${r.method} ${r.host}${r.route}`).filter((r) => !before.has(r));
  if (newRoutes.length) reasons.push(`new route${newRoutes.length > 1 ? 's' : ''} ${newRoutes.slice(0, 3).join(', ')}${newRoutes.length > 3 ? ` (+${newRoutes.length - 3})` : ''}`);
  return reasons;
}

function routeFlags(a: RouteSide | null, b: RouteSide | null, th: DiffThresholds): { flags: RouteFlag[]; newCauses: string[] } {
  const flags: RouteFlag[] = [];
  if (!b) return { flags, newCauses: [] };
  if (!a) {
    if (b.failures > 0) flags.push('new-route');
    return { flags, newCauses: Object.keys(b.causes).sort() };
  }
  const ra = a.errorRate ?? 0;
  const rb = b.errorRate ?? 0;
  const dpp = (rb - ra) * 100;
  if (b.requests >= th.minRouteRequests && b.failures >= 2 && dpp >= th.minRateDeltaPp && rb >= ra * th.rateFactor) flags.push('error-rate-up');
  if (a.requests >= th.minRouteRequests && a.failures >= 2 && -dpp >= th.minRateDeltaPp && ra >= rb * th.rateFactor) flags.push('error-rate-down');
  const newCauses = Object.keys(b.causes).filter((c) => !(c in a.causes)).sort();
  if (newCauses.length) flags.push('new-cause');
  if (a.p95Ms !== null && b.p95Ms !== null && a.timed >= th.p95MinSamples && b.timed >= th.p95MinSamples) {
    if (b.p95Ms >= a.p95Ms * th.p95Factor && b.p95Ms - a.p95Ms >= th.p95MinDeltaMs) flags.push('p95-up');
    else if (a.p95Ms >= b.p95Ms * th.p95Factor && a.p95Ms - b.p95Ms >= th.p95MinDeltaMs) flags.push('p95-down');
  }
  return { flags, newCauses };
}

const FLAG_WEIGHT: Record<RouteFlag, number> = { 'new-route': 3, 'error-rate-up': 4, 'new-cause': 3, 'p95-up': 2, 'error-rate-down': 1, 'p95-down': 1 };

/**
 * Compares two sides. When both come from one database (`--at`), pass the same Db twice: route
 * templates are learned once and group keys are compared exactly.
 */
export function compare(baseline: SideSpec, current: SideSpec, th: DiffThresholds = DEFAULT_THRESHOLDS): DiffResult {
  const crossDb = baseline.db !== current.db;
  const dbs = crossDb ? [baseline.db, current.db] : [baseline.db];
  const table = shareRoutes(dbs);
  const a = buildSide(baseline, table, crossDb, incidents(baseline.db));
  const b = buildSide(current, table, crossDb, crossDb ? incidents(current.db) : incidents(baseline.db));

  const bySeverity = (x: { severity: number; count: number; key: string }, y: { severity: number; count: number; key: string }): number =>
    y.severity - x.severity || y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);

  const added: NewOrGone[] = [];
  const gone: NewOrGone[] = [];
  const changed: ChangedIncident[] = [];
  let unchanged = 0;
  for (const [key, k] of b.incidents) {
    const before = a.incidents.get(key);
    if (!before) {
      added.push({ ...kindOf(k), ...sideOf(k) });
      continue;
    }
    const reasons = changeReasons(before, k, th);
    if (reasons.length) changed.push({ ...kindOf(k), before: sideOf(before), after: sideOf(k), reasons });
    else unchanged++;
  }
  for (const [key, k] of a.incidents) if (!b.incidents.has(key)) gone.push({ ...kindOf(k), ...sideOf(k) });
  added.sort(bySeverity);
  gone.sort(bySeverity);
  changed.sort((x, y) => bySeverity({ ...x.after, key: x.key }, { ...y.after, key: y.key }));

  const routes: RouteChange[] = [];
  const keys = new Set([...a.routes.keys(), ...b.routes.keys()]);
  for (const k of keys) {
    const ra = a.routes.get(k) ?? null;
    const rb = b.routes.get(k) ?? null;
    const { flags, newCauses } = routeFlags(ra?.side ?? null, rb?.side ?? null, th);
    if (!flags.length) continue;
    const ref = (rb ?? ra)!;
    routes.push({ method: ref.method, host: ref.host, route: ref.route, before: ra?.side ?? null, after: rb?.side ?? null, flags, newCauses });
  }
  const weight = (r: RouteChange): number => r.flags.reduce((s, f) => s + FLAG_WEIGHT[f], 0);
  routes.sort((x, y) => weight(y) - weight(x) || (y.after?.failures ?? 0) - (x.after?.failures ?? 0) || (`${x.host}${x.route}${x.method}` < `${y.host}${y.route}${y.method}` ? -1 : 1));

  const notes: string[] = [];
  if (!crossDb && (baseline.window || current.window)) {
    const n = untimed(baseline.db);
    if (n > 0) notes.push(`${n} requests have no time and are in neither side of the split.`);
  }
  if (crossDb) notes.push('Incidents are matched by cause, subcause and group key; redaction hashes and source file names are ignored, routes use templates learned over both databases.');
  return { baseline: a.info, current: b.info, new: added, gone, changed, unchanged, routes, notes };
}
