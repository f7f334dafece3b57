/**
 * Body dispatch (R-B1 JSON, R-B2 form and multipart, R-B3 other text, R-B4 binary, R-M1 dropped types).
 */
import { createHash } from 'node:crypto';
import { type Ctx, SCAN_CAP } from './context.js';
import { redactHeaderValue } from './headers.js';
import { redactJsonText } from './json.js';
import { isMarker } from './markers.js';
import { recording, replay } from './memo.js';
import { classifyParam } from './names.js';
import { redactTextCapped, scanText, secretMarker, TEXT } from './text.js';
import { redactQueryInner } from './url.js';

export interface Mime {
  /** `type/subtype`, lower-cased, or '' when unknown. */
  essence: string;
  params: Map<string, string>;
}

export function parseMime(mime: string | null | undefined): Mime {
  const params = new Map<string, string>();
  if (!mime) return { essence: '', params };
  const parts = mime.split(';');
  const essence = parts[0]!.trim().toLowerCase();
  for (let k = 1; k < parts.length; k++) {
    const p = parts[k]!;
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params.set(p.slice(0, eq).trim().toLowerCase(), v);
  }
  return { essence, params };
}

/** R-M1: response bodies dropped by default (size and hash kept by the caller). */
export function isDroppedType(essence: string): boolean {
  return essence === 'application/javascript' || essence === 'text/javascript' || essence === 'application/x-javascript'
    || essence === 'text/css' || essence === 'text/html' || essence === 'text/xml' || essence === 'application/xhtml+xml'
    || essence.startsWith('image/') || essence.startsWith('font/') || essence.startsWith('audio/') || essence.startsWith('video/')
    || essence === 'application/octet-stream' || essence === 'binary/octet-stream' || essence.startsWith('application/font')
    || essence.startsWith('application/x-font');
}

const TEXTUAL_APP = new Set([
  'application/x-www-form-urlencoded', 'application/graphql', 'application/x-ndjson', 'application/jsonl',
  'application/jwt', 'application/jose', 'application/sql', 'application/csv', 'application/x-sh',
  'application/yaml', 'application/x-yaml', 'application/ecmascript', 'application/x-httpd-php', 'application/text',
]);

/** Text we can scan. Unknown `application/*` (protobuf, zip, pdf, wasm…) is binary (R-B4). */
export function isTextual(essence: string): boolean {
  if (essence === '' || essence.startsWith('text/') || essence.startsWith('multipart/')) return true;
  if (!essence.startsWith('application/')) return !(essence.startsWith('image/') || essence.startsWith('audio/') || essence.startsWith('video/') || essence.startsWith('font/'));
  return essence.endsWith('json') || essence.endsWith('+xml') || essence.endsWith('/xml') || essence.endsWith('yaml')
    || TEXTUAL_APP.has(essence) || essence.endsWith('javascript');
}

function isJsonType(essence: string): boolean {
  return essence.endsWith('/json') || essence.endsWith('+json') || essence === 'text/json' || essence.endsWith('-json')
    || essence === 'application/x-ndjson' || essence === 'application/jsonl' || essence.endsWith('json-seq');
}

function sniffJson(s: string): boolean {
  for (let k = 0; k < s.length && k < 1024; k++) {
    const c = s.charCodeAt(k);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) continue;
    return c === 123 || c === 91;
  }
  return false;
}

export interface BodyOptions {
  /** Response bodies honour R-M1 (drop). Request bodies are kept and scanned (they carry the failing input). */
  response?: boolean;
  /** Nesting (multipart part inside multipart). */
  depth?: number;
}

/** A dropped body: one marker over the whole content, counted under `rule`. */
export function dropBody(ctx: Ctx, rule: string, text: string): string {
  return ctx.marker(rule, text);
}

/** R-B1/R-B2/R-B3/R-B4/R-M1 dispatch for one body. */
export function redactBodyInner(ctx: Ctx, text: string, mime: string | null, opts: BodyOptions = {}): string {
  if (text.length === 0 || isMarker(text)) return text;
  if ((opts.depth ?? 0) !== 0 || text.length < MEMO_MIN_CHARS || text.length > MEMO_MAX_CHARS || (mime?.length ?? 0) > 256) {
    return redactBodyUncached(ctx, text, mime, opts);
  }
  return bodyMemo(ctx).redact(ctx, text, mime, opts.response !== false, () => redactBodyUncached(ctx, text, mime, opts));
}

