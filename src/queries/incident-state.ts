/**
 * Whether an incident is still going on, for follow mode (`faultline watch`): an incident is
 * "ongoing" while its last failure is within the quiet gap (--gap, the same gap that splits
 * incidents) of the newest data time, else it "recovered" at its last failure. Measured against
 * the data's own clock, not the wall clock, so a replayed or delayed log reads the same.
 * Pure: shared by the live TUI and the plain-text watch output.
 */

export type IncidentState =
  | { kind: 'ongoing' }
  | { kind: 'recovered'; at: number }
  /** No timestamps to decide with (a log without times, an empty store). */
  | { kind: 'unknown' };

export const DEFAULT_GAP_MS = 5 * 60_000;

export function incidentState(lastSeen: number | null, latestTs: number | null, gapMs: number): IncidentState {
  if (lastSeen === null || latestTs === null || !Number.isFinite(lastSeen) || !Number.isFinite(latestTs)) return { kind: 'unknown' };
  // lastSeen can be past latestTs only through a clock skew between sources: still ongoing.
  return latestTs - lastSeen <= gapMs ? { kind: 'ongoing' } : { kind: 'recovered', at: lastSeen };
}

/** "ongoing", "recovered at 10:32" (UTC, as every time faultline prints) or "—". */
export function incidentStateText(s: IncidentState): string {
  if (s.kind === 'ongoing') return 'ongoing';
  if (s.kind === 'recovered') return `recovered at ${new Date(s.at).toISOString().slice(11, 16)}`;
  return '—';
}

/** The newest data time of an overview (its window's end), the clock incidentState measures against. */
export function latestDataTs(overview: { window: { to: number } | null }): number | null {
  return overview.window?.to ?? null;
}
