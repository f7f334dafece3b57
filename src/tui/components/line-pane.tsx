import { Box } from 'ink';
import { seg, type Line } from '../lines.js';
import { LineView } from './safe-text.js';

export interface LinePaneProps {
  /** Only the visible rows (callers slice; long lists never build more than this). */
  rows: readonly Line[];
  height: number;
  width: number;
  /** Index within `rows` drawn as selected. */
  selected?: number;
  /** A one-column marker before every row ("▸" on the selected one), so the selection reads without colour or inverse too; build rows one column narrower. */
  gutter?: boolean;
}

/** A fixed-height block of rows, padded so the layout never jumps. */
export function LinePane({ rows, height, width, selected, gutter = false }: LinePaneProps) {
  const h = Math.max(0, height);
  const shown = rows.slice(0, h);
  return (
    <Box flexDirection="column" height={h} width={width} overflow="hidden">
      {shown.map((l, i) => (
        <LineView key={i} line={gutter ? [seg(i === selected ? '▸' : ' ', 'key'), ...l] : l} width={width} selected={i === selected} />
      ))}
    </Box>
  );
}
