import { Box } from 'ink';
import { useMemo } from 'react';
import { incidentState, latestDataTs } from '../../queries/incident-state.js';
import { LinePane } from '../components/line-pane.js';
import { fmtInt } from '../format.js';
import { seg, type Line } from '../lines.js';
import { current, keepVisible } from '../navigation.js';
import { listQuery } from '../views/incident-list.js';
import { causeLine, incidentHeader, incidentRow, spansDays, summaryLines, timelineLines } from '../views/overview-lines.js';
import type { ScreenProps } from './types.js';
import { bindOverviewKeys } from './overview-keys.js';

/**
 * The investigation at a glance, then the incidents: only the visible rows are read (a page of the
 * store's list for the filters and sort, see source.incidentList) and built.
 */
export function OverviewScreen({ state, dispatch, source, width, height, keys, onExport, version, live }: ScreenProps) {
  const screen = current(state);
  const pos = screen.kind === 'overview' ? screen.list : { sel: 0, top: 0 };
  const ov = source.overview();
  const query = useMemo(() => listQuery(state.filters, state.time, state.sort), [state.filters, state.time, state.sort]);
  // `version`: a live refresh replaced the data (the source dropped its lists).
  const list = useMemo(() => source.incidentList(query), [source, query, version]);
  const count = list.count;

  const head: Line[] = [...summaryLines(ov, width)];
  if (height >= 16) head.push(...timelineLines(ov.timeline, width));
  head.push(causeLine(ov));
  const shown = count === ov.incidentCount ? fmtInt(count) : `${fmtInt(count)} of ${fmtInt(ov.incidentCount)}`;
  head.push([seg(`Incidents (${shown}) `, 'heading'), seg(`· by ${state.sort}`, 'muted')]);
  const multiDay = spansDays(ov);
  head.push([seg(' '), ...incidentHeader(width - 1, multiDay, live !== undefined)]);
  const latest = latestDataTs(ov);

  const viewport = Math.max(1, height - head.length);
  const sel = Math.min(pos.sel, Math.max(0, count - 1));
  const top = keepVisible(pos.top, sel, count, viewport);
  const visible = list.slice(top, viewport);
  const rows = visible.map((i) => incidentRow(i, width - 1, multiDay, live && { state: incidentState(i.lastSeen, latest, live.gapMs), fresh: live.fresh.has(i.id) }));
  const selected = visible[sel - top];
  if (live) live.anchor.current = selected?.id ?? null;
  if (count === 0) {
    rows.push([seg(ov.incidentCount ? '  no incident matches the filters (Esc clears them)' : ov.failures ? '  failures found, but no incidents (run the analysis again?)' : '  no failures: nothing to investigate', 'muted')]);
  }

  bindOverviewKeys({
    keys, dispatch, count, selected, viewport, filters: state.filters, time: state.time, onExport,
    idsShown: () => source.incidentIds(query),
  });

  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={head} height={head.length} width={width} />
      <LinePane rows={rows} height={viewport} width={width} selected={count ? sel - top : undefined} gutter />
    </Box>
  );
}
