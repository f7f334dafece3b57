/**
 * R-B1: JSON bodies (and JSON log lines) walked by a hand-written lexer over the raw text, with an explicit
 * stack (no recursion), a depth cap and a node cap. Only the string or number tokens that change are
 * replaced, so formatting, key order and big numbers survive byte for byte.
 * Returns null when the text is not JSON or a cap is hit: the caller falls back to the text patterns.
 */
import type { Ctx } from './context.js';
import { redactHeaderValue } from './headers.js';
import { isMarker } from './markers.js';
import {
  classifyHeader, classifyParam, isAzureKeyName, isQueryKey, isR_H1, isUrlKey, isUserKey, looksLikeWord, squash,
} from './names.js';
import { scanText, secretMarker, TEXT } from './text.js';
import { redactQueryInner, redactUrlInner } from './url.js';

export const JSON_DEPTH_CAP = 64;
export const JSON_NODE_CAP = 200_000;

export type KeyClass =
  | { k: 'secret'; rule: string; weak: boolean }
  | { k: 'header'; name: string }
  | { k: 'url' }
  | { k: 'query' }
  | { k: 'user' };

interface Frame {
  obj: boolean;
  expectKey: boolean;
  keyCls: KeyClass | null;
  /** Set when the container itself sits under a secret key: everything inside is secret. */
  inherit: KeyClass | null;
}

export interface JsonOptions {
  /** Log-line mode: header-name heuristics on keys (R-H2), user fields hashed (R-L1). */
  log: boolean;
  depthCap?: number;
  nodeCap?: number;
}

const LOG_PREFIXES = ['request_', 'response_', 'downstream_', 'origin_', 'req_', 'resp_'];

export function classifyKey(key: string, log: boolean): KeyClass | null {
  if (key.length === 0 || key.length > 256) return null;
  if (isR_H1(key)) return { k: 'header', name: key };
  if (log) {
    let h = key;
    for (const p of LOG_PREFIXES) if (h.toLowerCase().startsWith(p)) { h = h.slice(p.length); break; }
    const hc = classifyHeader(h);
    if (hc.kind === 'cookie' || hc.kind === 'set-cookie' || hc.kind === 'secret') return { k: 'header', name: h };
    if (isUserKey(key)) return { k: 'user' };
  }
  if (isAzureKeyName(key)) return { k: 'secret', rule: 'R-P3', weak: false };
  const p = classifyParam(key);
  if (p) return { k: 'secret', rule: 'R-B1', weak: p.weak };
  if (squash(key) === 'privatekey') return { k: 'secret', rule: 'R-B1', weak: false };
  if (isQueryKey(key)) return { k: 'query' };
  if (isUrlKey(key)) return { k: 'url' };
  return null;
}

/** Key classes for HAR sweeps and record extras (body rules, no log heuristics). */
export function classifyKeyForSweep(key: string): KeyClass | null {
  return classifyKey(key, false);
}

function governing(top: Frame | undefined): KeyClass | null {
  if (!top) return null;
  return top.inherit ?? (top.obj ? top.keyCls : null);
}

function decodeJsonString(raw: string): string | null {
  if (raw.indexOf('\\') < 0) return raw;
  try {
    return JSON.parse('"' + raw + '"') as string;
  } catch {
    return null;
  }
}

function validContent(raw: string): boolean {
  try {
    JSON.parse('"' + raw + '"');
    return true;
  } catch {
    return false;
  }
}

/** A redacted string token body; falls back to [REDACTED:error] if the result would break the JSON (O2). */
function checked(ctx: Ctx, raw: string, red: string): string {
  if (red === raw) return raw;
  if (validContent(red) || !validContent(raw)) return red;
  return ctx.error();
}

