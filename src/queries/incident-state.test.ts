import { describe, expect, it } from 'vitest';
import { DEFAULT_GAP_MS, incidentState, incidentStateText, latestDataTs } from './incident-state.js';

const T = Date.UTC(2024, 4, 1, 10, 0, 0);
const MIN = 60_000;

describe('incidentState', () => {
  it('is ongoing while the last failure is within the gap of the newest data', () => {
    expect(incidentState(T, T, DEFAULT_GAP_MS)).toEqual({ kind: 'ongoing' });
    expect(incidentState(T - 5 * MIN, T, DEFAULT_GAP_MS)).toEqual({ kind: 'ongoing' });
    // A later source's clock slightly behind another's: still ongoing.
    expect(incidentState(T + MIN, T, DEFAULT_GAP_MS)).toEqual({ kind: 'ongoing' });
  });

  it('has recovered at its last failure once the gap has passed', () => {
    const s = incidentState(T - 5 * MIN - 1, T, DEFAULT_GAP_MS);
    expect(s).toEqual({ kind: 'recovered', at: T - 5 * MIN - 1 });
    expect(incidentStateText(s)).toBe('recovered at 09:54');
    expect(incidentStateText(incidentState(T - 2 * MIN, T, MIN))).toBe('recovered at 09:58');
  });

  it('follows --gap', () => {
    expect(incidentState(T - 20 * MIN, T, 30 * MIN).kind).toBe('ongoing');
    expect(incidentState(T - 20 * MIN, T, 10 * MIN).kind).toBe('recovered');
  });

  it('is unknown without timestamps', () => {
    expect(incidentState(null, T, DEFAULT_GAP_MS)).toEqual({ kind: 'unknown' });
    expect(incidentState(T, null, DEFAULT_GAP_MS)).toEqual({ kind: 'unknown' });
    expect(incidentStateText({ kind: 'unknown' })).toBe('—');
    expect(incidentStateText({ kind: 'ongoing' })).toBe('ongoing');
  });

  it('reads the newest data time from an overview window', () => {
    expect(latestDataTs({ window: { to: T } })).toBe(T);
    expect(latestDataTs({ window: null })).toBeNull();
  });
});
