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
  visible: readonly IncidentSummary[];
  selected: IncidentSummary | undefined;
  viewport: number;
  filters: Filters;
  time: TimeWindow | null;
  onExport: (scope: ReportScope) => void;
}

/** What `e` exports from the overview: everything, or exactly the incidents the filters leave. */
export function overviewScope(visible: readonly IncidentSummary[], f: Filters, time: TimeWindow | null): ReportScope {
  const scope: ReportScope = {};
  if (time) {
    scope.since = time.since;
    scope.until = time.until;
  }
  if (f.cause !== null && f.status === null && f.source === null && f.search === '') scope.causes = [f.cause];
  else if (f.cause !== null || f.status !== null || f.source !== null || f.search !== '') scope.incidentIds = visible.map((i) => i.id);
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
      p.dispatch({ type: 'move', pane: 'list', by: step, count: p.visible.length, viewport: p.viewport });
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
        p.onExport(overviewScope(p.visible, p.filters, p.time));
        return;
      default:
    }
  });
}
