/**
 * T1–T6 (shared/security.md, c-1): the one choke point for every input-derived string before it
 * reaches Ink, console.*, process.stdout or process.stderr, including error messages and file names.
 *
 * Why one character at a time (T2): stripping escape sequences by pattern is what less, kubectl and
 * git got wrong repeatedly. Here no ESC (or any other C0/C1 control) survives, so no sequence can
 * survive or be recreated by whatever we cut out. No regex runs over the whole input; the only
 * regexes test a single code point.
 */

const DEFAULT_MAX = 2048;
/** T6: a run of combining marks longer than this after one base is cut ("Zalgo" text). */
export const MAX_MARKS_PER_BASE = 8;
const ELLIPSIS = '…';

/**
 * T3, made a little stricter: shown as `<U+XXXX>`. Cf holds every bidi control the rule lists
 * (U+061C, U+200E/F, U+202A–202E, U+2066–2069) and every zero-width one (U+200B–200D, U+2060,
 * U+FEFF), plus soft hyphen, tag characters (used to smuggle invisible ASCII) and the like; Zl/Zp
 * are U+2028/U+2029. The other default-ignorables (Hangul fillers, reserved ranges) are shown too,
 * except nonspacing marks: those include the variation selectors that emoji need, and T6 bounds them.
 */
const INVISIBLE_RE = /^(?:[\p{Cf}\p{Zl}\p{Zp}]|(?!\p{Mn})\p{Default_Ignorable_Code_Point})$/u;
const MARK_RE = /^\p{M}$/u;
/** Zero columns: marks, format characters, default-ignorables, surrogates. */
const ZERO_WIDTH_RE = /^[\p{Mn}\p{Me}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]$/u;
const PICTOGRAPHIC_EMOJI_RE = /^(?=\p{Emoji})\p{Extended_Pictographic}$/u;

/** True for a code point that T3 (and markdown M1) show as `<U+XXXX>` rather than as itself. */
export function isInvisibleCodePoint(cp: number): boolean {
  if (cp < 0xa0) return cp >= 0x80; // C1 controls; C0 and DEL have their own notation
  return INVISIBLE_RE.test(String.fromCodePoint(cp));
}

/** `<U+202E>`: the visible form of an invisible or C1 code point. */
export function codePointLabel(cp: number): string {
  return '<U+' + cp.toString(16).toUpperCase().padStart(4, '0') + '>';
}

export interface TerminalOptions {
  /** Default true: `\n` and `\t` are shown as `^J` and `^I` too (T2, single-line views). */
  singleLine?: boolean;
  /** Default 2048: cap on the output, in UTF-16 code units and in columns, `…` included. */
  max?: number;
}

/** T1–T6: make any string safe and visible for a terminal. Idempotent. */
export function toTerminal(s: string, opts: TerminalOptions = {}): string {
  const singleLine = opts.singleLine ?? true;
  const wanted = opts.max ?? DEFAULT_MAX;
  const max = Number.isNaN(wanted) ? DEFAULT_MAX : Math.max(1, Math.floor(wanted)); // NaN would disable the cap
  let out = '';
  let cut = 0; // out.length at the last token boundary that still leaves room for the ellipsis
  let marks = 0;
  for (let i = 0; i < s.length; ) {
    const unit = s.charCodeAt(i);
    const cp = s.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    i += size;
    let token: string;
    let isMark = false;
    if (unit < 0x20) {
      token = !singleLine && (unit === 0x0a || unit === 0x09) ? s[i - 1]! : '^' + String.fromCharCode(unit + 0x40);
    } else if (unit < 0x7f) {
      token = s[i - 1]!;
    } else if (unit === 0x7f) {
      token = '^?';
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      token = '\uFFFD'; // T5: a lone surrogate (a JSON "\uD800") cannot be printed
    } else if (isInvisibleCodePoint(cp)) {
      token = codePointLabel(cp);
    } else {
      token = size === 2 ? s.slice(i - 2, i) : s[i - 1]!;
      isMark = cp >= 0x300 && MARK_RE.test(token);
    }
    if (isMark) {
      if (++marks > MAX_MARKS_PER_BASE) continue;
    } else {
      marks = 0;
    }
    if (out.length + token.length > max) {
      out = out.slice(0, cut) + ELLIPSIS;
      break;
    }
    out += token;
    if (out.length < max) cut = out.length;
  }
  // Wide characters take two columns for one code unit: bound the columns as well (T6).
  return displayWidth(out) > max ? truncateToWidth(out, max) : out;
}

/**
 * Columns a sanitized string takes, close to what Ink measures with string-width: East Asian Wide
 * and Fullwidth = 2, marks and format characters = 0, everything else 1 (ambiguous is narrow).
 * Done per code point, with the few cluster rules that matter in practice (emoji + VS16 or
 * skin tone, keycaps, conjoining Hangul jamo).
 */
export function displayWidth(s: string): number {
  let width = 0;
  const state: WidthState = { prev: -1, base: -1, jamo: 0 };
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    width += codePointWidth(cp, state);
  }
  return width;
}

/** Cut a sanitized string to at most `width` columns, `…` included; never splits a code point. */
export function truncateToWidth(s: string, width: number): string {
  const limit = Math.floor(width);
  const state: WidthState = { prev: -1, base: -1, jamo: 0 };
  let used = 0;
  let keep = 0; // s.slice(0, keep) fits in limit - 1 columns, leaving one for the ellipsis
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    used += codePointWidth(cp, state);
    if (used > limit) return limit >= 1 ? s.slice(0, keep) + ELLIPSIS : '';
    if (used <= limit - 1) keep = next; // zero-width marks after the last kept base stay with it
    i = next;
  }
  return s;
}