/**
 * Memo of whole-body results per redaction context. Captures repeat response bodies (a polled status
 * document, the same error body on every retry) and the tokenizers cost ~60 ns per character, so a
 * repeat is answered from here. As in memo.ts, what keeps this exact: the result is a pure function of
 * text, MIME type and direction; the rule counts a computation produced are replayed on each hit; and a
 * hit skips learning, which would find the values already known (or refuse them again: the learned
 * set only grows). The echo sweep runs after, on every body, as before.
 * Keys are SHA-256 digests, so no body (nor the larger text a body excerpt may be sliced from) is kept alive.
 */
class BodyMemo {
  private readonly map = new Map<string, { out: string | null; counts: Array<string | number> | null }>();
  /** Characters of the results held (an unchanged body is not held: `out` null). */
  private chars = 0;

  redact(ctx: Ctx, text: string, mime: string | null, response: boolean, compute: () => string): string {
    const key = `${response ? 'r' : 'q'}${mime ?? ''}\n${createHash('sha256').update(text).digest('base64')}`;
    const hit = this.map.get(key);
    if (hit !== undefined) {
      replay(ctx, hit.counts);
      return hit.out ?? text;
    }
    const { out, counts } = recording(ctx, compute);
    if (this.map.size >= MEMO_MAX_ENTRIES || this.chars >= MEMO_MAX_HELD) {
      this.map.clear();
      this.chars = 0;
    }
    const changed = out !== text;
    this.map.set(key, { out: changed ? detached(out) : null, counts });
    if (changed) this.chars += out.length;
    return out;
  }
}

/** Bodies shorter than this are cheap to redact again (the digest would cost about as much). */
const MEMO_MIN_CHARS = 512;
/** Longer bodies are not memoized (the ingest excerpt is 64 Ki characters; sanitize may pass more). */
const MEMO_MAX_CHARS = 256 * 1024;
const MEMO_MAX_ENTRIES = 1024;
/** Result characters held per context before the memo is cleared (bounded memory). */
const MEMO_MAX_HELD = 1024 * 1024;

const bodyMemos = new WeakMap<Ctx, BodyMemo>();

function bodyMemo(ctx: Ctx): BodyMemo {
  let m = bodyMemos.get(ctx);
  if (m === undefined) bodyMemos.set(ctx, (m = new BodyMemo()));
  return m;
}

/**
 * A flat copy of `s`. A result built with slices and `+` can point into its input, and a body excerpt
 * can be a slice of a much larger response text: the memo must hold neither. UTF-16LE round-trips any
 * JavaScript string, lone surrogates included.
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

function redactBodyUncached(ctx: Ctx, text: string, mime: string | null, opts: BodyOptions): string {
  const m = parseMime(mime);
  if (opts.response !== false && isDroppedType(m.essence)) return dropBody(ctx, 'R-M1', text);
  if (!isTextual(m.essence)) return dropBody(ctx, 'R-B4', text);
  if (m.essence.startsWith('multipart/') && (opts.depth ?? 0) === 0) {
    const r = redactMultipart(ctx, text, m);
    if (r !== null) return r;
    return redactTextCapped(ctx, text, TEXT);
  }
  if (m.essence === 'application/x-www-form-urlencoded') {
    if (text.length > SCAN_CAP) return redactTextCapped(ctx, text, TEXT);
    return redactQueryInner(ctx, text, 0);
  }
  if ((isJsonType(m.essence) || sniffJson(text)) && text.length <= SCAN_CAP) {
    const r = redactJsonText(ctx, text, { log: false });
    if (r !== null) return r;
  }
  return redactTextCapped(ctx, text, TEXT);
}

/** Finds the blank line ending a part's headers: index of the body start and the header block end. */
function splitPart(part: string): { headEnd: number; bodyStart: number } | null {
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headEnd: lf, bodyStart: lf + 2 };
  return null;
}

