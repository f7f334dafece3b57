/** The overview as lines: the investigation at a glance, the error-rate timeline, causes, and incident rows. */
import type { IncidentSummary, OverviewHead as Overview, TimelineView } from '../../queries/view-model.js';
import { fitBuckets, fmtClock, fmtInt, fmtMs, fmtPct, fmtWindow, fmtWindowLong, pad, rateSeries, sparkline } from '../format.js';
import { cell, input, seg, type Line, type Segment } from '../lines.js';
import { incidentStateText, type IncidentState } from '../../queries/incident-state.js';
import { severityTone } from '../theme.js';

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Title and the numbers that matter, on three lines. */
export function summaryLines(ov: Overview, width: number): Line[] {
  const files = ov.sources.map((s) => basename(s.path)).join(', ');
  const n = ov.sources.length;
  return [
    [seg('faultline ', 'title'), input(basename(ov.dbPath), 'muted', 40), seg(` · ${n} source${n === 1 ? '' : 's'}: `, 'muted'), input(files, 'plain', width)],
    [seg(ov.window ? fmtWindowLong(ov.window.from, ov.window.to) : 'no timestamps', 'plain')],
    [
      seg(fmtInt(ov.requests), 'accent'), seg(' requests · '),
      seg(fmtInt(ov.failures), ov.failures ? 'danger' : 'ok'), seg(' failed · error rate '),
      seg(fmtPct(ov.errorRate), (ov.errorRate ?? 0) >= 0.05 ? 'danger' : 'plain'),
      seg(` · p95 ${fmtMs(ov.scorecard.p95Ms)} · ${fmtInt(ov.incidentCount)} incident${ov.incidentCount === 1 ? '' : 's'}`),
      ...(ov.warnings.length ? [seg(' · '), seg(`${fmtInt(ov.warnings.length)} warnings`, 'warning')] : []),
    ],
  ];
}

const LABEL = 'error rate ';
const DAY = 86_400_000;

/** An axis time as short as the span allows: "10:02" within a day, "05-01 10:02" within a year, else the date. */
export function axisLabel(ts: number, span: number): string {
  const iso = new Date(ts).toISOString();
  if (span <= DAY) return fmtClock(ts).slice(0, 5);
  if (span <= 300 * DAY) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(0, 10);
}

/** The error rate across the whole window as a sparkline, with its time axis underneath. */
export function timelineLines(tl: TimelineView | null, width: number): Line[] {
  if (!tl || tl.total.length === 0) return [[seg(LABEL, 'muted'), seg('no timestamps in the data', 'muted')]];
  const peakLabelWidth = 12;
  const room = Math.max(8, width - LABEL.length - peakLabelWidth);
  const n = tl.total.length;
  const cells = Math.min(n, room);
  const { rates, peak, peakIndex } = rateSeries(tl.total, tl.failed, cells);
  // Few buckets (a short capture): widen each to fill the row rather than draw a stub.
  const stretch = n < room ? Math.max(1, Math.floor(room / n)) : 1;
  const spark = [...sparkline(rates, peak)].map((ch) => ch.repeat(stretch)).join('');
  const end = tl.start + tl.bucketMs * n;
  const a = axisLabel(tl.start, end - tl.start);
  const b = axisLabel(end, end - tl.start);
  const axis = spark.length >= a.length + b.length + 1 ? a + ' '.repeat(spark.length - a.length - b.length) + b : a;
  const peakAt = peakIndex >= 0 ? tl.start + Math.floor((peakIndex * n) / rates.length) * tl.bucketMs : null;
  return [
    [seg(LABEL, 'muted'), seg(spark, 'chart'), seg(` peak ${fmtPct(peak)}`, peak >= 0.5 ? 'danger' : 'plain')],
    [seg(' '.repeat(LABEL.length)), seg(axis, 'muted'), seg(peakAt !== null ? ` peak at ${axisLabel(peakAt, end - tl.start)}` : '', 'muted')],
  ];
}

