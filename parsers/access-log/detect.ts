import type { LogFormat } from './format.js';
import { LOG_FORMATS } from './registry.js';

/** How many candidate lines detection reads (GoAccess's --num-tests is 10; more lines break ties better). */
export const DETECT_LINES = 50;

export interface Detection {
  format: LogFormat | null;
  /** Lines the winner parsed, out of `tried`. */
  parsed: number;
  tried: number;
  /** Up to 20 per-line reasons from the best candidates, for the error message when nothing matched. */
  reasons: string[];
}

/**
 * Picks the format that parses the most of the first lines (ties go to the earlier, more specific
 * format). Lines are fed in order so stateful formats see their #Fields directives.
 */
export function detectFormat(lines: readonly string[], formats: readonly LogFormat[] = LOG_FORMATS): Detection {
  let best: LogFormat | null = null;
  let bestParsed = 0;
  let tried = 0;
  // A format that read every non-blank line as one of its directives (an IIS log of a quiet hour:
  // only the #Software/#Fields header) is the answer when nothing parsed: 0 records, not a rejection.
  let headerOnly: LogFormat | null = null;
  const reasonsByFormat = new Map<string, string[]>();
  for (const format of formats) {
    const parse = format.create();
    let parsed = 0;
    let units = 0;
    let directives = 0;
    const reasons: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      let res;
      try {
        res = parse(line);
      } catch (err) {
        res = { ok: false as const, reason: `parser error: ${(err as Error).message}` };
      }
      if ('directive' in res) {
        directives++;
        continue;
      }
      units++;
      if (res.ok) parsed++;
      else if (reasons.length < 3) reasons.push(`line ${i + 1}: ${format.id}: ${res.reason}`);
    }
    tried = Math.max(tried, units);
    if (units === 0 && directives > 0 && headerOnly === null) headerOnly = format;
    reasonsByFormat.set(format.id, reasons);
    if (parsed > bestParsed) {
      best = format;
      bestParsed = parsed;
    }
  }
  const reasons: string[] = [];
  for (const rs of reasonsByFormat.values()) for (const r of rs) if (reasons.length < 20) reasons.push(r);
  if (best === null && headerOnly !== null) return { format: headerOnly, parsed: 0, tried: 0, reasons };
  return { format: best, parsed: bestParsed, tried, reasons };
}
