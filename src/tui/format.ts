/**
 * Small, pure formatters for the TUI: numbers, times (always UTC, said so on screen), durations,
 * sparklines and bars. Everything returns plain ASCII/Unicode text made only from numbers and our
 * own glyphs, so nothing here can carry input bytes to the terminal.
 */

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtPct(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '–';
  const p = rate * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return (p >= 10 ? p.toFixed(0) : p.toFixed(1)) + '%';
}

export function fmtMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1) return ms.toFixed(2) + ' ms';
  if (ms < 1000) return ms.toFixed(ms < 10 ? 1 : 0) + ' ms';
  if (ms < 60_000) return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) + ' s';
  return fmtSpan(ms);
}

/** A span of time in words: "45s", "17m", "2h 05m", "3d 4h". */
export function fmtSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function fmtBytes(n: number | null): string {
  if (n === null || !Number.isFinite(n) || n < 0) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' kB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

/** "2024-05-01 10:02:13" (UTC). */
export function fmtDateTime(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return '–';
  return iso(ts).slice(0, 19).replace('T', ' ');
}

/** "10:02:13" (UTC). */
export function fmtClock(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return '--:--:--';
  return iso(ts).slice(11, 19);
}

/** "10:02:13.123" (UTC). */
export function fmtClockMs(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return '–';
  return iso(ts).slice(11, 23);
}

/**
 * A window as short as it can be read unambiguously: "10:02–10:19" on one day,
 * "05-01 23:50–05-02 00:10" across days, "–" when unknown.
 */
export function fmtWindow(from: number | null, to: number | null): string {
  if (from === null || to === null) return '–';
  const a = iso(from);
  const b = iso(to);
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a.slice(11, 16)}–${b.slice(11, 16)}`;
  return `${a.slice(5, 10)} ${a.slice(11, 16)}–${b.slice(5, 10)} ${b.slice(11, 16)}`;
}

/** A full window for headers: "2024-05-01 10:02:13 → 10:19:44 UTC (17m)". */
export function fmtWindowLong(from: number | null, to: number | null): string {
  if (from === null || to === null) return 'no timestamps';
  const a = fmtDateTime(from);
  const b = fmtDateTime(to);
  const end = a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b;
  return `${a} → ${end} UTC (${fmtSpan(to - from)})`;
}

/**
 * Merges adjacent buckets so the series fits `width` cells (sums, so rates stay exact when the
 * caller merges numerators and denominators separately).
 */
export function fitBuckets(values: readonly number[], width: number): number[] {
  const w = Math.max(1, Math.floor(width));
  if (values.length <= w) return values.slice();
  const out = new Array<number>(w).fill(0);
  for (let i = 0; i < values.length; i++) out[Math.floor((i * w) / values.length)]! += values[i]!;
  return out;
}

/**
 * A sparkline of `values` scaled to `max` (default: the largest value). Zero is a space so quiet
 * stretches read as quiet; any non-zero value gets at least the lowest bar.
 */
export function sparkline(values: readonly number[], max?: number): string {
  const top = max ?? values.reduce((m, v) => (v > m ? v : m), 0);
  let out = '';
  for (const v of values) {
    if (!(v > 0) || !(top > 0)) {
      out += ' ';
      continue;
    }
    const i = Math.min(SPARK.length - 1, Math.max(0, Math.ceil((v / top) * SPARK.length) - 1));
    out += SPARK[i];
  }
  return out;
}

/** Error rate per bucket, fitted to `width` cells; also returns the peak rate and where it was. */
export function rateSeries(total: readonly number[], failed: readonly number[], width: number): { rates: number[]; peak: number; peakIndex: number } {
  const t = fitBuckets(total, width);
  const f = fitBuckets(failed, width);
  let peak = 0;
  let peakIndex = -1;
  const rates = t.map((n, i) => {
    const r = n > 0 ? f[i]! / n : 0;
    if (r > peak) {
      peak = r;
      peakIndex = i;
    }
    return r;
  });
  return { rates, peak, peakIndex };
}

/** A horizontal bar of `value / max` over `width` cells; a non-zero value shows at least a sliver. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || width <= 0) return '';
  const cells = Math.max(1, Math.round((value / max) * width));
  return '█'.repeat(Math.min(width, cells));
}

/** Pads or cuts an ASCII-only string (our own labels and numbers) to exactly `n` columns. */
export function pad(s: string, n: number, align: 'left' | 'right' = 'left'): string {
  if (s.length >= n) return s.slice(0, n);
  return align === 'left' ? s + ' '.repeat(n - s.length) : ' '.repeat(n - s.length) + s;
}

/** "faultline-report-20240501-100213.md": a report file name from a time, safe on every filesystem. */
export function reportFileName(now: Date): string {
  const s = now.toISOString();
  return `faultline-report-${s.slice(0, 10).replaceAll('-', '')}-${s.slice(11, 19).replaceAll(':', '')}.md`;
}
