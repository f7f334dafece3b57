/**
 * The app's state as one reducer (ink-ui habit: typed actions, pure, tested without rendering).
 * It holds where the user is (a stack of screens, each keeping its own selection and scroll so
 * Esc returns exactly where you were), the overlay, filters, time window, sort and status line.
 * It never holds data rows: lists are read page by page from the store by the screens.
 */
import type { Tone } from './theme.js';

export interface ListPos {
  /** Selected row (lists) or first visible line (scroll panes). */
  sel: number;
  /** First visible row. */
  top: number;
}

export const START: ListPos = { sel: 0, top: 0 };

export type Screen =
  | { kind: 'overview'; list: ListPos }
  | { kind: 'incident'; id: string; focus: 'details' | 'requests'; details: ListPos; list: ListPos }
  | { kind: 'request'; id: number; scroll: ListPos };

export type Overlay = null | { kind: 'help'; scroll: ListPos } | { kind: 'search'; text: string } | { kind: 'filter'; list: ListPos };

export const SORTS = ['severity', 'count', 'time'] as const;
export type SortKey = (typeof SORTS)[number];

export interface Filters {
  /** Substring (RequestFilter.search); on the overview it also narrows the incident list. */
  search: string;
  cause: string | null;
  status: number | null;
  source: { id: number; path: string } | null;
}

export const NO_FILTERS: Filters = { search: '', cause: null, status: null, source: null };

export interface TimeWindow {
  since: number;
  until: number;
  /** What the window came from, e.g. the incident id. */
  from: string;
}

export interface NavState {
  stack: Screen[];
  overlay: Overlay;
  filters: Filters;
  time: TimeWindow | null;
  sort: SortKey;
  status: { text: string; tone: Tone } | null;
  quit: boolean;
}

export type Pane = 'list' | 'details' | 'scroll' | 'overlay';
export type Step = number | 'home' | 'end';

export type NavAction =
  | { type: 'move'; pane: Pane; by: Step; count: number; viewport: number }
  | { type: 'open-incident'; id: string }
  | { type: 'open-request'; id: number }
  | { type: 'back' }
  | { type: 'focus' }
  | { type: 'help' }
  | { type: 'search-start' }
  | { type: 'search-edit'; text: string }
  | { type: 'search-submit' }
  | { type: 'filter-start' }
  | { type: 'filter-apply'; change: Partial<Filters> | 'clear' }
  | { type: 'sort-next' }
  | { type: 'time'; window: TimeWindow | null }
  | { type: 'status'; text: string | null; tone?: Tone }
  /** Follow mode: the data was refreshed and the overview's selected incident moved to row `sel`. */
  | { type: 'reselect'; sel: number }
  | { type: 'quit' };

export function initialState(): NavState {
  return { stack: [{ kind: 'overview', list: START }], overlay: null, filters: NO_FILTERS, time: null, sort: 'severity', status: null, quit: false };
}

export function current(s: NavState): Screen {
  return s.stack[s.stack.length - 1]!;
}

