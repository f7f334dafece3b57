/**
 * What `browse` prints when stdout is not a terminal: a short plain-text overview, sanitized like
 * everything else (T7: piped output is escaped too), no colour, no cursor movement.
 */
import type { IncidentSummary, OverviewHead } from '../queries/view-model.js';
import { fmtInt, fmtMs, fmtPct, fmtWindow, fmtWindowLong } from './format.js';
import { safe } from './safe.js';

/** `top`: the most severe incidents (the first page of the list), however many there are in all. */
export function plainOverview(ov: OverviewHead, top: readonly IncidentSummary[]): string {
  const out: string[] = [];
  out.push(`faultline: ${safe(ov.dbPath, 200)}`);
  out.push(`sources: ${ov.sources.map((s) => `${safe(s.path, 200)} (${fmtInt(s.records)} requests, ${fmtInt(s.failures)} failed)`).join(', ') || 'none'}`);
  out.push(`window: ${ov.window ? fmtWindowLong(ov.window.from, ov.window.to) : 'no timestamps'}`);
  out.push(`requests: ${fmtInt(ov.requests)}, failures: ${fmtInt(ov.failures)}, error rate: ${fmtPct(ov.errorRate)}, p95: ${fmtMs(ov.scorecard.p95Ms)}`);
  if (ov.causes.length) out.push(`causes: ${ov.causes.map((c) => `${safe(c.cause, 40)} ${fmtInt(c.count)}`).join(', ')}`);
  out.push('');
  out.push(`incidents (${fmtInt(ov.incidentCount)}), most severe first:`);
  for (const i of top) {
    out.push(`  ${String(Math.round(i.severity)).padStart(3)}  ${safe(i.cause, 20).padEnd(13)} ${fmtInt(i.count).padStart(7)}  ${fmtWindow(i.firstSeen, i.lastSeen).padEnd(11)}  ${safe(i.title, 200)}  [${safe(i.id, 40)}]`);
  }
  if (ov.incidentCount > top.length) out.push(`  … ${fmtInt(ov.incidentCount - top.length)} more (faultline incidents --db …)`);
  out.push('');
  out.push('(not a terminal: run `faultline browse` in a terminal for the interactive view)');
  return out.join('\n') + '\n';
}
