/**
 * Builders of synthetic records for engine unit tests (marked synthetic: they exercise signals
 * the real corpus lacks, such as retry storms and HAR + log views of the same traffic).
 */
import { emptyRecord, isFailure, type RequestRecord } from '../core/types.js';
import { AnalysisRun, type RunRecord, type RunResult } from './analysis-run.js';
import { Classifier } from './classify.js';
import { loadRules } from './load-rules.js';
import { learnRouteTemplates } from './route-template.js';

let nextId = 1;

export function rec(over: Partial<RequestRecord> & { id?: number; sourceId?: number; sourceKind?: 'har' | 'log'; sourcePath?: string }): RunRecord {
  const base = { ...emptyRecord(), method: 'GET', scheme: 'https', host: 'api.example.com', path: '/', status: 200, durationMs: 50, clientIp: '198.51.100.7', userAgent: 'synthetic-client/1.0' };
  const r = { ...base, ...over } as RunRecord;
  r.id = over.id ?? nextId++;
  r.sourceId = over.sourceId ?? 1;
  r.sourceKind = over.sourceKind ?? 'log';
  r.sourcePath = over.sourcePath ?? (r.sourceKind === 'har' ? 'synthetic.har' : 'synthetic.log');
  r.failed = isFailure(r);
  return r;
}

let classifier: Classifier | null = null;
export function builtinClassifier(): Classifier {
  classifier ??= new Classifier(loadRules().rules);
  return classifier;
}

/** Runs the two passes over an array (sorted by ts like the store does) and finishes. */
export function runOn(records: RunRecord[], opts: { gapMs?: number; slowMs?: number } = {}): { run: AnalysisRun; result: RunResult } {
  const sorted = records.slice().sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id);
  const keys = new Map<string, { host: string | null; path: string; count: number }>();
  for (const r of sorted) {
    const k = `${r.host ?? ''}\u0000${r.path ?? ''}`;
    const e = keys.get(k);
    if (e) e.count++;
    else keys.set(k, { host: r.host, path: r.path ?? '', count: 1 });
  }
  const run = new AnalysisRun(builtinClassifier(), learnRouteTemplates(keys.values()), opts);
  for (const r of sorted) run.observe(r);
  for (const r of sorted) if (r.failed) run.classifyFailure(r);
  const byId = new Map(sorted.map((r) => [r.id, r]));
  return { run, result: run.finish((id) => byId.get(id) ?? null) };
}

export const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);
