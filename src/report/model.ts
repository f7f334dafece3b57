/**
 * What the report needs, read once through the view model (src/queries): the overview, the
 * incidents the filters select with a few sample requests each, and a few unexplained failures.
 * Rendering (render.ts) is a pure function of this object, so tests can feed hand-built models.
 */
import { UserError } from '../core/errors.js';
import type { StoredRequest } from '../core/types.js';
import { CAUSES } from '../engine/types.js';
import type { IncidentRecord } from '../engine/types.js';
import { buildOverviewHead, pageRequests } from '../queries/build.js';
import type { IncidentDetail, OverviewHead, TimelineView } from '../queries/view-model.js';
import { UNIT_SPACE, type Store } from '../store/index.js';
import type { IncidentQuery } from '../store/views.js';

export interface ReportFilters {
  /** Incident ids or unambiguous id prefixes. */
  incidentIds?: string[];
  causes?: string[];
  /** Epoch ms, inclusive. */
  since?: number;
  until?: number;
}

export interface IncidentSection {
  incident: IncidentDetail;
  /** Two or three member requests, chosen for variety (different route or status first). */
  samples: StoredRequest[];
}

export interface ReportModel {
  overview: OverviewHead;
  filters: ReportFilters;
  /**
   * The incidents the filters select, most severe first (the view model's order): the first
   * MAX_SECTIONS + MAX_FURTHER of them (all a report shows), however many there are.
   */
  selected: IncidentDetail[];
  /** How many incidents the filters select (selected.length when absent). */
  selectedCount?: number;
  /**
   * Failures of the selected incidents per cause per overview timeline bucket (from the store, over
   * every selected incident, not only the listed ones). When absent, summed from `selected`'s sparklines.
   */
  causeSparks?: Array<{ cause: string; values: number[] }>;
  /** Full sections for the first MAX_SECTIONS of `selected`. */
  sections: IncidentSection[];
  /** A few failures no rule explained (cause `unknown`), inside the time filter. */
  unknownSamples: StoredRequest[];
}

/** Incidents beyond this get one table row each instead of a full section. */
export const MAX_SECTIONS = 20;
/** Rows of the "further incidents" table; beyond it the report only counts them. */
export const MAX_FURTHER = 100;

export function selectedCount(m: ReportModel): number {
  return m.selectedCount ?? m.selected.length;
}
export const SAMPLES_PER_INCIDENT = 3;
export const UNKNOWN_SAMPLES = 10;
/** How many member ids are read to pick varied samples (not all of a 100k-member incident). */
const SAMPLE_SCAN = 40;

export function validateCauses(causes: readonly string[]): void {
  for (const c of causes) {
    if (!(CAUSES as readonly string[]).includes(c)) {
      throw new UserError(`unknown cause "${c}"`, { hint: `causes are: ${CAUSES.join(', ')}` });
    }
  }
}

/** Resolves ids and prefixes; every one must name exactly one incident. */
export function resolveIncidentIds(all: readonly { id: string }[], wanted: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of wanted) {
    const exact = all.find((r) => r.id === w);
    const matches = exact ? [exact] : all.filter((r) => r.id.startsWith(w));
    if (matches.length === 0) throw new UserError(`no incident with id ${w}`, { hint: 'list them with `faultline incidents`' });
    if (matches.length > 1) {
      throw new UserError(`incident id prefix ${w} is ambiguous (${matches.length} incidents)`, { hint: 'give more characters of the id' });
    }
    out.add(matches[0]!.id);
  }
  return out;
}

/** resolveIncidentIds against the store: an exact id, else the one id that starts with it. */
export function resolveStoredIds(store: Store, wanted: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of wanted) {
    // In id order, so an exact id (the smallest string with its own prefix) comes first.
    const matches = store.views.incidentIdsWithPrefix(w, 2);
    if (matches[0] === w) {
      out.add(w);
      continue;
    }
    const many = matches.length > 1 ? store.views.incidentIdsWithPrefix(w, Number.MAX_SAFE_INTEGER).length : matches.length;
    if (many === 0) throw new UserError(`no incident with id ${w}`, { hint: 'list them with `faultline incidents`' });
    if (many > 1) {
      throw new UserError(`incident id prefix ${w} is ambiguous (${many} incidents)`, { hint: 'give more characters of the id' });
    }
    out.add(matches[0]!);
  }
  return out;
}

