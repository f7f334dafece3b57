/**
 * HAR-level redaction for `faultline sanitize` (security.md B-8 list, O4: the parsed structure, never the
 * serialized text). Known places get their specific rule; then a sweep visits every other string in the
 * entry (unknown `_fields`, `_initiator` stacks, comments) with key-aware rules and patterns.
 */
import { type Ctx, SCAN_CAP } from './context.js';
import { dropBody, isDroppedType, isTextual, parseMime, redactBodyInner } from './body.js';
import { cookieValue, isUrlHeader, redactHeaderValue } from './headers.js';
import { classifyKeyForSweep } from './json.js';
import { isMarker } from './markers.js';
import { classifyParam, isUrlKey } from './names.js';
import { redactTextCapped, secretMarker } from './text.js';
import { redactQueryInner, redactUrlInner, safeDecode } from './url.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

/** Deepest nesting the sweep follows; deeper values are replaced (O2). */
const SWEEP_DEPTH_CAP = 64;
/** Values the sweep visits per entry before it replaces the rest (O2). */
const SWEEP_NODE_CAP = 1_000_000;

class Done {
  private readonly keys = new WeakMap<object, Set<string>>();
  mark(o: object, k: string): void {
    let s = this.keys.get(o);
    if (!s) this.keys.set(o, (s = new Set()));
    s.add(k);
  }
  has(o: object, k: string): boolean {
    return this.keys.get(o)?.has(k) ?? false;
  }
}

/** Runs one field's redaction; on any exception the field becomes [REDACTED:error] (O2). Marks it done. */
function guard(ctx: Ctx, done: Done, o: Obj, k: string, fn: (v: string) => string): void {
  const v = o[k];
  done.mark(o, k);
  if (typeof v !== 'string') return;
  try {
    o[k] = fn(v);
  } catch {
    o[k] = ctx.error();
  }
}

function headerArray(ctx: Ctx, done: Done, parent: Obj, key: string): void {
  const hs = parent[key];
  if (Array.isArray(hs)) {
    for (const h of hs) {
      const o = obj(h);
      if (!o) continue;
      const name = typeof o['name'] === 'string' ? o['name'] : '';
      done.mark(o, 'name');
      guard(ctx, done, o, 'value', (v) => redactHeaderValue(ctx, name, v));
    }
    return;
  }
  // B-6: headers given as an object { name: value | [values] }.
  const o = obj(hs);
  if (!o) return;
  for (const name of Object.keys(o)) {
    const v = o[name];
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        if (typeof v[k] !== 'string') continue;
        try { v[k] = redactHeaderValue(ctx, name, v[k] as string); } catch { v[k] = ctx.error(); }
      }
      done.mark(o, name);
    } else guard(ctx, done, o, name, (s) => redactHeaderValue(ctx, name, s));
  }
}

function cookieArray(ctx: Ctx, done: Done, parent: Obj, key: string): void {
  const raw = parent[key];
  // IE 11's exporter writes a single cookie object instead of an array.
  const cs = Array.isArray(raw) ? raw : obj(raw) ? [raw] : [];
  for (const c of cs) {
    const o = obj(c);
    if (!o) continue;
    done.mark(o, 'name');
    guard(ctx, done, o, 'value', (v) => cookieValue(ctx, v));
  }
}

function queryArray(ctx: Ctx, done: Done, parent: Obj, key: string): void {
  const qs = parent[key];
  if (!Array.isArray(qs)) return;
  for (const q of qs) {
    const o = obj(q);
    if (!o) continue;
    const name = typeof o['name'] === 'string' ? o['name'] : '';
    done.mark(o, 'name');
    const cls = classifyParam(safeDecode(name));
    guard(ctx, done, o, 'value', (v) => (cls && v.length > 0 ? secretMarker(ctx, cls.rule, safeDecode(v), false) : redactTextCapped(ctx, v)));
  }
}

