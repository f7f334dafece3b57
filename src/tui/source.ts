/**
 * What the TUI reads, as an interface: screens never see the Store or SQL, only view-model
 * objects (src/queries/view-model.ts). storeSource() implements it over an open Store with the
 * view model's functions, computing the overview once and caching incidents, so a keypress costs
 * at most one keyset page or one request by id (better-sqlite3 is synchronous and fast at that).
 */
import type { IncidentRecord } from '../engine/types.js';
import { buildOverview, incidentRecords, pageRequests, requestLocator, requestUrl } from '../queries/build.js';
import type { IncidentDetail, Overview, RequestPage, RequestView } from '../queries/view-model.js';
import type { Store } from '../store/index.js';
import type { RequestFilter } from '../store/views.js';

export interface ReportScope {
  incidentIds?: string[];
  causes?: string[];
  since?: number;
  until?: number;
}

export interface TuiSource {
  /** Computed once; the first screen. */
  overview(): Overview;
  /** Every incident record (without member ids), for search over clients and messages. */
  incidents(): IncidentRecord[];
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
  /** Drops the cached overview and incidents, then tells the subscribers (if live). */
  invalidate(): void;
}

type ExportFn = (scope: ReportScope) => Promise<string>;

/**
 * A TuiSource over an open store. `exportReport` is injected (see export.ts) so the TUI does not
 * depend on the report module being present.
 */
export function storeSource(store: Store, exportReport: ExportFn, opts: { live?: { gapMs: number } } = {}): RefreshableSource {
  let overview: Overview | null = null;
  let records: IncidentRecord[] | null = null;
  let byId: Map<string, IncidentRecord> | null = null;
  const sparks = new Map<string, number[]>();

  const ov = (): Overview => {
    if (!overview) {
      overview = buildOverview(store);
      for (const i of overview.incidents) sparks.set(i.id, i.sparkline);
    }
    return overview;
  };
  const all = (): IncidentRecord[] => {
    if (!records) {
      // Member ids can be millions of numbers per incident; the TUI pages members from SQLite
      // instead, so they are dropped here rather than kept alive for the whole session.
      records = incidentRecords(store).map((r) => ({ ...r, memberIds: [] }));
      byId = new Map(records.map((r) => [r.id, r]));
    }
    return records;
  };
  const find = (id: string): IncidentRecord | undefined => {
    all();
    return byId!.get(id) ?? records!.find((r) => r.id.startsWith(id));
  };

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
      // Nothing is re-read here: the next overview()/incidents() call does it, once.
      overview = null;
      records = null;
      byId = null;
      sparks.clear();
      for (const l of [...listeners]) l();
    },
    ...(live ? { live } : {}),
    overview: ov,
    incidents: all,
    incident(id) {
      const rec = find(id);
      if (!rec) return null;
      ov();
      // Same series as buildIncident (member failures per overview bucket), already computed.
      return { ...rec, sparkline: sparks.get(rec.id) ?? [] };
    },
    page(filter, limit, after) {
      return pageRequests(store, filter, limit, after);
    },
    request(id) {
      const request = store.getRequest(id);
      if (!request) return null;
      // As buildRequest, but from the cached incidents instead of re-reading them all per request.
      const inc = request.incidentId ? find(request.incidentId) : undefined;
      return {
        request,
        url: requestUrl(request),
        locator: requestLocator(request),
        incidentTitle: inc?.title ?? null,
        ruleTitle: inc?.ruleTitle || null,
      };
    },
    exportReport,
  };
}