/** Causes with counts on one line (the renderer cuts what does not fit). */
export function causeLine(ov: Overview): Line {
  const out: Segment[] = [seg('causes  ', 'muted')];
  if (ov.causes.length === 0) out.push(seg('no failures', 'ok'));
  ov.causes.forEach((c, i) => {
    if (i) out.push(seg(' · ', 'muted'));
    out.push(input(c.cause, c.cause === 'unknown' ? 'warning' : 'accent', 40), seg(' ' + fmtInt(c.count)));
  });
  return out;
}

export interface Columns {
  sev: number;
  /** Follow mode's "ongoing" / "recovered at HH:MM" (0 when not live). */
  state: number;
  cause: number;
  count: number;
  window: number;
  trend: number;
  title: number;
}

const STATE_WIDTH = 'recovered at 00:00'.length;

/**
 * Column widths for the incident table; narrow terminals drop the trend, then the window. Live
 * (follow mode) adds the state column, paid for by the trend below 96 columns.
 */
export function incidentColumns(width: number, live = false): Columns {
  const c: Columns = { sev: 3, state: live ? STATE_WIDTH : 0, cause: 12, count: 6, window: 11, trend: 10, title: 0 };
  if (width < (live ? 96 : 72)) c.trend = 0;
  if (width < (live ? 66 : 56)) c.window = 0;
  const used = c.sev + 1 + c.cause + 1 + c.count + 1 + (c.window ? c.window + 1 : 0) + (c.trend ? c.trend + 1 : 0) + (c.state ? c.state + 1 : 0);
  c.title = Math.max(8, width - used);
  return c;
}

/** True when the data spans more than a day: the window column then shows the start date and time. */
export function spansDays(ov: Overview): boolean {
  return ov.window !== null && ov.window.to - ov.window.from > DAY;
}

function windowCell(inc: IncidentSummary, multiDay: boolean): string {
  if (!multiDay || inc.firstSeen === null) return fmtWindow(inc.firstSeen, inc.lastSeen);
  const iso = new Date(inc.firstSeen).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

export function incidentHeader(width: number, multiDay = false, live = false): Line {
  const c = incidentColumns(width, live);
  let s = pad('SEV', c.sev, 'right') + ' ' + pad('CAUSE', c.cause) + ' ' + pad('COUNT', c.count, 'right') + ' ';
  if (c.window) s += pad(multiDay ? 'STARTED' : 'WINDOW', c.window) + ' ';
  if (c.trend) s += pad('TREND', c.trend) + ' ';
  if (c.state) s += pad('STATE', c.state) + ' ';
  return [seg(s + 'TITLE', 'muted')];
}

/** Follow mode's marks on a row. */
export interface RowLive {
  state: IncidentState;
  /** Appeared in a recent refresh: flashed as "[new]". */
  fresh: boolean;
}

const NEW_MARK = '[new] ';

export function incidentRow(inc: IncidentSummary, width: number, multiDay = false, live?: RowLive): Line {
  const c = incidentColumns(width, live !== undefined);
  const line: Line = [
    seg(pad(String(Math.round(inc.severity)), c.sev, 'right'), severityTone(inc.severity)),
    seg(' '),
    cell(inc.cause, c.cause, 'accent'),
    seg(' ' + pad(fmtInt(inc.count), c.count, 'right') + ' '),
  ];
  if (c.window) line.push(seg(pad(windowCell(inc, multiDay), c.window) + ' ', 'muted'));
  if (c.trend) line.push(seg(pad(sparkline(fitBuckets(inc.sparkline, c.trend)), c.trend) + ' ', 'chart'));
  if (live && c.state) line.push(seg(pad(incidentStateText(live.state), c.state) + ' ', live.state.kind === 'ongoing' ? 'danger' : live.state.kind === 'recovered' ? 'ok' : 'muted'));
  if (live?.fresh) line.push(seg(NEW_MARK, 'warning'));
  line.push(input(inc.title, 'plain', Math.max(4, c.title - (live?.fresh ? NEW_MARK.length : 0))));
  return line;
}
