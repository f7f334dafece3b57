/**
 * The report model reads only what the report shows (the first MAX_SECTIONS + MAX_FURTHER records,
 * a count, per-cause buckets in SQL): checked against the model built from every incident record
 * and sparkline on a real database (193 incidents from real corpus files and the examples, more
 * than the report lists), unfiltered and under each filter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../cli/commands/analysis.js';
import { ingestAll } from '../ingest/index.js';
import { buildOverview, incidentRecords } from '../queries/build.js';
import type { IncidentDetail } from '../queries/view-model.js';
import { openStore, type Store } from '../store/index.js';
import { buildReportModel, MAX_FURTHER, MAX_SECTIONS, selectedCount, type ReportFilters } from './model.js';
import { causeTimeline } from './timeline.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

let dir: string;
let store: Store;
let all: IncidentDetail[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-report-model-'));
  store = openStore(join(dir, 'r.db'));
  await ingestAll(store, [
    join(CORPUS, 'logs/elastic-examples__apache_logs.log'), join(CORPUS, 'logs/crowdsec-hub__apache2-logs.log'),
    join(CORPUS, 'har/pagexray__responseCodes_304.har'), join(EXAMPLES, 'nginx-access.log'), join(EXAMPLES, 'spa-outage.har'),
  ]);
  runAnalysis(store, {});
  const ov = buildOverview(store);
  const sparks = new Map(ov.incidents.map((i) => [i.id, i.sparkline]));
  all = incidentRecords(store).map((r) => ({ ...r, sparkline: sparks.get(r.id)! }));
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the model held when it read every record: the selection in order, with sparklines. */
function everyRecord(f: ReportFilters): IncidentDetail[] {
  return all.filter((r) => (!f.incidentIds?.length || f.incidentIds.some((p) => r.id.startsWith(p)))
    && (!f.causes?.length || f.causes.includes(r.cause))
    && (f.since === undefined || (r.lastSeen !== null && r.lastSeen >= f.since))
    && (f.until === undefined || (r.firstSeen !== null && r.firstSeen <= f.until))
    && ((f.since === undefined && f.until === undefined) || (r.firstSeen !== null && r.lastSeen !== null)));
}

describe('report model over a database with more incidents than the report lists', () => {
  it('has them (what the cases below rely on)', () => {
    expect(all.length).toBeGreaterThan(MAX_SECTIONS + MAX_FURTHER);
  });

  const mid = () => [...all].sort((a, b) => a.firstSeen! - b.firstSeen!)[Math.floor(all.length / 2)]!;
  const cases: Array<[string, () => ReportFilters]> = [
    ['no filter', () => ({})],
    ['one cause', () => ({ causes: ['not-found'] })],
    ['two causes', () => ({ causes: ['server-error', 'permission'] })],
    ['since', () => ({ since: mid().firstSeen! })],
    ['until', () => ({ until: mid().firstSeen! })],
    ['a window', () => ({ since: mid().firstSeen!, until: mid().firstSeen! + 86_400_000 })],
    ['ids and prefixes', () => ({ incidentIds: [all[5]!.id, all[40]!.id.slice(0, 12), all[150]!.id] })],
  ];

  it.each(cases)('%s: the listed incidents, their count and the per-cause timeline are those of every record', (_name, filters) => {
    const f = filters();
    const want = everyRecord(f);
    const m = buildReportModel(store, f);
    expect(selectedCount(m)).toBe(want.length);
    expect(m.selected.length).toBe(Math.min(want.length, MAX_SECTIONS + MAX_FURTHER + 1));
    expect(m.selected).toEqual(want.slice(0, m.selected.length));
    expect(m.sections.map((s) => s.incident.id)).toEqual(want.slice(0, MAX_SECTIONS).map((i) => i.id));
    // The timeline from SQL buckets over all selected incidents = summed from every record's sparkline.
    expect(causeTimeline(m)).toEqual(causeTimeline({ ...m, selected: want, causeSparks: undefined }));
  });

  it('an ambiguous or unknown id prefix is an error that says so', () => {
    expect(() => buildReportModel(store, { incidentIds: ['inc-'] })).toThrow(/ambiguous \(\d+ incidents\)/);
    expect(() => buildReportModel(store, { incidentIds: ['inc-no-such'] })).toThrow(/no incident with id inc-no-such/);
  });
});
