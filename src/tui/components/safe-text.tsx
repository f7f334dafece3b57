/**
 * T1, enforced: the ONLY file in src/tui that imports Ink's <Text> (a test checks this). Every
 * string drawn goes through safe() here, even strings the views already sanitized (toTerminal
 * is idempotent), so no input-derived byte can reach the terminal unescaped by any path.
 */
import { Text } from 'ink';
import { fit, safe, displayWidth } from '../safe.js';
import type { Line } from '../lines.js';
import type { Tone } from '../theme.js';
import { useTheme } from './theme-context.js';

export interface LineViewProps {
  line: Line;
  width: number;
  /** Drawn inverse across the full width (legible with NO_COLOR too). */
  selected?: boolean;
}

/** One row: segments sanitized, cut to `width` columns, styled by tone. */
export function LineView({ line, width, selected = false }: LineViewProps) {
  const theme = useTheme();
  const parts: Array<{ text: string; tone: Tone }> = [];
  let left = Math.max(0, width);
  for (const s of line) {
    if (left <= 0) break;
    const text = fit(safe(s.text, left + 1), left);
    if (text === '') continue;
    left -= displayWidth(text);
    parts.push({ text, tone: s.tone ?? 'plain' });
  }
  if (selected && left > 0) parts.push({ text: ' '.repeat(left), tone: 'plain' });
  if (parts.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {parts.map((p, i) => {
        const st = theme.tones[p.tone];
        return (
          <Text key={i} color={st.color} bold={st.bold} underline={st.underline} dimColor={st.dim} inverse={selected}>
            {p.text}
          </Text>
        );
      })}
    </Text>
  );
}

/** A single input-derived string with a tone: the <Safe> of the brief, for one-off texts. */
export function Safe({ text, tone = 'plain', width = 2048 }: { text: string | null | undefined; tone?: Tone; width?: number }) {
  return <LineView line={[{ text: text ?? '', tone }]} width={width} />;
}
