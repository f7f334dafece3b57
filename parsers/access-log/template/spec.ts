/**
 * Tokens of a format spec (literal text and variables), shared by the nginx and Apache readers,
 * and the error every spec reader throws.
 */

export type SpecToken =
  | { kind: 'lit'; text: string }
  | {
      kind: 'var';
      /** Canonical (nginx-style) variable name. */
      name: string;
      /** 0-based offset in the spec, for errors. */
      pos: number;
      /** How the variable was written (`$status`, `%>s`), for errors. */
      written: string;
      /** Occurrences of the following literal's first char inside the value (custom time formats). */
      stopsInValue?: number;
    };

/** A spec that cannot be compiled; the message names the column and what was expected. */
export class LogFormatError extends Error {
  /** 0-based offset into the spec. */
  readonly pos: number;
  constructor(spec: string, pos: number, what: string) {
    const excerpt = spec.length > 60 ? spec.slice(Math.max(0, pos - 20), pos + 20) : spec;
    super(`invalid log format at column ${pos + 1}: ${what} (in ${JSON.stringify(excerpt)})`);
    this.name = 'LogFormatError';
    this.pos = pos;
  }
}

/** Appends literal text, merging with a preceding literal. */
export function pushLit(out: SpecToken[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last !== undefined && last.kind === 'lit') last.text += text;
  else out.push({ kind: 'lit', text });
}

/** Decodes the backslash escapes config files use inside format strings (`\"`, `\\`, `\t`, `\n`, `\r`, `\'`). */
export function configEscape(c: string): string | null {
  switch (c) {
    case '"': return '"';
    case "'": return "'";
    case '\\': return '\\';
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    default: return null;
  }
}

/**
 * Reads consecutive quoted strings (`'a' "b"`) starting at `from`, concatenated, as nginx does for
 * multi-line `log_format` values. Escapes are left in place for the syntax reader. Returns the text
 * and the offset where it stopped, or null when there is no quoted string at `from`.
 */
export function readQuotedParts(spec: string, from: number): { text: string; end: number } | null {
  let i = from;
  let text = '';
  let any = false;
  for (;;) {
    while (i < spec.length && /\s/.test(spec[i]!)) i++;
    const q = spec[i];
    if (q !== "'" && q !== '"') break;
    let j = i + 1;
    for (; j < spec.length; j++) {
      if (spec[j] === '\\') { j++; continue; }
      if (spec[j] === q) break;
    }
    if (j >= spec.length) throw new LogFormatError(spec, i, `unterminated ${q} string: expected a closing ${q}`);
    text += spec.slice(i + 1, j);
    any = true;
    i = j + 1;
  }
  return any ? { text, end: i } : null;
}
