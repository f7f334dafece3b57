import type { IncidentRecord, WarningRecord } from '../engine/types.js';
import type { Store } from '../store/index.js';
import type { IncidentKey, IncidentQuery, RequestFilter } from '../store/views.js';
import type { IncidentDetail, IncidentSummary, Overview, OverviewHead, RequestPage, RequestView, Scorecard, SourceView, TimelineView } from './view-model.js';

const MINUTE = 60_000;
const TARGET_BUCKETS = 60;

/** Scorecard inputs are aggregate scans: computed once after analysis and cached in the database. */
export function refreshScorecard(store: Store): void {
  store.views.setMeta('scorecard', store.views.scorecardStats());
  store.views.setMeta('causes', store.views.causeCounts());
  refreshSummaries(store);
}

/**
 * What the first screen shows besides one page of incidents, computed when analysis ends (each is a
 * scan of 100k+ rows on a 10M-request database: the per-minute timeline, the failure index, every
 * incident's summary) and kept in `meta`, plus every incident's search text (incident_text).
 */
interface Summaries {
  /** The shape of this object (a different one is recomputed). */
  v: typeof SUMMARIES_V;
  /** The incident count these were computed for: a different count means they are stale. */
  incidents: number;
  timeline: TimelineView | null;
  incidentCauses: Array<{ cause: string; count: number }>;
  incidentStatuses: Array<{ status: number; count: number; incidents: number }>;
  incidentSources: Array<{ path: string; incidents: number }>;
  failedBySource: Array<[number, number]>;
}

const SUMMARIES_V = 2;

function computeSummaries(store: Store): Summaries {
  return {
    v: SUMMARIES_V,
    incidents: store.views.incidentCount(),
    timeline: timelineOf(store),
    incidentCauses: store.views.incidentCauseCounts(),
    incidentStatuses: store.views.incidentStatusCounts(),
    incidentSources: store.views.incidentSourceCounts([...new Set(store.sources.all().map((s) => s.path))]),
    failedBySource: [...store.views.failedBySource()],
  };
}

export function refreshSummaries(store: Store): void {
  store.views.setMeta('summaries', computeSummaries(store));
  store.refreshIncidentText();
}

/** The cached summaries when they match the incidents (one count over an index), else computed now. */
function summariesOf(store: Store): Summaries {
  const s = store.views.meta<Summaries>('summaries');
  if (s && s.v === SUMMARIES_V && s.incidents === store.views.incidentCount()) return s;
  return computeSummaries(store);
}

/** Totals from the analysis-time cache: a count(*) over 10M rows would cost the first screen ~1 s. */
function totalsOf(store: Store): { total: number; failed: number; causes: Array<{ cause: string; count: number }> } {
  const s = store.views.meta<{ total: number; failed: number }>('scorecard');
  const causes = store.views.meta<Array<{ cause: string; count: number }>>('causes');
  if (s && causes) return { total: s.total, failed: s.failed, causes };
  return { ...store.requests.count(), causes: store.views.causeCounts() };
}

function scorecard(store: Store): Scorecard {
  const s = store.views.meta<ReturnType<Store['views']['scorecardStats']>>('scorecard') ?? store.views.scorecardStats();
  return {
    p95Ms: s.p95Ms,
    errorRate: s.total ? s.failed / s.total : null,
    timeoutRate: s.total ? s.timeouts / s.total : null,
    authFailures: s.auth,
    validationErrors: s.validation,
    retrySuccessRate: s.retried ? s.retriedOk / s.retried : null,
  };
}

function sourceViews(store: Store, failed: Map<number, number>): SourceView[] {
  // Failures as stored now (payload errors found by analysis included), so per-source counts add up to the total.
  return store.sources.all().map((s) => ({
    id: s.id, path: s.path, kind: s.kind, format: s.format, sha256: s.sha256, status: s.status, error: s.error,
    records: s.records, failures: failed.get(s.id) ?? 0, skipped: s.skipped, firstTs: s.minTs, lastTs: s.maxTs,
    skipReasons: store.views.skipReasons(s.id),
    skipSamples: store.views.skipped(s.id, 5),
    invalidUtf8Lines: s.stats['invalidUtf8Lines'] ?? 0,
    truncatedLines: s.stats['truncatedLines'] ?? 0,
  }));
}

