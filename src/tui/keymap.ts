/**
 * Keys as data (cf. Gemini CLI keyBindings.ts): one table maps commands to bindings, and the same
 * table generates the footer and the `?` help overlay, so what is shown is what works.
 */
import type { Key } from 'ink';

export const COMMANDS = [
  'up', 'down', 'pageUp', 'pageDown', 'home', 'end', 'open', 'back', 'focus',
  'search', 'filter', 'sort', 'time', 'export', 'help', 'quit',
] as const;
export type Command = (typeof COMMANDS)[number];

/** Where a command applies; the footer and help only list what works in the current context. */
export type KeyContext = 'overview' | 'incident' | 'request';

type KeyFlag = 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'backspace' | 'delete' | 'tab';

export interface Binding {
  /** A printable key ("j", "/", "?"). */
  input?: string;
  /** A named key as Ink reports it. */
  key?: KeyFlag;
  ctrl?: boolean;
}

export interface KeySpec {
  command: Command;
  bindings: Binding[];
  /** How the keys are written in the help, e.g. "↑/k". */
  keys: string;
  /** A shorter form for the footer, when it has one. */
  short?: string;
  /** One or two words for the footer; absent = help overlay only. */
  footer?: string;
  /** Which footer entries stay when the terminal is narrow: lower stays longer. */
  priority?: number;
  help: string;
  contexts: readonly KeyContext[];
}

const ALL: readonly KeyContext[] = ['overview', 'incident', 'request'];
const LISTS: readonly KeyContext[] = ['overview', 'incident'];

export const KEYMAP: readonly KeySpec[] = [
  { command: 'up', bindings: [{ key: 'upArrow' }, { input: 'k' }], keys: '↑/k', help: 'move up (scroll up)', contexts: ALL },
  { command: 'down', bindings: [{ key: 'downArrow' }, { input: 'j' }], keys: '↓/j', footer: 'move', priority: 9, help: 'move down (scroll down)', contexts: ALL },
  { command: 'pageUp', bindings: [{ key: 'pageUp' }, { input: 'b', ctrl: true }, { input: 'u', ctrl: true }], keys: 'PgUp', help: 'one page up', contexts: ALL },
  { command: 'pageDown', bindings: [{ key: 'pageDown' }, { input: ' ' }, { input: 'f', ctrl: true }, { input: 'd', ctrl: true }], keys: 'PgDn/space', help: 'one page down', contexts: ALL },
  { command: 'home', bindings: [{ key: 'home' }, { input: 'g' }], keys: 'Home/g', help: 'to the top', contexts: ALL },
  { command: 'end', bindings: [{ key: 'end' }, { input: 'G' }], keys: 'End/G', help: 'to the bottom (long request lists load a stretch at a time)', contexts: ALL },
  { command: 'open', bindings: [{ key: 'return' }], keys: 'Enter', short: '⏎', footer: 'open', priority: 2, help: 'open the selected incident or request', contexts: LISTS },
  { command: 'focus', bindings: [{ key: 'tab' }], keys: 'Tab', footer: 'pane', priority: 4, help: 'switch between the details pane and the request list', contexts: ['incident'] },
  { command: 'back', bindings: [{ key: 'escape' }, { key: 'backspace' }, { key: 'delete' }, { input: 'h' }], keys: 'Esc/Backspace', short: 'Esc', footer: 'back', priority: 3, help: 'go back (on the overview: clear filters)', contexts: ALL },
  { command: 'search', bindings: [{ input: '/' }], keys: '/', footer: 'search', priority: 4, help: 'search route, path, error message, client or user agent', contexts: LISTS },
  { command: 'filter', bindings: [{ input: 'f' }], keys: 'f', footer: 'filter', priority: 5, help: 'filter by cause, status or source', contexts: LISTS },
  { command: 'sort', bindings: [{ input: 's' }], keys: 's', footer: 'sort', priority: 8, help: 'sort incidents by severity, count or time', contexts: ['overview'] },
  { command: 'time', bindings: [{ input: 't' }], keys: 't', footer: 'time', priority: 7, help: "narrow everything to the incident's time window (again: clear)", contexts: ALL },
  { command: 'export', bindings: [{ input: 'e' }], keys: 'e', footer: 'export', priority: 7, help: 'write the markdown report of what is on screen to ./faultline-report-<time>.md', contexts: ALL },
  { command: 'help', bindings: [{ input: '?' }], keys: '?', footer: 'help', priority: 1, help: 'show or hide this help', contexts: ALL },
  { command: 'quit', bindings: [{ input: 'q' }, { input: 'c', ctrl: true }], keys: 'q', footer: 'quit', priority: 1, help: 'quit', contexts: ALL },
];

function matches(b: Binding, input: string, key: Key): boolean {
  if (b.key) return key[b.key] === true && (b.ctrl === undefined || key.ctrl === b.ctrl);
  if (b.input === undefined) return false;
  if (Boolean(b.ctrl) !== key.ctrl) return false;
  return input === b.input;
}

/** The command a key press means in `context`, or null. */
export function commandFor(input: string, key: Key, context: KeyContext): Command | null {
  for (const spec of KEYMAP) {
    if (!spec.contexts.includes(context)) continue;
    if (spec.bindings.some((b) => matches(b, input, key))) return spec.command;
  }
  return null;
}

const FOOTER_GAP = 2;

/**
 * Footer entries for a context that fit in `width` columns: [keys, label] pairs in table order,
 * dropping the lowest-priority ones first (help and quit always stay).
 */
export function footerEntries(context: KeyContext, width = Infinity): Array<[keys: string, label: string]> {
  const all = KEYMAP.filter((s) => s.footer && s.contexts.includes(context)).map((s) => ({
    spec: s,
    keys: s.command === 'down' ? '↑↓' : s.short ?? s.keys,
    cost: (s.command === 'down' ? 2 : (s.short ?? s.keys).length) + 1 + s.footer!.length + FOOTER_GAP,
  }));
  const byPriority = [...all].sort((a, b) => (a.spec.priority ?? 9) - (b.spec.priority ?? 9));
  const keep = new Set<KeySpec>();
  let used = -FOOTER_GAP;
  for (const e of byPriority) {
    if (used + e.cost > width && keep.size >= 2) continue;
    keep.add(e.spec);
    used += e.cost;
  }
  return all.filter((e) => keep.has(e.spec)).map((e) => [e.keys, e.spec.footer!]);
}

/** Help overlay rows for a context: every command that works there. */
export function helpRows(context: KeyContext): Array<[keys: string, help: string]> {
  return KEYMAP.filter((s) => s.contexts.includes(context)).map((s) => [s.keys, s.help]);
}