export function hasFilters(s: NavState): boolean {
  const f = s.filters;
  return f.search !== '' || f.cause !== null || f.status !== null || f.source !== null || s.time !== null;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Moves a selection, keeping it inside the viewport. */
export function moveList(pos: ListPos, by: Step, count: number, viewport: number): ListPos {
  if (count <= 0) return START;
  const sel = by === 'home' ? 0 : by === 'end' ? count - 1 : clamp(pos.sel + by, 0, count - 1);
  return { sel, top: keepVisible(pos.top, sel, count, viewport) };
}

/** The first visible row that shows `sel` and wastes no space at the end. */
export function keepVisible(top: number, sel: number, count: number, viewport: number): number {
  const v = Math.max(1, viewport);
  let t = top;
  if (sel < t) t = sel;
  if (sel >= t + v) t = sel - v + 1;
  return clamp(t, 0, Math.max(0, count - v));
}

/** Scrolls a pane without a selection. */
export function scrollPane(pos: ListPos, by: Step, count: number, viewport: number): ListPos {
  const max = Math.max(0, count - Math.max(1, viewport));
  const top = by === 'home' ? 0 : by === 'end' ? max : clamp(pos.top + by, 0, max);
  return { sel: top, top };
}

function replaceTop(s: NavState, screen: Screen): NavState {
  return { ...s, stack: [...s.stack.slice(0, -1), screen] };
}

/** Filters or the time window changed: every list shows different rows now, so start at the top. */
function resetLists(s: NavState): NavState {
  return {
    ...s,
    stack: s.stack.map((sc) => (sc.kind === 'overview' ? { ...sc, list: START } : sc.kind === 'incident' ? { ...sc, list: START } : sc)),
  };
}

function move(s: NavState, a: Extract<NavAction, { type: 'move' }>): NavState {
  if (a.pane === 'overlay') {
    const o = s.overlay;
    if (o?.kind === 'help') return { ...s, overlay: { kind: 'help', scroll: scrollPane(o.scroll, a.by, a.count, a.viewport) } };
    if (o?.kind === 'filter') return { ...s, overlay: { kind: 'filter', list: moveList(o.list, a.by, a.count, a.viewport) } };
    return s;
  }
  const sc = current(s);
  switch (sc.kind) {
    case 'overview':
      return a.pane === 'list' ? replaceTop(s, { ...sc, list: moveList(sc.list, a.by, a.count, a.viewport) }) : s;
    case 'incident':
      if (a.pane === 'list') return replaceTop(s, { ...sc, list: moveList(sc.list, a.by, a.count, a.viewport) });
      if (a.pane === 'details') return replaceTop(s, { ...sc, details: scrollPane(sc.details, a.by, a.count, a.viewport) });
      return s;
    case 'request':
      return a.pane === 'scroll' ? replaceTop(s, { ...sc, scroll: scrollPane(sc.scroll, a.by, a.count, a.viewport) }) : s;
  }
}

function back(s: NavState): NavState {
  if (s.overlay) return { ...s, overlay: null };
  if (s.stack.length > 1) return { ...s, stack: s.stack.slice(0, -1) };
  if (hasFilters(s)) return { ...resetLists(s), filters: NO_FILTERS, time: null, status: { text: 'filters cleared', tone: 'status' } };
  return s;
}

function applyFilter(s: NavState, change: Partial<Filters> | 'clear'): NavState {
  const filters = change === 'clear' ? NO_FILTERS : { ...s.filters, ...change };
  return { ...resetLists(s), filters, time: change === 'clear' ? null : s.time, overlay: null };
}

export function navigate(state: NavState, a: NavAction): NavState {
  // A status message answers the key that caused it and goes away with the next one.
  // (A live refresh is not a key.)
  const s = a.type === 'status' || a.type === 'reselect' || state.status === null ? state : { ...state, status: null };
  switch (a.type) {
    case 'move':
      return move(s, a);
    case 'open-incident':
      return { ...s, overlay: null, stack: [...s.stack, { kind: 'incident', id: a.id, focus: 'requests', details: START, list: START }] };
    case 'open-request':
      return { ...s, overlay: null, stack: [...s.stack, { kind: 'request', id: a.id, scroll: START }] };
    case 'back':
      return back(s);
    case 'focus': {
      const sc = current(s);
      return sc.kind === 'incident' ? replaceTop(s, { ...sc, focus: sc.focus === 'details' ? 'requests' : 'details' }) : s;
    }
    case 'help':
      return { ...s, overlay: s.overlay?.kind === 'help' ? null : { kind: 'help', scroll: START } };
    case 'search-start':
      return { ...s, overlay: { kind: 'search', text: s.filters.search } };
    case 'search-edit':
      return s.overlay?.kind === 'search' ? { ...s, overlay: { kind: 'search', text: a.text } } : s;
    case 'search-submit': {
      if (s.overlay?.kind !== 'search') return s;
      const search = s.overlay.text.trim();
      return { ...resetLists(s), overlay: null, filters: { ...s.filters, search } };
    }
    case 'filter-start':
      return { ...s, overlay: { kind: 'filter', list: START } };
    case 'filter-apply':
      return applyFilter(s, a.change);
    case 'sort-next': {
      const sort = SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length]!;
      const sc = current(s);
      const next = { ...s, sort, status: { text: `incidents sorted by ${sort}`, tone: 'status' as Tone } };
      return sc.kind === 'overview' ? replaceTop(next, { ...sc, list: START }) : next;
    }
    case 'time':
      return { ...resetLists(s), time: a.window };
    case 'status':
      return { ...s, status: a.text === null ? null : { text: a.text, tone: a.tone ?? 'status' } };
    case 'reselect': {
      // The overview is always the bottom of the stack; its row scrolls into view on the next render.
      const [bottom, ...rest] = s.stack;
      if (bottom?.kind !== 'overview' || bottom.list.sel === a.sel) return s;
      return { ...s, stack: [{ ...bottom, list: { sel: a.sel, top: bottom.list.top } }, ...rest] };
    }
    case 'quit':
      return { ...s, quit: true };
  }
}