/** Re-buckets the per-minute table into about 60 buckets over the window. */
export function buildTimeline(minutes: Array<{ minute: number; total: number; failed: number }>): TimelineView | null {
  if (minutes.length === 0) return null;
  const first = minutes[0]!.minute * MINUTE;
  const last = minutes[minutes.length - 1]!.minute * MINUTE;
  const span = last - first + MINUTE;
  const bucketMs = Math.max(MINUTE, Math.ceil(span / TARGET_BUCKETS / MINUTE) * MINUTE);
  const n = Math.floor((last - first) / bucketMs) + 1;
  const total = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  for (const m of minutes) {
    const i = Math.floor((m.minute * MINUTE - first) / bucketMs);
    total[i]! += m.total;
    failed[i]! += m.failed;
  }
  return { bucketMs, start: first, total, failed };
}

/** buildTimeline's buckets, summed by SQLite (164,000 minutes on the 10M bench log: ~60 ms instead of ~350). */
export function timelineOf(store: Store): TimelineView | null {
  const range = store.views.timelineRange();
  if (!range) return null;
  const span = (range.last - range.first + 1) * MINUTE;
  const bucketMs = Math.max(MINUTE, Math.ceil(span / TARGET_BUCKETS / MINUTE) * MINUTE);
  const n = Math.floor(((range.last - range.first) * MINUTE) / bucketMs) + 1;
  const total = new Array<number>(n).fill(0);
  const failed = new Array<number>(n).fill(0);
  for (const b of store.views.timelineBuckets(range.first, bucketMs / MINUTE)) {
    total[b.bucket] = b.total;
    failed[b.bucket] = b.failed;
  }
  return { bucketMs, start: range.first * MINUTE, total, failed };
}

/** Failures of one incident per timeline bucket, from its member times. */
function sparkline(store: Store, incidentId: string, tl: TimelineView | null): number[] {
  if (!tl) return [];
  return sparkFrom(store.views.incidentBuckets(incidentId, tl.start, tl.bucketMs), tl);
}

function sparkFrom(rows: ReadonlyArray<{ bucket: number; count: number }> | undefined, tl: TimelineView): number[] {
  const out = new Array<number>(tl.total.length).fill(0);
  for (const row of rows ?? []) {
    if (row.bucket >= 0 && row.bucket < out.length) out[row.bucket] = row.count;
  }
  return out;
}

function summary(rec: Omit<IncidentSummary, 'sparkline'>, spark: number[]): IncidentSummary {
  return {
    id: rec.id, cause: rec.cause, subcause: rec.subcause, title: rec.title, severity: rec.severity,
    firstSeen: rec.firstSeen, lastSeen: rec.lastSeen, count: rec.count, routes: rec.routes,
    statuses: rec.statuses, sources: rec.sources, sparkline: spark,
  };
}

export function incidentRecords(store: Store): IncidentRecord[] {
  return store.views.incidents().map((row) => row.data as unknown as IncidentRecord);
}

/**
 * The overview without the incident list: sources, totals, timeline, causes, counts and warnings,
 * from the summaries stored when analysis ended. What the TUI's first screen reads (it then reads
 * one page of incidents with pageIncidents), in milliseconds whatever the database size.
 */
export function buildOverviewHead(store: Store): OverviewHead {
  const sum = summariesOf(store);
  const sources = sourceViews(store, new Map(sum.failedBySource));
  const { total, failed, causes } = totalsOf(store);
  let from: number | null = null;
  let to: number | null = null;
  for (const s of sources) {
    if (s.firstTs !== null && (from === null || s.firstTs < from)) from = s.firstTs;
    if (s.lastTs !== null && (to === null || s.lastTs > to)) to = s.lastTs;
  }
  return {
    dbPath: store.path,
    sources,
    window: from !== null && to !== null ? { from, to } : null,
    requests: total,
    failures: failed,
    errorRate: total ? failed / total : null,
    timeline: sum.timeline,
    causes,
    incidentCount: sum.incidents,
    incidentCauses: sum.incidentCauses,
    incidentStatuses: sum.incidentStatuses,
    incidentSources: sum.incidentSources,
    warnings: store.views.warnings().map((w) => w.data as unknown as WarningRecord),
    unknownFailures: causes.find((c) => c.cause === 'unknown')?.count ?? 0,
    redaction: store.views.meta<Record<string, number>>('redaction') ?? {},
    scorecard: scorecard(store),
  };
}

