/**
 * Turns incident drafts into IncidentRecords: stable id, title, counts, routes, clients,
 * statuses, messages, error rates in and before the window, evidence from sample members,
 * advice, client behaviours, confidence notes and a severity score.
 */
import { createHash } from 'node:crypto';
import { clientBehaviours, thunderingHerd } from './behaviours.js';
import type { CompiledRule } from './classify.js';
import type { Draft } from './cluster.js';
import type { AnalysisContext } from './context.js';
import { evidenceValue } from './evidence.js';
import type { Facts } from './facts.js';
import type { FailureTable } from './failures.js';
import type { Advice, Cause, ClientBehaviour, IncidentRecord } from './types.js';
import { UNMATCHED_RULE_ID } from './types.js';

export const SANITIZED_NOTE =
  'Some requests come from a Chrome/Edge DevTools HAR export without any Authorization or Cookie headers: Chrome drops them on export by default, so missing or rejected credentials cannot be told apart. Re-export with "Allow to generate HAR with sensitive data" or capture with a proxy to confirm.';

const UNKNOWN_ADVICE: Advice = {
  check: ['No rule explains these failures: look at the status, error text and body of a few members (faultline explain <request>).'],
  fix: ['Add a rule for them (see rules/README.md) so the next run classifies them.'],
};
const HERD_CAUSES = new Set<Cause>(['upstream', 'rate-limit', 'timeout', 'server-error']);
const MINUTE = 60_000;

export interface BuildEnv {
  table: FailureTable;
  rules: readonly CompiledRule[];
  context: AnalysisContext;
  sources: Map<number, { path: string; kind: 'har' | 'log' }>;
  /** Facts for a stored request id (evidence from sample members); null when unavailable. */
  factsOf: (id: number) => Facts | null;
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** "10:02–10:19", with dates when the range spans days; "at 10:02" for one minute. */
export function timeRange(first: number, last: number): string {
  if (Number.isNaN(first)) return 'time unknown';
  const d1 = new Date(first).toISOString().slice(0, 10);
  const d2 = new Date(last).toISOString().slice(0, 10);
  if (d1 !== d2) return `${d1} ${hhmm(first)}–${d2} ${hhmm(last)} UTC`;
  if (hhmm(first) === hhmm(last)) return `at ${hhmm(first)} UTC`;
  return `${hhmm(first)}–${hhmm(last)} UTC`;
}

export function incidentId(cause: string, subcause: string, groupKey: string, first: number): string {
  const h = createHash('sha256').update(`${cause}\u0000${subcause}\u0000${groupKey}\u0000${Number.isNaN(first) ? 'none' : first}`).digest('hex');
  return 'inc-' + h.slice(0, 16);
}

function topCounts<K>(m: Map<K, number>, cap: number): Array<[K, number]> {
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, cap);
}

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** 0–100: rule weight, scaled by volume, error rate, client spread and confidence. */
export function severityScore(weight: number, count: number, rate: number | null, clients: number, confidence: IncidentRecord['confidence']): number {
  const volume = Math.min(1, 0.25 + 0.25 * Math.log10(count + 1));
  const rateF = rate === null ? 0.75 : 0.5 + 0.5 * Math.min(1, rate);
  const spread = 0.9 + 0.1 * Math.min(1, Math.log10(clients + 1) / 2);
  const conf = confidence === 'low' ? 0.7 : confidence === 'medium' ? 0.85 : 1;
  return Math.round(Math.min(100, weight * 10 * volume * rateF * spread * conf) * 10) / 10;
}

/** The (host, route, method) rows of an incident, most frequent first, capped at 1000. */
function routeRowsOf(routeCounts: Map<string, number>): Array<{ host: string | null; route: string; method: string | null; count: number }> {
  return topCounts(routeCounts, 1000).map(([k, n]) => {
    const [host, route, method] = k.split('\u0000') as [string, string, string];
    return { host: host === '' ? null : host, route, method: method === '' ? null : method, count: n };
  });
}

/**
 * The traffic windows of an incident from `first` to `last` (ms): the window itself, an equally long
 * one before it (whole minutes strictly before the first failure's minute) and the two minutes
 * after the last failure's minute.
 */
