import { Box } from 'ink';
import { seg, type Line } from '../lines.js';
import { keepVisible, type ListPos } from '../navigation.js';
import type { FilterOption } from '../views/filter-options.js';
import { LinePane } from './line-pane.js';

export function FilterMenu({ options, list, width, height }: { options: readonly FilterOption[]; list: ListPos; width: number; height: number }) {
  const head: Line[] = [[seg('Filter', 'title'), seg('  Enter toggles · Esc closes · applies to incidents and request lists', 'muted')]];
  const viewport = Math.max(1, height - head.length);
  const sel = Math.min(list.sel, Math.max(0, options.length - 1));
  const top = keepVisible(list.top, sel, options.length, viewport);
  const rows = options.slice(top, top + viewport).map((o) => o.line);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={head} height={head.length} width={width} />
      <LinePane rows={rows.length ? rows : [[seg('  nothing to filter on', 'muted')]]} height={viewport} width={width} selected={options.length ? sel - top : undefined} gutter />
    </Box>
  );
}
