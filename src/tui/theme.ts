/**
 * Colours as data: components name a semantic tone ("danger", "muted"…), never a colour. One
 * table per mode; with NO_COLOR (https://no-color.org: set and not empty) the table holds no
 * colour at all and meaning rests on bold, underline and inverse (selection is always inverse,
 * so it reads the same with and without colour).
 */

export const TONES = [
  'plain', 'title', 'heading', 'muted', 'accent', 'key', 'danger', 'warning', 'ok', 'info', 'status', 'error', 'chart',
] as const;
export type Tone = (typeof TONES)[number];

export interface ToneStyle {
  color?: string;
  bold?: boolean;
  underline?: boolean;
  dim?: boolean;
}

export interface Theme {
  noColor: boolean;
  tones: Record<Tone, ToneStyle>;
}

const COLOUR: Record<Tone, ToneStyle> = {
  plain: {},
  title: { bold: true, color: 'cyanBright' },
  heading: { bold: true, color: 'cyan' },
  muted: { color: 'gray' },
  accent: { color: 'magentaBright' },
  key: { bold: true, color: 'yellow' },
  danger: { color: 'redBright', bold: true },
  warning: { color: 'yellow' },
  ok: { color: 'green' },
  info: { color: 'blueBright' },
  status: { color: 'greenBright' },
  error: { color: 'red', bold: true },
  chart: { color: 'redBright' },
};

/** Without colour: structure through weight and underline only (dim is unreadable on some terminals). */
const MONO: Record<Tone, ToneStyle> = {
  plain: {},
  title: { bold: true },
  heading: { bold: true, underline: true },
  muted: {},
  accent: {},
  key: { bold: true },
  danger: { bold: true },
  warning: {},
  ok: {},
  info: {},
  status: { bold: true },
  error: { bold: true },
  chart: {},
};

/** True when NO_COLOR asks for no colour (present and not empty, per no-color.org). */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['NO_COLOR'];
  return v !== undefined && v !== '';
}

export function createTheme(opts: { noColor?: boolean } = {}): Theme {
  const noColor = opts.noColor ?? noColorRequested();
  return { noColor, tones: noColor ? MONO : COLOUR };
}

/** Severity (0–100) as a tone: the same thresholds everywhere. */
export function severityTone(severity: number): Tone {
  if (severity >= 70) return 'danger';
  if (severity >= 40) return 'warning';
  return 'muted';
}

/** HTTP status as a tone. */
export function statusTone(status: number | null): Tone {
  if (status === null || status <= 0) return 'danger';
  if (status >= 500) return 'danger';
  if (status >= 400) return 'warning';
  if (status >= 300) return 'info';
  return 'ok';
}
