/**
 * The stored sample of a skipped HAR entry (entry_invalid:*) is the first bytes of the raw entry. Text
 * patterns (redactLogLine) cannot see that `{"name":"X-Api-Key","value":"…"}` holds a secret, so before
 * them this masks, fail closed (security.md O2), every string value whose key is not on a short list of
 * structural keys: the sample still shows the entry's shape and what was wrong with it, never a value
 * that could be a credential. Found by the B-8 canary sweep (test/hostile/canary.test.ts).
 * A single pass over at most a few hundred characters; the text may be cut anywhere (a truncated entry).
 */

/** Keys whose string values are structure or already redacted downstream (URLs go through R-U by redactLogLine). */
const KEEP = new Set([
  'name', 'method', 'url', 'httpversion', 'starteddatetime', 'mimetype', 'pageref', '_resourcetype', 'statustext',
  'encoding', 'type', 'redirecturl', 'serveripaddress', 'connection', 'version',
]);

/** Keys whose scalar values (numbers, literals) may be credentials too. */
const SECRET_SCALAR = new Set(['value', 'text', 'data', 'comment', 'params']);

export const OMITTED = '"[omitted]"';

export function maskHarExcerpt(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  /** Per open container: is it an object, and the key whose value comes next (lower case). */
  const stack: Array<{ obj: boolean; key: string | null; expectKey: boolean }> = [];
  const top = (): { obj: boolean; key: string | null; expectKey: boolean } | undefined => stack[stack.length - 1];
  /** The key governing a value here: the object's current key, or the key of the array's parent. */
  const governingKey = (): string | null => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k]!;
      if (f.obj) return f.key;
    }
    return null;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"') {
      // a string token: find its end (or the end of the text)
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, Math.min(j + 1, n));
      const f = top();
      if (f && f.obj && f.expectKey) {
        f.key = safeKey(raw);
        out += raw;
      } else {
        const key = governingKey();
        out += key !== null && KEEP.has(key) ? raw : OMITTED;
      }
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') {
      stack.push({ obj: ch === '{', key: null, expectKey: ch === '{' });
      out += ch;
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      stack.pop();
      out += ch;
      i++;
      continue;
    }
    if (ch === ':') {
      const f = top();
      if (f && f.obj) f.expectKey = false;
      out += ch;
      i++;
      continue;
    }
    if (ch === ',') {
      const f = top();
      if (f && f.obj) {
        f.expectKey = true;
        f.key = null;
      }
      out += ch;
      i++;
      continue;
    }
    // a number, literal or whitespace run
    let j = i;
    while (j < n && !'"{}[]:,'.includes(text[j]!)) j++;
    const word = text.slice(i, j);
    const key = governingKey();
    out += word.trim() !== '' && key !== null && SECRET_SCALAR.has(key) ? OMITTED : word;
    i = j;
  }
  return out;
}

function safeKey(raw: string): string {
  const inner = raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  return inner.toLowerCase();
}
