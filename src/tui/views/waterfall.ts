/**
 * HAR timings as a waterfall: one row per phase, each bar offset by the phases before it and
 * proportional to its duration. HAR 1.2 counts ssl inside connect, so ssl is drawn over the end
 * of connect and not added to the total.
 */
import type { Timings } from '../../core/types.js';
import { fmtMs, pad } from '../format.js';
import { seg, type Line } from '../lines.js';

const PHASES = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const;

function val(v: number | null): number {
  return v !== null && Number.isFinite(v) && v > 0 ? v : 0;
}

export interface Bar {
  phase: (typeof PHASES)[number];
  ms: number | null;
  start: number;
  cells: number;
  offset: number;
}

/** Bars in cells of `width`; phases the source left out (null/-1) have no bar. */
export function waterfallBars(t: Timings, width: number): { bars: Bar[]; total: number } {
  const total = PHASES.reduce((s, p) => (p === 'ssl' ? s : s + val(t[p])), 0);
  const bars: Bar[] = [];
  let clock = 0;
  for (const p of PHASES) {
    const raw = t[p];
    const ms = val(raw);
    let start = clock;
    if (p === 'ssl') start = Math.max(0, clock - ms); // inside connect, which just ended
    else clock += ms;
    const offset = total > 0 ? Math.min(width - 1, Math.floor((start / total) * width)) : 0;
    const cells = total > 0 && ms > 0 ? Math.max(1, Math.min(width - offset, Math.round((ms / total) * width))) : 0;
    bars.push({ phase: p, ms: raw !== null && raw >= 0 ? raw : null, start, cells, offset });
  }
  return { bars, total };
}

export function waterfallLines(t: Timings, width: number): Line[] {
  const barWidth = Math.max(10, width - 22);
  const { bars, total } = waterfallBars(t, barWidth);
  const out: Line[] = bars.map((b) => [
    seg('  ' + pad(b.phase, 8), 'muted'),
    seg(pad(b.ms === null ? 'n/a' : fmtMs(b.ms), 10, 'right') + ' '),
    seg('│' + ' '.repeat(b.offset)),
    seg('█'.repeat(b.cells), b.phase === 'wait' ? 'warning' : 'chart'),
  ]);
  out.push([seg('  ' + pad('total', 8), 'muted'), seg(pad(fmtMs(total), 10, 'right'))]);
  return out;
}
