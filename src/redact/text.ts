/**
 * The single-pass tokenizer behind every pattern rule (R-B3, R-P1 to R-P4, URLs in text for R-U2).
 *
 * It walks the string once. At each "word" (a maximal [A-Za-z0-9_-] run) it asks, in order: a PEM private
 * key? a JWT? a known credential format? a URL? an HTTP request line? an auth scheme (`Bearer x`)? an
 * assignment to a secret name (`password=x`, `"token": "x"`, `<Password>x<`)? Every check looks at a
 * bounded window and the scan never moves backwards, so the cost is linear in the input.
 * `%XX` and backslash escapes are separators, which is how tokens inside URL-encoded (`%3DeyJ…`) and
 * JSON-escaped (`\"eyJ…`, `\neyJ…`) strings are found.
 * No regular expression runs over the input.
 */
import { type Ctx, MAX_NESTING, SCAN_CAP } from './context.js';
import { isKnownCredential, pemEndAt } from './formats.js';
import { redactHeaderValue } from './headers.js';
import { b64End, isB64Url, jwtMarker, matchJwtAt, wholeJwt } from './jwt.js';
import { isMarker, markerEndAt } from './markers.js';
import { classifyParam, isAzureKeyName, isR_H1, isStrongName, looksLikeWord, squash } from './names.js';
import { redactUrlInner } from './url.js';

export interface ScanMode {
  /** Markers are written in URL form (%20, %23, %3D). */
  url: boolean;
  /** Nesting level of URL-in-text-in-URL; at MAX_NESTING URLs are scanned as plain text. */
  depth: number;
}

export const TEXT: ScanMode = { url: false, depth: 0 };

/** Longest quoted or unquoted value one assignment may cover; past it the value is redacted up to here. */
const VALUE_CAP = 64 * 1024;
/** Longest URL recognised in text. */
const URL_CAP = 64 * 1024;
/** How far a PEM block may run before its END line. */
const PEM_CAP = 64 * 1024;

type Rep = [from: number, to: number, text: string];
interface WordResult { reps: Rep[]; next: number }

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * A value that is wholly secret: a JWT keeps its claims in a JWT marker, one of our markers stays as it is,
 * anything else becomes `[REDACTED:<rule>#h]`.
 */
export function secretMarker(ctx: Ctx, rule: string, value: string, url: boolean): string {
  if (isMarker(value)) return value;
  const m = wholeJwt(value);
  if (m) return jwtMarker(ctx, value, m, url);
  return ctx.marker(rule, value, url);
}

/** R-B3 entry point: patterns over free text, with the 1 MiB scan cap (past it: dropped and marked). */
export function redactTextCapped(ctx: Ctx, s: string, mode: ScanMode = TEXT): string {
  if (s.length <= SCAN_CAP) return scanText(ctx, s, mode);
  let cut = SCAN_CAP;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return scanText(ctx, s.slice(0, cut), mode) + ctx.marker('truncated', s.slice(cut), mode.url);
}

/** Runs the tokenizer over `s` (the caller applies caps). Returns `s` itself when nothing changed. */
export function scanText(ctx: Ctx, s: string, mode: ScanMode): string {
  const n = s.length;
  let out: string[] | null = null;
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 91 /* [ */) {
      const e = markerEndAt(s, i);
      i = e > 0 ? e : i + 1;
      continue;
    }
    if (c === 37 /* % */ && isHexCode(s.charCodeAt(i + 1)) && isHexCode(s.charCodeAt(i + 2))) {
      i += 3;
      continue;
    }
    if (c === 92 /* \ */) {
      // A JSON escape is one unit (`\n` before `eyJ…` is not part of the token); any other backslash is
      // a plain separator, so `\%22eyJ…` still sees the `%22`.
      const e = s.charCodeAt(i + 1);
      let k = e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116 || e === 117 ? 2 : 1;
      if (e === 117 /* u */) {
        k = 6;
        for (let j = 2; j < 6; j++) if (!isHexCode(s.charCodeAt(i + j))) { k = 2; break; }
      }
      i += k;
      continue;
    }
    if (isB64Url(c)) {
      const end = b64End(s, i);
      const r = word(ctx, s, i, end, mode);
      if (r) {
        for (const [from, to, text] of r.reps) {
          (out ??= []).push(s.slice(last, from), text);
          last = to;
        }
        i = Math.max(r.next, i + 1);
      } else i = end;
      continue;
    }
    i++;
  }
  if (!out) return s;
  out.push(s.slice(last));
  return out.join('');
}

