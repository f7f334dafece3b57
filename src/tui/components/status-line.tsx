import { seg, input, type Line } from '../lines.js';
import type { NavState } from '../navigation.js';
import { filterSummary } from '../views/filter-options.js';
import { LineView } from './safe-text.js';

/** What the status row says: the search prompt, else the last message, else the active filters. */
export function statusLine(state: NavState): Line {
  if (state.overlay?.kind === 'search') {
    return [seg('/', 'key'), seg(' search: ', 'muted'), input(state.overlay.text.length > 60 ? '…' + state.overlay.text.slice(-59) : state.overlay.text, 'plain', 200), seg('▏', 'key'), seg('  Enter apply · Esc cancel', 'muted')];
  }
  if (state.status) return [input(state.status.text, state.status.tone, 400)];
  return filterSummary(state.filters, state.time) ?? [];
}

export function StatusLine({ state, width }: { state: NavState; width: number }) {
  return <LineView line={statusLine(state)} width={width} />;
}
