/**
 * Client behaviour inside an incident: retry storms (one client repeating a failing call with no
 * backoff), clients ignoring Retry-After, and a thundering herd when traffic returns after recovery.
 */
import type { FailureTable } from './failures.js';
import type { ClientBehaviour } from './types.js';

/** A storm needs at least this many failing repeats of one call by one client… */
export const STORM_MIN_CALLS = 5;
/** …with a median gap at or below this, and no growing gaps (backoff). */
export const STORM_MAX_MEDIAN_GAP_MS = 2000;
const REPORT_CAP = 5;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** True when most consecutive gaps grow by at least 1.5x (exponential backoff). */
export function looksLikeBackoff(gaps: number[]): boolean {
  if (gaps.length < 2) return false;
  let growing = 0;
  for (let i = 1; i < gaps.length; i++) if (gaps[i]! >= gaps[i - 1]! * 1.5 && gaps[i]! > 0) growing++;
  return growing * 2 >= gaps.length - 1;
}

/** Retry storms and Retry-After violations among an incident's members (given in time order). */
export function clientBehaviours(t: FailureTable, members: number[]): ClientBehaviour[] {
  const seqs = new Map<string, number[]>();
  for (const i of members) {
    if (Number.isNaN(t.ts(i))) continue;
    const key = `${t.clientId(i)}\u0000${t.callId(i)}`;
    const l = seqs.get(key);
    if (l) l.push(i);
    else seqs.set(key, [i]);
  }
  const storms: ClientBehaviour[] = [];
  const ignores: ClientBehaviour[] = [];
  for (const seq of seqs.values()) {
    const first = seq[0]!;
    const route = `${t.method(first) ?? ''} ${t.host(first) ?? ''}${t.route(first)}`.trim();
    const client = t.client(first);
    if (seq.length >= STORM_MIN_CALLS) {
      const gaps: number[] = [];
      for (let k = 1; k < seq.length; k++) gaps.push(t.ts(seq[k]!) - t.ts(seq[k - 1]!));
      const med = median(gaps);
      if (med <= STORM_MAX_MEDIAN_GAP_MS && !looksLikeBackoff(gaps)) {
        storms.push({ kind: 'retry-storm', client, route, count: seq.length, detail: `${seq.length} failing calls, median ${Math.round(med)} ms apart, no backoff` });
      }
    }
    let violations = 0;
    let worst = 0;
    for (let k = 1; k < seq.length; k++) {
      const ra = t.retryAfter(seq[k - 1]!);
      if (Number.isNaN(ra)) continue;
      const waited = t.ts(seq[k]!) - t.ts(seq[k - 1]!);
      if (waited < ra) { violations++; worst = Math.max(worst, ra - waited); }
    }
    if (violations > 0) {
      ignores.push({ kind: 'ignores-retry-after', client, route, count: violations, detail: `retried ${violations} time(s) before Retry-After elapsed (up to ${Math.round(worst / 1000)} s early)` });
    }
  }
  storms.sort((a, b) => b.count - a.count);
  ignores.sort((a, b) => b.count - a.count);
  return [...storms.slice(0, REPORT_CAP), ...ignores.slice(0, REPORT_CAP)];
}

/**
 * Thundering herd: in the two minutes after the incident's last failure, its routes see at least
 * 3x their usual traffic (per two minutes, measured before the incident) and at least 20 requests.
 */
export function thunderingHerd(after: number, before: number, beforeMinutes: number, routes: number): ClientBehaviour | null {
  if (beforeMinutes <= 0) return null;
  const baseline = (before / beforeMinutes) * 2;
  if (after < 20 || after < 3 * Math.max(baseline, 1)) return null;
  return {
    kind: 'thundering-herd', client: null, route: null, count: after,
    detail: `${after} requests on ${routes} route(s) in the 2 minutes after recovery vs ~${Math.round(baseline)} normally`,
  };
}