function postData(ctx: Ctx, done: Done, req: Obj): void {
  const pd = obj(req['postData']);
  if (!pd) return;
  const mime = typeof pd['mimeType'] === 'string' ? pd['mimeType'] : null;
  done.mark(pd, 'mimeType');
  guard(ctx, done, pd, 'text', (t) => redactBodyInner(ctx, t, mime, { response: false }));
  const params = pd['params'];
  if (!Array.isArray(params)) return;
  for (const p of params) {
    const o = obj(p);
    if (!o) continue;
    const name = typeof o['name'] === 'string' ? o['name'] : '';
    done.mark(o, 'name');
    done.mark(o, 'contentType');
    if ('fileName' in o) {
      // R-B2: file parts keep name, content type and size; content and file name go.
      guard(ctx, done, o, 'fileName', (v) => (v.length > 0 ? ctx.marker('R-B2', v) : v));
      guard(ctx, done, o, 'value', (v) => (v.length > 0 ? `${ctx.marker('R-B2', v)} (${v.length} bytes)` : v));
      continue;
    }
    const cls = classifyParam(safeDecode(name));
    guard(ctx, done, o, 'value', (v) => (cls && v.length > 0 ? secretMarker(ctx, cls.rule, safeDecode(v), false) : redactTextCapped(ctx, v)));
  }
}

/** Largest base64 text we decode to scan (1 MiB of content). */
const BASE64_CAP = Math.ceil((SCAN_CAP * 4) / 3) + 4;

function content(ctx: Ctx, done: Done, res: Obj): void {
  const c = obj(res['content']);
  if (!c) return;
  const mime = typeof c['mimeType'] === 'string' ? c['mimeType'] : null;
  done.mark(c, 'mimeType');
  done.mark(c, 'encoding');
  if (typeof c['text'] !== 'string') return;
  let dropped = false;
  if (c['encoding'] === 'base64') {
    guard(ctx, done, c, 'text', (t) => {
      const ess = parseMime(mime).essence;
      if (isDroppedType(ess)) { dropped = true; return dropBody(ctx, 'R-M1', t); }
      if (!isTextual(ess) || t.length > BASE64_CAP) { dropped = true; return dropBody(ctx, 'R-B4', t); }
      let dec: string;
      try {
        dec = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(t, 'base64'));
      } catch {
        dropped = true;
        return dropBody(ctx, 'R-B4', t);
      }
      const red = redactBodyInner(ctx, dec, mime, { response: true });
      if (red === dec) return t;
      if (isMarker(red)) { dropped = true; return red; }
      return Buffer.from(red, 'utf8').toString('base64');
    });
  } else {
    guard(ctx, done, c, 'text', (t) => redactBodyInner(ctx, t, mime, { response: true }));
  }
  // A marker is not base64: say so, so HAR viewers show it as text.
  if (dropped || (typeof c['text'] === 'string' && isMarker(c['text']))) delete c['encoding'];
}

function webSocketMessages(ctx: Ctx, done: Done, entry: Obj): void {
  const ms = entry['_webSocketMessages'];
  if (!Array.isArray(ms)) return;
  for (const m of ms) {
    const o = obj(m);
    if (!o) continue;
    // R-B5: same rules as bodies. Opcode 2 frames are binary (base64 in Chrome's HAR): R-B4.
    const binary = o['opcode'] === 2;
    guard(ctx, done, o, 'data', (d) => (binary ? dropBody(ctx, 'R-B4', d) : redactBodyInner(ctx, d, null, { response: false })));
  }
}

