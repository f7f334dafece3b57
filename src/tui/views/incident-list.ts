/**
 * The overview's incident list as a store query (listQuery; the store reads it page by page), and
 * the same filters, search and sort applied in memory (the reference the store query is tested
 * against, and what hand-built sources in tests use). Search looks at what RequestFilter.search looks at
 * on requests (route/path, error message, client IP, user agent), through each incident's routes,
 * message templates and clients, so `/` finds the same things on every screen: an incident listed
 * here has members that match when it is opened. (Not the host: RequestFilter.search ignores it.)
 */
import type { IncidentRecord } from '../../engine/types.js';
import type { IncidentSummary } from '../../queries/view-model.js';
import type { IncidentQuery } from '../../store/views.js';
import type { Filters, SortKey, TimeWindow } from '../navigation.js';

const haystacks = new WeakMap<IncidentRecord, string>();

function haystack(r: IncidentRecord): string {
  let h = haystacks.get(r);
  if (h === undefined) {
    const parts: string[] = [...r.routes];
    for (const m of r.messages) parts.push(m.template);
    for (const c of r.clients) parts.push(c.ip ?? '', c.userAgent ?? '');
    h = parts.join('\n');
    haystacks.set(r, h);
  }
  return h;
}

export function matchesSearch(inc: IncidentSummary, rec: IncidentRecord | undefined, search: string): boolean {
  if (!search) return true;
  // Case-sensitive, like SQLite's instr() behind RequestFilter.search.
  if (rec) return haystack(rec).includes(search);
  return inc.routes.join('\n').includes(search);
}

export function overlaps(inc: { firstSeen: number | null; lastSeen: number | null }, time: TimeWindow | null): boolean {
  if (!time) return true;
  if (inc.firstSeen === null || inc.lastSeen === null) return false;
  return inc.firstSeen <= time.until && inc.lastSeen >= time.since;
}

const ORDER: Record<SortKey, (a: IncidentSummary, b: IncidentSummary) => number> = {
  severity: (a, b) => b.severity - a.severity || b.count - a.count,
  count: (a, b) => b.count - a.count || b.severity - a.severity,
  time: (a, b) => (a.firstSeen ?? Infinity) - (b.firstSeen ?? Infinity) || b.severity - a.severity,
};

export function visibleIncidents(
  incidents: readonly IncidentSummary[],
  /** Full records, asked for only while a search is on (loading them costs a parse of every incident). */
  recordOf: (id: string) => IncidentRecord | undefined,
  filters: Filters,
  time: TimeWindow | null,
  sort: SortKey,
): IncidentSummary[] {
  const out = incidents.filter(
    (i) =>
      (filters.cause === null || i.cause === filters.cause) &&
      (filters.status === null || (i.statuses[String(filters.status)] ?? 0) > 0) &&
      (filters.source === null || i.sources.includes(filters.source.path)) &&
      overlaps(i, time) &&
      (filters.search === '' || matchesSearch(i, recordOf(i.id), filters.search)),
  );
  return out.sort((a, b) => ORDER[sort](a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The store query for the overview's list under the app's filters, time window and sort. */
export function listQuery(f: Filters, time: TimeWindow | null, sort: SortKey): IncidentQuery {
  const q: IncidentQuery = { sort };
  if (f.cause !== null) q.cause = f.cause;
  if (f.status !== null) q.status = f.status;
  if (f.source !== null) q.sourcePath = f.source.path;
  if (time) {
    q.since = time.since;
    q.until = time.until;
  }
  if (f.search !== '') q.search = f.search;
  return q;
}

/**
 * visibleIncidents for a store query: the in-memory reference of what Views.incidentPage reads
 * page by page (hand-built sources in tests use it; a test compares the two on a real database).
 */
export function queryIncidents(incidents: readonly IncidentSummary[], recordOf: (id: string) => IncidentRecord | undefined, q: IncidentQuery): IncidentSummary[] {
  const filters: Filters = {
    search: q.search ?? '', cause: q.cause ?? null, status: q.status ?? null,
    source: q.sourcePath != null ? { id: -1, path: q.sourcePath } : null,
  };
  const time = q.since !== undefined || q.until !== undefined ? { since: q.since ?? -Infinity, until: q.until ?? Infinity, from: '' } : null;
  return visibleIncidents(incidents, recordOf, filters, time, q.sort ?? 'severity');
}
