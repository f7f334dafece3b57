/**
 * The markdown triage report, rendered from a ReportModel (pure: same model and `now`, same bytes).
 * Section order is the issue's: header and sources, summary, scorecard, timeline, incidents,
 * early warnings, appendix. Every input-derived string goes through MdWriter (mask, then the
 * escape-markdown choke point); our own text is written as is and holds no markdown syntax that
 * data could complete.
 */
import { VERSION } from '../core/version.js';
import { fmtInt, fmtPct, fmtWindow, isoTime, plural } from './format.js';
import { causeText, MdWriter } from './md.js';
import { selectedCount, type ReportModel } from './model.js';
import { renderAppendix } from './render-appendix.js';
import { renderIncidents } from './render-incident.js';
import { causeTimeline, mermaidCharts, textBars } from './timeline.js';
import { scorecardRows } from './scorecard.js';

export interface RenderOptions {
  now: Date;
}

function header(w: MdWriter, m: ReportModel, now: Date): void {
  const o = m.overview;
  w.heading(1, 'faultline triage report');
  w.para(
    `Generated ${isoTime(now.getTime())} by faultline ${w.text(VERSION)} from the database ${w.code(o.dbPath)}.`,
  );
  const win = o.window ? fmtWindow(o.window.from, o.window.to) : null;
  w.para(win ? `Time window covered (UTC): ${w.text(win)}.` : 'Time window covered: unknown (no record carried a timestamp).');
  const f = m.filters;
  const parts: string[] = [];
  if (f.incidentIds?.length) parts.push(`incidents ${f.incidentIds.map((i) => w.code(i)).join(', ')}`);
  if (f.causes?.length) parts.push(`causes ${f.causes.map((c) => w.code(c)).join(', ')}`);
  if (f.since !== undefined) parts.push(`failures at or after ${w.text(isoTime(f.since) ?? '')}`);
  if (f.until !== undefined) parts.push(`failures at or before ${w.text(isoTime(f.until) ?? '')}`);
  if (parts.length) {
    w.para(`Filtered to ${parts.join('; ')}. Totals, the scorecard and the early warnings still cover the whole database.`);
  }
  w.heading(2, 'Sources');
  if (o.sources.length === 0) {
    w.para('No source has been ingested.');
    return;
  }
  w.table(
    ['Source', 'Format', 'SHA-256', 'From (UTC)', 'To (UTC)', 'Records', 'Failures', 'Skipped', 'Status'],
    o.sources.map((s) => [
      s.path, s.format, s.sha256.slice(0, 12), isoTime(s.firstTs) ?? '–', isoTime(s.lastTs) ?? '–',
      fmtInt(s.records), fmtInt(s.failures), fmtInt(s.skipped), s.status,
    ]),
  );
  const errors = o.sources.filter((s) => s.error);
  if (errors.length) w.list(errors.map((s) => `${w.text(s.path)}: ${w.text(s.error ?? '')}`));
}