const URL_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'ftps']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'PROPFIND']);
/** Auth schemes whose credential follows after a space (R-P2). */
const SCHEMES = new Set([
  'bearer', 'basic', 'digest', 'token', 'sapisidhash', 'sapisid1phash', 'sapisid3phash', 'negotiate', 'ntlm', 'dpop',
  'mac', 'hoba', 'mutual', 'aws4-hmac-sha256', 'googlelogin', 'oauth', 'hawk',
]);
/** Auth-param names that carry no secret (challenge and framing parameters). */
const KEEP_AUTH_PARAMS = new Set([
  'realm', 'qop', 'algorithm', 'uri', 'nc', 'stale', 'domain', 'charset', 'userhash', 'signedheaders', 'error',
  'error_description', 'error_uri', 'scope', 'oauth_signature_method', 'oauth_version', 'oauth_timestamp', 'ts',
]);

/** Characters that may follow a name in an assignment or an XML start tag: " ' \ % ] space tab = : > */
const ASSIGN_NEXT = new Set([34, 39, 92, 37, 93, 32, 9, 61, 58, 62]);

function word(ctx: Ctx, s: string, i: number, end: number, mode: ScanMode): WordResult | null {
  const c0 = s.charCodeAt(i);
  if (c0 === 45 /* - */) {
    const e = pemEndAt(s, i, PEM_CAP);
    if (e > 0) return { reps: [[i, e, ctx.marker('R-P3', s.slice(i, e), mode.url)]], next: e };
  }
  if (c0 === 101 /* e */) {
    const m = matchJwtAt(s, i);
    if (m) return { reps: [[i, m.end, jwtMarker(ctx, s.slice(i, m.end), m, mode.url)]], next: m.end };
  }
  if (isKnownCredential(s, i, end)) return { reps: [[i, end, ctx.marker('R-P3', s.slice(i, end), mode.url)]], next: end };
  const len = end - i;
  // Everything below depends on the character after the word: test it before slicing anything.
  const after = s.charCodeAt(end);
  if (after === 58 /* : */ && len <= 5 && mode.depth < MAX_NESTING && s.startsWith('://', end) && URL_SCHEMES.has(s.slice(i, end).toLowerCase())) {
    return urlInText(ctx, s, i, end + 3, mode);
  }
  if (after === 32 && len <= 8 && mode.depth < MAX_NESTING && METHODS.has(s.slice(i, end))) {
    const t = s.charCodeAt(end + 1);
    if (t === 47 /* / */ || t === 104 || t === 72 /* h H */) return requestTarget(ctx, s, end + 1, mode);
  }
  if ((after === 32 || after === 37 || (after === 43 && mode.url)) && len <= 20 && SCHEMES.has(s.slice(i, end).toLowerCase())) {
    const r = authScheme(ctx, s, end, mode);
    if (r) return r;
  }
  if (len <= 64 && ASSIGN_NEXT.has(after)) {
    const r = assignment(ctx, s, i, end, mode);
    if (r) return r;
    if (after === 62 || after === 32) {
      const x = xmlElement(ctx, s, i, end, mode);
      if (x) return x;
    }
  }
  return null;
}

function isUrlStop(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96 || c === 92 || c === 124 || c === 94
    || c === 123 || c === 125 || c === 127;
}

/** A URL's rules one level below top-level text. */
function urlInTopText(ctx: Ctx, url: string): string {
  return redactUrlInner(ctx, url, 1);
}

