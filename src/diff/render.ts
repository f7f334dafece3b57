/**
 * The three outputs of `faultline diff`: terminal text (every input-derived string through toTerminal,
 * T1), markdown (untrusted text through mdText / mdTable, M1–M8) and JSON (JSON escaping, T7).
 */
import { mdTable, mdText } from '../core/escape-markdown.js';
import { toTerminal } from '../core/escape-terminal.js';
import { safeJson } from '../sanitize/json-text.js';
import { pct, type ChangedIncident, type DiffResult, type NewOrGone, type RouteChange, type RouteSide, type SideInfo } from './compare.js';

export { pct };

function time(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}

function ms(x: number | null): string {
  return x === null ? '-' : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
}

function statuses(s: Record<string, number>): string {
  return Object.entries(s)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');
}

function groupText(g: Record<string, string>): string {
  return Object.entries(g).map(([k, v]) => `${k}=${v}`).join(' ');
}

function sideText(s: SideInfo): string {
  const parts: string[] = [];
  if (s.window?.from !== undefined) parts.push(`from ${time(s.window.from)}`);
  if (s.window?.until !== undefined) parts.push(`before ${time(s.window.until)}`);
  const win = parts.length ? ' ' + parts.join(' ') : '';
  return `${s.label}${win}: ${s.requests} requests, ${s.failures} failed (${pct(s.requests ? s.failures / s.requests : null)})`;
}

function routeName(r: { method: string; host: string; route: string }): string {
  return `${r.method ? r.method + ' ' : ''}${r.host}${r.route}`;
}

function causes(c: Record<string, number>): string {
  return Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || '-';
}

/** What changed on a route, in words (input-free: numbers and cause ids from the fixed taxonomy). */
export function routeSummary(r: RouteChange): string[] {
  const out: string[] = [];
  const a: RouteSide | null = r.before;
  const b: RouteSide | null = r.after;
  for (const f of r.flags) {
    if (f === 'new-route') out.push(`new route with failures: ${b!.failures}/${b!.requests} (${pct(b!.errorRate)}), causes ${causes(b!.causes)}`);
    if (f === 'error-rate-up' || f === 'error-rate-down') out.push(`error rate ${pct(a!.errorRate)} → ${pct(b!.errorRate)} (${a!.failures}/${a!.requests} → ${b!.failures}/${b!.requests})`);
    if (f === 'new-cause') out.push(`new cause: ${r.newCauses.join(', ')}`);
    if (f === 'p95-up' || f === 'p95-down') out.push(`p95 ${ms(a!.p95Ms)} → ${ms(b!.p95Ms)}${a!.p95Ms ? ` (×${(b!.p95Ms! / a!.p95Ms).toFixed(1)})` : ''}`);
  }
  return out;
}

// ------------------------------------------------------------------ terminal

function t(s: string, max = 200): string {
  return toTerminal(s, { max });
}

function incidentLine(mark: string, k: NewOrGone): string {
  return `  ${mark} ${t(k.cause)}/${t(k.subcause)}  ${t(groupText(k.group), 120)}\n` +
    `      ${k.count} requests, ${time(k.firstSeen)} – ${time(k.lastSeen)}, status ${t(statuses(k.statuses), 80)}\n` +
    `      ${t(k.title)}`;
}

function changedLine(c: ChangedIncident): string {
  return `  ~ ${t(c.cause)}/${t(c.subcause)}  ${t(groupText(c.group), 120)}\n` +
    `      ${c.before.count} → ${c.after.count} requests (${pct(c.before.share)} → ${pct(c.after.share)} of traffic)\n` +
    c.reasons.map((r) => `      ${t(r, 300)}`).join('\n');
}

export function toText(d: DiffResult): string {
  const out: string[] = [];
  out.push(`baseline  ${t(sideText(d.baseline), 400)}`);
  out.push(`current   ${t(sideText(d.current), 400)}`);
  out.push('');
  out.push(`New incidents: ${d.new.length}`);
  for (const k of d.new) out.push(incidentLine('+', k));
  out.push(`Gone since the baseline: ${d.gone.length}`);
  for (const k of d.gone) out.push(incidentLine('-', k));
  out.push(`Changed: ${d.changed.length} (unchanged: ${d.unchanged})`);
  for (const c of d.changed) out.push(changedLine(c));
  out.push(`Routes that moved: ${d.routes.length}`);
  for (const r of d.routes.slice(0, 50)) {
    out.push(`  ${t(routeName(r), 160)}`);
    for (const s of routeSummary(r)) out.push(`      ${t(s, 300)}`);
  }
  if (d.routes.length > 50) out.push(`  … ${d.routes.length - 50} more (use --json for all)`);
  for (const n of d.notes) out.push(`\nnote: ${n}`);
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------------ markdown

function incidentRows(list: NewOrGone[]): string[][] {
  return list.map((k) => [`${k.cause}/${k.subcause}`, groupText(k.group), String(k.count), statuses(k.statuses), `${time(k.firstSeen)} – ${time(k.lastSeen)}`, k.title]);
}

export function toMarkdown(d: DiffResult): string {
  const out: string[] = [];
  out.push('# faultline diff\n');
  out.push(`- Baseline: ${mdText(sideText(d.baseline), { max: 400 })}`);
  out.push(`- Current: ${mdText(sideText(d.current), { max: 400 })}`);
  out.push(`- New incidents: ${d.new.length}; gone: ${d.gone.length}; changed: ${d.changed.length}; unchanged: ${d.unchanged}; routes that moved: ${d.routes.length}\n`);
  const head = ['Cause', 'Group', 'Requests', 'Statuses', 'Seen', 'Title'];
  out.push(`## New incidents (${d.new.length})\n`);
  out.push(d.new.length ? mdTable(head, incidentRows(d.new)) : 'None.\n');
  out.push(`## Gone since the baseline (${d.gone.length})\n`);
  out.push(d.gone.length ? mdTable(head, incidentRows(d.gone)) : 'None.\n');
  out.push(`## Changed (${d.changed.length})\n`);
  out.push(
    d.changed.length
      ? mdTable(
          ['Cause', 'Group', 'Requests', 'Share of traffic', 'What changed'],
          d.changed.map((c) => [`${c.cause}/${c.subcause}`, groupText(c.group), `${c.before.count} → ${c.after.count}`, `${pct(c.before.share)} → ${pct(c.after.share)}`, c.reasons.join('; ')]),
        )
      : 'None.\n',
  );
  out.push(`## Routes that moved (${d.routes.length})\n`);
  out.push(
    d.routes.length
      ? mdTable(
          ['Route', 'Requests', 'Error rate', 'p95', 'What changed'],
          d.routes.map((r) => [
            routeName(r),
            `${r.before?.requests ?? 0} → ${r.after?.requests ?? 0}`,
            `${pct(r.before?.errorRate ?? null)} → ${pct(r.after?.errorRate ?? null)}`,
            `${ms(r.before?.p95Ms ?? null)} → ${ms(r.after?.p95Ms ?? null)}`,
            routeSummary(r).join('; '),
          ]),
        )
      : 'None.\n',
  );
  for (const n of d.notes) out.push(`Note: ${mdText(n, { max: 1000 })}\n`);
  out.push('Values from untrusted input are escaped.\n');
  return out.join('\n');
}

// ------------------------------------------------------------------ json

export function toJson(d: DiffResult): string {
  return safeJson(d) + '\n';
}
