/**
 * A full analysis drops the secondary indexes of incidents and req_analysis while it refills them
 * and rebuilds them afterwards (src/store/analysis.ts: random-order inserts into five B-trees were
 * the slowest part of writing 175,000 incidents). These tests hold it to three promises: the same
 * indexes exist afterwards, the TUI's list queries still use them, and an analysis that fails midway
 * rolls back to the old indexes and rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { applyAnalysis, type AnalysisWrite } from './analysis.js';
import { closeDb, openDb } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-analysis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function indexes(db: Database.Database): Array<{ name: string; sql: string }> {
  return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
    AND tbl_name IN ('incidents', 'req_analysis') ORDER BY name`).all() as Array<{ name: string; sql: string }>;
}

function incident(k: number): AnalysisWrite['incidents'] extends Iterable<infer T> ? T : never {
  return {
    id: `inc-${k.toString(16).padStart(4, '0')}`, cause: k % 2 ? 'auth' : 'not-found', subcause: 'x', ruleId: 'r', title: `incident ${k}`,
    severity: (k * 7) % 13, firstSeen: 1_700_000_000_000 + k * 60_000, lastSeen: 1_700_000_000_000 + k * 60_000, count: 1 + (k % 3), memberIds: [k],
  };
}

function write(incidents: Iterable<ReturnType<typeof incident>>, ids: number[]): AnalysisWrite {
  return {
    routes: new Map(),
    classifications: ids.map((id) => ({ id, ts: 1_700_000_000_000 + id * 60_000, cause: 'auth', subcause: 'x', ruleId: 'r' })),
    incidents,
    warnings: [],
  };
}

it('a full analysis leaves the same indexes, and the incident list is read through them', () => {
  const db = openDb(join(dir, 'same.db'));
  try {
    const before = indexes(db);
    expect(before.map((i) => i.name)).toEqual(expect.arrayContaining(['incidents_list', 'req_analysis_incident']));
    const ids = Array.from({ length: 500 }, (_, k) => k);
    applyAnalysis(db, write(ids.map(incident), ids));
    expect(indexes(db)).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(500);
    expect(db.prepare("SELECT count(*) FROM req_analysis WHERE incident_id = 'inc-0007'").pluck().get()).toBe(1);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT id FROM incidents ORDER BY severity DESC, count DESC, id LIMIT 50').all() as Array<{ detail: string }>)
      .map((r) => r.detail).join('\n');
    expect(plan).toContain('incidents_list');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    closeDb(db);
  }
});

it('an analysis that fails midway keeps the previous incidents and every index', () => {
  const db = openDb(join(dir, 'rollback.db'));
  try {
    const ids = [1, 2, 3];
    applyAnalysis(db, write(ids.map(incident), ids));
    const before = indexes(db);
    function* failing(): Generator<ReturnType<typeof incident>> {
      yield incident(10);
      throw new Error('analysis interrupted');
    }
    expect(() => applyAnalysis(db, write(failing(), [10]))).toThrow('analysis interrupted');
    expect(indexes(db)).toEqual(before);
    expect(db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all()).toEqual(['inc-0001', 'inc-0002', 'inc-0003']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    closeDb(db);
  }
});
