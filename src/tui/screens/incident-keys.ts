import type { KeyRouter } from '../key-router.js';
import type { Dispatch } from 'react';
import { fmtInt } from '../format.js';
import { commandFor } from '../keymap.js';
import type { NavAction, TimeWindow } from '../navigation.js';
import type { RequestPager } from '../pager.js';
import type { ReportScope } from '../source.js';
import { stepFor } from './steps.js';
import { timeWindowOf } from './overview-keys.js';

export interface IncidentInput {
  keys: KeyRouter;
  dispatch: Dispatch<NavAction>;
  incident: { id: string; firstSeen: number | null; lastSeen: number | null } | null;
  focus: 'details' | 'requests';
  sel: number;
  pager: RequestPager;
  detailCount: number;
  detailViewport: number;
  listViewport: number;
  time: TimeWindow | null;
  onExport: (scope: ReportScope) => void;
}

/** Rows `End` may read per press: bounded so a 1M-member incident still answers at once. */
export const END_PAGES_PER_PRESS = 50;

export function bindIncidentKeys(p: IncidentInput): void {
  p.keys.bind((input, key) => {
    const cmd = commandFor(input, key, 'incident');
    if (p.focus === 'details') {
      const step = stepFor(cmd, p.detailViewport);
      if (step !== null) return p.dispatch({ type: 'move', pane: 'details', by: step, count: p.detailCount, viewport: p.detailViewport });
    } else {
      const step = stepFor(cmd, p.listViewport);
      if (step !== null) {
        if (step === 'end') {
          const known = p.pager.reach(Number.MAX_SAFE_INTEGER, END_PAGES_PER_PRESS);
          p.dispatch({ type: 'move', pane: 'list', by: 'end', count: known, viewport: p.listViewport });
          if (!p.pager.complete) p.dispatch({ type: 'status', text: `read ${fmtInt(known)} requests so far; End again reads further`, tone: 'status' });
          return;
        }
        const target = step === 'home' ? 0 : p.sel + step;
        // Read one page ahead of what becomes visible; never more than the rows asked for.
        const known = p.pager.reach(target + p.listViewport);
        return p.dispatch({ type: 'move', pane: 'list', by: step, count: known, viewport: p.listViewport });
      }
    }
    switch (cmd) {
      case 'focus':
        return p.dispatch({ type: 'focus' });
      case 'open': {
        const row = p.pager.at(p.sel);
        if (row) p.dispatch({ type: 'open-request', id: row.id });
        return;
      }
      case 'time': {
        if (p.time) return p.dispatch({ type: 'time', window: null });
        const w = timeWindowOf(p.incident ?? undefined);
        if (w) p.dispatch({ type: 'time', window: w });
        return;
      }
      case 'export':
        if (p.incident) p.onExport({ incidentIds: [p.incident.id], ...(p.time ? { since: p.time.since, until: p.time.until } : {}) });
        return;
      default:
    }
  });
}