interface WidthState {
  prev: number; // previous code point, -1 at the start
  base: number; // last code point that was not VS16, for keycaps
  jamo: number; // 1 after a Hangul leading jamo, 2 after L+V or a precomposed syllable
}

function codePointWidth(cp: number, st: WidthState): number {
  const { prev, base, jamo } = st;
  st.prev = cp;
  st.jamo = 0;
  if (cp !== 0xfe0f) st.base = cp;
  if (cp < 0x7f) return cp >= 0x20 ? 1 : 0;
  if (cp < 0xa0) return 0;
  if (cp < 0x300) return cp === 0xad ? 0 : 1;
  if (cp === 0xfe0f) {
    // VS16 turns a text-default pictograph into a two-column emoji (©️, ❤️).
    const upgrades = prev >= 0 && prev !== 0xfe0f && !isWide(prev) && PICTOGRAPHIC_EMOJI_RE.test(String.fromCodePoint(prev));
    return upgrades ? 1 : 0;
  }
  if (cp === 0x20e3) return isKeycapBase(base) ? 1 : 0; // 1⃣ and 1️⃣ are one two-column keycap
  if (cp >= 0x1f3fb && cp <= 0x1f3ff) return prev >= 0 ? 0 : 2; // a skin tone joins what precedes it
  if (cp === 0x0e33 || cp === 0x0eb3) return prev >= 0 ? 0 : 1; // Thai/Lao AM: joins its base as Ink counts it
  if ((cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6)) {
    if (jamo !== 1) return 1;
    st.jamo = 2;
    return 0; // a vowel jamo conjoined to a leading jamo
  }
  if ((cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb)) return jamo === 2 ? 0 : 1;
  if (cp >= 0x1100 && cp <= 0x115f) st.jamo = 1;
  else if (cp >= 0xac00 && cp <= 0xd7a3) st.jamo = 2;
  if (ZERO_WIDTH_RE.test(String.fromCodePoint(cp))) return 0;
  return isWide(cp) ? 2 : 1;
}

function isKeycapBase(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || cp === 0x23 || cp === 0x2a;
}

/**
 * East Asian Width W and F (Unicode 17, as shipped by get-east-asian-width, which Ink uses),
 * merged into ranges of hex code points. Unassigned code points in the CJK planes count as wide.
 */
const WIDE_RANGES: Uint32Array = parseRanges(
  '1100-115f 231a-231b 2329-232a 23e9-23ec 23f0 23f3 25fd-25fe 2614-2615 2630-2637 2648-2653 267f ' +
  '268a-268f 2693 26a1 26aa-26ab 26bd-26be 26c4-26c5 26ce 26d4 26ea 26f2-26f3 26f5 26fa 26fd 2705 ' +
  '270a-270b 2728 274c 274e 2753-2755 2757 2795-2797 27b0 27bf 2b1b-2b1c 2b50 2b55 2e80-2e99 2e9b-2ef3 ' +
  '2f00-2fd5 2ff0-303e 3041-3096 3099-30ff 3105-312f 3131-318e 3190-31e5 31ef-321e 3220-3247 3250-a48c ' +
  'a490-a4c6 a960-a97c ac00-d7a3 f900-faff fe10-fe19 fe30-fe52 fe54-fe66 fe68-fe6b ff01-ff60 ffe0-ffe6 ' +
  '16fe0-16fe4 16ff0-16ff6 17000-18cda 18cff-18d20 18d80-18df2 18e00-19191 191a0-191d2 1aff0-1aff3 ' +
  '1aff5-1affb 1affd-1affe 1b000-1b128 1b132 1b150-1b152 1b155 1b164-1b168 1b170-1b2fb 1d300-1d356 ' +
  '1d360-1d376 1f004 1f0cf 1f18e 1f191-1f19a 1f1ae 1f200-1f202 1f210-1f23b 1f240-1f248 1f250-1f251 ' +
  '1f260-1f265 1f300-1f320 1f32d-1f335 1f337-1f37c 1f37e-1f393 1f3a0-1f3ca 1f3cf-1f3d3 1f3e0-1f3f0 ' +
  '1f3f4 1f3f8-1f43e 1f440 1f442-1f4fc 1f4ff-1f53d 1f54b-1f54e 1f550-1f567 1f57a 1f595-1f596 1f5a4 ' +
  '1f5fb-1f64f 1f680-1f6c5 1f6cc 1f6d0-1f6d2 1f6d5-1f6d9 1f6dc-1f6df 1f6eb-1f6ec 1f6f4-1f6fc 1f7da ' +
  '1f7e0-1f7eb 1f7f0 1f90c-1f93a 1f93c-1f945 1f947-1f9ff 1fa70-1fa7c 1fa80-1fac6 1fac8 1facc-1fadd ' +
  '1fadf-1faeb 1faef-1fafa 20000-2fffd 30000-3fffd',
);

function parseRanges(spec: string): Uint32Array {
  const parts = spec.split(' ');
  const ranges = new Uint32Array(parts.length * 2);
  parts.forEach((part, k) => {
    const [lo, hi = lo] = part.split('-');
    ranges[2 * k] = parseInt(lo!, 16);
    ranges[2 * k + 1] = parseInt(hi!, 16);
  });
  return ranges;
}

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  let lo = 0;
  let hi = WIDE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE_RANGES[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE_RANGES[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}
