/**
 * Reads an nginx `log_format` string (`$remote_addr - $remote_user [$time_local] "$request" …`)
 * into spec tokens. Accepts the bare format string or a whole directive
 * `log_format main [escape=…] '…' '…';` (the quoted parts are concatenated, as nginx does).
 */
import { configEscape, LogFormatError, pushLit, readQuotedParts, type SpecToken } from './spec.js';

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Strips a `log_format name [escape=x] '...' '...';` wrapper; returns the format text. */
export function unwrapNginxDirective(spec: string): string {
  const m = /^\s*log_format\s+/.exec(spec);
  if (!m) return spec;
  let i = m[0].length;
  // name
  while (i < spec.length && !/\s/.test(spec[i]!)) i++;
  while (i < spec.length && /\s/.test(spec[i]!)) i++;
  if (spec.startsWith('escape=', i)) {
    while (i < spec.length && !/\s/.test(spec[i]!)) i++;
  }
  const parts = readQuotedParts(spec, i);
  if (parts === null) throw new LogFormatError(spec, i, "expected the quoted format string after 'log_format <name>'");
  const rest = spec.slice(parts.end).trim();
  if (rest !== '' && rest !== ';') throw new LogFormatError(spec, parts.end, `unexpected text after the format string: ${JSON.stringify(rest.slice(0, 20))}`);
  return parts.text;
}

export function tokenizeNginx(spec: string): SpecToken[] {
  const out: SpecToken[] = [];
  let lit = '';
  let i = 0;
  const n = spec.length;
  while (i < n) {
    const ch = spec[i]!;
    if (ch === '\\' && i + 1 < n) {
      const e = configEscape(spec[i + 1]!);
      if (e !== null) {
        lit += e;
        i += 2;
        continue;
      }
      lit += ch;
      i++;
      continue;
    }
    if (ch !== '$') {
      lit += ch;
      i++;
      continue;
    }
    const start = i;
    let name: string;
    if (spec.charCodeAt(i + 1) === 123) {
      // ${name}
      const close = spec.indexOf('}', i + 2);
      if (close < 0) throw new LogFormatError(spec, i, "unterminated '${': expected '}'");
      name = spec.slice(i + 2, close);
      if (name === '' || !isNameStart(name.charCodeAt(0)) || ![...name].every((c) => isNameChar(c.charCodeAt(0)))) {
        throw new LogFormatError(spec, i + 2, `expected a variable name inside '\${…}', found ${JSON.stringify(name)}`);
      }
      i = close + 1;
    } else {
      if (!isNameStart(spec.charCodeAt(i + 1))) {
        throw new LogFormatError(spec, i, `expected a variable name after '$', found ${i + 1 < n ? JSON.stringify(spec[i + 1]) : 'end of format'}`);
      }
      let j = i + 1;
      while (j < n && isNameChar(spec.charCodeAt(j))) j++;
      name = spec.slice(i + 1, j);
      i = j;
    }
    pushLit(out, lit);
    lit = '';
    out.push({ kind: 'var', name, pos: start, written: spec.slice(start, i) });
  }
  pushLit(out, lit);
  return mergeNginxUri(out);
}

/** `$uri$is_args$args` (a common way to log the URI with its query) reads as one `$request_uri`. */
function mergeNginxUri(tokens: SpecToken[]): SpecToken[] {
  const out: SpecToken[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const a = tokens[k]!, b = tokens[k + 1], c = tokens[k + 2];
    if (
      a.kind === 'var' && (a.name === 'uri' || a.name === 'document_uri') &&
      b?.kind === 'var' && b.name === 'is_args' && c?.kind === 'var' && (c.name === 'args' || c.name === 'query_string')
    ) {
      out.push({ kind: 'var', name: 'request_uri', pos: a.pos, written: `${a.written}${b.written}${c.written}` });
      k += 2;
      continue;
    }
    out.push(a);
  }
  return out;
}
