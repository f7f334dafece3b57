/**
 * One section per incident, most severe first: what happened, the evidence behind the cause,
 * who and what was hit, reproducible samples and a checklist of next steps. Incidents beyond
 * MAX_SECTIONS get one row each in a closing table.
 */
import type { StoredRequest } from '../core/types.js';
import { requestLocator, requestUrl } from '../queries/build.js';
import type { IncidentDetail } from '../queries/view-model.js';
import { curlCommand } from './curl.js';
import { fmtInt, fmtMs, fmtPct, fmtWindow, isoTime, plural } from './format.js';
import { causeText, type MdWriter } from './md.js';
import { MAX_FURTHER, MAX_SECTIONS, selectedCount, type IncidentSection, type ReportModel } from './model.js';

const MAX_ROUTES = 10;
const MAX_CLIENTS = 5;
const MAX_MESSAGES = 5;
const MAX_EVIDENCE_VALUES = 5;
const BODY_MAX = 2048;
// MAX_FURTHER (model.ts): rows of the closing table of incidents without a full section, so the report stays readable on huge inputs.

function cmp(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function statusesText(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .map(([code, n]) => `${code === '0' ? 'no response' : code} × ${fmtInt(n)}`)
    .join(', ');
}

function facts(w: MdWriter, i: IncidentDetail): void {
  const rate = i.errorRate;
  const rateText = rate.window === null
    ? 'n/a'
    : `${fmtPct(rate.window)} of ${plural(rate.windowTotal, 'request')} on its routes during the incident` +
      (rate.before !== null ? ` (${fmtPct(rate.before)} of ${fmtInt(rate.beforeTotal)} in the same time before)` : '');
  w.table(['Field', 'Value'], [
    ['Incident id', i.id],
    ['Cause', i.subcause && i.subcause !== i.cause ? `${i.cause} / ${i.subcause}` : i.cause],
    ['Severity', `${i.severity} of 100 (confidence: ${i.confidence})`],
    ['Window (UTC)', fmtWindow(i.firstSeen, i.lastSeen) ?? 'unknown (no timestamps)'],
    ['Failed requests', fmtInt(i.count)],
    ['Error rate', rateText],
    ['Statuses', statusesText(i.statuses)],
    ['Hosts', i.hosts.length ? [...i.hosts].sort(cmp).join(', ') : '–'],
    ['Sources', i.sourceCounts.length ? [...i.sourceCounts].sort((a, b) => b.count - a.count || cmp(a.path, b.path)).map((s) => `${s.path} (${fmtInt(s.count)})`).join(', ') : [...i.sources].sort(cmp).join(', ')],
    ['Rule', `${i.ruleId}: ${i.ruleTitle}`],
  ]);
}

function evidence(w: MdWriter, i: IncidentDetail): void {
  if (i.evidence.length === 0 && i.messages.length === 0) return;
  if (i.evidence.length) {
    w.para(`**Evidence.** The rule ${w.code(i.ruleId)} fired on these values:`);
    w.list(i.evidence.map((e) => {
      const values = e.values.slice(0, MAX_EVIDENCE_VALUES).map((v) => w.text(v, 120)).join('; ');
      const more = e.values.length > MAX_EVIDENCE_VALUES ? ` (and ${fmtInt(e.values.length - MAX_EVIDENCE_VALUES)} more)` : '';
      return `${w.text(e.label)}: ${values || '–'}${more}`;
    }));
  }
  if (i.messages.length) {
    const shown = [...i.messages].sort((a, b) => b.count - a.count || cmp(a.template, b.template)).slice(0, MAX_MESSAGES);
    w.para(`**Distinct error messages** (${fmtInt(i.messages.length)}, numbers and ids masked):`);
    w.table(['Message', 'Count'], shown.map((x) => [x.template, fmtInt(x.count)]));
  }
}

function routes(w: MdWriter, i: IncidentDetail): void {
  const rows = [...i.routeCounts].sort((a, b) => b.count - a.count || cmp(a.host, b.host) || cmp(a.route, b.route) || cmp(a.method, b.method));
  if (rows.length === 0) return;
  w.para(`**Routes affected** (${fmtInt(rows.length)}):`);
  w.table(['Method', 'Host', 'Route', 'Failures'], rows.slice(0, MAX_ROUTES).map((r) => [r.method ?? '–', r.host ?? '–', r.route, fmtInt(r.count)]));
  if (rows.length > MAX_ROUTES) w.para(`…and ${plural(rows.length - MAX_ROUTES, 'more route')}.`);
}

function clients(w: MdWriter, i: IncidentDetail): void {
  if (i.clients.length === 0) return;
  const rows = [...i.clients].sort((a, b) => b.count - a.count || cmp(a.ip, b.ip) || cmp(a.userAgent, b.userAgent) || cmp(a.token, b.token));
  w.para(`**Clients** (${fmtInt(i.clientCount)} distinct):`);
  w.table(['Client IP', 'User agent', 'Token', 'Failures'], rows.slice(0, MAX_CLIENTS).map((c) => [c.ip ?? '–', c.userAgent ?? '–', c.token ?? '–', fmtInt(c.count)]));
  const sorted = [...i.behaviours].sort((a, b) => cmp(a.kind, b.kind) || b.count - a.count || cmp(a.client, b.client) || cmp(a.route, b.route));
  if (sorted.length) {
    w.para('**Client behaviour:**');
    w.list(sorted.map((b) => `${w.text(b.kind)}${b.route ? ` on ${w.text(b.route)}` : ''}: ${w.text(b.detail)} (${plural(b.count, 'request')})`));
  }
}

function sample(w: MdWriter, r: StoredRequest, n: number): void {
  const url = requestUrl(r);
  const bits = [
    `**Sample ${n}.** ${w.text(requestLocator(r))}`,
    r.ts !== null ? ` at ${isoTime(r.ts)}` : '',
    `: ${w.text(r.method ?? '?')} ${w.text(url, 300)}`,
    ` → ${r.status === null ? 'no status' : r.status === 0 ? 'no response' : w.text(String(r.status))}`,
    r.durationMs !== null ? ` after ${fmtMs(r.durationMs)}` : '',
    '.',
  ];
  w.para(bits.join(''));
  if (r.errorText) w.para(`Error: ${w.text(r.errorText, 300)}`);
  w.fence(curlCommand(r, url));
  if (r.body) {
    const size = r.bodySize !== null ? `, ${plural(r.bodySize, 'byte')}` : '';
    w.para(`Response body${r.respMime ? ` (${w.text(r.respMime, 80)}${size})` : size ? ` (${size.slice(2)})` : ''}:`);
    w.fence(r.body, BODY_MAX);
  }
}

function nextSteps(w: MdWriter, i: IncidentDetail): void {
  w.para('**Next steps:**');
  const items = [
    ...i.advice.check.map((c) => `Check: ${w.text(c, 500)}`),
    ...i.advice.fix.map((f) => `Fix: ${w.text(f, 500)}`),
    `Inspect every member with ${w.code(`faultline show ${i.id}`)} or browse them with ${w.code('faultline browse')}.`,
  ];
  w.list(items, true);
}

function section(w: MdWriter, s: IncidentSection, n: number): void {
  const i = s.incident;
  w.heading(3, `${n}. ${w.text(i.title)}`);
  w.para(`${causeText(w, i.cause, i.subcause)}: ${plural(i.count, 'failed request')}, severity ${i.severity}.`);
  facts(w, i);
  if (i.notes.length) {
    w.para('**Caveats:**');
    w.list([...i.notes].map((x) => w.text(x, 500)));
  }
  evidence(w, i);
  routes(w, i);
  clients(w, i);
  if (s.samples.length) {
    w.para(`**Sample requests** (${fmtInt(s.samples.length)} of ${fmtInt(i.count)}):`);
    s.samples.forEach((r, k) => sample(w, r, k + 1));
  }
  nextSteps(w, i);
}

export function renderIncidents(w: MdWriter, m: ReportModel): void {
  w.heading(2, 'Incidents');
  if (m.selected.length === 0) {
    w.para(m.overview.failures === 0 ? 'No failures, no incidents.' : 'No incident matches the filters.');
    return;
  }
  const n = selectedCount(m);
  w.para(`Most severe first. ${plural(n, 'incident')}${n > MAX_SECTIONS ? `; the first ${MAX_SECTIONS} in detail` : ''}.`);
  m.sections.forEach((s, k) => section(w, s, k + 1));
  const rest = m.selected.slice(MAX_SECTIONS);
  if (rest.length) {
    w.heading(3, 'Further incidents');
    w.para(`Shown in full with ${w.code('faultline report --incident ID')} or ${w.code('faultline show ID')}.`);
    w.table(['Id', 'Cause', 'Severity', 'Failures', 'First seen (UTC)', 'Title'], rest.slice(0, MAX_FURTHER).map((i) => [
      i.id, i.subcause && i.subcause !== i.cause ? `${i.cause} / ${i.subcause}` : i.cause, String(i.severity), fmtInt(i.count), isoTime(i.firstSeen) ?? '–', i.title,
    ]));
    if (n - MAX_SECTIONS > MAX_FURTHER) {
      w.para(`…and ${plural(n - MAX_SECTIONS - MAX_FURTHER, 'more incident')}, all listed by ${w.code('faultline incidents')}.`);
    }
  }
}
