/** The incident screen as lines: a fixed header, a scrollable details pane, and member request rows. */
import type { StoredRequest } from '../../core/types.js';
import type { IncidentDetail } from '../../queries/view-model.js';
import { bar, fitBuckets, fmtClock, fmtInt, fmtMs, fmtPct, fmtWindowLong, pad, sparkline } from '../format.js';
import { BLANK, cell, heading, input, seg, wrapped, type Line } from '../lines.js';
import { wrapSafe } from '../safe.js';
import { severityTone, statusTone } from '../theme.js';

/**
 * Title (up to two rows), classification, window, and the incident's own failures over the
 * overview timeline (left out when the view model has no per-bucket counts for it).
 */
export function incidentHeaderLines(d: IncidentDetail, width: number): Line[] {
  const er = d.errorRate;
  const rate = er.window !== null ? `error rate ${fmtPct(er.window)} in window, ${fmtPct(er.before)} before` : '';
  const spark = fitBuckets(d.sparkline, Math.max(8, width - 24));
  const peak = spark.reduce((m, v) => Math.max(m, v), 0);
  const out: Line[] = wrapSafe(d.title, width, 2).map((row) => [seg(row, 'title')]);
  out.push(
    [
      input(d.cause, 'accent', 40), seg(' / '), input(d.subcause, 'accent', 60),
      seg(' · severity '), seg(String(Math.round(d.severity)), severityTone(d.severity)),
      seg(` · confidence ${d.confidence} · ${fmtInt(d.count)} requests`),
    ],
    [seg(fmtWindowLong(d.firstSeen, d.lastSeen), 'plain'), seg(rate ? ' · ' + rate : '', 'muted')],
  );
  if (peak > 0) out.push([seg('failures   ', 'muted'), seg(sparkline(spark), 'chart'), seg(` peak ${fmtInt(peak)}`, 'muted')]);
  return out;
}

function bullets(items: readonly string[], width: number): Line[] {
  const out: Line[] = [];
  for (const it of items) out.push(...wrapped('  • ', it, width, { indent: 4, labelTone: 'muted' }));
  return out;
}

function section(out: Line[], title: string, lines: Line[]): void {
  if (lines.length === 0) return;
  if (out.length) out.push(BLANK);
  out.push(heading(title), ...lines);
}

/** Everything below the header: evidence, advice, routes, statuses, clients, messages, sources. */
export function incidentDetailLines(d: IncidentDetail, width: number): Line[] {
  const out: Line[] = [];
  section(out, 'Evidence', d.evidence.flatMap((e) => wrapped(`  ${e.label}: `, e.values.join(' · '), width, { indent: 4 })));
  section(out, 'Notes', bullets(d.notes, width));
  section(out, 'What to check', bullets(d.advice.check, width));
  section(out, 'How to fix', bullets(d.advice.fix, width));
  section(out, `Rule`, [[seg('  '), input(d.ruleId, 'accent', 60), seg(' — '), input(d.ruleTitle, 'plain', width)]]);

  const maxRoute = d.routeCounts.reduce((m, r) => Math.max(m, r.count), 0);
  section(out, `Routes affected (${fmtInt(d.routeCounts.length)})`, d.routeCounts.slice(0, 50).map((r) => [
    seg(pad(fmtInt(r.count), 8, 'right') + ' '), seg(pad(bar(r.count, maxRoute, 10), 10) + ' ', 'chart'),
    input(r.method ?? '*', 'accent', 8), seg(' '), input(r.host ?? '', 'muted', 40), input(r.route, 'plain', width),
  ]));

  const statuses = Object.entries(d.statuses).sort((a, b) => b[1] - a[1]);
  const maxStatus = statuses.reduce((m, [, n]) => Math.max(m, n), 0);
  section(out, 'Status mix', statuses.map(([code, n]) => [
    seg(pad(fmtInt(n), 8, 'right') + ' '), seg(pad(bar(n, maxStatus, 10), 10) + ' ', 'chart'),
    seg(code === '0' ? 'no response' : code, statusTone(Number(code))),
  ]));

  section(out, `Clients (${fmtInt(d.clientCount)})`, d.clients.slice(0, 30).map((c) => [
    seg(pad(fmtInt(c.count), 8, 'right') + ' '), cell(c.ip ?? '–', 16, 'accent'), seg(' '),
    ...(c.token ? [seg('token '), input(c.token, 'muted', 16), seg(' ')] : []),
    input(c.userAgent ?? '', 'plain', width),
  ]));

  section(out, `Error messages (${fmtInt(d.messages.length)})`, d.messages.slice(0, 30).flatMap((m) =>
    wrapped(pad(fmtInt(m.count), 8, 'right') + ' ', m.template, width, { indent: 9, labelTone: 'plain' })));

  section(out, 'Client behaviour', d.behaviours.flatMap((b) =>
    wrapped(`  ${b.kind} ×${fmtInt(b.count)}: `, [b.client, b.route, b.detail].filter(Boolean).join(' · '), width, { indent: 4, labelTone: 'warning' })));

  section(out, 'Sources', d.sourceCounts.map((s) => [
    seg(pad(fmtInt(s.count), 8, 'right') + ' '), input(s.path, 'plain', width), seg(` (${s.kind})`, 'muted'),
  ]));
  return out;
}

export interface RowColumns {
  time: number;
  status: number;
  method: number;
  url: number;
  duration: number;
  client: number;
}

/** Column widths for member rows; the client column goes when narrow or when no member has a client IP (HAR). */
export function requestColumns(width: number, withClient = true): RowColumns {
  const c: RowColumns = { time: 8, status: 3, method: 6, url: 0, duration: 8, client: 15 };
  if (width < 70 || !withClient) c.client = 0;
  if (width < 50) c.duration = 0;
  const used = c.time + 1 + c.status + 1 + c.method + 1 + (c.duration ? c.duration + 1 : 0) + (c.client ? c.client + 1 : 0);
  c.url = Math.max(8, width - used);
  return c;
}

export function requestHeader(width: number, withClient = true): Line {
  const c = requestColumns(width, withClient);
  let s = pad('TIME', c.time) + ' ' + pad('ST', c.status) + ' ' + pad('METHOD', c.method) + ' ' + pad('URL', c.url) + ' ';
  if (c.duration) s += pad('DURATION', c.duration, 'right') + ' ';
  if (c.client) s += 'CLIENT';
  return [seg(s.trimEnd(), 'muted')];
}

/** One member request: time, status, method, host+path(+query), duration, client. */
export function requestRow(r: StoredRequest, width: number, withClient = true): Line {
  const c = requestColumns(width, withClient);
  const url = `${r.host ?? ''}${r.path ?? ''}${r.query !== null ? '?' + r.query : ''}`;
  const line: Line = [
    seg(pad(fmtClock(r.ts), c.time) + ' ', 'muted'),
    seg(pad(r.status === null ? '–' : String(r.status), c.status, 'right'), statusTone(r.status)),
    seg(' '),
    cell(r.method ?? '–', c.method, 'accent'),
    seg(' '),
    cell(url, c.url),
  ];
  if (c.duration) line.push(seg(' ' + pad(fmtMs(r.durationMs), c.duration, 'right')));
  if (c.client) line.push(seg(' '), cell(r.clientIp ?? '', c.client, 'muted'));
  return line;
}
