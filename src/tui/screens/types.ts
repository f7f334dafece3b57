import type { Dispatch } from 'react';
import type { KeyRouter } from '../key-router.js';
import type { NavAction, NavState } from '../navigation.js';
import type { PagerCache } from '../pager-cache.js';
import type { ReportScope, TuiSource } from '../source.js';

/** Follow mode: what the overview needs to mark rows (see app.tsx). */
export interface LiveView {
  gapMs: number;
  /** Incidents that appeared in a recent refresh (flashed as new for a few seconds). */
  fresh: ReadonlySet<string>;
  /** The overview writes its selected incident id here, so a refresh can keep it selected. */
  anchor: { current: string | null };
}

/** What every screen gets from the app. */
export interface ScreenProps {
  state: NavState;
  dispatch: Dispatch<NavAction>;
  source: TuiSource;
  pagers: PagerCache;
  width: number;
  /** Rows available to the screen (the app keeps the status and key rows). */
  height: number;
  /** The screen binds its key handler here on every render (see key-router.ts). */
  keys: KeyRouter;
  onExport: (scope: ReportScope) => void;
  /** Bumped each time a live source refreshed: memoised reads of the source depend on it. */
  version: number;
  live?: LiveView;
}
