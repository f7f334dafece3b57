/**
 * What `browse` prints when stdout is not a terminal: a short plain-text overview, sanitized like
 * everything else (T7: piped output is escaped too), no colour, no cursor movement.
 */
import type { Overview } from '../queries/view-model.js';
import { fmtInt, fmtMs, fmtPct, fmtWindow, fmtWindowLong } from './format.js';
import { safe } from './safe.js';

export function plainOverview(ov: Overview, maxIncidents = 20): string {
  const out: string[] = [];
  out.push(`faultline: ${safe(ov.dbPath, 200)}`);
  out.push(`sources: ${ov.sources.map((s) => `${safe(s.path, 200)} (${fmtInt(s.records)} requests, ${fmtInt(s.failures)} failed)`).join(', ') || 'none'}`);
  out.push(`window: ${ov.window ? fmtWindowLong(ov.window.from, ov.window.to) : 'no timestamps'}`);
  out.push(`requests: ${fmtInt(ov.requests)}, failures: ${fmtInt(ov.failures)}, error rate: ${fmtPct(ov.errorRate)}, p95: ${fmtMs(ov.scorecard.p95Ms)}`);
  if (ov.causes.length) out.push(`causes: ${ov.causes.map((c) => `${safe(c.cause, 40)} ${fmtInt(c.count)}`).join(', ')}`);
  out.push('');
  out.push(`incidents (${fmtInt(ov.incidents.length)}), most severe first:`);
  for (const i of ov.incidents.slice(0, maxIncidents)) {
    out.push(`  ${String(Math.round(i.severity)).padStart(3)}  ${safe(i.cause, 20).padEnd(13)} ${fmtInt(i.count).padStart(7)}  ${fmtWindow(i.firstSeen, i.lastSeen).padEnd(11)}  ${safe(i.title, 200)}  [${safe(i.id, 40)}]`);
  }
  if (ov.incidents.length > maxIncidents) out.push(`  … ${fmtInt(ov.incidents.length - maxIncidents)} more (faultline incidents --db …)`);
  out.push('');
  out.push('(not a terminal: run `faultline browse` in a terminal for the interactive view)');
  return out.join('\n') + '\n';
}
