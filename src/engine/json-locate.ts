/**
 * A small JSON parser that remembers where every value starts, so rule problems can be
 * reported as "file:line:column" (JSON.parse keeps no positions). Iterative, with a depth cap:
 * a deeply nested file is an error, never a stack overflow.
 */

export interface Position {
  line: number;
  column: number;
}

export interface LocatedJson {
  value: unknown;
  /** JSON pointer ("/rules/0/match/status") → where its value starts. "" is the root. */
  positions: Map<string, Position>;
}

export class JsonSyntaxError extends Error {
  constructor(readonly reason: string, readonly line: number, readonly column: number) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Rule files need a handful of levels; deeper input is refused (pointer paths would grow quadratically). */
const MAX_DEPTH = 64;

type Frame =
  | { kind: 'object'; value: Record<string, unknown>; path: string; key: string | null; state: 'key' | 'colon' | 'value' | 'comma' }
  | { kind: 'array'; value: unknown[]; path: string; state: 'value' | 'comma' };

/** Parses `text`; throws JsonSyntaxError with the line and column of the first problem. */
export function parseLocated(text: string): LocatedJson {
  const positions = new Map<string, Position>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): Position => ({ line, column: i - lineStart + 1 });
  const fail = (msg: string): never => {
    const p = pos();
    throw new JsonSyntaxError(msg, p.line, p.column);
  };
  const skipWs = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) { line++; i++; lineStart = i; }
      else if (c === 32 || c === 9 || c === 13) i++;
      else break;
    }
  };
  const readString = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    while (true) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) { out += text.slice(start, i); i++; return out; }
      if (c < 0x20) fail('control character in string (escape it)');
      if (c === 92) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && map[e] !== undefined) { out += map[e]; i += 2; }
        else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else fail('bad escape');
        start = i;
        continue;
      }
      i++;
    }
  };
  const readScalar = (): unknown => {
    const c = text[i];
    if (c === '"') return readString();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const start = i;
    if (text[i] === '-') i++;
    while (i < text.length && /[0-9.eE+-]/.test(text[i]!)) i++;
    const raw = text.slice(start, i);
    if (raw === '' || !/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(raw)) {
      i = start;
      fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    }
    return Number(raw);
  };

  const stack: Frame[] = [];
  let root: unknown = undefined;
  let haveRoot = false;

  /** Places a finished value into the parent frame (or as root). */
  const place = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) { root = v; haveRoot = true; return; }
    if (top.kind === 'array') { top.value.push(v); top.state = 'comma'; }
    else { top.value[top.key!] = v; top.state = 'comma'; }
  };
  /** Starts a value at the current position under `path`. */
  const startValue = (path: string): void => {
    skipWs();
    positions.set(path, pos());
    const c = text[i];
    if ((c === '{' || c === '[') && stack.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    if (c === '{') { i++; stack.push({ kind: 'object', value: {}, path, key: null, state: 'key' }); return; }
    if (c === '[') { i++; stack.push({ kind: 'array', value: [], path, state: 'value' }); return; }
    place(readScalar());
  };

  startValue('');
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    skipWs();
    const c = text[i];
    if (top.kind === 'array') {
      if (c === ']' && (top.state === 'comma' || top.value.length === 0)) { i++; stack.pop(); place(top.value); continue; }
      if (top.state === 'comma') {
        if (c !== ',') fail("expected ',' or ']'");
        i++;
        top.state = 'value';
        skipWs();
        if (text[i] === ']') fail('trailing comma');
        continue;
      }
      startValue(`${top.path}/${top.value.length}`);
      continue;
    }
    if (top.state === 'key') {
      if (c === '}' && Object.keys(top.value).length === 0) { i++; stack.pop(); place(top.value); continue; }
      if (c !== '"') fail('expected a property name in double quotes');
      const keyPos = pos();
      const key = readString();
      if (Object.prototype.hasOwnProperty.call(top.value, key)) {
        throw new JsonSyntaxError(`duplicate key ${JSON.stringify(key)}`, keyPos.line, keyPos.column);
      }
      top.key = key;
      top.state = 'colon';
      continue;
    }
    if (top.state === 'colon') {
      if (c !== ':') fail("expected ':'");
      i++;
      top.state = 'value';
      startValue(`${top.path}/${escapePointer(top.key!)}`);
      continue;
    }
    // state 'comma' (after a value)
    if (c === '}') { i++; stack.pop(); place(top.value); continue; }
    if (c !== ',') fail("expected ',' or '}'");
    i++;
    top.state = 'key';
    skipWs();
    if (text[i] === '}') fail('trailing comma');
  }
  if (!haveRoot) fail('empty document');
  skipWs();
  if (i < text.length) fail('unexpected content after the JSON value');
  return { value: root, positions };
}

/** The position of `path`, or of its nearest ancestor that has one. */
export function positionOf(located: LocatedJson, path: string): Position | null {
  let p = path;
  while (true) {
    const hit = located.positions.get(p);
    if (hit) return hit;
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