/**
 * The rules of a URL found in text at `mode`'s depth. In top-level text they go through a memo: the
 * raw lines of failed requests repeat their request targets and referers (a tokenized URL cost about
 * half of redacting such a line).
 */
function redactUrlInText(ctx: Ctx, url: string, mode: ScanMode): string {
  if (mode.depth === 0) return ctx.memo.textUrl.redactInText(ctx, url, urlInTopText);
  return redactUrlInner(ctx, url, mode.depth + 1);
}

function urlInText(ctx: Ctx, s: string, i: number, from: number, mode: ScanMode): WordResult {
  let q = from;
  while (q < s.length && q - i < URL_CAP && !isUrlStop(s.charCodeAt(q))) q++;
  while (q > from && '.,;:!?)'.includes(s[q - 1]!)) q--;
  const url = s.slice(i, q);
  const red = redactUrlInText(ctx, url, mode);
  return { reps: red === url ? [] : [[i, q, red]], next: q };
}

function requestTarget(ctx: Ctx, s: string, from: number, mode: ScanMode): WordResult {
  let q = from;
  while (q < s.length && q - from < URL_CAP && s.charCodeAt(q) > 32 && s.charCodeAt(q) !== 34) q++;
  const url = s.slice(from, q);
  const red = redactUrlInText(ctx, url, mode);
  return { reps: red === url ? [] : [[from, q, red]], next: q };
}

function isToken68(c: number): boolean {
  return isB64Url(c) || c === 46 || c === 126 || c === 43 || c === 47; // . ~ + /
}

/** Looks like a credential rather than the next word of a sentence ("Bearer authentication"). */
function credentialLike(t: string): boolean {
  if (t.length < 8) return false;
  if (t.length >= 20) return true;
  let lower = false;
  let upperInside = false;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c >= 48 && c <= 57) return true;
    if (c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61) return true;
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90 && k > 0) upperInside = true;
  }
  return lower && upperInside;
}

/** R-P2: `Scheme <credential>` or `Scheme name=value, name="value"` after an auth-scheme word. */
function authScheme(ctx: Ctx, s: string, end: number, mode: ScanMode): WordResult | null {
  let p = end;
  let gap = 0;
  while (gap < 4) {
    if (s.charCodeAt(p) === 32) p++;
    else if (mode.url && s.charCodeAt(p) === 43) p++;
    else if (s.startsWith('%20', p)) p += 3;
    else break;
    gap++;
  }
  if (gap === 0 || p >= s.length) return null;
  if (markerEndAt(s, p) > 0) return null;
  if (s.charCodeAt(p) === 101) {
    const m = matchJwtAt(s, p);
    if (m) return { reps: [[p, m.end, jwtMarker(ctx, s.slice(p, m.end), m, mode.url)]], next: m.end };
  }
  let q = p;
  while (q < s.length && q - p < VALUE_CAP && isToken68(s.charCodeAt(q))) q++;
  if (q === p) return null;
  let r = q;
  while (r < s.length && r - q < 3 && s.charCodeAt(r) === 61) r++;
  if (r > q && r < s.length && (s.charCodeAt(r) === 34 || isToken68(s.charCodeAt(r)) || markerEndAt(s, r) > 0)) {
    // `realm="x"`, `error=invalid_token`: auth-params. A name that does not read as a parameter name
    // (digits, long) is the credential itself with `=` inside: take the whole run.
    if (isParamName(s, p, q)) return authParams(ctx, s, p, mode);
    while (r < s.length && r - p < VALUE_CAP && (isToken68(s.charCodeAt(r)) || s.charCodeAt(r) === 61)) r++;
  }
  const tok = s.slice(p, r);
  if (!credentialLike(tok)) return null;
  return { reps: [[p, r, ctx.marker('R-P2', tok, mode.url)]], next: r };
}

