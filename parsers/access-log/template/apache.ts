/**
 * Reads an Apache `LogFormat` string (`%h %l %u %t \"%r\" %>s %b …`, mod_log_config syntax; lighttpd
 * uses the same directives) into spec tokens named like nginx variables, so one table maps both.
 * Accepts the bare string or a whole directive `LogFormat "…" nickname`.
 */
import { configEscape, LogFormatError, pushLit, readQuotedParts, type SpecToken } from './spec.js';

/** Directive letter → variable name, for directives without a `{…}` argument. */
const PLAIN: Record<string, string> = {
  a: 'remote_addr',
  A: 'server_addr',
  b: 'body_bytes_sent_clf',
  B: 'body_bytes_sent',
  D: 'request_time_us',
  f: 'request_filename',
  h: 'remote_addr',
  H: 'server_protocol',
  I: 'request_length',
  k: 'keepalive_requests',
  l: 'remote_ident',
  L: 'request_log_id',
  m: 'request_method',
  O: 'bytes_sent',
  p: 'server_port',
  P: 'pid',
  q: 'apache_query',
  r: 'request',
  R: 'handler',
  s: 'status',
  S: 'bytes_transferred',
  T: 'request_time_s',
  u: 'remote_user',
  U: 'uri',
  v: 'server_name',
  V: 'server_name',
  X: 'connection_status',
};

const KNOWN = 'aAbBCDefhHiIklLmnoOpPqrRsStTuUvVX';

/** Header name → nginx-style suffix: `User-Agent` → `user_agent`. */
function headerKey(h: string): string {
  return h.toLowerCase().replace(/-/g, '_');
}

/** Spaces (or other stop chars) a strftime pattern puts in its output: literal ones plus `%c`/`%r`. */
function stopsIn(fmt: string, stop: string): number {
  let n = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] === '%') {
      const d = fmt[i + 1];
      if (stop === ' ' && d === 'c') n += 4;
      else if (stop === ' ' && d === 'r') n += 1;
      i++;
    } else if (fmt[i] === stop) {
      n++;
    }
  }
  return n;
}

/** Strips a `LogFormat "…" [nickname]` wrapper; returns the format text (escapes still in place). */
export function unwrapApacheDirective(spec: string): string {
  const m = /^\s*(?:LogFormat|CustomLog\s+\S+)\s+/i.exec(spec);
  if (!m) return spec;
  const parts = readQuotedParts(spec, m[0].length);
  if (parts === null) throw new LogFormatError(spec, m[0].length, 'expected the quoted format string after LogFormat');
  return parts.text;
}

/** Variable name for a directive with an argument (`%{Referer}i`, `%{ms}T`, `%{%Y-%m-%d}t` …). */
function argName(spec: string, pos: number, d: string, arg: string): string | 'time' {
  switch (d) {
    case 'i': return `http_${headerKey(arg)}`;
    case 'o': return `sent_http_${headerKey(arg)}`;
    case 'C': return `cookie_${arg}`;
    case 'e': return arg === 'UNIQUE_ID' ? 'unique_id' : `env_${arg}`;
    case 'n': return `note_${arg}`;
    case 'a': return arg === 'c' ? 'peer_addr' : 'remote_addr';
    case 'p': return arg === 'remote' ? 'remote_port' : 'server_port';
    case 'P': return arg;
    case 'T': {
      const unit = arg.toLowerCase();
      if (unit === 'ms') return 'request_time_ms';
      if (unit === 'us') return 'request_time_us';
      if (unit === 's') return 'request_time_s';
      throw new LogFormatError(spec, pos, `unknown %{…}T unit ${JSON.stringify(arg)}: expected ms, us or s`);
    }
    case 't': return 'time';
    case 'h': case 'l': case 'u': case 'v': case 'V': case 'X': case 'L': case 'f': case 'k': case 'R':
      return PLAIN[d]!;
    default:
      throw new LogFormatError(spec, pos, `directive %${d} does not take a {…} argument here`);
  }
}