/** `name="x"` / `filename="y"` parameters of a Content-Disposition value. */
function dispositionParams(v: string): Map<string, { start: number; end: number; value: string }> {
  const out = new Map<string, { start: number; end: number; value: string }>();
  let q = v.indexOf(';');
  while (q >= 0 && q < v.length) {
    q++;
    while (q < v.length && v[q] === ' ') q++;
    const eq = v.indexOf('=', q);
    if (eq < 0) break;
    const name = v.slice(q, eq).trim().toLowerCase();
    let vs = eq + 1;
    let ve: number;
    if (v[vs] === '"') {
      vs++;
      ve = vs;
      while (ve < v.length && v[ve] !== '"') ve += v[ve] === '\\' ? 2 : 1;
      ve = Math.min(ve, v.length);
      q = v.indexOf(';', ve);
    } else {
      ve = v.indexOf(';', vs);
      if (ve < 0) ve = v.length;
      q = ve;
    }
    out.set(name, { start: vs, end: ve, value: v.slice(vs, ve) });
    if (q < 0) break;
  }
  return out;
}

/** One multipart part (between delimiters, leading newline included). */
function redactPart(ctx: Ctx, part: string): string {
  const sp = splitPart(part);
  if (sp === null) return scanText(ctx, part, TEXT);
  const head = part.slice(0, sp.headEnd);
  // The body runs to the CRLF that precedes the next delimiter.
  let bodyEnd = part.length;
  if (part.endsWith('\r\n')) bodyEnd -= 2;
  else if (part.endsWith('\n')) bodyEnd -= 1;
  bodyEnd = Math.max(bodyEnd, sp.bodyStart);
  const body = part.slice(sp.bodyStart, bodyEnd);
  const lines = head.split('\n');
  let fieldName: string | null = null;
  let isFile = false;
  let partType: string | null = null;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const hname = line.slice(0, colon).trim();
    const cr = line.endsWith('\r') ? '\r' : '';
    const value = line.slice(colon + 1, line.length - cr.length);
    const lname = hname.toLowerCase();
    if (lname === 'content-disposition') {
      const params = dispositionParams(value);
      fieldName = params.get('name')?.value ?? null;
      const fn = params.get('filename') ?? params.get('filename*');
      if (fn) {
        isFile = true;
        const red = fn.value.length > 0 ? ctx.marker('R-B2', fn.value) : fn.value;
        lines[k] = line.slice(0, colon + 1) + value.slice(0, fn.start) + red + value.slice(fn.end) + cr;
        // filename and filename* may both be present: drop the other one too.
        const other = params.get(fn === params.get('filename') ? 'filename*' : 'filename');
        if (other && other.value.length > 0) lines[k] = lines[k]!.split(other.value).join(ctx.marker('R-B2', other.value));
      }
    } else if (lname === 'content-type') {
      partType = value.trim();
    } else {
      lines[k] = line.slice(0, colon + 1) + redactHeaderValue(ctx, hname, value) + cr;
    }
  }
  let newBody: string;
  if (isFile) newBody = body.length > 0 ? `${ctx.marker('R-B2', body)} (${body.length} bytes)` : body;
  else {
    const cls = fieldName !== null ? classifyParam(fieldName) : null;
    if (cls && body.length > 0) newBody = secretMarker(ctx, cls.rule, body, false);
    else newBody = redactBodyInner(ctx, body, partType ?? 'text/plain', { response: false, depth: 1 });
  }
  return lines.join('\n') + part.slice(sp.headEnd, sp.bodyStart) + newBody + part.slice(bodyEnd);
}

/** R-B2 over multipart/form-data. Null when the body does not split on its boundary. */
export function redactMultipart(ctx: Ctx, text: string, m: Mime): string | null {
  let boundary = m.params.get('boundary') ?? null;
  if (boundary === null) {
    // Sniff: the body starts with `--boundary` on its own line.
    if (!text.startsWith('--')) return null;
    const nl = text.indexOf('\n');
    if (nl < 3 || nl > 200) return null;
    boundary = text.slice(2, nl).replace(/\r$/, '');
  }
  if (boundary.length === 0 || boundary.length > 200) return null;
  const delim = '--' + boundary;
  let idx = text.indexOf(delim);
  if (idx < 0) return null;
  const out: string[] = [scanText(ctx, text.slice(0, idx), TEXT)];
  for (;;) {
    const after = idx + delim.length;
    if (text.startsWith('--', after)) {
      out.push(delim + '--' + scanText(ctx, text.slice(after + 2), TEXT));
      break;
    }
    const next = text.indexOf(delim, after);
    const part = text.slice(after, next < 0 ? text.length : next);
    out.push(delim + redactPart(ctx, part));
    if (next < 0) break;
    idx = next;
  }
  return out.join('');
}
