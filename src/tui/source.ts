/**
 * What the TUI reads, as an interface: screens never see the Store or SQL, only view-model
 * objects (src/queries/view-model.ts). storeSource() implements it over an open Store with the
 * view model's functions: the overview head once (precomputed summaries), the incident list as a
 * keyset-paged window per filter (IncidentPager), so a keypress costs at most one page of
 * incidents, one keyset page of requests or one row by id, on 10M requests as on 10.
 */
import { buildIncident, buildOverviewHead, buildRequest, materializedIncidents, pageIncidents, pageRequests, sliceIncidents } from '../queries/build.js';
import type { IncidentDetail, OverviewHead, RequestPage, RequestView } from '../queries/view-model.js';
import type { Store } from '../store/index.js';
import type { IncidentQuery, RequestFilter } from '../store/views.js';
import { IncidentPager, type IncidentList } from './incident-pager.js';

export type { IncidentList } from './incident-pager.js';

export interface ReportScope {
  incidentIds?: string[];
  causes?: string[];
  since?: number;
  until?: number;
}

export interface TuiSource {
  /** Computed once; the first screen without its incident rows. */
  overview(): OverviewHead;
  /** The incidents a query selects, in its order, read page by page (the same object for the same query). */
  incidentList(q: IncidentQuery): IncidentList;
  /** Every id a query selects, in its order (export of what the filters leave; follow mode). */
  incidentIds(q: IncidentQuery): string[];
  /** Where an incident sits in a query's list, -1 if not in it (follow mode keeps the selection on it). */
  positionOf(q: IncidentQuery, id: string): number;
  incident(id: string): IncidentDetail | null;
  page(filter: RequestFilter, limit: number, after: RequestPage['next']): RequestPage;
  request(id: number): RequestView | null;
  /** Writes the markdown report of `scope`; resolves to the file path written. */
  exportReport(scope: ReportScope): Promise<string>;
  /**
   * Follow mode (`faultline watch`): the data changes under the app. The app listens here and
   * re-reads the source when told; rows then show each incident's state against `gapMs`.
   * Absent for a static investigation (browse).
   */
  live?: LiveFeed;
}

export interface LiveFeed {
  /** The quiet gap (--gap) that decides "ongoing" vs "recovered". */
  gapMs: number;
  /** Calls `onChange` after each refresh of the data; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

/** A store source whose caches can be dropped after the store changed (a new analysis). */
export interface RefreshableSource extends TuiSource {
  /** Drops the cached overview and lists, then tells the subscribers (if live). */
  invalidate(): void;
}

type ExportFn = (scope: ReportScope) => Promise<string>;

/** Incident lists kept per query (filters and sort), so going back to a filter keeps its pages. */
const MAX_LISTS = 8;
const LIST_PAGE = 50;

/**
 * The count of a list with no filter, one cause or one status, from the overview's summaries
 * (stored when analysis ended): those lists then cost one page, not a count over every incident.
 */
function storedCount(ov: OverviewHead, q: IncidentQuery): number | null {
  const keys = Object.keys(q).filter((k) => k !== 'sort' && q[k as keyof IncidentQuery] !== undefined);
  if (keys.length === 0) return ov.incidentCount;
  if (keys.length !== 1) return null;
  if (q.cause != null) return ov.incidentCauses.find((c) => c.cause === q.cause)?.count ?? 0;
  if (q.status != null) return ov.incidentStatuses.find((s) => s.status === q.status)?.incidents ?? 0;
  if (q.sourcePath != null) return ov.incidentSources.find((s) => s.path === q.sourcePath)?.incidents ?? 0;
  return null;
}

/**
 * Whether a list's matches are sparse in its order's index (under a fifth of all incidents, a
 * twentieth for a search, or a count nothing stored knows): keyset pages would then walk far to fill a page (a rare status's
 * incidents all at the end of the severity order), so the list is materialised once instead.
 * No filter or only a cause: the indexes seek (incidents_by_cause), never sparse.
 */
function sparse(store: Store, ov: OverviewHead, q: IncidentQuery): boolean {
  const keys = Object.keys(q).filter((k) => k !== 'sort' && q[k as keyof IncidentQuery] !== undefined);
  if (keys.length === 0 || (keys.length === 1 && q.cause != null && (q.sort ?? 'severity') === 'severity')) return false;
  // A search's hits are already in a temp table, so keyset pages probe them cheaply while they are
  // not too rare (one in twenty); materialising would sort and copy them all.
  if (keys.length === 1 && q.search) return store.views.searchHits(q.search) < ov.incidentCount / 20;
  const known = storedCount(ov, q);
  return known === null || known < ov.incidentCount / 5;
}

/**
 * A TuiSource over an open store. `exportReport` is injected (see export.ts) so the TUI does not
 * depend on the report module being present.
 */
export function storeSource(store: Store, exportReport: ExportFn, opts: { live?: { gapMs: number } } = {}): RefreshableSource {
  let overview: OverviewHead | null = null;
  const lists = new Map<string, IncidentPager>();
  const ov = (): OverviewHead => (overview ??= buildOverviewHead(store));

  const listeners = new Set<() => void>();
  const live: LiveFeed | undefined = opts.live && {
    gapMs: opts.live.gapMs,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };

  return {
    invalidate() {
      // Nothing is re-read here: the next overview()/incidentList() call does it, once.
      overview = null;
      lists.clear();
      store.views.forgetLists();
      for (const l of [...listeners]) l();
    },
    ...(live ? { live } : {}),
    overview: ov,
    incidentList(q) {
      const key = JSON.stringify(q);
      let list = lists.get(key);
      if (list) lists.delete(key);
      else {
        const tl = ov().timeline;
        if (sparse(store, ov(), q)) {
          // One scan writes the list in order; every page is then a rowid range. (The store keeps a
          // few such tables: asking again finds this one, or writes it again if it was dropped.)
          const count = store.views.materializeIncidents(q).count;
          list = new IncidentPager({
            positional: true,
            count: () => count,
            page: () => [],
            at: (offset, limit) => materializedIncidents(store, store.views.materializeIncidents(q).table, offset, limit, tl),
            key: (row) => store.views.incidentKey(row, q.sort),
          }, LIST_PAGE);
        } else {
          list = new IncidentPager({
            count: () => storedCount(ov(), q) ?? store.views.incidentCount(q),
            page: (after, limit, backward) => pageIncidents(store, q, limit, after, tl, backward),
            at: (offset, limit) => sliceIncidents(store, q, offset, limit, tl),
            key: (row) => store.views.incidentKey(row, q.sort),
          }, LIST_PAGE);
        }
      }
      lists.set(key, list);
      while (lists.size > MAX_LISTS) lists.delete(lists.keys().next().value as string);
      return list;
    },
    incidentIds: (q) => store.views.incidentIds(q),
    positionOf: (q, id) => (sparse(store, ov(), q) ? store.views.materializedPosition(store.views.materializeIncidents(q).table, id) : store.views.incidentPosition(q, id)),
    incident(id) {
      // One record parsed (by id or unambiguous prefix); its sparkline over the overview's timeline.
      return buildIncident(store, id);
    },
    page(filter, limit, after) {
      return pageRequests(store, filter, limit, after);
    },
    request(id) {
      return buildRequest(store, id);
    },
    exportReport,
  };
}