/**
 * `records`: pass the incident records when the caller already parsed them (they can be megabytes of
 * JSON); without them the list comes from the incidents' summary columns (no full record parsed).
 * Sparklines come from one pass over the incident index. Every incident: for --json and small
 * databases; the TUI and the report read pages instead (buildOverviewHead + pageIncidents).
 */
export function buildOverview(store: Store, records?: IncidentRecord[]): Overview {
  const head = buildOverviewHead(store);
  const tl = head.timeline;
  const buckets = tl ? store.views.allIncidentBuckets(tl.start, tl.bucketMs) : null;
  const spark = (id: string): number[] => (tl ? sparkFrom(buckets!.get(id), tl) : []);
  return { ...head, incidents: (records ?? store.views.incidentSummaries()).map((r) => summary(r, spark(r.id))) };
}

/** A page of incidents as listed, with their sparklines over `timeline` (see Views.incidentPage). */
export function pageIncidents(
  store: Store, q: IncidentQuery, limit: number, after: IncidentKey | null, timeline: TimelineView | null, backward = false,
): IncidentSummary[] {
  return withSparks(store, store.views.incidentPage(q, limit, after, backward), timeline);
}

/** Rows [offset, offset + limit) of a list materialised in the store (Views.materializeIncidents). */
export function materializedIncidents(store: Store, table: string, offset: number, limit: number, timeline: TimelineView | null): IncidentSummary[] {
  return withSparks(store, store.views.materializedPage(table, offset, limit), timeline);
}

/** Incidents [offset, offset + limit) of a query, for a jump with no neighbouring page known. */
export function sliceIncidents(store: Store, q: IncidentQuery, offset: number, limit: number, timeline: TimelineView | null): IncidentSummary[] {
  return withSparks(store, store.views.incidentSlice(q, offset, limit), timeline);
}

function withSparks(store: Store, rows: ReadonlyArray<Omit<IncidentSummary, 'sparkline'>>, tl: TimelineView | null): IncidentSummary[] {
  const buckets = tl ? store.views.someIncidentBuckets(rows.map((r) => r.id), tl.start, tl.bucketMs) : null;
  return rows.map((r) => summary(r, tl ? sparkFrom(buckets!.get(r.id), tl) : []));
}

export function buildIncident(store: Store, id: string): IncidentDetail | null {
  const row = store.views.incident(id);
  if (!row) return null;
  const rec = row.data as unknown as IncidentRecord;
  return { ...rec, sparkline: sparkline(store, rec.id, summariesOf(store).timeline) };
}

export function pageRequests(store: Store, filter: RequestFilter, limit: number, after: RequestPage['next'] = null): RequestPage {
  const rows = store.views.page(filter, limit + 1, after);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const lastRow = page[page.length - 1];
  return { rows: page, next: more && lastRow ? { ts: lastRow.ts, id: lastRow.id } : null };
}

export function requestUrl(r: { scheme: string | null; host: string | null; path: string | null; query: string | null }): string {
  const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}` : '';
  return `${origin}${r.path ?? ''}${r.query !== null ? '?' + r.query : ''}`;
}

export function requestLocator(r: { sourcePath: string; line: number | null; entry: number | null }): string {
  return r.line !== null ? `${r.sourcePath}:${r.line}` : `${r.sourcePath} entry ${r.entry ?? '?'}`;
}

export function buildRequest(store: Store, id: number): RequestView | null {
  const request = store.getRequest(id);
  if (!request) return null;
  const inc = request.incidentId ? store.views.incident(request.incidentId) ?? undefined : undefined;
  return {
    request,
    url: requestUrl(request),
    locator: requestLocator(request),
    incidentTitle: inc?.title ?? null,
    ruleTitle: inc ? String((inc.data as { ruleTitle?: string }).ruleTitle ?? '') || null : null,
  };
}