/** Per-cause failures per timeline bucket of the incidents `q` selects (buckets outside the timeline dropped). */
function causeSparksOf(store: Store, q: IncidentQuery, tl: TimelineView | null): Array<{ cause: string; values: number[] }> {
  if (!tl) return [];
  const byCause = new Map<string, number[]>();
  for (const r of store.views.causeBuckets(q, tl.start, tl.bucketMs)) {
    if (r.bucket < 0 || r.bucket >= tl.failed.length) continue;
    let row = byCause.get(r.cause);
    if (!row) byCause.set(r.cause, (row = new Array<number>(tl.failed.length).fill(0)));
    row[r.bucket]! += r.count;
  }
  return [...byCause].map(([cause, values]) => ({ cause, values }));
}

/**
 * Samples for variety: members are read per source (request ids are sourceId * UNIT_SPACE + unit) (the first few of each, in id order), then
 * chosen round-robin across sources, preferring a (method, host, route, status) not seen yet.
 */
function pickSamples(store: Store, memberIds: readonly number[]): StoredRequest[] {
  const bySource = new Map<number, number[]>();
  for (const id of [...memberIds].sort((a, b) => a - b)) {
    const src = Math.floor(id / UNIT_SPACE);
    const list = bySource.get(src) ?? [];
    if (list.length < SAMPLE_SCAN) list.push(id);
    bySource.set(src, list);
  }
  const perSource = [...bySource.keys()].sort((a, b) => a - b).map((src) => {
    const rows: StoredRequest[] = [];
    for (const id of bySource.get(src)!.slice(0, Math.ceil(SAMPLE_SCAN / bySource.size))) {
      const r = store.getRequest(id);
      if (r) rows.push(r);
    }
    return rows;
  });
  const chosen: StoredRequest[] = [];
  const seen = new Set<string>();
  const keyOf = (r: StoredRequest): string => `${r.method} ${r.host} ${r.route ?? r.path} ${r.status}`;
  for (const pass of ['new', 'any'] as const) {
    const cursors = perSource.map(() => 0);
    let progressed = true;
    while (chosen.length < SAMPLES_PER_INCIDENT && progressed) {
      progressed = false;
      perSource.forEach((rows, k) => {
        if (chosen.length >= SAMPLES_PER_INCIDENT) return;
        while (cursors[k]! < rows.length) {
          const r = rows[cursors[k]!++]!;
          if (chosen.includes(r) || (pass === 'new' && seen.has(keyOf(r)))) continue;
          seen.add(keyOf(r));
          chosen.push(r);
          progressed = true;
          return;
        }
      });
    }
  }
  return chosen.sort((a, b) => a.id - b.id);
}

export function buildReportModel(store: Store, filters: ReportFilters): ReportModel {
  if (filters.causes?.length) validateCauses(filters.causes);
  if (filters.since !== undefined && filters.until !== undefined && filters.since > filters.until) {
    throw new UserError('--since is after --until', { hint: 'swap them' });
  }
  // Only what the report shows is read: the overview head (stored summaries), the count of the
  // selected incidents, the full records of the first MAX_SECTIONS + MAX_FURTHER, and per-cause
  // buckets over all of them; never every record (175,000 of them on 10M requests).
  const overview = buildOverviewHead(store);
  const q: IncidentQuery = { sort: 'severity' };
  if (filters.incidentIds?.length) q.ids = [...resolveStoredIds(store, filters.incidentIds)];
  if (filters.causes?.length) q.causes = filters.causes;
  if (filters.since !== undefined) q.since = filters.since;
  if (filters.until !== undefined) q.until = filters.until;
  const ids = q.ids ?? null;
  const tl = overview.timeline;
  const rows = store.views.incidentRecordsPage(q, MAX_SECTIONS + MAX_FURTHER + 1);
  const sparks = tl ? store.views.someIncidentBuckets(rows.map((r) => r.id), tl.start, tl.bucketMs) : null;
  const selected: IncidentDetail[] = rows.map((r) => {
    const spark = new Array<number>(tl ? tl.total.length : 0).fill(0);
    for (const b of sparks?.get(r.id) ?? []) if (b.bucket >= 0 && b.bucket < spark.length) spark[b.bucket] = b.count;
    return { ...(r.data as unknown as IncidentRecord), sparkline: spark };
  });
  const count = selected.length <= MAX_SECTIONS + MAX_FURTHER ? selected.length : store.views.incidentCount(q);
  const sections = selected.slice(0, MAX_SECTIONS).map((incident) => ({ incident, samples: pickSamples(store, incident.memberIds) }));
  const wantUnknown = !ids && (!filters.causes?.length || filters.causes.includes('unknown'));
  const unknownSamples = wantUnknown && overview.unknownFailures > 0
    ? pageRequests(store, { failedOnly: true, cause: ['unknown'], since: filters.since, until: filters.until }, UNKNOWN_SAMPLES).rows
    : [];
  return { overview, filters, selected, selectedCount: count, causeSparks: causeSparksOf(store, q, tl), sections, unknownSamples };
}
