import { describe, expect, it } from 'vitest';
import { current, initialState, keepVisible, moveList, navigate, NO_FILTERS, scrollPane, type NavAction, type NavState } from './navigation.js';

function run(...actions: NavAction[]): NavState {
  return actions.reduce(navigate, initialState());
}

describe('navigation reducer', () => {
  it('moves a selection inside bounds and keeps it in view', () => {
    let pos = { sel: 0, top: 0 };
    pos = moveList(pos, 1, 10, 3);
    expect(pos).toEqual({ sel: 1, top: 0 });
    pos = moveList(pos, 5, 10, 3);
    expect(pos).toEqual({ sel: 6, top: 4 });
    pos = moveList(pos, 'end', 10, 3);
    expect(pos).toEqual({ sel: 9, top: 7 });
    pos = moveList(pos, 99, 10, 3);
    expect(pos.sel).toBe(9);
    pos = moveList(pos, -100, 10, 3);
    expect(pos).toEqual({ sel: 0, top: 0 });
    expect(moveList({ sel: 4, top: 2 }, 1, 0, 3)).toEqual({ sel: 0, top: 0 });
  });

  it('keeps the selection visible after a resize shrinks the viewport', () => {
    expect(keepVisible(0, 12, 50, 5)).toBe(8);
    expect(keepVisible(40, 45, 50, 20)).toBe(30);
  });

  it('scrolls panes without running past the end', () => {
    expect(scrollPane({ sel: 0, top: 0 }, 'end', 30, 10)).toEqual({ sel: 20, top: 20 });
    expect(scrollPane({ sel: 0, top: 0 }, 5, 8, 10)).toEqual({ sel: 0, top: 0 });
    expect(scrollPane({ sel: 20, top: 20 }, -3, 30, 10).top).toBe(17);
  });

  it('opens incident then request and comes back to the same rows', () => {
    let s = run({ type: 'move', pane: 'list', by: 2, count: 5, viewport: 3 }, { type: 'open-incident', id: 'a' });
    expect(current(s)).toMatchObject({ kind: 'incident', id: 'a', focus: 'requests' });
    s = navigate(s, { type: 'move', pane: 'list', by: 7, count: 100, viewport: 10 });
    s = navigate(s, { type: 'open-request', id: 42 });
    expect(current(s)).toMatchObject({ kind: 'request', id: 42 });
    s = navigate(s, { type: 'back' });
    expect(current(s)).toMatchObject({ kind: 'incident', list: { sel: 7 } });
    s = navigate(s, { type: 'back' });
    expect(current(s)).toMatchObject({ kind: 'overview', list: { sel: 2 } });
    // Back on the overview without filters changes nothing.
    expect(navigate(s, { type: 'back' })).toEqual({ ...s, status: null });
  });

  it('moves the focused pane only', () => {
    let s = run({ type: 'open-incident', id: 'a' }, { type: 'focus' });
    expect(current(s)).toMatchObject({ focus: 'details' });
    s = navigate(s, { type: 'move', pane: 'details', by: 3, count: 40, viewport: 8 });
    expect(current(s)).toMatchObject({ details: { top: 3 }, list: { sel: 0 } });
    s = navigate(s, { type: 'focus' });
    expect(current(s)).toMatchObject({ focus: 'requests' });
  });

  it('edits, submits and cancels a search; a new search starts every list at the top', () => {
    let s = run({ type: 'move', pane: 'list', by: 3, count: 9, viewport: 5 }, { type: 'search-start' }, { type: 'search-edit', text: ' users ' });
    expect(s.overlay).toEqual({ kind: 'search', text: ' users ' });
    s = navigate(s, { type: 'search-submit' });
    expect(s.overlay).toBeNull();
    expect(s.filters.search).toBe('users');
    expect(current(s)).toMatchObject({ list: { sel: 0, top: 0 } });
    s = navigate(navigate(s, { type: 'search-start' }), { type: 'search-edit', text: 'other' });
    s = navigate(s, { type: 'back' });
    expect(s.overlay).toBeNull();
    expect(s.filters.search).toBe('users');
  });

  it('applies, toggles and clears filters; Esc on the overview clears them all', () => {
    let s = run({ type: 'filter-start' }, { type: 'filter-apply', change: { cause: 'auth' } });
    expect(s.overlay).toBeNull();
    expect(s.filters.cause).toBe('auth');
    s = navigate(s, { type: 'time', window: { since: 1, until: 2, from: 'x' } });
    s = navigate(s, { type: 'filter-apply', change: { status: 503 } });
    expect(s.filters).toMatchObject({ cause: 'auth', status: 503 });
    s = navigate(s, { type: 'back' });
    expect(s.filters).toEqual(NO_FILTERS);
    expect(s.time).toBeNull();
    expect(s.status?.text).toBe('filters cleared');
    s = navigate(navigate(s, { type: 'filter-apply', change: { cause: 'auth' } }), { type: 'filter-apply', change: 'clear' });
    expect(s.filters).toEqual(NO_FILTERS);
  });

  it('cycles the sort and says so; a status message lasts one key', () => {
    let s = run({ type: 'sort-next' });
    expect(s.sort).toBe('count');
    expect(s.status?.text).toMatch(/count/);
    s = navigate(s, { type: 'move', pane: 'list', by: 1, count: 3, viewport: 3 });
    expect(s.status).toBeNull();
    s = run({ type: 'sort-next' }, { type: 'sort-next' }, { type: 'sort-next' });
    expect(s.sort).toBe('severity');
  });

  it('help toggles and closes with back; quit is final', () => {
    let s = run({ type: 'help' });
    expect(s.overlay?.kind).toBe('help');
    s = navigate(s, { type: 'move', pane: 'overlay', by: 2, count: 20, viewport: 5 });
    expect(s.overlay).toEqual({ kind: 'help', scroll: { sel: 2, top: 2 } });
    expect(navigate(s, { type: 'back' }).overlay).toBeNull();
    expect(navigate(s, { type: 'help' }).overlay).toBeNull();
    expect(navigate(s, { type: 'quit' }).quit).toBe(true);
  });

  it('reselect (a live refresh) moves the overview selection under the other screens, keeping the status', () => {
    const s = run(
      { type: 'move', pane: 'list', by: 2, count: 5, viewport: 10 },
      { type: 'open-incident', id: 'inc-x' },
      { type: 'status', text: 'report written: x.md' },
      { type: 'reselect', sel: 4 },
    );
    expect(s.stack[0]).toEqual({ kind: 'overview', list: { sel: 4, top: 0 } });
    expect(current(s)).toMatchObject({ kind: 'incident', id: 'inc-x' });
    expect(s.status?.text).toBe('report written: x.md');
    // Back on the overview, the next move starts from the incident's new row.
    const back = navigate(navigate(s, { type: 'back' }), { type: 'move', pane: 'list', by: 1, count: 6, viewport: 10 });
    expect(current(back)).toEqual({ kind: 'overview', list: { sel: 5, top: 0 } });
  });
});