/** An auth-param name: a letter, then letters, `_` or `-`; at most 32 characters. */
function isParamName(s: string, from: number, to: number): boolean {
  if (to - from > 32) return false;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!(letter || (k > from && (c === 95 || c === 45)))) return false;
  }
  return true;
}

/** `name=value, name="value"` lists (Digest, OAuth 1, AWS4, Bearer challenges): secret-looking values go. */
function authParams(ctx: Ctx, s: string, p: number, mode: ScanMode): WordResult | null {
  const limit = Math.min(s.length, p + 8192);
  const reps: Rep[] = [];
  let q = p;
  /** End of the last complete `name=value`. */
  let consumed = p;
  while (q < limit) {
    consumed = q;
    while (q < limit && (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 44 || s.charCodeAt(q) === 9)) q++;
    const ns = q;
    while (q < limit && isB64Url(s.charCodeAt(q))) q++;
    if (q === ns || s.charCodeAt(q) !== 61) { q = consumed; break; }
    const name = s.slice(ns, q).toLowerCase();
    q++;
    const already = markerEndAt(s, q);
    if (already > 0) {
      // Redacted before: the marker is the whole value.
      q = already;
      continue;
    }
    let vs: number;
    let ve: number;
    if (s.charCodeAt(q) === 34) {
      vs = q + 1;
      ve = vs;
      while (ve < limit && s.charCodeAt(ve) !== 34) ve += s.charCodeAt(ve) === 92 ? 2 : 1;
      ve = Math.min(ve, limit);
      q = ve + 1;
    } else {
      vs = q;
      while (q < limit && s.charCodeAt(q) > 32 && s.charCodeAt(q) !== 44 && s.charCodeAt(q) !== 59 && s.charCodeAt(q) !== 34) q++;
      ve = q;
    }
    if (ve <= vs || markerEndAt(s, vs) === ve) continue;
    const v = s.slice(vs, ve);
    if (!KEEP_AUTH_PARAMS.has(name)) reps.push([vs, ve, secretMarker(ctx, 'R-P2', v, mode.url)]);
    else {
      // Challenge parameters are no secret, but "patterns apply to every string that remains".
      const red = scanText(ctx, v, mode);
      if (red !== v) reps.push([vs, ve, red]);
    }
  }
  q = Math.min(q, limit);
  if (q === p) return null;
  // The list was read once: continue after it (keeps the scan linear).
  return { reps, next: Math.max(q, reps.length > 0 ? reps[reps.length - 1]![1] : q) };
}

function skipBlanks(s: string, p: number): number {
  let q = p;
  while (q < s.length && q - p < 8 && (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9)) q++;
  return q;
}

const LITERALS = new Set(['null', 'true', 'false', 'undefined', 'none', 'nil']);

/** Value delimiters for unquoted assignment values. */
function isValueStop(c: number): boolean {
  return c <= 32 || c === 38 || c === 59 || c === 44 || c === 34 || c === 39 || c === 60 || c === 62 || c === 41
    || c === 125 || c === 93 || c === 92 || c === 127;
}

/** `%26 %20 %22 %23 %3B %2C %7D %5D %27`: ends a value inside a URL-encoded string. */
function isEncodedStop(s: string, q: number): boolean {
  if (s.charCodeAt(q) !== 37) return false;
  const h = s.slice(q + 1, q + 3).toUpperCase();
  return h === '26' || h === '20' || h === '22' || h === '23' || h === '3B' || h === '2C' || h === '7D' || h === '5D' || h === '27';
}

interface Span {
  vs: number;
  ve: number;
  next: number;
  /** The value is a bracketed `[...]` or `{...}` (JSON past the depth cap, a repr, a YAML flow list). */
  structured?: boolean;
}

/**
 * End (exclusive) of the bracketed value opening at `p`, with strings skipped; at most `limit`. An
 * unbalanced value runs to `limit` (fail closed: everything after a secret name up to the cap goes).
 */