/** Every string not handled above: key-aware (secret keys, URL keys), then the text patterns. */
function sweep(ctx: Ctx, root: Obj, done: Done): void {
  type Item = { o: Obj | unknown[]; depth: number; inheritKey: string | null };
  const stack: Item[] = [{ o: root, depth: 0, inheritKey: null }];
  let nodes = 0;
  while (stack.length > 0) {
    const { o, depth, inheritKey } = stack.pop()!;
    const keys: Array<string | number> = Array.isArray(o) ? o.map((_, k) => k) : Object.keys(o);
    for (const k of keys) {
      if (!Array.isArray(o) && done.has(o, k as string)) continue;
      const keyName = Array.isArray(o) ? inheritKey : (k as string);
      const v = (o as Record<string | number, unknown>)[k];
      if (v === null || typeof v === 'boolean' || v === undefined) continue;
      nodes++;
      const set = (nv: unknown): void => { (o as Record<string | number, unknown>)[k] = nv; };
      if (nodes > SWEEP_NODE_CAP) { set(ctx.error()); continue; }
      if (typeof v === 'object') {
        if (depth + 1 > SWEEP_DEPTH_CAP) { set(ctx.error()); continue; }
        stack.push({ o: v as Obj | unknown[], depth: depth + 1, inheritKey: keyName });
        continue;
      }
      try {
        const cls = keyName === null ? null : classifyKeyForSweep(keyName);
        if (typeof v === 'number') {
          if (cls && (cls.k === 'secret' || cls.k === 'header') && Number.isFinite(v)) set(secretMarker(ctx, 'R-P4', String(v), false));
          continue;
        }
        if (typeof v !== 'string' || v.length === 0) continue;
        let red: string;
        if (cls === null) red = redactTextCapped(ctx, v);
        else if (cls.k === 'secret') red = secretMarker(ctx, 'R-P4', v, false);
        else if (cls.k === 'header') red = redactHeaderValue(ctx, cls.name, v);
        else if (cls.k === 'url') red = redactUrlInner(ctx, v, 0);
        else if (cls.k === 'query') red = redactQueryInner(ctx, v, 0);
        else red = redactTextCapped(ctx, v);
        if (red !== v) set(red);
      } catch {
        set(ctx.error());
      }
    }
  }
}

/**
 * Last pass over every string of the object: echoes of values redacted anywhere so far (learned.ts).
 * URL-valued fields get URL-form markers.
 */
function echoSweep(ctx: Ctx, root: Obj): void {
  const stack: Array<{ o: Obj | unknown[]; depth: number }> = [{ o: root, depth: 0 }];
  while (stack.length > 0) {
    const { o, depth } = stack.pop()!;
    if (Array.isArray(o)) {
      for (let k = 0; k < o.length; k++) {
        const v = o[k];
        if (typeof v === 'string') o[k] = ctx.sweep(v, false);
        else if (v !== null && typeof v === 'object' && depth < SWEEP_DEPTH_CAP) stack.push({ o: v as Obj, depth: depth + 1 });
      }
      continue;
    }
    const headerName = typeof o['name'] === 'string' && typeof o['value'] === 'string' ? o['name'] : null;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'string') {
        const url = isUrlKey(k) || (k === 'value' && headerName !== null && isUrlHeader(headerName));
        const red = ctx.sweep(v, url);
        if (red !== v) o[k] = red;
      } else if (v !== null && typeof v === 'object' && depth < SWEEP_DEPTH_CAP) stack.push({ o: v as Obj, depth: depth + 1 });
    }
  }
}

export function redactHarEntryInner(ctx: Ctx, entry: Obj): void {
  const done = new Done();
  const req = obj(entry['request']);
  if (req) {
    guard(ctx, done, req, 'url', (u) => redactUrlInner(ctx, u, 0));
    headerArray(ctx, done, req, 'headers');
    cookieArray(ctx, done, req, 'cookies');
    queryArray(ctx, done, req, 'queryString');
    postData(ctx, done, req);
  }
  const res = obj(entry['response']);
  if (res) {
    headerArray(ctx, done, res, 'headers');
    cookieArray(ctx, done, res, 'cookies');
    guard(ctx, done, res, 'redirectURL', (u) => redactUrlInner(ctx, u, 0));
    content(ctx, done, res);
  }
  webSocketMessages(ctx, done, entry);
  sweep(ctx, entry, done);
  try {
    echoSweep(ctx, entry);
  } catch {
    // The rule passes above already ran; an echo sweep failure leaves their result, counted.
    ctx.count('error');
  }
}

function looksLikeUrl(s: string): boolean {
  const c = s.indexOf('://');
  return c > 0 && c <= 8 && s.indexOf(' ') < 0;
}

export function redactHarPageInner(ctx: Ctx, page: Obj): void {
  const done = new Done();
  guard(ctx, done, page, 'title', (t) => (looksLikeUrl(t) ? redactUrlInner(ctx, t, 0) : redactTextCapped(ctx, t)));
  sweep(ctx, page, done);
  try {
    echoSweep(ctx, page);
  } catch {
    ctx.count('error');
  }
}
