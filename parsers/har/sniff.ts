/**
 * Format detection: does this head of a file look like a HAR? Accepts a UTF-8 BOM, leading
 * whitespace, a JSONP wrapper `name({…` and a root object whose first key is "log" (or that has a
 * `"log": {` key in the head when another key comes first).
 */

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e;
}

const LOG_KEY = Buffer.from('"log"');

export function sniffHar(head: Buffer): boolean {
  let i = 0;
  const n = head.length;
  if (n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < n && isWs(head[i])) i++;
  if (i < n && isIdentStart(head[i]!)) {
    // JSONP: onInputData({...});
    let len = 0;
    while (i < n && isIdent(head[i]!) && len < 256) {
      i++;
      len++;
    }
    while (i < n && isWs(head[i])) i++;
    if (head[i] !== 0x28) return false;
    i++;
    while (i < n && isWs(head[i])) i++;
  }
  if (head[i] !== 0x7b) return false;
  i++;
  while (i < n && isWs(head[i])) i++;
  if (head[i] !== 0x22) return false;
  if (head.subarray(i, i + 5).equals(LOG_KEY)) return true;
  // another key first (Polly's "_recordingName" is inside log, but some tools add top-level keys)
  let at = head.indexOf(LOG_KEY, i);
  while (at >= 0) {
    let j = at + LOG_KEY.length;
    while (j < n && isWs(head[j])) j++;
    if (head[j] === 0x3a) {
      j++;
      while (j < n && isWs(head[j])) j++;
      if (head[j] === 0x7b) return true;
    }
    at = head.indexOf(LOG_KEY, at + 1);
  }
  return false;
}
