import { useInput, type Key } from 'ink';
import { useCallback } from 'react';
import { useLatest, type KeyRouter } from './key-router.js';
import type { Dispatch } from 'react';
import { commandFor, type KeyContext } from './keymap.js';
import type { NavAction, NavState } from './navigation.js';
import { stepFor } from './screens/steps.js';
import type { FilterOption } from './views/filter-options.js';

export interface AppInput {
  state: NavState;
  dispatch: Dispatch<NavAction>;
  context: KeyContext;
  /** Rows of the overlay area (help scroll, filter list). */
  overlayViewport: number;
  helpCount: number;
  filterOptions: () => readonly FilterOption[];
  /** Where keys go when no overlay has them. */
  keys: KeyRouter;
}

/**
 * The app-wide keys (quit, help, back, search, filter, sort) and every key while an overlay is
 * open; the screens' own hooks handle movement, open, time and export, and are inactive then.
 */
export function useAppInput(props: AppInput): void {
  const latest = useLatest(props);
  // Subscribed once (stable callback); reads the props of the latest render.
  const onKey = useCallback((input: string, key: Key) => handleKey(latest.current, input, key), [latest]);
  useInput(onKey);
}

function handleKey({ state, dispatch, context, overlayViewport, helpCount, filterOptions, keys }: AppInput, input: string, key: Key): void {
  if (state.quit) return;
  const o = state.overlay;
  if (o?.kind === 'search') {
    if (key.return) return dispatch({ type: 'search-submit' });
    if (key.escape) return dispatch({ type: 'back' });
    if (key.backspace || key.delete) return dispatch({ type: 'search-edit', text: [...o.text].slice(0, -1).join('') });
    if (key.ctrl && input === 'u') return dispatch({ type: 'search-edit', text: '' });
    if (key.ctrl && input === 'c') return dispatch({ type: 'quit' });
    if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
      // Pasted text may hold control characters: the search box takes printable text only.
      const clean = [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
      if (clean) dispatch({ type: 'search-edit', text: (o.text + clean).slice(0, 200) });
    }
    return;
  }
  const cmd = commandFor(input, key, context);
  if (cmd === 'quit') return dispatch({ type: 'quit' });
  if (o?.kind === 'help') {
    if (cmd === 'help' || cmd === 'back') return dispatch({ type: 'help' });
    const step = stepFor(cmd, overlayViewport);
    if (step !== null) dispatch({ type: 'move', pane: 'overlay', by: step, count: helpCount, viewport: overlayViewport });
    return;
  }
  if (o?.kind === 'filter') {
    const options = filterOptions();
    if (cmd === 'back' || cmd === 'filter') return dispatch({ type: 'back' });
    if (cmd === 'open') {
      const pick = options[Math.min(o.list.sel, options.length - 1)];
      if (pick) dispatch({ type: 'filter-apply', change: pick.change });
      return;
    }
    const step = stepFor(cmd, overlayViewport - 1);
    if (step !== null) dispatch({ type: 'move', pane: 'overlay', by: step, count: options.length, viewport: overlayViewport - 1 });
    return;
  }
  switch (cmd) {
    case 'help': return dispatch({ type: 'help' });
    case 'back': return dispatch({ type: 'back' });
    case 'search': return dispatch({ type: 'search-start' });
    case 'filter': return dispatch({ type: 'filter-start' });
    case 'sort': return dispatch({ type: 'sort-next' });
    default:
      keys.current()?.(input, key);
  }
}
