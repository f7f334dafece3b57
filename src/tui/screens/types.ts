import type { Dispatch } from 'react';
import type { KeyRouter } from '../key-router.js';
import type { NavAction, NavState } from '../navigation.js';
import type { PagerCache } from '../pager-cache.js';
import type { ReportScope, TuiSource } from '../source.js';

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
}