function summary(w: MdWriter, m: ReportModel): void {
  const o = m.overview;
  w.heading(2, 'Summary');
  const sentences: string[] = [];
  if (o.requests === 0) {
    sentences.push('The database holds no requests, so there is nothing to triage yet.');
  } else {
    const span = o.window ? ` between ${isoTime(o.window.from)} and ${isoTime(o.window.to)} (UTC)` : '';
    sentences.push(`faultline read ${plural(o.requests, 'request')} from ${plural(o.sources.length, 'source')}${span}.`);
    sentences.push(
      o.failures === 0 ? 'None of them failed.' : `${fmtInt(o.failures)} of them failed (${fmtPct(o.errorRate)} error rate).`,
    );
  }
  const n = selectedCount(m);
  const filtered = Boolean(m.filters.incidentIds?.length || m.filters.causes?.length || m.filters.since !== undefined || m.filters.until !== undefined);
  if (o.failures > 0 || n > 0) {
    const what = filtered ? `${plural(n, 'incident')} match the filters` : `The failures form ${plural(n, 'incident')}`;
    sentences.push(n === 0 ? `${what}.` : n <= 3 ? `${what}:` : `${what}; the three most severe are:`);
  }
  w.para(sentences.join(' '));
  w.list(
    m.selected.slice(0, 3).map((i) => {
      const impact = i.errorRate.window !== null ? `, ${fmtPct(i.errorRate.window)} of the requests on its routes failed` : '';
      const clients = i.clientCount > 0 ? `, ${plural(i.clientCount, 'client')}` : '';
      return `**${w.text(i.title)}**: ${causeText(w, i.cause, i.subcause)}, ${plural(i.count, 'failure')}${impact}${clients}, severity ${i.severity}.`;
    }),
  );
  const more: string[] = [];
  if (o.unknownFailures > 0) {
    more.push(`${plural(o.unknownFailures, 'failure')} matched no rule; the appendix lists examples.`);
  }
  if (o.warnings.length > 0) more.push(`${plural(o.warnings.length, 'early warning')} ${o.warnings.length === 1 ? 'concerns' : 'concern'} requests that still succeed.`);
  const failing = scorecardRows(o.scorecard).filter((r) => r.pass === false).map((r) => r.metric.toLowerCase());
  const measured = scorecardRows(o.scorecard).filter((r) => r.pass !== null).length;
  if (measured > 0 && o.requests > 0) {
    more.push(failing.length ? `${failing.length} of ${measured} measured health targets are missed: ${failing.join(', ')}.` : `All ${measured} measured health targets are met.`);
  }
  if (more.length) w.para(more.join(' '));
}

function scorecard(w: MdWriter, m: ReportModel): void {
  w.heading(2, 'Health scorecard');
  w.table(
    ['Metric', 'Target', 'Measured', 'Result'],
    scorecardRows(m.overview.scorecard).map((r) => [r.metric, r.target, r.measured, r.pass === null ? 'n/a' : r.pass ? '✅ pass' : '❌ fail']),
  );
  w.para('Measured over every request in the database. "n/a": the data holds nothing to measure it on.');
}

function timeline(w: MdWriter, m: ReportModel): void {
  w.heading(2, 'Failures over time');
  const tl = causeTimeline(m);
  if (!tl || tl.series.length === 0) {
    w.para(m.overview.timeline ? 'No failures in the selected window.' : 'No timeline: no request carried a timestamp.');
    return;
  }
  w.para('Failures per cause, in UTC (the charts render on GitHub; the text below is the same data).');
  for (const chart of mermaidCharts(tl)) w.raw(chart);
  w.fence(textBars(tl));
  const total = tl.series.reduce((a, s) => a + s.total, 0);
  w.table(
    ['Cause', 'Failures', 'Share', 'Busiest bucket starts (UTC)'],
    tl.series.map((s) => {
      let peak = 0;
      s.values.forEach((v, i) => { if (v > s.values[peak]!) peak = i; });
      return [s.cause, fmtInt(s.total), fmtPct(s.total / total), isoTime(tl.starts[peak]) ?? '–'];
    }),
  );
}

function warnings(w: MdWriter, m: ReportModel): void {
  w.heading(2, 'Early warnings');
  const list = [...m.overview.warnings].sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (list.length === 0) {
    w.para('None: no deprecation or sunset headers, rate-limit headroom, tokens near expiry or credentials sent in the clear on successful requests.');
    return;
  }
  w.para('Found on requests that succeeded: fix these before they become incidents.');
  w.table(
    ['Kind', 'Host', 'Route', 'Requests', 'First seen (UTC)', 'Last seen (UTC)', 'Detail'],
    list.map((x) => [
      x.kind, x.host ?? '–', x.route ?? '–', fmtInt(x.count), isoTime(x.firstSeen) ?? '–', isoTime(x.lastSeen) ?? '–',
      [x.title, ...x.evidence.slice(0, 3)].join('; '),
    ]),
  );
}

export function renderMarkdown(m: ReportModel, opts: RenderOptions): string {
  const w = new MdWriter();
  header(w, m, opts.now);
  summary(w, m);
  scorecard(w, m);
  timeline(w, m);
  renderIncidents(w, m);
  warnings(w, m);
  renderAppendix(w, m);
  return w.toString();
}
