import { Box } from 'ink';
import { helpRows, type KeyContext } from '../keymap.js';
import { BLANK, seg, type Line } from '../lines.js';
import { keepVisible, type ListPos } from '../navigation.js';
import { LinePane } from './line-pane.js';

/** The help text, generated from the key map (the same table as the footer and the input hooks). */
export function helpLines(context: KeyContext): Line[] {
  const rows = helpRows(context);
  const w = rows.reduce((m, [k]) => Math.max(m, k.length), 0) + 2;
  return [
    [seg('Keys', 'title'), seg(` on the ${context} screen`, 'muted')],
    BLANK,
    ...rows.map(([keys, help]): Line => [seg('  ' + keys.padEnd(w), 'key'), seg(help)]),
    BLANK,
    [seg('  Times are UTC. Data shown as stored: secrets were redacted at ingest, control characters are made visible.', 'muted')],
    [seg('  Esc or ? closes this help.', 'muted')],
  ];
}

export function HelpOverlay({ context, scroll, width, height }: { context: KeyContext; scroll: ListPos; width: number; height: number }) {
  const lines = helpLines(context);
  const top = keepVisible(scroll.top, scroll.top, lines.length, height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={lines.slice(top, top + height)} height={height} width={width} />
    </Box>
  );
}
