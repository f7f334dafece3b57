import { Box } from 'ink';
import { useMemo } from 'react';
import type { IncidentRecord } from '../../engine/types.js';
import { incidentState, latestDataTs } from '../../queries/incident-state.js';
import { LinePane } from '../components/line-pane.js';
import { fmtInt } from '../format.js';
import { seg, type Line } from '../lines.js';
import { current, keepVisible } from '../navigation.js';
import { visibleIncidents } from '../views/incident-list.js';
import { causeLine, incidentHeader, incidentRow, spansDays, summaryLines, timelineLines } from '../views/overview-lines.js';
import type { ScreenProps } from './types.js';
import { bindOverviewKeys } from './overview-keys.js';

/** The investigation at a glance, then the incidents (only the visible rows are built). */
export function OverviewScreen({ state, dispatch, source, width, height, keys, onExport, version, live }: ScreenProps) {
  const screen = current(state);
  const pos = screen.kind === 'overview' ? screen.list : { sel: 0, top: 0 };
  const ov = source.overview();
  // Built on the first search only: it needs every incident record parsed.
  const recordOf = useMemo(() => {
    let byId: Map<string, IncidentRecord> | null = null;
    return (id: string) => (byId ??= new Map(source.incidents().map((r) => [r.id, r]))).get(id);
    // `version`: a live refresh replaced the records.
  }, [source, version]);
  const visible = useMemo(
    () => visibleIncidents(ov.incidents, recordOf, state.filters, state.time, state.sort),
    [ov, recordOf, state.filters, state.time, state.sort],
  );

  const head: Line[] = [...summaryLines(ov, width)];
  if (height >= 16) head.push(...timelineLines(ov.timeline, width));
  head.push(causeLine(ov));
  const shown = visible.length === ov.incidents.length ? fmtInt(visible.length) : `${fmtInt(visible.length)} of ${fmtInt(ov.incidents.length)}`;
  head.push([seg(`Incidents (${shown}) `, 'heading'), seg(`· by ${state.sort}`, 'muted')]);
  const multiDay = spansDays(ov);
  head.push([seg(' '), ...incidentHeader(width - 1, multiDay, live !== undefined)]);
  const latest = latestDataTs(ov);

  const viewport = Math.max(1, height - head.length);
  const sel = Math.min(pos.sel, Math.max(0, visible.length - 1));
  const top = keepVisible(pos.top, sel, visible.length, viewport);
  const rows = visible
    .slice(top, top + viewport)
    .map((i) => incidentRow(i, width - 1, multiDay, live && { state: incidentState(i.lastSeen, latest, live.gapMs), fresh: live.fresh.has(i.id) }));
  if (live) live.anchor.current = visible[sel]?.id ?? null;
  if (visible.length === 0) {
    rows.push([seg(ov.incidents.length ? '  no incident matches the filters (Esc clears them)' : ov.failures ? '  failures found, but no incidents (run the analysis again?)' : '  no failures: nothing to investigate', 'muted')]);
  }

  bindOverviewKeys({ keys, dispatch, visible, selected: visible[sel], viewport, filters: state.filters, time: state.time, onExport });

  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={head} height={head.length} width={width} />
      <LinePane rows={rows} height={viewport} width={width} selected={visible.length ? sel - top : undefined} gutter />
    </Box>
  );
}
