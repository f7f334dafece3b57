/**
 * The overview's incident list read page by page from SQLite (keyset pages through each sort
 * order's index, End read backward, jumps by offset) against the in-memory reference
 * (queryIncidents over every incident and record) on a real database: 193 incidents from real corpus
 * files and the examples, with ties of 30-40 incidents on (severity, count), read in pages of 4 so
 * every page boundary falls inside a tie group somewhere.
 */
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../engine/types.js';
import { buildOverview, incidentRecords, pageIncidents, sliceIncidents } from '../queries/build.js';
import type { IncidentSummary, Overview } from '../queries/view-model.js';
import { openStore } from '../store/index.js';
import type { IncidentQuery } from '../store/views.js';
import { IncidentPager } from './incident-pager.js';
import { CORPUS, FILES, realDb, type RealDb } from './testing/real-db.js';
import { queryIncidents } from './views/incident-list.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

let db: RealDb;
let ov: Overview;
let records: Map<string, IncidentRecord>;

beforeAll(async () => {
  db = await realDb([
    join(CORPUS, 'logs/elastic-examples__apache_logs.log'), join(CORPUS, 'logs/crowdsec-hub__apache2-logs.log'),
    FILES.har304, join(EXAMPLES, 'nginx-access.log'), join(EXAMPLES, 'spa-outage.har'),
  ], 'faultline-list-');
  ov = buildOverview(db.store);
  records = new Map(incidentRecords(db.store).map((r) => [r.id, r]));
}, 120_000);
afterAll(() => db?.cleanup());

function reference(q: IncidentQuery): IncidentSummary[] {
  return queryIncidents(ov.incidents, (id) => records.get(id), q);
}

function pager(q: IncidentQuery, size = 4): IncidentPager {
  const tl = ov.timeline;
  return new IncidentPager({
    count: () => db.store.views.incidentCount(q),
    page: (after, limit, backward) => pageIncidents(db.store, q, limit, after, tl, backward),
    at: (offset, limit) => sliceIncidents(db.store, q, offset, limit, tl),
    key: (row) => db.store.views.incidentKey(row, q.sort),
  }, size, 3);
}

const KINDS = ['everything', 'cause', 'rare cause', 'each status', 'each source', 'time window', 'search route word', 'search client', 'search nothing', 'search wildcard characters', 'cause + search + status'] as const;

/** The queries of one kind, built from the data itself: its causes, statuses, sources, an incident's window, route and client text. */
function queriesOf(kind: (typeof KINDS)[number], sort: NonNullable<IncidentQuery['sort']>): IncidentQuery[] {
  const causes = [...new Set(ov.incidents.map((i) => i.cause))];
  const routeWord = ov.incidents.flatMap((i) => i.routes).map((r) => r.split('/').filter((p) => /^[a-z]{4,}$/.test(p))[0]).find(Boolean)!;
  switch (kind) {
    case 'everything': return [{ sort }];
    case 'cause': return [{ sort, cause: 'not-found' }];
    case 'rare cause': return [{ sort, cause: causes.find((c) => ov.incidents.filter((i) => i.cause === c).length <= 3)! }];
    case 'each status': return [...new Set(ov.incidents.flatMap((i) => Object.keys(i.statuses)))].map((k) => ({ sort, status: Number(k) }));
    case 'each source': return ov.sources.map((s) => ({ sort, sourcePath: s.path }));
    case 'time window': {
      const mid = [...ov.incidents].sort((a, b) => (a.firstSeen ?? 0) - (b.firstSeen ?? 0))[Math.floor(ov.incidents.length / 2)]!;
      return [{ sort, since: mid.firstSeen!, until: (mid.lastSeen ?? mid.firstSeen!) + 3_600_000 }];
    }
    case 'search route word': return [{ sort, search: routeWord }];
    case 'search client': return [{ sort, search: [...records.values()].flatMap((r) => r.clients).find((c) => c.ip)!.ip!.slice(0, 6) }];
    case 'search nothing': return [{ sort, search: 'zz-nothing-matches-zz' }];
    // Matched literally (the store matches with GLOB): '*' alone must not match everything.
    case 'search wildcard characters': return ['*', '?', '[a', '{id}', '%', '_'].map((search) => ({ sort, search }));
    case 'cause + search + status': return [{ sort, cause: 'not-found', search: routeWord, status: 404 }];
  }
}

const CASES = (['severity', 'count', 'time'] as const).flatMap((sort) => KINDS.map((kind) => [sort, kind] as const));

