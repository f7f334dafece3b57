/**
 * The machine-readable shapes the issue fixes for `--json` outputs, built from engine records
 * (times as ISO 8601 UTC). Kept here so the output commands and the engine agree on field names.
 */
import type { StoredRequest } from '../core/types.js';
import type { IncidentRecord, WarningRecord } from './types.js';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** `faultline incidents --json`: one element of the array (the array is most severe first). */
export function incidentJson(i: IncidentRecord): {
  id: string; cause: string; subcause: string; title: string; severity: number; first_seen: string | null; last_seen: string | null;
  count: number; routes: string[]; statuses: Record<string, number>; sources: string[];
} {
  return {
    id: i.id, cause: i.cause, subcause: i.subcause, title: i.title, severity: i.severity,
    first_seen: iso(i.firstSeen), last_seen: iso(i.lastSeen), count: i.count, routes: i.routes, statuses: i.statuses, sources: i.sources,
  };
}

/** `faultline warnings --json`: one warning. */
export function warningJson(w: WarningRecord): {
  id: string; kind: string; host: string | null; route: string | null; title: string; evidence: string[];
  first_seen: string | null; last_seen: string | null; count: number;
} {
  return {
    id: w.id, kind: w.kind, host: w.host, route: w.route, title: w.title, evidence: w.evidence,
    first_seen: iso(w.firstSeen), last_seen: iso(w.lastSeen), count: w.count,
  };
}

/** `faultline failures --json`: one line per failed request. */
export function failureJson(r: StoredRequest): {
  source: string; line: number | null; entry: number | null; time: string | null; method: string | null; url: string;
  status: number | null; cause: string | null; subcause: string | null; rule: string | null; incident: string | null;
} {
  const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}` : '';
  return {
    source: r.sourcePath, line: r.line, entry: r.entry, time: iso(r.ts), method: r.method,
    url: origin + (r.path ?? '') + (r.query ? '?' + r.query : ''), status: r.status,
    cause: r.cause, subcause: r.subcause, rule: r.ruleId, incident: r.incidentId,
  };
}