function balancedEnd(s: string, p: number, limit: number): number {
  let depth = 0;
  let q = p;
  while (q < limit) {
    const c = s.charCodeAt(q);
    if (c === 34 || c === 39) {
      q++;
      while (q < limit && s.charCodeAt(q) !== c) q += s.charCodeAt(q) === 92 ? 2 : 1;
      q++;
      continue;
    }
    if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      depth--;
      if (depth === 0) return q + 1;
    }
    q++;
  }
  return Math.min(q, limit);
}

/** Reads the value that starts at `p` (after the separator). Null: no value, or a structured one. */
function readValue(s: string, p0: number, encoded: boolean): Span | null {
  const p = skipBlanks(s, p0);
  if (p >= s.length) return null;
  const c = s.charCodeAt(p);
  const limit = Math.min(s.length, p + VALUE_CAP);
  if (c === 34 || c === 39) {
    let q = p + 1;
    while (q < limit && s.charCodeAt(q) !== c) q += s.charCodeAt(q) === 92 ? 2 : 1;
    q = Math.min(q, limit);
    return { vs: p + 1, ve: q, next: q };
  }
  if (c === 92 && s.charCodeAt(p + 1) === 34) {
    let q = p + 2;
    while (q < limit && !(s.charCodeAt(q) === 92 && s.charCodeAt(q + 1) === 34)) q += s.charCodeAt(q) === 92 ? 2 : 1;
    q = Math.min(q, limit);
    return { vs: p + 2, ve: q, next: q };
  }
  if (c === 37 && s.slice(p, p + 3).toUpperCase() === '%22') {
    let q = p + 3;
    while (q < limit && !(s.charCodeAt(q) === 37 && s.slice(q, q + 3).toUpperCase() === '%22')) q++;
    return { vs: p + 3, ve: q, next: q };
  }
  if (c === 91 && markerEndAt(s, p) > 0) {
    const e = markerEndAt(s, p);
    return { vs: p, ve: e, next: e };
  }
  if (c === 123 || c === 91) {
    const e = balancedEnd(s, p, limit);
    return { vs: p, ve: e, next: e, structured: true };
  }
  let q = p;
  while (q < limit && !isValueStop(s.charCodeAt(q)) && !(encoded && isEncodedStop(s, q))) {
    // One of our markers ends the value (it is already redacted text, not part of the secret).
    if (s.charCodeAt(q) === 91 && q > p && markerEndAt(s, q) > 0) break;
    q++;
  }
  return { vs: p, ve: q, next: q };
}

/** A header-like line `Authorization: Bearer x` runs to the end of the line (or a quote/escape). */
function readLine(s: string, p0: number): Span | null {
  const p = skipBlanks(s, p0);
  const limit = Math.min(s.length, p + VALUE_CAP);
  let q = p;
  while (q < limit) {
    const c = s.charCodeAt(q);
    if (c === 10 || c === 13 || c === 34 || c === 92) break;
    q++;
  }
  return q > p ? { vs: p, ve: q, next: q } : null;
}

