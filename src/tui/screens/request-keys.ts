import type { KeyRouter } from '../key-router.js';
import type { Dispatch } from 'react';
import { commandFor } from '../keymap.js';
import type { NavAction, TimeWindow } from '../navigation.js';
import type { ReportScope, TuiSource } from '../source.js';
import { stepFor } from './steps.js';
import { timeWindowOf } from './overview-keys.js';

export interface RequestInput {
  keys: KeyRouter;
  dispatch: Dispatch<NavAction>;
  source: TuiSource;
  incidentId: string | null;
  lineCount: number;
  viewport: number;
  time: TimeWindow | null;
  onExport: (scope: ReportScope) => void;
}

export function bindRequestKeys(p: RequestInput): void {
  p.keys.bind((input, key) => {
    const cmd = commandFor(input, key, 'request');
    const step = stepFor(cmd, p.viewport);
    if (step !== null) return p.dispatch({ type: 'move', pane: 'scroll', by: step, count: p.lineCount, viewport: p.viewport });
    switch (cmd) {
      case 'time': {
        if (p.time) return p.dispatch({ type: 'time', window: null });
        const w = p.incidentId ? timeWindowOf(p.source.incident(p.incidentId) ?? undefined) : null;
        if (w) p.dispatch({ type: 'time', window: w });
        else p.dispatch({ type: 'status', text: 'this request belongs to no incident', tone: 'warning' });
        return;
      }
      case 'export':
        p.onExport({ ...(p.incidentId ? { incidentIds: [p.incidentId] } : {}), ...(p.time ? { since: p.time.since, until: p.time.until } : {}) });
        return;
      default:
    }
  });
}
