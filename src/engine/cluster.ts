/**
 * Clustering: failures group by their rule's group keys (within one cause and subcause), ordered
 * by time; a group splits into separate incidents when it was quiet for longer than the gap.
 * Before grouping, a HAR entry and a server-log line for the same request are joined (by request
 * or trace id, else method + route + status within a time tolerance) so one incident holds both
 * views: the view whose rule has the higher priority decides the cause for both.
 */
import type { CompiledRule } from './classify.js';
import type { FailureTable } from './failures.js';
import { collectGarbage } from './heap.js';
import type { GroupKey } from './types.js';

/** Rules of unexplained failures group by host, route and status. */
export const UNKNOWN_GROUP: GroupKey[] = ['host', 'route', 'status'];
/** Extra tolerance on top of the request durations when joining HAR and log views by time. */
export const JOIN_TOLERANCE_MS = 2000;

export interface Draft {
  groupKey: string;
  /** Shared by every draft of the same group: read it, do not change it. */
  group: Readonly<Record<string, string>>;
  members: number[];
  first: number;
  last: number;
}

function lowerBound(ts: Float64Array, list: number[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ts[list[mid]!]! < t) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Pairs log failures with HAR failures of the same request. Returns partner[i] = the row whose
 * rule and group row i follows (-1 when i decides for itself). Mutates the losing row's rule.
 */
export function joinViews(t: FailureTable): Int32Array {
  const partner = new Int32Array(t.n).fill(-1);
  const byCorr = new Map<string, number[]>();
  const byKey = new Map<string, number[]>();
  let hasLog = false;
  for (let i = 0; i < t.n; i++) {
    if (!t.isHar(i)) { hasLog = true; continue; }
    const c = t.correlation(i);
    if (c !== null) { const l = byCorr.get(c) ?? []; l.push(i); byCorr.set(c, l); }
    if (!Number.isNaN(t.ts(i))) {
      const k = `${t.method(i)}\u0000${t.route(i)}\u0000${t.status(i)}`;
      const l = byKey.get(k) ?? [];
      l.push(i);
      byKey.set(k, l);
    }
  }
  if (!hasLog || (byCorr.size === 0 && byKey.size === 0)) return partner;
  const tsCol = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) tsCol[i] = t.ts(i);
  for (const l of byKey.values()) l.sort((a, b) => tsCol[a]! - tsCol[b]!);
  const paired = new Uint8Array(t.n);
  const pair = (log: number, har: number): void => {
    paired[log] = 1;
    paired[har] = 1;
    const lr = t.rule(log);
    const hr = t.rule(har);
    // Earlier in classifier order = higher priority; -1 (unknown) always loses.
    const harWins = lr < 0 || (hr >= 0 && hr <= lr);
    if (harWins) { t.setRule(log, hr); partner[log] = har; } else { t.setRule(har, lr); partner[har] = log; }
  };
  for (let i = 0; i < t.n; i++) {
    if (t.isHar(i)) continue;
    const c = t.correlation(i);
    const viaId = c !== null ? byCorr.get(c)?.find((h) => !paired[h]) : undefined;
    if (viaId !== undefined) { pair(i, viaId); continue; }
    const ts = tsCol[i]!;
    if (Number.isNaN(ts)) continue;
    const list = byKey.get(`${t.method(i)}\u0000${t.route(i)}\u0000${t.status(i)}`);
    if (!list) continue;
    const dur = Number.isNaN(t.duration(i)) ? 0 : t.duration(i);
    const tol = JOIN_TOLERANCE_MS + dur;
    let best = -1;
    let bestDelta = Infinity;
    for (let k = lowerBound(tsCol, list, ts - tol - 60_000); k < list.length; k++) {
      const h = list[k]!;
      const d = tsCol[h]! - ts;
      if (d > tol) break;
      const hd = Number.isNaN(t.duration(h)) ? 0 : t.duration(h);
      if (paired[h] || Math.abs(d) > tol + hd) continue;
      if (Math.abs(d) < bestDelta) { best = h; bestDelta = Math.abs(d); }
    }
    if (best >= 0) pair(i, best);
  }
  return partner;
}

function groupValue(t: FailureTable, i: number, k: GroupKey, sourceName: (id: number) => string): string {
  switch (k) {
    case 'host': return t.host(i) ?? '-';
    case 'route': return t.route(i);
    case 'method': return t.method(i) ?? '-';
    case 'status': return String(t.status(i) ?? '-');
    case 'client': return t.client(i);
    case 'token': return t.token(i) ?? t.client(i);
    case 'errorText': return t.errorKey(i) ?? '-';
    case 'upstream': return t.upstream(i) ?? t.host(i) ?? '-';
    case 'source': return sourceName(t.source(i));
  }
}

/** Groups and splits failures into incident drafts (members in time order). */
export function clusterFailures(
  t: FailureTable,
  rules: readonly CompiledRule[],
  opts: { gapMs: number; sourceName: (id: number) => string },
): Draft[] {
  const partner = joinViews(t);
  const order = Array.from({ length: t.n }, (_, i) => i);
  order.sort((a, b) => {
    const ta = t.ts(a);
    const tb = t.ts(b);
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na !== nb) return na ? 1 : -1;
    return (na ? 0 : ta - tb) || t.id(a) - t.id(b);
  });
  const keyOf = new Map<number, { key: string; group: Record<string, string> }>();
  // One key string and group object per distinct group, shared by its drafts (a million drafts
  // of a few hundred groups must not hold a million copies).
  const shared = new Map<string, { key: string; group: Record<string, string> }>();
  const groupOf = (i: number): { key: string; group: Record<string, string> } => {
    const self = partner[i]! >= 0 ? partner[i]! : i;
    const cached = keyOf.get(self);
    if (cached) return cached;
    const ri = t.rule(self);
    const rule = ri >= 0 ? rules[ri]! : null;
    const keys = rule ? rule.groupBy : UNKNOWN_GROUP;
    const values = keys.map((k) => groupValue(t, self, k, opts.sourceName));
    let key = rule ? `${rule.cause}\u0000${rule.subcause}` : 'unknown\u0000unknown';
    for (let k = 0; k < keys.length; k++) key += `\u0000${keys[k]}=${values[k]}`;
    let res = shared.get(key);
    if (!res) {
      const group: Record<string, string> = {};
      for (let k = 0; k < keys.length; k++) group[keys[k]!] = values[k]!;
      res = { key, group };
      shared.set(key, res);
    }
    keyOf.set(self, res);
    return res;
  };
  const open = new Map<string, Draft>();
  const drafts: Draft[] = [];
  let visited = 0;
  for (const i of order) {
    // Hundreds of thousands of failures leave as much garbage (keys, lookups): collect as it grows, not at the peak.
    if (++visited % 65_536 === 0) collectGarbage();
    const { key, group } = groupOf(i);
    keyOf.delete(i); // rows are visited once; keep the cache small (partners may still read it)
    const ts = t.ts(i);
    let d = open.get(key);
    if (!d || (!Number.isNaN(ts) && !Number.isNaN(d.last) && ts - d.last > opts.gapMs)) {
      d = { groupKey: key, group, members: [], first: ts, last: ts };
      drafts.push(d);
      open.set(key, d);
    }
    d.members.push(i);
    if (!Number.isNaN(ts)) {
      if (Number.isNaN(d.first)) d.first = ts;
      d.last = ts;
    }
  }
  return drafts;
}
