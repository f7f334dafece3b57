/**
 * The report's own last check for credentials (belt and braces behind ingest redaction, R-*):
 * anything that still looks like one is replaced by `[MASKED]` before it is escaped and written.
 * Ingest already redacted headers, query parameters and bodies; this catches what a new format,
 * a free-text error message or a user rule's evidence might carry through.
 *
 * One pass over the string with a hand-written tokenizer (no regex over the input): words are runs
 * of base64url characters and dots; a value after `Bearer`/`Basic` or after a credential-looking
 * name (`token=`, `"api_key": "…"`) may also hold `+ / =` (base64).
 */

export const MASK = '[MASKED]';

/** Names whose values are masked when they look random (normalised: lower case, `-`/`_` removed). */
const NAME_SUFFIXES = [
  'token', 'secret', 'password', 'passwd', 'pwd', 'apikey', 'key', 'sig', 'signature', 'auth',
  'authorization', 'credential', 'credentials', 'session', 'sessionid', 'sid', 'jwt', 'cookie',
];
/** Names whose every value is masked, random-looking or not. */
const ALWAYS_NAMES = ['password', 'passwd', 'pwd', 'secret', 'clientsecret'];
const SCHEMES = ['bearer', 'basic'];

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x7e;
}

function isValueChar(c: number): boolean {
  return isWordChar(c) || c === 0x2b || c === 0x2f || c === 0x3d; // + / =
}

function hasDigitAndLetter(v: string): boolean {
  let digit = false;
  let letter = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digit = true;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letter = true;
  }
  return digit && letter;
}

/** An uppercase letter after the first character: base64 and ids have them, prose words rarely do. */
function hasInnerUpper(v: string): boolean {
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** A value long or mixed enough to be a generated secret rather than a word. */
function looksRandom(v: string): boolean {
  if (v.length >= 32) return true;
  if (v.length < 8) return false;
  return hasDigitAndLetter(v) || hasInnerUpper(v) || v.endsWith('=');
}

function allIn(s: string, from: number, test: (c: number) => boolean): boolean {
  for (let i = from; i < s.length; i++) if (!test(s.charCodeAt(i))) return false;
  return true;
}

const isB32 = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x32 && c <= 0x37);
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Well-known credential shapes (gitleaks ids in R-P3) and JWT-looking tokens (R-P1). */
function isKnownCredential(w: string): boolean {
  if (w.startsWith('eyJ')) {
    const dot = w.indexOf('.');
    return dot >= 10 && w.length > dot + 4;
  }
  if ((w.startsWith('AKIA') || w.startsWith('ASIA')) && w.length === 20) return allIn(w, 4, isB32);
  if (/^gh[pousr]_$/.test(w.slice(0, 4))) return w.length >= 30 && allIn(w, 4, isAlnum);
  if (w.startsWith('github_pat_')) return w.length >= 40;
  if (w.startsWith('xox') && w.length >= 15 && 'abprs'.includes(w[3] ?? '') && w[4] === '-') return true;
  if (/^[sr]k_(live|test|prod)_$/.test(w.slice(0, 8)) && w.length >= 20) return true;
  if (w.startsWith('AIza') && w.length >= 39) return true;
  return false;
}

function normName(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i]!;
    if (c !== '-' && c !== '_' && c !== '.') out += c.toLowerCase();
  }
  return out;
}

function credentialName(w: string): 'always' | 'random' | null {
  const n = normName(w);
  if (n.length > 64) return null;
  if (ALWAYS_NAMES.some((x) => n.endsWith(x))) return 'always';
  return NAME_SUFFIXES.some((x) => n.endsWith(x)) ? 'random' : null;
}

/** Characters that may follow a value's base64 padding (anything else means `=` was an assignment). */
function endsValue(c: number): boolean {
  return Number.isNaN(c) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x22 || c === 0x27 || c === 0x2c || c === 0x3b || c === 0x26 || c === 0x29 || c === 0x5d || c === 0x7d || c === 0x3e;
}

/**
 * End of the value that starts at `i`: base64url/base64 characters, then at most two `=` of
 * padding. Returns i (no value) when the `=` turns out to be an assignment (`session=…`).
 */
function valueEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (!isWordChar(c) && c !== 0x2b && c !== 0x2f) break;
    j++;
  }
  let k = j;
  while (k < s.length && k < j + 2 && s.charCodeAt(k) === 0x3d) k++;
  if (k > j && !endsValue(s.charCodeAt(k))) return i;
  return k;
}

/** Masks credential-looking values. `count` is how many were masked (for the report's summary). */
export function maskSecrets(s: string): { text: string; count: number } {
  let out = '';
  let count = 0;
  let copied = 0; // s[copied..] not yet copied to out
  const mask = (from: number, to: number): void => {
    out += s.slice(copied, from) + MASK;
    copied = to;
    count++;
  };
  let i = 0;
  while (i < s.length) {
    if (!isWordChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
    const word = s.slice(i, j);
    const boundary = i === 0 || !isValueChar(s.charCodeAt(i - 1));
    if (boundary && isKnownCredential(word)) {
      const end = valueEnd(s, j);
      mask(i, end);
      i = end;
      continue;
    }
    const lower = word.toLowerCase();
    // `Bearer <token>` / `Basic <base64>`: a scheme word, spaces, a random-looking value.
    if (SCHEMES.includes(lower) && s.charCodeAt(j) === 0x20) {
      let k = j;
      while (k < s.length && k < j + 4 && s.charCodeAt(k) === 0x20) k++;
      const end = valueEnd(s, k);
      const value = s.slice(k, end);
      if (end > k && looksRandom(value)) {
        mask(k, end);
        i = end;
        continue;
      }
    }
    // name=value, name: value, "name": "value"
    const kind = credentialName(word);
    if (kind) {
      let k = j;
      if (s[k] === '"' || s[k] === "'") k++;
      while (s[k] === ' ' && k < j + 4) k++;
      if (s[k] === '=' || s[k] === ':') {
        k++;
        let spaces = 0;
        while (s[k] === ' ' && spaces < 3) { k++; spaces++; }
        if (s[k] === '"' || s[k] === "'") k++;
        const end = valueEnd(s, k);
        const value = s.slice(k, end);
        if (end > k && (kind === 'always' || looksRandom(value))) {
          mask(k, end);
          i = end;
          continue;
        }
      }
    }
    i = j;
  }
  if (count === 0) return { text: s, count: 0 };
  return { text: out + s.slice(copied), count };
}