/** R-P4 (and R-P3 Azure keys, R-H1 header lines): `name=value`, `"name": "value"`, `name: value`. */
function assignment(ctx: Ctx, s: string, i: number, end: number, mode: ScanMode): WordResult | null {
  let p = end;
  let quoted = false;
  const c = s.charCodeAt(p);
  if (c === 34 || c === 39) { quoted = true; p++; }
  else if (c === 92 && s.charCodeAt(p + 1) === 34) { quoted = true; p += 2; }
  else if (c === 37 && s.slice(p, p + 3).toUpperCase() === '%22') { quoted = true; p += 3; }
  else if (c === 93 /* ] */) p++;
  p = skipBlanks(s, p);
  let sep: '=' | ':' | 'enc';
  const d = s.charCodeAt(p);
  if (d === 61) {
    if (s.charCodeAt(p + 1) === 61) return null; // `==` is a comparison
    sep = '=';
    p++;
  } else if (d === 58) {
    if (s.charCodeAt(p + 1) === 58 || s.charCodeAt(p + 1) === 47) return null; // `::`, `:/`
    sep = ':';
    p++;
  } else if (d === 37 && s.slice(p, p + 3).toUpperCase() === '%3D') {
    sep = 'enc';
    p += 3;
  } else return null;
  const name = s.slice(i, end);
  if (sep === ':' && isR_H1(name)) {
    const span = quoted ? readValue(s, p, false) : readLine(s, p);
    if (!span || span.ve <= span.vs) return null;
    const v = s.slice(span.vs, span.ve);
    // Inside a URL the header rules' markers (with `#` and spaces) would split the URL: one URL-form marker.
    if (mode.url) return { reps: markerEndAt(s, span.vs) === span.ve ? [] : [[span.vs, span.ve, secretMarker(ctx, 'R-H1', v, true)]], next: span.next };
    const red = redactHeaderValue(ctx, name, v, mode.depth);
    return { reps: red === v ? [] : [[span.vs, span.ve, red]], next: span.next };
  }
  const azure = isAzureKeyName(name);
  const param = azure ? null : classifyParam(name);
  if (!azure && !param && squash(name) !== 'privatekey') return null;
  if (sep === ':' && !quoted && !isStrongName(name)) return null;
  const span = readValue(s, p, sep === 'enc');
  if (!span || span.ve <= span.vs) return null;
  if (markerEndAt(s, span.vs) === span.ve) return { reps: [], next: span.ve };
  const v = s.slice(span.vs, span.ve);
  if (span.structured) {
    // `"password": ["x"]`, `"client_secret": {"v": "x"}` in JSON the walker could not take (past its depth
    // cap, or invalid): the whole value goes, as one quoted marker so JSON-looking text stays JSON-looking.
    // Weak names (`"state": {…}`) keep their structure; their inner keys are scanned as usual.
    if (param?.weak) return null;
    const m = ctx.marker(azure ? 'R-P3' : 'R-P4', v, mode.url);
    return { reps: [[span.vs, span.ve, quoted && !mode.url ? `"${m}"` : m]], next: span.next };
  }
  if (LITERALS.has(v.toLowerCase())) return null;
  if (param?.weak && looksLikeWord(v)) return null;
  return { reps: [[span.vs, span.ve, secretMarker(ctx, azure ? 'R-P3' : 'R-P4', v, mode.url)]], next: span.next };
}

/** `<Password>x</Password>`, `<wsse:Password Type="…">x<`: the element text of a secret-named element. */
function xmlElement(ctx: Ctx, s: string, i: number, end: number, mode: ScanMode): WordResult | null {
  if (i === 0) return null;
  const prev = s.charCodeAt(i - 1);
  if (prev === 58 /* : */) {
    let j = i - 2;
    while (j >= 0 && i - j < 64 && isB64Url(s.charCodeAt(j))) j--;
    if (j < 0 || s.charCodeAt(j) !== 60) return null;
  } else if (prev !== 60 /* < */) return null;
  const after = s.charCodeAt(end);
  if (after !== 62 && after !== 32) return null;
  const name = s.slice(i, end);
  const param = classifyParam(name);
  if (!param && !isStrongName(name)) return null;
  let gt = end;
  const tagLimit = Math.min(s.length, end + 1024);
  while (gt < tagLimit && s.charCodeAt(gt) !== 62 && s.charCodeAt(gt) !== 60) gt++;
  if (s.charCodeAt(gt) !== 62 || s.charCodeAt(gt - 1) === 47 /* self-closing */) return null;
  const vs = gt + 1;
  const limit = Math.min(s.length, vs + VALUE_CAP);
  let ve = vs;
  while (ve < limit && s.charCodeAt(ve) !== 60) ve++;
  if (ve === vs) return null;
  const v = s.slice(vs, ve);
  if (param?.weak && looksLikeWord(v.trim())) return null;
  if (markerEndAt(s, vs) === ve) return { reps: [], next: ve };
  return { reps: [[vs, ve, secretMarker(ctx, 'R-P4', v, mode.url)]], next: ve };
}