function redactStringToken(ctx: Ctx, raw: string, cls: KeyClass | null): string {
  if (cls === null) return checked(ctx, raw, scanText(ctx, raw, TEXT));
  switch (cls.k) {
    case 'url': return checked(ctx, raw, redactUrlInner(ctx, raw, 0));
    case 'query': return checked(ctx, raw, redactQueryInner(ctx, raw, 0));
    case 'header': {
      const dec = decodeJsonString(raw);
      if (dec === null) return ctx.error();
      const red = redactHeaderValue(ctx, cls.name, dec);
      return red === dec ? raw : JSON.stringify(red).slice(1, -1);
    }
    case 'user': {
      const dec = decodeJsonString(raw) ?? raw;
      if (dec === '' || dec === '-' || isMarker(dec)) return raw;
      return ctx.marker('R-L1', dec);
    }
    case 'secret': {
      const dec = decodeJsonString(raw) ?? raw;
      if (dec.length === 0 || isMarker(dec)) return raw;
      if (cls.weak && looksLikeWord(dec)) return raw;
      return secretMarker(ctx, cls.rule, dec, false);
    }
  }
}

function isLiteralChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 45 || c === 46;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Redacts JSON text (one value, or several separated by whitespace: NDJSON). The first non-space
 * character must open an object or array. Null: not JSON, truncated, or over a cap.
 */
export function redactJsonText(ctx: Ctx, s: string, opts: JsonOptions): string | null {
  const depthCap = opts.depthCap ?? JSON_DEPTH_CAP;
  const nodeCap = opts.nodeCap ?? JSON_NODE_CAP;
  const n = s.length;
  let i = 0;
  while (i < n && isWs(s.charCodeAt(i))) i++;
  if (i >= n || (s.charCodeAt(i) !== 123 && s.charCodeAt(i) !== 91)) return null;
  const stack: Frame[] = [];
  let nodes = 0;
  let out: string[] | null = null;
  let last = 0;
  const emit = (from: number, to: number, text: string): void => {
    (out ??= []).push(s.slice(last, from), text);
    last = to;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isWs(c)) { i++; continue; }
    const top = stack[stack.length - 1];
    if (c === 123 || c === 91) {
      if (top && top.obj && top.expectKey) return null;
      if (stack.length >= depthCap || ++nodes > nodeCap) return null;
      const gov = governing(top);
      stack.push({ obj: c === 123, expectKey: c === 123, keyCls: null, inherit: gov && (gov.k === 'secret' || gov.k === 'header') ? gov : null });
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      if (!top || top.obj !== (c === 125)) return null;
      stack.pop();
      i++;
      continue;
    }
    if (c === 44) {
      if (!top) return null;
      if (top.obj) top.expectKey = true;
      i++;
      continue;
    }
    if (c === 58) {
      if (!top || !top.obj || top.expectKey) return null;
      i++;
      continue;
    }
    if (c === 34) {
      let e = i + 1;
      while (e < n) {
        const d = s.charCodeAt(e);
        if (d === 34) break;
        e += d === 92 ? 2 : 1;
      }
      if (e >= n) return null;
      const raw = s.slice(i + 1, e);
      if (top && top.obj && top.expectKey) {
        const key = decodeJsonString(raw);
        top.keyCls = key === null ? null : classifyKey(key, opts.log);
        top.expectKey = false;
        i = e + 1;
        continue;
      }
      if (++nodes > nodeCap) return null;
      const red = redactStringToken(ctx, raw, governing(top));
      if (red !== raw) emit(i + 1, e, red);
      i = e + 1;
      continue;
    }
    if (isLiteralChar(c)) {
      if (top && top.obj && top.expectKey) return null;
      let e = i;
      while (e < n && isLiteralChar(s.charCodeAt(e))) e++;
      const lit = s.slice(i, e);
      const isNum = lit !== 'true' && lit !== 'false' && lit !== 'null';
      if (isNum && !Number.isFinite(Number(lit))) return null;
      if (++nodes > nodeCap) return null;
      const gov = governing(top);
      if (isNum && gov && (gov.k === 'secret' || gov.k === 'header')) {
        const weakKeep = gov.k === 'secret' && gov.weak && looksLikeWord(lit);
        if (!weakKeep) emit(i, e, '"' + secretMarker(ctx, gov.k === 'secret' ? gov.rule : 'R-H1', lit, false) + '"');
      }
      i = e;
      continue;
    }
    return null;
  }
  if (stack.length > 0) return null;
  if (!out) return s;
  (out as string[]).push(s.slice(last));
  return (out as string[]).join('');
}
