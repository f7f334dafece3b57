/**
 * Plain-text views for terminals and pipes (`incidents`, `warnings`, `failures`, `show`): the same
 * view model as the report. Every input-derived string goes through toTerminal (T1, T7), one line
 * per field (no raw newline from data); our own layout is plain ASCII columns.
 */
import { displayWidth, toTerminal, truncateToWidth } from '../core/escape-terminal.js';
import type { StoredRequest } from '../core/types.js';
import type { WarningRecord } from '../engine/types.js';
import { requestLocator, requestUrl } from '../queries/build.js';
import type { IncidentDetail, IncidentSummary, RequestView } from '../queries/view-model.js';
import { fmtInt, fmtMs, fmtPct, fmtWindow, isoTime, plural } from './format.js';
import { maskSecrets } from './mask.js';

/** Input-derived text for one terminal line: sanitized and masked. */
export function term(s: string | null | undefined, max = 2048): string {
  if (s === null || s === undefined || s === '') return '-';
  return toTerminal(maskSecrets(s).text, { max });
}

function pad(s: string, width: number): string {
  const cut = displayWidth(s) > width ? truncateToWidth(s, width) : s;
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

function table(headers: string[], rows: string[][], widths: number[]): string {
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

function causeOf(cause: string, subcause: string): string {
  return subcause && subcause !== cause ? `${cause}/${subcause}` : cause;
}

export function incidentsText(list: readonly IncidentSummary[]): string {
  if (list.length === 0) return 'No incidents.\n';
  const rows = list.map((i) => [
    String(i.severity), fmtInt(i.count), term(causeOf(i.cause, i.subcause), 40), isoTime(i.firstSeen) ?? '-', term(i.id, 40), term(i.title, 300),
  ]);
  const idWidth = Math.max(2, ...rows.map((r) => displayWidth(r[4]!)));
  const causeWidth = Math.min(32, Math.max(5, ...rows.map((r) => displayWidth(r[2]!))));
  return table(['SEV', 'COUNT', 'CAUSE', 'FIRST SEEN (UTC)', 'ID', 'TITLE'], rows, [5, 7, causeWidth, 20, idWidth]);
}

export function warningsText(list: readonly WarningRecord[]): string {
  if (list.length === 0) return 'No early warnings.\n';
  const rows = list.map((w) => [
    term(w.kind, 30), fmtInt(w.count), term(w.host, 60), term(w.route, 80), term([w.title, ...w.evidence.slice(0, 2)].join('; '), 300),
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.min(c === 3 ? 40 : 30, Math.max(5, ...rows.map((r) => displayWidth(r[c]!)))));
  return table(['KIND', 'COUNT', 'HOST', 'ROUTE', 'DETAIL'], rows, widths);
}

/** One line per failure: time, status, method, URL, cause, where it came from, incident. */
export function failureLine(r: StoredRequest): string {
  const status = r.status === null ? '-' : String(r.status);
  const cause = r.cause ? causeOf(r.cause, r.subcause ?? '') : '-';
  return [
    isoTime(r.ts) ?? '-', status.padEnd(3), term(r.method, 16), term(requestUrl(r), 300), term(cause, 60),
    term(requestLocator(r), 300), r.incidentId ? term(r.incidentId, 40) : '-',
  ].join('  ') + '\n';
}

function field(label: string, value: string): string {
  return `${(label + ':').padEnd(16)}${value}\n`;
}

export function incidentDetailText(d: IncidentDetail): string {
  let out = `${term(d.title, 500)}\n\n`;
  out += field('Id', term(d.id));
  out += field('Cause', term(causeOf(d.cause, d.subcause)));
  out += field('Severity', `${d.severity} of 100 (confidence ${term(d.confidence)})`);
  out += field('Window (UTC)', fmtWindow(d.firstSeen, d.lastSeen) ?? 'unknown');
  out += field('Failures', fmtInt(d.count));
  if (d.errorRate.window !== null) out += field('Error rate', `${fmtPct(d.errorRate.window)} of ${plural(d.errorRate.windowTotal, 'request')} on its routes`);
  out += field('Statuses', Object.entries(d.statuses).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${term(k)} x ${v}`).join(', '));
  out += field('Rule', `${term(d.ruleId)} (${term(d.ruleTitle)})`);
  out += field('Clients', fmtInt(d.clientCount));
  out += field('Sources', d.sources.map((s) => term(s)).join(', '));
  for (const n of d.notes) out += field('Note', term(n));
  if (d.evidence.length) {
    out += '\nEvidence:\n';
    for (const e of d.evidence) out += `  ${term(e.label, 80)}: ${e.values.slice(0, 5).map((v) => term(v, 200)).join('; ')}\n`;
  }
  if (d.routeCounts.length) {
    out += '\nRoutes:\n';
    const rows = [...d.routeCounts].sort((a, b) => b.count - a.count || ((a.host ?? '') + a.route < (b.host ?? '') + b.route ? -1 : 1));
    for (const r of rows.slice(0, 20)) out += `  ${fmtInt(r.count).padStart(7)}  ${term(r.method ?? '-', 16)} ${r.host ? term(r.host, 100) : ''}${term(r.route, 200)}\n`;
    if (rows.length > 20) out += `  ...and ${rows.length - 20} more\n`;
  }
  if (d.messages.length) {
    out += '\nMessages:\n';
    for (const m of [...d.messages].sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : 1)).slice(0, 10)) {
      out += `  ${fmtInt(m.count).padStart(7)}  ${term(m.template, 300)}\n`;
    }
  }
  const steps = [...d.advice.check.map((c) => `check: ${c}`), ...d.advice.fix.map((f) => `fix: ${f}`)];
  if (steps.length) {
    out += '\nNext steps:\n';
    for (const s of steps) out += `  [ ] ${term(s, 500)}\n`;
  }
  return out;
}

export function requestText(v: RequestView): string {
  const r = v.request;
  let out = `${term(r.method)} ${term(v.url, 4096)}\n\n`;
  out += field('Where', term(v.locator));
  out += field('Request id', String(r.id));
  out += field('Time (UTC)', isoTime(r.ts) ?? '-');
  out += field('Status', r.status === null ? '-' : r.status === 0 ? '0 (no response)' : String(r.status));
  out += field('Duration', fmtMs(r.durationMs));
  out += field('Failed', r.failed ? 'yes' : 'no');
  if (r.cause) out += field('Cause', term(causeOf(r.cause, r.subcause ?? '')));
  if (r.ruleId) out += field('Rule', term(v.ruleTitle ? `${r.ruleId} (${v.ruleTitle})` : r.ruleId));
  if (r.incidentId) out += field('Incident', term(v.incidentTitle ? `${r.incidentId}: ${v.incidentTitle}` : r.incidentId));
  if (r.route) out += field('Route', term(r.route));
  if (r.clientIp) out += field('Client', term(r.clientIp));
  if (r.userAgent) out += field('User agent', term(r.userAgent));
  if (r.upstreamStatus) out += field('Upstream', term(`${r.upstreamStatus}${r.upstreamAddr ? ' from ' + r.upstreamAddr : ''}`));
  if (r.errorText) out += field('Error', term(r.errorText));
  const headers = (title: string, hs: StoredRequest['reqHeaders']): void => {
    if (!hs?.length) return;
    out += `\n${title}:\n`;
    for (const [n, val] of hs) out += `  ${term(n, 200)}: ${term(val, 1000)}\n`;
  };
  headers('Request headers', r.reqHeaders);
  headers('Response headers', r.respHeaders);
  if (r.body) {
    out += `\nResponse body${r.respMime ? ` (${term(r.respMime, 100)})` : ''}:\n`;
    out += toTerminal(maskSecrets(r.body).text, { singleLine: false, max: 8192 }) + '\n';
  }
  if (r.raw) out += `\nRaw line:\n${term(r.raw, 8192)}\n`;
  return out;
}
