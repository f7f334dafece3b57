import { Box } from 'ink';
import { helpRows, type KeyContext } from '../keymap.js';
import { BLANK, seg, wrapped, type Line } from '../lines.js';
import { keepVisible, type ListPos } from '../navigation.js';
import { LinePane } from './line-pane.js';

/** The help text, generated from the key map (the same table as the footer and the input hooks). */
export function helpLines(context: KeyContext, width: number): Line[] {
  const rows = helpRows(context);
  const w = rows.reduce((m, [k]) => Math.max(m, k.length), 0) + 2;
  return [
    [seg('Keys', 'title'), seg(` on the ${context} screen`, 'muted')],
    BLANK,
    ...rows.flatMap(([keys, help]) => wrapped('  ' + keys.padEnd(w), help, width, { labelTone: 'key', indent: w + 2 })),
    BLANK,
    ...wrapped('  ', 'Times are UTC. Data is shown as stored: secrets were redacted at ingest; control and invisible characters are shown as ^X or <U+XXXX>.', width, { tone: 'muted' }),
    [seg('  Esc or ? closes this help.', 'muted')],
  ];
}

export function HelpOverlay({ context, scroll, width, height }: { context: KeyContext; scroll: ListPos; width: number; height: number }) {
  const lines = helpLines(context, width);
  const top = keepVisible(scroll.top, scroll.top, lines.length, height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <LinePane rows={lines.slice(top, top + height)} height={height} width={width} />
    </Box>
  );
}