export function trafficWindows(first: number, last: number): [[number, number], [number, number], [number, number]] {
  const span = Math.max(last - first, MINUTE);
  return [[first, last], [first - span, first - MINUTE], [last + MINUTE, last + 2 * MINUTE]];
}

/**
 * Which traffic an incident will ask the context about: its (host\u0000route) keys and windows, the
 * same ones buildIncident reads (so a deferred context can load exactly those minutes).
 */
export function trafficQueries(d: Draft, t: FailureTable): { routeKeys: string[]; windows: Array<[number, number]> } {
  if (Number.isNaN(d.first)) return { routeKeys: [], windows: [] };
  const routeCounts = new Map<string, number>();
  for (const i of d.members) {
    const rk = `${t.host(i) ?? ''}\u0000${t.route(i)}\u0000${t.method(i) ?? ''}`;
    routeCounts.set(rk, (routeCounts.get(rk) ?? 0) + 1);
  }
  const routeKeys = [...new Set(routeRowsOf(routeCounts).map((r) => `${r.host ?? ''}\u0000${r.route}`))];
  return { routeKeys, windows: trafficWindows(d.first, d.last) };
}

export function buildIncident(d: Draft, env: BuildEnv): IncidentRecord {
  const t = env.table;
  const ruleVotes = new Map<number, number>();
  const statuses: Record<string, number> = {};
  const routeCounts = new Map<string, number>();
  const hosts = new Set<string>();
  const sourceCounts = new Map<number, number>();
  const clientCounts = new Map<number, number>();
  const messages = new Map<number, number>();
  let sanitized = false;
  for (const i of d.members) {
    ruleVotes.set(t.rule(i), (ruleVotes.get(t.rule(i)) ?? 0) + 1);
    const s = String(t.status(i) ?? 'none');
    statuses[s] = (statuses[s] ?? 0) + 1;
    const rk = `${t.host(i) ?? ''}\u0000${t.route(i)}\u0000${t.method(i) ?? ''}`;
    routeCounts.set(rk, (routeCounts.get(rk) ?? 0) + 1);
    if (t.host(i) !== null) hosts.add(t.host(i)!);
    sourceCounts.set(t.source(i), (sourceCounts.get(t.source(i)) ?? 0) + 1);
    clientCounts.set(t.clientId(i), (clientCounts.get(t.clientId(i)) ?? 0) + 1);
    const m = t.messageId(i);
    if (m >= 0) messages.set(m, (messages.get(m) ?? 0) + 1);
    if (!sanitized && t.isHar(i) && env.context.sourceSanitized(t.source(i))) sanitized = true;
  }
  const ruleIdx = topCounts(ruleVotes, 1)[0]![0];
  const rule = ruleIdx >= 0 ? env.rules[ruleIdx]! : null;
  const cause: Cause = rule ? rule.cause : 'unknown';
  const subcause = rule ? rule.subcause : 'unknown';
  const count = d.members.length;
  const first = d.first;
  const last = d.last;

  const routeRows = routeRowsOf(routeCounts);
  const routes = [...new Set(routeRows.map((r) => r.route))];
  const distinctRouteKeys = [...new Set(routeRows.map((r) => `${r.host ?? ''}\u0000${r.route}`))];

  // Error rate: failures / traffic on the same routes, in the window and in an equally long window before it.
  let windowTotal = 0;
  let beforeTotal = 0;
  let beforeFailed = 0;
  let herd: ClientBehaviour | null = null;
  if (!Number.isNaN(first)) {
    const [inWindow, beforeWindow, afterWindow] = trafficWindows(first, last);
    let after = 0;
    for (const k of distinctRouteKeys) {
      const [h, r] = k.split('\u0000') as [string, string];
      const host = h === '' ? null : h;
      windowTotal += env.context.trafficIn(host, r, inWindow[0], inWindow[1])[0];
      const [bt, bf] = env.context.trafficIn(host, r, beforeWindow[0], beforeWindow[1]);
      beforeTotal += bt;
      beforeFailed += bf;
      after += env.context.trafficIn(host, r, afterWindow[0], afterWindow[1])[0];
    }
    if (HERD_CAUSES.has(cause) && count >= 10) herd = thunderingHerd(after, beforeTotal, Math.max(last - first, MINUTE) / MINUTE, distinctRouteKeys.length);
  }
  const windowRate = windowTotal > 0 ? Math.min(1, count / windowTotal) : null;
  const beforeRate = beforeTotal > 0 ? beforeFailed / beforeTotal : null;

  const confidence: IncidentRecord['confidence'] = sanitized && (rule?.sanitizedSensitive || cause === 'auth') ? 'low' : rule && rule.priority <= 5 ? 'medium' : rule ? 'high' : 'low';
  const notes: string[] = [];
  if (confidence === 'low' && sanitized) notes.push(SANITIZED_NOTE);
  const joined = d.members.filter((i) => t.isHar(i)).length;
  if (joined > 0 && joined < count) notes.push(`Holds both views: ${joined} HAR entries and ${count - joined} server-log lines.`);

  const clients = topCounts(clientCounts, 10).map(([cid, n]) => {
    const info = t.clientInfo.get(cid) ?? { ip: null, userAgent: null, token: null };
    return { ip: info.ip, userAgent: info.userAgent, token: info.token, count: n };
  });

  // Evidence from a few members: the first three and the last.
  const sampleIdx = [...new Set([...d.members.slice(0, 3), d.members[d.members.length - 1]!])];
  const evidence: IncidentRecord['evidence'] = [];
  const fields = rule ? rule.evidence : ['status', 'url', 'errorText', 'body'];
  const samples = sampleIdx.map((i) => env.factsOf(t.id(i))).filter((f): f is Facts => f !== null);
  for (const field of fields) {
    const values = [...new Set(samples.map((f) => evidenceValue(f, field)).filter((v): v is string => v !== null))].slice(0, 5);
    if (values.length > 0) evidence.push({ label: field, values });
  }

  // Scanners repeat and hammer by design; their "storms" are not client bugs worth reporting.
  const behaviours = subcause === 'scanner-probe' ? [] : clientBehaviours(t, d.members);
  if (herd) behaviours.push(herd);

  const singleHost = hosts.size === 1 ? [...hosts][0]! : null;
  const scope = routeRows.length === 1 && rule?.groupBy.includes('route')
    ? `${routeRows[0]!.method ?? ''} ${routeRows[0]!.host ?? ''}${routeRows[0]!.route}`.trim()
    : singleHost ?? (hosts.size > 1 ? plural(hosts.size, 'host') : routes.length === 1 ? routes[0]! : 'the server');
  const title = `${rule ? rule.title : 'Unexplained failures'} on ${shorten(scope, 80)}: ${plural(count, 'request')} across ${plural(routes.length, 'route')}, ${timeRange(first, last)}`;

  const severity = severityScore(rule ? rule.severity : 3, count, windowRate, clientCounts.size, confidence);
  return {
    id: incidentId(cause, subcause, d.groupKey, first),
    cause, subcause,
    ruleId: rule ? rule.id : UNMATCHED_RULE_ID,
    ruleTitle: rule ? rule.title : 'Unexplained failures',
    title,
    group: { ...d.group },
    severity,
    confidence,
    notes,
    firstSeen: Number.isNaN(first) ? null : first,
    lastSeen: Number.isNaN(last) ? null : last,
    count,
    routes,
    routeCounts: routeRows.slice(0, 100),
    hosts: [...hosts].sort(),
    statuses,
    sources: topCounts(sourceCounts, 100).map(([s]) => env.sources.get(s)?.path ?? String(s)),
    sourceCounts: topCounts(sourceCounts, 100).map(([s, n]) => ({ path: env.sources.get(s)?.path ?? String(s), kind: env.sources.get(s)?.kind ?? 'log', count: n })),
    clients,
    clientCount: clientCounts.size,
    errorRate: { window: windowRate, before: beforeRate, windowTotal, beforeTotal },
    messages: topCounts(messages, 10).map(([m, n]) => ({ template: t.strings.get(m), count: n })),
    evidence,
    advice: rule ? rule.advice : UNKNOWN_ADVICE,
    behaviours,
    memberIds: d.members.map((i) => t.id(i)),
  };
}
