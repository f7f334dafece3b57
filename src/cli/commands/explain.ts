/**
 * `faultline explain <request>`: which rule matched a request, which of its conditions held (with
 * the record's actual values), and the near misses (rules for the same status that almost matched).
 * Returns text and an exit code; every input-derived string passes through toTerminal (T1).
 */
import type { StoredRequest } from '../../core/types.js';
import { isFailure } from '../../core/types.js';
import { EXIT } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { AnalysisRun, DEFAULT_SLOW_MS } from '../../engine/analysis-run.js';
import { buildClassifier } from '../../engine/analyze.js';
import { heldFraction, trace, type CompiledRule, type NodeTrace } from '../../engine/classify.js';
import { urlOf } from '../../engine/evidence.js';
import { Facts } from '../../engine/facts.js';
import { learnRouteTemplates, type RouteKeyRow } from '../../engine/route-template.js';
import { detectWarnings } from '../../engine/warnings.js';

export interface ExplainStore {
  getRequest(id: number): StoredRequest | null;
  iterateRequests(opts?: { failedOnly?: boolean }): IterableIterator<StoredRequest>;
  iterateRouteKeys(): IterableIterator<RouteKeyRow>;
  requests?: { byLocator(source: string, unit: number): StoredRequest | null };
}

const NEAR_MISSES = 5;
const tt = (s: string, max = 300): string => toTerminal(s, { max });

/** Finds a request by id, FILE:LINE (logs) or FILE#ENTRY (HAR, 0-based). */
export function findRequest(store: ExplainStore, spec: string): StoredRequest | null {
  if (/^\d+$/.test(spec)) return store.getRequest(Number(spec));
  const m = /^(.+)[:#](\d+)$/.exec(spec);
  if (m && store.requests) return store.requests.byLocator(m[1]!, Number(m[2]));
  return null;
}

function usesContext(rule: CompiledRule): boolean {
  return JSON.stringify(rule.spec.match).includes('"context"');
}

function renderTrace(t: NodeTrace, indent: string, out: string[]): void {
  for (const c of t.children) {
    const mark = c.held ? '✓' : '✗';
    const actual = c.actual !== undefined ? `   (had: ${tt(c.actual, 120)})` : '';
    out.push(`${indent}${mark} ${tt(c.label, 200)}${actual}`);
    if (c.children.length > 0) renderTrace(c, indent + '    ', out);
  }
}

function where(rule: CompiledRule): string {
  return tt(`${rule.origin.file}${rule.origin.line ? ':' + rule.origin.line : ''}`);
}

export function runExplain(store: ExplainStore, spec: string, opts: { rulesPaths?: string[]; slowMs?: number } = {}): { output: string; exitCode: number } {
  const r = findRequest(store, spec);
  if (!r) {
    return {
      output: `no request ${tt(spec)} in this database (give a request id, FILE:LINE for logs or FILE#ENTRY for HAR entries)\n`,
      exitCode: EXIT.usage,
    };
  }
  const classifier = buildClassifier(opts.rulesPaths);
  const routes = learnRouteTemplates(store.iterateRouteKeys());
  const run = new AnalysisRun(classifier, routes, { slowMs: opts.slowMs ?? DEFAULT_SLOW_MS });
  const candidates = classifier.candidates(r.status);
  // Cross-record facts cost a pass over every request: only when a candidate rule reads them.
  const needContext = candidates.some(usesContext);
  if (needContext) for (const rec of store.iterateRequests()) run.observe(rec);
  const f = new Facts(r, run.env(needContext));
  const failed = r.failed || isFailure(r);

  const out: string[] = [];
  const loc = r.sourceKind === 'har' ? `${r.sourcePath}#${r.entry}` : `${r.sourcePath}:${r.line}`;
  out.push(`Request ${r.id}  ${tt(loc)}`);
  out.push(`  ${tt(r.method ?? '-')} ${tt(urlOf(f), 500)} → ${r.status ?? 'no status'}${r.errorText ? `  error: ${tt(r.errorText)}` : ''}`);
  out.push(`  route ${tt(f.route ?? '-')}; ${failed ? 'failed' : 'did not fail'} at ingest${r.durationMs !== null ? `; ${Math.round(r.durationMs * 10) / 10} ms` : ''}`);
  if (r.cause) out.push(`  stored analysis: ${tt(r.cause)}/${tt(r.subcause ?? '')} by ${tt(r.ruleId ?? '-')}${r.incidentId ? `, incident ${tt(r.incidentId)}` : ''}`);
  out.push('');

  const pool = failed ? candidates : candidates.filter((c) => c.cause === 'payload-error');
  const winner = pool.find((c) => c.test(f)) ?? null;
  if (winner) {
    out.push(`Matched: ${tt(winner.id)}  "${tt(winner.title)}"  → ${winner.cause}/${tt(winner.subcause)}  (priority ${winner.priority}, ${where(winner)})`);
    renderTrace(trace(winner.node, f), '  ', out);
  } else if (failed) {
    out.push('Matched: no rule → unknown/unknown. Add a rule for it (rules/README.md).');
  } else {
    out.push('Not a failure, and no payload-error rule matched its body.');
    const warnings = detectWarnings(f);
    if (warnings.length > 0) {
      out.push('Warnings:');
      for (const w of warnings) out.push(`  ${w.kind}: ${tt(w.evidence)}`);
    }
  }

  const misses = pool
    .filter((c) => c !== winner)
    .map((c) => ({ c, t: trace(c.node, f) }))
    .filter((x) => !x.t.held && heldFraction(x.t) > 0)
    .sort((a, b) => heldFraction(b.t) - heldFraction(a.t) || a.c.index - b.c.index)
    .slice(0, NEAR_MISSES);
  if (misses.length > 0) {
    out.push('');
    out.push('Near misses (conditions that did not hold are marked ✗):');
    for (const { c, t } of misses) {
      const before = winner === null || c.index < winner.index ? 'tried before' : 'after';
      out.push(`  ${tt(c.id)} → ${c.cause}/${tt(c.subcause)}  (priority ${c.priority}, ${before}, ${where(c)})`);
      renderTrace(t, '    ', out);
    }
  }
  const also = winner ? pool.filter((c) => c.index > winner.index && c.test(f)) : [];
  if (also.length > 0) {
    out.push('');
    out.push('Also matched, but come later (first match wins):');
    for (const c of also) out.push(`  ${tt(c.id)} → ${c.cause}/${tt(c.subcause)}  (priority ${c.priority}, ${where(c)})`);
  }
  if (!needContext) out.push('', '(cross-record context was not computed: no candidate rule uses it)');
  return { output: out.join('\n') + '\n', exitCode: EXIT.ok };
}
