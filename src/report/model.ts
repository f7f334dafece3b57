/**
 * What the report needs, read once through the view model (src/queries): the overview, the
 * incidents the filters select with a few sample requests each, and a few unexplained failures.
 * Rendering (render.ts) is a pure function of this object, so tests can feed hand-built models.
 */
import { UserError } from '../core/errors.js';
import type { StoredRequest } from '../core/types.js';
import { CAUSES } from '../engine/types.js';
import { buildOverview, incidentRecords, pageRequests } from '../queries/build.js';
import type { IncidentDetail, Overview } from '../queries/view-model.js';
import { UNIT_SPACE, type Store } from '../store/index.js';

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
  overview: Overview;
  filters: ReportFilters;
  /** Every incident the filters select, most severe first (the view model's order). */
  selected: IncidentDetail[];
  /** Full sections for the first MAX_SECTIONS of `selected`. */
  sections: IncidentSection[];
  /** A few failures no rule explained (cause `unknown`), inside the time filter. */
  unknownSamples: StoredRequest[];
}

/** Incidents beyond this get one table row each instead of a full section. */
export const MAX_SECTIONS = 20;
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

function overlaps(first: number | null, last: number | null, since?: number, until?: number): boolean {
  if (since === undefined && until === undefined) return true;
  if (first === null || last === null) return false;
  if (since !== undefined && last < since) return false;
  if (until !== undefined && first > until) return false;
  return true;
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
  const records = incidentRecords(store);
  const overview = buildOverview(store, records);
  const ids = filters.incidentIds?.length ? resolveIncidentIds(records, filters.incidentIds) : null;
  const sparks = new Map(overview.incidents.map((s) => [s.id, s.sparkline] as const));
  const selected: IncidentDetail[] = records
    .filter((r) => (ids ? ids.has(r.id) : true))
    .filter((r) => (filters.causes?.length ? filters.causes.includes(r.cause) : true))
    .filter((r) => overlaps(r.firstSeen, r.lastSeen, filters.since, filters.until))
    .map((r) => ({ ...r, sparkline: sparks.get(r.id) ?? [] }));
  const sections = selected.slice(0, MAX_SECTIONS).map((incident) => ({ incident, samples: pickSamples(store, incident.memberIds) }));
  const wantUnknown = !ids && (!filters.causes?.length || filters.causes.includes('unknown'));
  const unknownSamples = wantUnknown && overview.unknownFailures > 0
    ? pageRequests(store, { failedOnly: true, cause: ['unknown'], since: filters.since, until: filters.until }, UNKNOWN_SAMPLES).rows
    : [];
  return { overview, filters, selected, sections, unknownSamples };
}
