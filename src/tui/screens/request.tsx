import { Box } from 'ink';
import { useMemo } from 'react';
import { LinePane } from '../components/line-pane.js';
import { input, seg, type Line } from '../lines.js';
import { current } from '../navigation.js';
import { requestBodyLines, requestTitleLines } from '../views/request-lines.js';
import type { ScreenProps } from './types.js';
import { bindRequestKeys } from './request-keys.js';

/** One request: two fixed lines, then everything else in a scrollable pane. */
export function RequestScreen({ state, dispatch, source, width, height, keys, onExport, version }: ScreenProps) {
  const screen = current(state);
  const sc = screen.kind === 'request' ? screen : null;
  // `version`: re-read after a live refresh (follow mode).
  const view = useMemo(() => (sc ? source.request(sc.id) : null), [source, sc?.id, version]);
  const title: Line[] = view ? requestTitleLines(view, width) : [[input(`request ${sc?.id ?? ''} not found`, 'error')]];
  const body = useMemo(() => (view ? requestBodyLines(view, width - 1) : []), [view, width]);
  const viewport = Math.max(1, height - title.length - 1);
  const top = Math.min(sc?.scroll.top ?? 0, Math.max(0, body.length - viewport));
  const pos = body.length > viewport ? `lines ${top + 1}–${Math.min(body.length, top + viewport)} of ${body.length}` : '';

  bindRequestKeys({ keys, dispatch, source, incidentId: view?.request.incidentId ?? null, lineCount: body.length, viewport, time: state.time, onExport });

  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={title} height={title.length} width={width} />
      <LinePane rows={[[seg('─'.repeat(Math.max(0, width - pos.length - 1)), 'muted'), seg(pos ? ' ' + pos : '', 'muted')]]} height={1} width={width} />
      <LinePane rows={body.slice(top, top + viewport)} height={viewport} width={width} />
    </Box>
  );
}
