/**
 * Small string helpers for values taken from a HAR. Linear time, no regular expressions.
 */
import { parseIsoUtc } from '../../src/core/calendar.js';

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Lone UTF-16 surrogates (JSON allows `"\ud800"`) become U+FFFD (T5). */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
}

/** A string from the input, or null when it is not a string. Lone surrogates fixed, length capped. */
export function str(v: unknown, cap = 65536): string | null {
  if (typeof v !== 'string') return null;
  return wellFormed(v.length > cap ? v.slice(0, cap) : v);
}

/** Like str() but an empty (or blank) string is null too. */
export function nonEmpty(v: unknown, cap = 65536): string | null {
  const s = str(v, cap);
  if (s === null) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return s;
  }
  return null;
}

/**
 * For short protocol tokens (method, HTTP version): control characters (C0, DEL, C1) are written
 * as `\xNN` so they are stored escaped, never raw (bad-input case B-6, httptoolkit#880).
 */
export function escapeControls(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return out;
}

/** A finite number, or null. Numeric strings ("200") are accepted: some exporters quote them. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.length > 0 && v.length < 32) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A number >= 0 (HAR uses -1 for "unknown"), or null. */
export function nonNegative(v: unknown): number | null {
  const n = num(v);
  return n !== null && n >= 0 ? n : null;
}

/** A plain object (not an array, not null), or null. */
export function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * HAR `startedDateTime` (ISO 8601, e.g. `2023-07-17T13:04:44.056651+00:00`, any number of fraction
 * digits, `Z`, `±HH:MM` or `±HHMM`; no offset means UTC) to epoch ms. Null when malformed or when the
 * date does not exist (29 Feb 2025, hour 25): src/core/calendar.ts, never rolled into another date.
 */
export function parseIsoTime(v: unknown): number | null {
  return typeof v === 'string' ? parseIsoUtc(v) : null;
}
