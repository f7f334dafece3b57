/**
 * Failures per cause over the report's window: one mermaid `xychart-beta` bar chart per cause
 * (xychart has no legend, so one chart per series keeps them readable) plus a plain-text
 * fallback. Every label in a chart is generated here (times, cause ids reduced to [a-z0-9-]);
 * no input-derived string ever reaches the mermaid source.
 */
import type { ReportModel } from './model.js';
import { fmtBucket, isoTime } from './format.js';

export interface CauseSeries {
  /** A cause id, or "other" for failures in no selected incident. */
  cause: string;
  values: number[];
  total: number;
}

export interface CauseTimeline {
  start: number;
  bucketMs: number;
  /** Start of each bucket (epoch ms). */
  starts: number[];
  series: CauseSeries[];
}

/** Charts beyond this many causes are merged into "other causes". */
export const MAX_CHARTS = 5;
/** Bars per chart: more would make the labels unreadable on GitHub. */
export const MAX_BARS = 24;
export const OTHER = 'not in a listed incident';

/** A cause id as a chart label: lower-case letters, digits and `-` only. */
export function safeLabel(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) out += ch;
    if (out.length >= 40) break;
  }
  return out || 'cause';
}

/**
 * Per-cause failure counts per timeline bucket, from the selected incidents' sparklines; clipped
 * to --since/--until. Without cause or incident filters, failures that belong to no incident
 * show as their own series so the chart adds up to the total.
 */
export function causeTimeline(model: ReportModel): CauseTimeline | null {
  const tl = model.overview.timeline;
  if (!tl || tl.failed.length === 0) return null;
  const { since, until } = model.filters;
  const n = tl.failed.length;
  let lo = 0;
  let hi = n - 1;
  if (since !== undefined) while (lo < n && tl.start + (lo + 1) * tl.bucketMs <= since) lo++;
  if (until !== undefined) while (hi >= 0 && tl.start + hi * tl.bucketMs > until) hi--;
  if (lo > hi) return null;
  const byCause = new Map<string, number[]>();
  const inIncidents = new Array<number>(n).fill(0);
  const perIncident = model.causeSparks ?? model.selected.map((inc) => ({ cause: inc.cause, values: inc.sparkline }));
  for (const inc of perIncident) {
    const row = byCause.get(inc.cause) ?? new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const v = inc.values[i] ?? 0;
      row[i]! += v;
      inIncidents[i]! += v;
    }
    byCause.set(inc.cause, row);
  }
  const unfiltered = !model.filters.causes?.length && !model.filters.incidentIds?.length;
  if (unfiltered) {
    const rest = tl.failed.map((f, i) => Math.max(0, f - inIncidents[i]!));
    if (rest.some((v) => v > 0)) byCause.set(OTHER, rest);
  }
  const series: CauseSeries[] = [];
  for (const [cause, row] of byCause) {
    const values = row.slice(lo, hi + 1);
    const total = values.reduce((a, b) => a + b, 0);
    if (total > 0) series.push({ cause, values, total });
  }
  // Total order: most failures first, then cause id.
  series.sort((a, b) => b.total - a.total || (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0));
  const start = tl.start + lo * tl.bucketMs;
  const starts = Array.from({ length: hi - lo + 1 }, (_, i) => start + i * tl.bucketMs);
  return { start, bucketMs: tl.bucketMs, starts, series };
}

/** Merges adjacent buckets so there are at most `max` (for the charts). */
export function rebucket(tl: CauseTimeline, max: number): CauseTimeline {
  const factor = Math.max(1, Math.ceil(tl.starts.length / max));
  if (factor === 1) return tl;
  const m = Math.ceil(tl.starts.length / factor);
  const starts = Array.from({ length: m }, (_, i) => tl.starts[i * factor]!);
  const series = tl.series.map((s) => {
    const values = new Array<number>(m).fill(0);
    s.values.forEach((v, i) => { values[Math.floor(i / factor)]! += v; });
    return { ...s, values };
  });
  return { start: tl.start, bucketMs: tl.bucketMs * factor, starts, series };
}

/**
 * "10:05"; "03-14 10:05" when the window spans more than one UTC day; "03-14" for buckets of a
 * day or more; the year in front when the window spans more than one year.
 */
export function timeLabels(starts: readonly number[], bucketMs: number): string[] {
  const iso = starts.map((s) => isoTime(s) ?? '');
  const days = new Set(iso.map((s) => s.slice(0, 10)));
  const years = new Set(iso.map((s) => s.slice(0, 4)));
  const from = years.size > 1 ? 0 : 5;
  return iso.map((s) => {
    if (bucketMs >= 86_400_000) return s.slice(from, 10);
    const hm = s.slice(11, 16);
    return days.size > 1 ? `${s.slice(from, 10)} ${hm}` : hm;
  });
}

/** Merges causes beyond MAX_CHARTS into one "other causes" series. */
export function chartSeries(series: readonly CauseSeries[]): CauseSeries[] {
  if (series.length <= MAX_CHARTS) return [...series];
  const head = series.slice(0, MAX_CHARTS - 1);
  const rest = series.slice(MAX_CHARTS - 1);
  const values = rest[0]!.values.map((_, i) => rest.reduce((a, s) => a + s.values[i]!, 0));
  return [...head, { cause: `other causes (${rest.map((s) => s.cause).join(', ')})`, values, total: rest.reduce((a, s) => a + s.total, 0) }];
}

/** One xychart-beta chart (the fence included), labels ours only. */
export function mermaidChart(title: string, labels: readonly string[], values: readonly number[]): string {
  const max = Math.max(1, ...values);
  const lines = [
    '```mermaid',
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `    y-axis "failures" 0 --> ${max}`,
    `    bar [${values.join(', ')}]`,
    '```',
  ];
  return lines.join('\n');
}

/** The charts for a timeline, one per (merged) cause. */
export function mermaidCharts(tl: CauseTimeline): string[] {
  const coarse = rebucket(tl, MAX_BARS);
  const labels = timeLabels(coarse.starts, coarse.bucketMs);
  const per = fmtBucket(coarse.bucketMs);
  return chartSeries(coarse.series).map((s) => {
    const name = s.cause.startsWith('other causes') ? 'other causes' : s.cause === OTHER ? 'not in a listed incident' : safeLabel(s.cause);
    return mermaidChart(`${name}: failures per ${per} (UTC)`, labels, s.values);
  });
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The plain-text fallback: one row of block characters per cause, scaled to the busiest bucket. */
export function textBars(tl: CauseTimeline): string {
  const max = Math.max(1, ...tl.series.flatMap((s) => s.values));
  const names = tl.series.map((s) => (s.cause === OTHER ? OTHER : safeLabel(s.cause)));
  const width = Math.max(...names.map((n) => n.length), 5);
  const first = isoTime(tl.starts[0]) ?? '';
  const last = isoTime(tl.starts[tl.starts.length - 1]! + tl.bucketMs) ?? '';
  const rows = [`${first} to ${last}, one column = ${fmtBucket(tl.bucketMs)}, █ = ${max} failures`];
  tl.series.forEach((s, k) => {
    let bar = '';
    for (const v of s.values) bar += v === 0 ? '·' : BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)]!;
    rows.push(`${names[k]!.padEnd(width)}  ${bar}  ${s.total}`);
  });
  return rows.join('\n');
}
