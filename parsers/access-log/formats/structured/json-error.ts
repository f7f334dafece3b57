/**
 * Finds where JSON text stops being valid. Only used after JSON.parse failed, to give the column
 * (V8's messages do not always carry a position). Iterative, with an explicit stack: deep input
 * cannot overflow the call stack.
 */

const OBJ = 1;
const ARR = 2;

const S_VALUE = 0;
const S_AFTER_VALUE = 1;
const S_KEY_OR_END = 2;
const S_VALUE_OR_END = 3;
const S_KEY = 4;
const S_COLON = 5;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** From the opening quote at i: the index after the closing quote, or -(error index) - 1. */
function scanString(s: string, i: number): number {
  const n = s.length;
  let j = i + 1;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 32) return -j - 1;
    if (c === 92) {
      const e = s.charCodeAt(j + 1);
      if (e === 117) {
        for (let k = 2; k < 6; k++) if (!isHex(s.charCodeAt(j + k))) return -(j + k) - 1;
        j += 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        j += 2;
      } else return -(j + 1) - 1;
    } else j++;
  }
  return -n - 1;
}

/** From a `-` or digit at i: the index after the number, or -(error index) - 1. */
function scanNumber(s: string, i: number): number {
  let j = i;
  if (s.charCodeAt(j) === 45) j++;
  if (s.charCodeAt(j) === 48) j++;
  else if (isDigit(s.charCodeAt(j))) while (isDigit(s.charCodeAt(j))) j++;
  else return -j - 1;
  if (s.charCodeAt(j) === 46) {
    j++;
    if (!isDigit(s.charCodeAt(j))) return -j - 1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  if (s.charCodeAt(j) === 101 || s.charCodeAt(j) === 69) {
    j++;
    if (s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45) j++;
    if (!isDigit(s.charCodeAt(j))) return -j - 1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  return j;
}

function scanLiteral(s: string, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (s.charCodeAt(i + k) !== word.charCodeAt(k)) return -(i + k) - 1;
  return i + word.length;
}

/** Index of the first JSON syntax error in `s` from `start`, or -1 when the text is one valid JSON value. */
export function jsonErrorOffset(s: string, start: number): number {
  const stack: number[] = [];
  const n = s.length;
  let i = start;
  let state = S_VALUE;
  for (;;) {
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (i >= n) return state === S_AFTER_VALUE && stack.length === 0 ? -1 : n;
    const c = s.charCodeAt(i);
    let next: number;
    if (state === S_VALUE_OR_END && c === 93) { stack.pop(); i++; state = S_AFTER_VALUE; continue; }
    if (state === S_KEY_OR_END && c === 125) { stack.pop(); i++; state = S_AFTER_VALUE; continue; }
    if (state === S_VALUE || state === S_VALUE_OR_END) {
      if (c === 123) { stack.push(OBJ); i++; state = S_KEY_OR_END; continue; }
      if (c === 91) { stack.push(ARR); i++; state = S_VALUE_OR_END; continue; }
      let next: number;
      if (c === 34) next = scanString(s, i);
      else if (c === 45 || isDigit(c)) next = scanNumber(s, i);
      else if (c === 116) next = scanLiteral(s, i, 'true');
      else if (c === 102) next = scanLiteral(s, i, 'false');
      else if (c === 110) next = scanLiteral(s, i, 'null');
      else return i;
      if (next < 0) return -next - 1;
      i = next;
      state = S_AFTER_VALUE;
    } else if (state === S_AFTER_VALUE) {
      if (stack.length === 0) return i;
      const top = stack[stack.length - 1];
      if (c === 44) { i++; state = top === OBJ ? S_KEY : S_VALUE; continue; }
      if ((top === OBJ && c === 125) || (top === ARR && c === 93)) { stack.pop(); i++; continue; }
      return i;
    } else if (state === S_KEY || state === S_KEY_OR_END) {
      if (c !== 34) return i;
      const next = scanString(s, i);
      if (next < 0) return -next - 1;
      i = next;
      state = S_COLON;
    } else {
      // S_COLON
      if (c !== 58) return i;
      i++;
      state = S_VALUE;
    }
  }
}
