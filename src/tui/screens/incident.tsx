import { Box } from 'ink';
import { useMemo } from 'react';
import { LinePane } from '../components/line-pane.js';
import { fmtInt } from '../format.js';
import { input, seg, type Line } from '../lines.js';
import { current, keepVisible, type Filters, type TimeWindow } from '../navigation.js';
import type { RequestFilter } from '../../store/views.js';
import { incidentDetailLines, incidentHeaderLines, requestHeader, requestRow } from '../views/incident-lines.js';
import type { ScreenProps } from './types.js';
import { bindIncidentKeys } from './incident-keys.js';

/** The member-request filter of an incident under the app's filters (RequestFilter, keyset-paged). */
export function memberFilter(id: string, f: Filters, time: TimeWindow | null): RequestFilter {
  const r: RequestFilter = { incidentId: id };
  if (f.cause !== null) r.cause = [f.cause];
  if (f.status !== null) r.status = [f.status];
  if (f.source !== null) r.sourceId = f.source.id;
  if (f.search !== '') r.search = f.search;
  if (time) {
    r.since = time.since;
    r.until = time.until;
  }
  return r;
}

function paneTitle(title: string, focused: boolean): Line {
  return [seg(focused ? '▸ ' : '  ', 'key'), seg(title, focused ? 'heading' : 'muted')];
}

/** Details (evidence, advice, routes, clients, messages) above the member requests, paged from SQLite. */
export function IncidentScreen({ state, dispatch, source, pagers, width, height, keys, onExport, version }: ScreenProps) {
  const screen = current(state);
  const sc = screen.kind === 'incident' ? screen : null;
  // `version`: re-read after a live refresh (follow mode).
  const detail = useMemo(() => (sc ? source.incident(sc.id) : null), [source, sc?.id, version]);
  const filter = memberFilter(sc?.id ?? '', state.filters, state.time);
  const pager = pagers.get(filter);
  const withClient = detail ? detail.clients.some((c) => c.ip !== null) : true;
  const details = useMemo(() => (detail ? incidentDetailLines(detail, width - 1) : []), [detail, width]);

  const head = detail ? incidentHeaderLines(detail, width) : [[input(`incident ${sc?.id ?? ''} not found`, 'error')] as Line];
  const rest = Math.max(4, height - head.length - 3);
  const detailViewport = Math.max(1, Math.floor(rest * 0.45));
  const listViewport = Math.max(1, rest - detailViewport);

  const dTop = Math.min(sc?.details.top ?? 0, Math.max(0, details.length - detailViewport));
  const list = sc?.list ?? { sel: 0, top: 0 };
  const known = pager.reach(list.top + listViewport);
  const sel = Math.min(list.sel, Math.max(0, known - 1));
  const top = keepVisible(list.top, sel, known, listViewport);
  const rows = pager.slice(top, listViewport).map((r) => requestRow(r, width - 1, withClient));
  const filtered = JSON.stringify(filter) !== JSON.stringify({ incidentId: sc?.id ?? '' });
  const total = pager.complete ? fmtInt(pager.known) : !filtered && detail ? fmtInt(detail.count) : `${fmtInt(pager.known)}+`;
  if (rows.length === 0) rows.push([seg(filtered ? '  no member request matches the filters' : '  no member requests stored', 'muted')]);
  const focus = sc?.focus ?? 'requests';
  const more = details.length > detailViewport ? ` ${dTop + 1}–${Math.min(details.length, dTop + detailViewport)} of ${details.length} lines` : '';

  bindIncidentKeys({
    keys, dispatch, incident: detail, focus, sel, pager, detailCount: details.length, detailViewport, listViewport,
    time: state.time, onExport,
  });

  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={head} height={head.length} width={width} />
      <LinePane rows={[[...paneTitle('Details', focus === 'details'), seg(more, 'muted')]]} height={1} width={width} />
      <LinePane rows={details.slice(dTop, dTop + detailViewport)} height={detailViewport} width={width} />
      <LinePane
        rows={[[...paneTitle(`Requests (${filtered ? 'matching ' : ''}${total})`, focus === 'requests'), seg(known ? `  row ${fmtInt(sel + 1)}` : '', 'muted')], [seg(' '), ...requestHeader(width - 1, withClient)]]}
        height={2}
        width={width}
      />
      <LinePane rows={rows} height={listViewport} width={width} selected={known ? sel - top : undefined} gutter />
    </Box>
  );
}
