import { footerEntries, type KeyContext } from '../keymap.js';
import { seg, type Line } from '../lines.js';
import { LineView } from './safe-text.js';

/** The key line, generated from the key map for the current context. */
export function footerLine(context: KeyContext, width: number): Line {
  const out: Line = [];
  for (const [keys, label] of footerEntries(context, width)) {
    if (out.length) out.push(seg('  '));
    out.push(seg(keys, 'key'), seg(' ' + label, 'muted'));
  }
  return out;
}

export function Footer({ context, width }: { context: KeyContext; width: number }) {
  return <LineView line={footerLine(context, width)} width={width} />;
}
