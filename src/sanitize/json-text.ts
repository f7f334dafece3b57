/**
 * JSON text that is safe to show on a terminal: JSON.stringify escapes C0 controls, but writes DEL,
 * C1 controls (U+0080–U+009F, e.g. U+009B = CSI), bidi and zero-width characters and U+2028/2029 as
 * they are. Those are rewritten as \uXXXX escapes: the same JSON value, no byte a terminal acts on
 * (security.md T2/T3/T7 for `-o -` and `--json`). One pass, one character class, no backtracking.
 */
const UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g;

function esc(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

export function safeJson(value: unknown, indent?: number): string {
  const s = JSON.stringify(value, null, indent) ?? 'null';
  return s.replace(UNSAFE, esc);
}