describe('incident list from SQLite = the in-memory reference', () => {
  it('the data has ties, several causes, statuses and sources (what the cases below rely on)', () => {
    const ties = new Map<string, number>();
    for (const i of ov.incidents) ties.set(`${i.severity} ${i.count}`, (ties.get(`${i.severity} ${i.count}`) ?? 0) + 1);
    expect(Math.max(...ties.values())).toBeGreaterThan(8);
    expect(ov.sources.length).toBe(5);
    expect(new Set(ov.incidents.map((i) => i.cause)).size).toBeGreaterThan(4);
  });

  it.each(CASES)('by %s, %s: count, pages forward, backward from End and jumps', (sort, kind) => {
    const qs = queriesOf(kind, sort);
    expect(qs.length).toBeGreaterThan(0);
    for (const q of qs) check(q);
  });

  function check(q: IncidentQuery): void {
    const want = reference(q);
    const ids = want.map((i) => i.id);
    expect(db.store.views.incidentCount(q)).toBe(want.length);
    expect(db.store.views.incidentIds(q)).toEqual(ids);
    // Forward, one row at a time (as j does), with the sparklines and summary fields of the reference.
    const fwd = pager(q);
    const got = ids.map((_, i) => fwd.slice(i, 1)[0]!);
    expect(got.map((i) => i.id)).toEqual(ids);
    expect(got).toEqual(want);
    expect(fwd.offsetReads).toBe(0);
    expect(fwd.held).toBeLessThanOrEqual(12);
    // End, then up to the top: every page read backward by key, none by offset.
    const back = pager(q);
    const up = ids.map((_, k) => back.slice(ids.length - 1 - k, 1)[0]!.id).reverse();
    expect(up).toEqual(ids);
    expect(back.offsetReads).toBe(0);
    // Jumps into the middle read by offset, and neighbours of a jump continue by key.
    const jump = pager(q);
    for (const start of [Math.floor(ids.length / 2), 1, ids.length - 3, Math.floor(ids.length / 3)]) {
      expect(jump.slice(start, 6).map((i) => i.id)).toEqual(ids.slice(Math.max(0, start), start + 6));
    }
    // Where each incident sits (follow mode keeps the selection on it).
    for (const k of [0, Math.floor(ids.length / 2), ids.length - 1].filter((k) => k >= 0 && k < ids.length)) {
      expect(db.store.views.incidentPosition(q, ids[k]!)).toBe(k);
      expect(db.source.positionOf(q, ids[k]!)).toBe(k);
    }
    // The app's list (keyset or, for sparse matches, materialised once): the same rows, End first.
    const app = db.source.incidentList(q);
    expect(app.count).toBe(ids.length);
    expect(app.slice(Math.max(0, ids.length - 5), 5)).toEqual(want.slice(-5));
    expect(app.slice(0, ids.length).map((i) => i.id)).toEqual(ids);
    const m = db.store.views.materializeIncidents(q);
    expect(m.count).toBe(ids.length);
    expect(db.store.views.materializedPage(m.table, 0, ids.length).map((i) => i.id)).toEqual(ids);
  }

  it('incidents without times sort last by time and never match a time window (synthetic: times cleared in a copy)', () => {
    const copy = join(db.dir, 'no-times.db');
    copyFileSync(db.dbPath, copy);
    // Every seventh incident loses its times, as HAR entries without startedDateTime would.
    const ids = db.store.views.incidentIds({ sort: 'severity' }).filter((_, k) => k % 7 === 0);
    const raw = new Database(copy);
    for (const id of ids) raw.prepare('UPDATE incidents SET first_seen = NULL, last_seen = NULL WHERE id = ?').run(id);
    raw.close();
    const w = openStore(copy);
    try {
      const mem = buildOverview(w).incidents;
      const recs = new Map(incidentRecords(w).map((r) => [r.id, r]));
      for (const q of [{ sort: 'time' as const }, { sort: 'time' as const, cause: 'not-found' }, { sort: 'severity' as const, since: 0, until: Date.now() }]) {
        const want = queryIncidents(mem, (id) => recs.get(id), q).map((i) => i.id);
        expect(w.views.incidentIds(q)).toEqual(want);
        const p = new IncidentPager({
          count: () => w.views.incidentCount(q),
          page: (after, limit, backward) => pageIncidents(w, q, limit, after, null, backward),
          at: (offset, limit) => sliceIncidents(w, q, offset, limit, null),
          key: (row) => w.views.incidentKey(row, q.sort),
        }, 4, 3);
        expect(want.map((_, k) => p.slice(want.length - 1 - k, 1)[0]!.id).reverse()).toEqual(want);
      }
      expect(w.views.incidentIds({ sort: 'time' }).slice(-ids.length).sort()).toEqual([...ids].sort());
    } finally {
      w.close();
    }
  });

  it('an incident the filters leave out has no position', () => {
    const other = ov.incidents.find((i) => i.cause !== 'not-found')!;
    expect(db.store.views.incidentPosition({ sort: 'severity', cause: 'not-found' }, other.id)).toBe(-1);
    expect(db.store.views.incidentPosition({ sort: 'severity' }, 'inc-no-such')).toBe(-1);
  });

  it('the overview head counts what the lists count, from the summaries stored after analysis', () => {
    const head = db.source.overview();
    expect(head.incidentCount).toBe(ov.incidents.length);
    expect(head.timeline).toEqual(ov.timeline);
    for (const c of head.incidentCauses) expect(c.count).toBe(reference({ cause: c.cause }).length);
    for (const s of head.incidentStatuses) {
      expect(s.incidents).toBe(reference({ status: s.status }).length);
      expect(s.count).toBe(ov.incidents.reduce((n, i) => n + (i.statuses[String(s.status)] ?? 0), 0));
    }
    expect(head.incidentSources.map((s) => s.path).sort()).toEqual(ov.sources.map((s) => s.path).sort());
    for (const s of head.incidentSources) expect(s.incidents).toBe(reference({ sourcePath: s.path }).length);
    expect(db.store.views.meta('summaries')).not.toBeNull();
  });
});