export function tokenizeApache(spec: string): SpecToken[] {
  const out: SpecToken[] = [];
  let lit = '';
  const n = spec.length;
  let i = 0;
  while (i < n) {
    const ch = spec[i]!;
    if (ch === '\\' && i + 1 < n) {
      const e = configEscape(spec[i + 1]!);
      lit += e ?? ch + spec[i + 1];
      i += 2;
      continue;
    }
    if (ch !== '%') {
      lit += ch;
      i++;
      continue;
    }
    if (spec[i + 1] === '%') {
      lit += '%';
      i += 2;
      continue;
    }
    const start = i;
    let j = i + 1;
    // Modifiers: < > and status conditions like !200,304 in any order before the argument.
    while (j < n && /[<>!0-9,]/.test(spec[j]!)) j++;
    let arg: string | null = null;
    if (spec[j] === '{') {
      const close = spec.indexOf('}', j + 1);
      if (close < 0) throw new LogFormatError(spec, j, "unterminated '%{': expected '}'");
      arg = spec.slice(j + 1, close);
      j = close + 1;
    }
    if (j >= n) throw new LogFormatError(spec, start, 'expected a directive letter after %');
    let d = spec[j]!;
    let name: string | 'time';
    if (d === '^' && (spec.startsWith('ti', j + 1) || spec.startsWith('to', j + 1))) {
      if (arg === null) throw new LogFormatError(spec, start, `%^${spec.slice(j + 1, j + 3)} needs a {trailer name}`);
      name = `trailer_${headerKey(arg)}`;
      d = spec.slice(j, j + 3);
      j += 3;
    } else {
      if (!KNOWN.includes(d)) {
        throw new LogFormatError(spec, j, `unknown Apache directive %${d}: expected one of %${KNOWN.split('').join(' %')} (with an optional {argument})`);
      }
      j++;
      if (arg !== null) name = argName(spec, start, d, arg);
      else if (d === 't') name = 'time';
      else if (PLAIN[d] === undefined) throw new LogFormatError(spec, start, `%${d} needs a {name} argument, e.g. %{User-Agent}i`);
      else name = PLAIN[d]!;
    }
    const written = spec.slice(start, j);
    i = j;
    pushLit(out, lit);
    lit = '';
    if (name === 'time') {
      if (arg === null) {
        // %t writes its own brackets: [10/Oct/2000:13:55:36 -0700]
        pushLit(out, '[');
        out.push({ kind: 'var', name: 'time_local', pos: start, written });
        lit = ']';
        continue;
      }
      const fmt = arg.replace(/^(begin|end):/, '');
      const special: Record<string, string> = {
        sec: 'epoch_sec', msec: 'epoch_msec', usec: 'epoch_usec', msec_frac: 'msec_frac', usec_frac: 'usec_frac', '%z': 'time_zone',
      };
      const s = Object.hasOwn(special, fmt) ? special[fmt] : undefined;
      if (s !== undefined) {
        out.push({ kind: 'var', name: s, pos: start, written });
      } else {
        // The stop count is fixed later, once the following literal is known; keep the pattern.
        out.push({ kind: 'var', name: 'time_custom', pos: start, written, stopsInValue: -1 });
        timePatterns.set(out[out.length - 1]!, fmt);
      }
      continue;
    }
    out.push({ kind: 'var', name, pos: start, written });
  }
  pushLit(out, lit);
  return finishApache(out);
}

/** strftime patterns of `%{…}t` tokens, read once the next literal is known. */
const timePatterns = new WeakMap<SpecToken, string>();

/** Resolves custom time stop counts and merges `%U%q` into one request URI. */
function finishApache(tokens: SpecToken[]): SpecToken[] {
  const out: SpecToken[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'var' && t.name === 'uri') {
      const next = tokens[k + 1];
      if (next?.kind === 'var' && next.name === 'apache_query') {
        out.push({ kind: 'var', name: 'request_uri', pos: t.pos, written: t.written + next.written });
        k++;
        continue;
      }
    }
    if (t.kind === 'var' && t.stopsInValue === -1) {
      const next = tokens[k + 1];
      const stop = next?.kind === 'lit' ? next.text[0]! : '';
      out.push({ ...t, stopsInValue: stop === '' ? 0 : stopsIn(timePatterns.get(t) ?? '', stop) });
      continue;
    }
    out.push(t);
  }
  return out;
}
