/**
 * Follow mode in the app (`faultline watch`): the watcher re-runs the analysis in this process and
 * the source tells us (TuiSource.live). On each refresh this hook
 *  - bumps `version`, which the screens' memoised reads depend on (a keypress re-reads nothing);
 *  - works out which incidents are new since the last refresh and flashes them for `flashMs`;
 *  - keeps the overview's selection on the same incident id when rows moved (sorting, new rows).
 * Without a live source it does nothing and `live` is undefined.
 */
import { useEffect, useMemo, useRef, useState, type Dispatch } from 'react';
import type { NavAction, NavState } from './navigation.js';
import type { LiveView } from './screens/types.js';
import type { TuiSource } from './source.js';
import { listQuery } from './views/incident-list.js';

export const FLASH_MS = 5000;

export function useLive(source: TuiSource, state: NavState, dispatch: Dispatch<NavAction>, flashMs: number = FLASH_MS): { version: number; live: LiveView | undefined } {
  const feed = source.live;
  const [version, setVersion] = useState(0);
  // id → when its "new" mark goes away
  const [fresh, setFresh] = useState<ReadonlyMap<string, number>>(() => new Map());
  const anchor = useRef<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    if (!feed) return;
    // Ids only (a follow-mode refresh, not a keypress): which incidents are new since the last one.
    let known = new Set(source.incidentIds({}));
    return feed.subscribe(() => {
      const now = Date.now();
      const ids = source.incidentIds({});
      const added = ids.filter((i) => !known.has(i));
      known = new Set(ids);
      if (added.length) {
        setFresh((prev) => {
          const m = new Map([...prev].filter(([, until]) => until > now));
          for (const id of added) m.set(id, now + flashMs);
          return m;
        });
      }
      const id = anchor.current;
      if (id !== null) {
        const st = stateRef.current;
        const sel = source.positionOf(listQuery(st.filters, st.time, st.sort), id);
        if (sel >= 0) dispatch({ type: 'reselect', sel });
      }
      setVersion((v) => v + 1);
    });
  }, [source, feed, flashMs, dispatch]);

  // One timer for the earliest expiry; each expiry re-renders without the mark.
  useEffect(() => {
    if (fresh.size === 0) return;
    const first = Math.min(...fresh.values());
    const t = setTimeout(() => {
      const now = Date.now();
      setFresh((prev) => new Map([...prev].filter(([, until]) => until > now)));
    }, Math.max(0, first - Date.now()) + 10);
    return () => clearTimeout(t);
  }, [fresh]);

  const freshIds = useMemo(() => new Set(fresh.keys()), [fresh]);
  const live = useMemo<LiveView | undefined>(() => (feed ? { gapMs: feed.gapMs, fresh: freshIds, anchor } : undefined), [feed, freshIds]);
  return { version, live };
}
