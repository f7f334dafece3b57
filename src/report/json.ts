/**
 * The --json shapes other tools depend on (documented in the README; change them only with a
 * version note). Times are UTC ISO 8601 or null. Serialisation escapes, beyond what JSON.stringify
 * does, the characters a terminal or editor could act on (DEL, C1 controls, bidi and line/paragraph
 * separators): the values are unchanged for any JSON parser (T7: --json relies on JSON escaping).
 */
import type { StoredRequest } from '../core/types.js';
import type { WarningRecord } from '../engine/types.js';
import { requestUrl } from '../queries/build.js';
import type { IncidentDetail, IncidentSummary } from '../queries/view-model.js';
import { isoTime } from './format.js';

export interface IncidentJson {
  id: string;
  cause: string;
  subcause: string;
  title: string;
  severity: number;
  first_seen: string | null;
  last_seen: string | null;
  count: number;
  routes: string[];
  statuses: Record<string, number>;
  sources: string[];
}

export interface WarningJson {
  id: string;
  kind: string;
  route: string | null;
  host: string | null;
  title: string;
  evidence: string[];
  first_seen: string | null;
  last_seen: string | null;
  count: number;
}

export interface FailureJson {
  source: string;
  line: number | null;
  entry: number | null;
  time: string | null;
  method: string | null;
  url: string;
  status: number | null;
  cause: string | null;
  subcause: string | null;
  rule: string | null;
  incident: string | null;
}

/** What incidentJson reads: an IncidentSummary or a full IncidentRecord. */
export type IncidentFields = Pick<IncidentSummary, 'id' | 'cause' | 'subcause' | 'title' | 'severity' | 'firstSeen' | 'lastSeen' | 'count' | 'routes' | 'statuses' | 'sources'>;

export function incidentJson(s: IncidentFields): IncidentJson {
  return {
    id: s.id, cause: s.cause, subcause: s.subcause, title: s.title, severity: s.severity,
    first_seen: isoTime(s.firstSeen), last_seen: isoTime(s.lastSeen), count: s.count,
    routes: s.routes, statuses: s.statuses, sources: s.sources,
  };
}

export function warningJson(w: WarningRecord): WarningJson {
  return {
    id: w.id, kind: w.kind, route: w.route, host: w.host, title: w.title, evidence: w.evidence,
    first_seen: isoTime(w.firstSeen), last_seen: isoTime(w.lastSeen), count: w.count,
  };
}

export function failureJson(r: StoredRequest): FailureJson {
  return {
    source: r.sourcePath, line: r.line, entry: r.entry, time: isoTime(r.ts), method: r.method, url: requestUrl(r),
    status: r.status, cause: r.cause, subcause: r.subcause, rule: r.ruleId, incident: r.incidentId,
  };
}

/** `faultline show ID --json` for an incident: the list shape plus the detail (member ids as a count). */
export function incidentDetailJson(d: IncidentDetail): Record<string, unknown> {
  return {
    type: 'incident',
    ...incidentJson(d),
    rule: d.ruleId, rule_title: d.ruleTitle, confidence: d.confidence, notes: d.notes, group: d.group, hosts: d.hosts,
    route_counts: d.routeCounts, source_counts: d.sourceCounts, clients: d.clients, client_count: d.clientCount,
    error_rate: d.errorRate, messages: d.messages, evidence: d.evidence, advice: d.advice, behaviours: d.behaviours,
    member_count: d.memberIds.length,
  };
}

/** `faultline show LOCATOR --json`: the failures shape plus what the plain view shows. */
export function requestDetailJson(r: StoredRequest, extra: { incidentTitle: string | null; ruleTitle: string | null }): Record<string, unknown> {
  return {
    type: 'request',
    id: r.id,
    ...failureJson(r),
    failed: r.failed,
    route: r.route,
    incident_title: extra.incidentTitle,
    rule_title: extra.ruleTitle,
    duration_ms: r.durationMs,
    client_ip: r.clientIp,
    user_agent: r.userAgent,
    referer: r.referer,
    upstream_status: r.upstreamStatus,
    error_text: r.errorText,
    request_headers: r.reqHeaders,
    response_headers: r.respHeaders,
    response_mime: r.respMime,
    body: r.body,
    body_size: r.bodySize,
  };
}

function escapeChar(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** JSON.stringify, plus \u escapes for DEL, C1, bidi controls and U+2028/U+2029 (same value, inert text). */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g, escapeChar);
}
