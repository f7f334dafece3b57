/**
 * Number and time formatting for the report and the plain-text views. Locale-free on purpose
 * (no toLocaleString, no local time zone): the same database must give byte-identical output on
 * every machine.
 */

/** UTC ISO 8601 without milliseconds when they are zero: "2026-03-14T10:02:00Z". */
export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const s = d.toISOString();
  return s.endsWith('.000Z') ? s.slice(0, -5) + 'Z' : s;
}

/** isoTime, or a dash when unknown. */
export function timeOrDash(ms: number | null | undefined): string {
  return isoTime(ms) ?? '–';
}

/** 1234567 → "1,234,567". */
export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const neg = n < 0;
  const digits = String(Math.round(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return neg ? '-' + out : out;
}

/** A ratio as a percentage: 0 → "0%", 0.00423 → "0.42%", 0.1234 → "12.3%", 1 → "100%". */
export function fmtPct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  if (pct === 100) return '100%';
  const digits = pct < 1 ? 2 : 1;
  return trimZeros(pct.toFixed(digits)) + '%';
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s[end - 1] === '0') end--;
  if (s[end - 1] === '.') end--;
  return s.slice(0, end);
}

/** A duration in milliseconds: "120 ms", "1.5 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${trimZeros(ms.toFixed(ms < 10 ? 1 : 0))} ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(1))} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "2026-03-14T10:00:00Z to 2026-03-14T10:12:00Z (12 min)", or null when either end is unknown. */
export function fmtWindow(from: number | null, to: number | null): string | null {
  const a = isoTime(from);
  const b = isoTime(to);
  if (a === null || b === null) return null;
  return `${a} to ${b} (${fmtMs(Math.max(0, (to as number) - (from as number)))})`;
}

/** "1 request" / "3 requests". */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** Bucket width as words: 60000 → "1 min", 300000 → "5 min", 3600000 → "1 h". */
export function fmtBucket(ms: number): string {
  return fmtMs(ms);
}
