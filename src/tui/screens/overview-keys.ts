import type { KeyRouter } from '../key-router.js';
import type { Dispatch } from 'react';
import type { IncidentSummary } from '../../queries/view-model.js';
import { commandFor } from '../keymap.js';
import type { Filters, NavAction, TimeWindow } from '../navigation.js';
import type { ReportScope } from '../source.js';
import { stepFor } from './steps.js';

export interface OverviewInput {
  keys: KeyRouter;
  dispatch: Dispatch<NavAction>;
  /** Rows in the list (under the filters). */
  count: number;
  selected: IncidentSummary | undefined;
  /** Every incident id the filters leave, in list order (read only when exporting). */
  idsShown: () => string[];
  viewport: number;
  filters: Filters;
  time: TimeWindow | null;
  onExport: (scope: ReportScope) => void;
}

/** What `e` exports from the overview: everything, or exactly the incidents the filters leave. */
export function overviewScope(idsShown: () => readonly string[], f: Filters, time: TimeWindow | null): ReportScope {
  const scope: ReportScope = {};
  if (time) {
    scope.since = time.since;
    scope.until = time.until;
  }
  if (f.cause !== null && f.status === null && f.source === null && f.search === '') scope.causes = [f.cause];
  else if (f.cause !== null || f.status !== null || f.source !== null || f.search !== '') scope.incidentIds = [...idsShown()];
  return scope;
}

export function timeWindowOf(inc: { id: string; firstSeen: number | null; lastSeen: number | null } | undefined): TimeWindow | null {
  if (!inc || inc.firstSeen === null || inc.lastSeen === null) return null;
  return { since: inc.firstSeen, until: inc.lastSeen, from: inc.id };
}

export function bindOverviewKeys(p: OverviewInput): void {
  p.keys.bind((input, key) => {
    const cmd = commandFor(input, key, 'overview');
    const step = stepFor(cmd, p.viewport);
    if (step !== null) {
      p.dispatch({ type: 'move', pane: 'list', by: step, count: p.count, viewport: p.viewport });
      return;
    }
    switch (cmd) {
      case 'open':
        if (p.selected) p.dispatch({ type: 'open-incident', id: p.selected.id });
        return;
      case 'time': {
        if (p.time) return p.dispatch({ type: 'time', window: null });
        const w = timeWindowOf(p.selected);
        if (w) p.dispatch({ type: 'time', window: w });
        else p.dispatch({ type: 'status', text: 'this incident has no timestamps to narrow to', tone: 'warning' });
        return;
      }
      case 'export':
        p.onExport(overviewScope(p.idsShown, p.filters, p.time));
        return;
      default:
    }
  });
}
