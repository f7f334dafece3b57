/**
 * Header rules (R-H1, R-H2, R-H3) and cookies (R-C1).
 * Secret header values keep their auth scheme (`Bearer [REDACTED:…]`) so the rules engine can still tell
 * "a bearer token was sent" from "no credentials"; cookies keep their names and Set-Cookie its attributes.
 */
import type { Header } from '../core/types.js';
import type { Ctx } from './context.js';
import { isMarker } from './markers.js';
import { sweepEntry, type FieldMemo, type MemoEntry } from './memo.js';
import { classifyHeader, normHeaderName, type HeaderClass } from './names.js';
import { redactTextCapped, secretMarker } from './text.js';
import { redactUrlInner } from './url.js';

/** Scheme words kept in front of a redacted credential, in any secret header. */
const KNOWN_SCHEMES = new Set([
  'bearer', 'basic', 'digest', 'token', 'sapisidhash', 'sapisid1phash', 'sapisid3phash', 'negotiate', 'ntlm', 'dpop',
  'mac', 'hoba', 'mutual', 'aws4-hmac-sha256', 'googlelogin', 'oauth', 'hawk', 'apikey', 'key', 'sharedkey',
  'sharedkeylite', 'sso-key', 'splunk', 'klaviyo-api-key', 'gitlab-ci-token',
]);

/**
 * An unknown scheme word kept in Authorization: letters and `- . _` only, at most 24 characters. Digits
 * are refused (known schemes with digits are listed), so the first half of a `<key> <signature>` style
 * credential is not mistaken for a scheme.
 */
function isSchemeToken(w: string): boolean {
  if (w.length === 0 || w.length > 24) return false;
  for (let k = 0; k < w.length; k++) {
    const c = w.charCodeAt(k);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!(letter || (k > 0 && (c === 45 || c === 46 || c === 95)))) return false;
  }
  return true;
}

/**
 * A wholly secret header value. `Scheme credential` keeps the scheme: known scheme words in any secret
 * header, and any RFC 7235 scheme token in Authorization/Proxy-Authorization, where the first word is the
 * scheme by definition.
 */
function secretHeaderValue(ctx: Ctx, n: string, rule: string, v: string): string {
  const body = v.trim();
  if (body.length === 0 || isMarker(body) || KNOWN_SCHEMES.has(body.toLowerCase())) return v;
  const sp = body.indexOf(' ');
  if (sp > 0 && sp <= 32) {
    const scheme = body.slice(0, sp);
    const isAuthz = n.endsWith('authorization');
    if (KNOWN_SCHEMES.has(scheme.toLowerCase()) || (isAuthz && isSchemeToken(scheme))) {
      const rest = body.slice(sp + 1).trim();
      if (rest.length === 0 || isMarker(rest)) return v;
      return scheme + ' ' + secretMarker(ctx, rule, rest, false);
    }
  }
  return secretMarker(ctx, rule, body, false);
}

/** R-C1 for one cookie value (a JWT keeps its claims in a JWT marker). Empty values stay empty. */
export function cookieValue(ctx: Ctx, v: string): string {
  if (v.trim().length === 0) return v;
  return secretMarker(ctx, 'R-C1', v.trim(), false);
}

/** `Cookie: a=1; b=2` → `a=[REDACTED:R-C1#…]; b=[REDACTED:R-C1#…]` (names kept, every value redacted). */
export function redactCookieHeader(ctx: Ctx, v: string): string {
  const parts = v.split(';');
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (isMarker(part.trim())) continue; // a nameless cookie redacted before (its marker may hold `=`)
    const eq = part.indexOf('=');
    if (eq < 0) {
      const t = part.trim();
      if (t.length > 0) parts[k] = part.slice(0, part.indexOf(t)) + cookieValue(ctx, t);
    } else {
      const val = part.slice(eq + 1);
      if (val.trim().length > 0) parts[k] = part.slice(0, eq + 1) + cookieValue(ctx, val);
    }
  }
  return parts.join(';');
}

/** Set-Cookie attributes kept verbatim (R-C1). */
const KEEP_ATTRS = new Set(['path', 'domain', 'expires', 'max-age', 'httponly', 'secure', 'samesite', 'partitioned', 'priority', 'version']);

/** `Set-Cookie: sid=abc; Path=/; HttpOnly` → value redacted, name and attributes kept. Several lines (HAR joins them with \n) each. */
export function redactSetCookie(ctx: Ctx, v: string): string {
  const lines = v.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const parts = lines[l]!.split(';');
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      const eq = part.indexOf('=');
      if (k === 0 && isMarker(part.trim())) continue;
      if (k === 0) {
        if (eq < 0) { if (part.trim().length > 0) parts[k] = cookieValue(ctx, part); }
        else if (part.slice(eq + 1).trim().length > 0) parts[k] = part.slice(0, eq + 1) + cookieValue(ctx, part.slice(eq + 1));
        continue;
      }
      if (eq < 0) continue; // flags (HttpOnly, Secure)
      const attr = part.slice(0, eq).trim().toLowerCase();
      const val = part.slice(eq + 1);
      if (!KEEP_ATTRS.has(attr) && val.trim().length > 0 && !isMarker(val.trim())) parts[k] = part.slice(0, eq + 1) + ctx.marker('R-C1', val.trim());
    }
    lines[l] = parts.join(';');
  }
  return lines.join('\n');
}

/** One header value, by its name. Throws only on bugs; callers wrap it (O2). */
export function redactHeaderValue(ctx: Ctx, name: string, value: string, depth = 0): string {
  const cls = classifyHeader(name);
  switch (cls.kind) {
    case 'cookie': return redactCookieHeader(ctx, value);
    case 'set-cookie': return redactSetCookie(ctx, value);
    case 'secret': return secretHeaderValue(ctx, normHeaderName(name), cls.rule, value);
    case 'url': return cls.single ? redactUrlInner(ctx, value.trim() === value ? value : value.trim(), depth) : redactTextCapped(ctx, value, { url: false, depth });
    case 'plain':
      if (value.charCodeAt(0) === 47 /* / */) return redactUrlInner(ctx, value, depth);
      return redactTextCapped(ctx, value, { url: false, depth });
  }
}

/**
 * Every header of a list, each one failing closed on its own (O2). A second pass sweeps all values for
 * echoes of what the first pass redacted (a cookie value repeated in a Referer, learned.ts).
 */
export function redactHeaderList(ctx: Ctx, headers: Header[]): Header[] {
  const out: Header[] = [];
  // Values of every class but `secret` depend on the value alone: memoized per class (memo.ts), since
  // a capture repeats the same Accept, User-Agent, Cookie… in every entry.
  const entries: Array<MemoEntry | null> = [];
  for (const h of headers) {
    let name = '';
    try {
      name = typeof h[0] === 'string' ? h[0] : String(h[0]);
      const value = typeof h[1] === 'string' ? h[1] : String(h[1]);
      const memo = headerMemo(ctx, classifyHeader(name));
      const e = memo === null ? null : memo.redact(ctx, value, (v) => redactHeaderValue(ctx, name, v));
      out.push([name, e === null ? redactHeaderValue(ctx, name, value) : e.out]);
      entries.push(e);
    } catch {
      out.push([name, ctx.error()]);
      entries.push(null);
    }
  }
  for (let k = 0; k < out.length; k++) {
    const h = out[k]!;
    const e = entries[k];
    const url = isUrlHeader(h[0]);
    if (e) {
      h[1] = sweepEntry(ctx, e, url);
      continue;
    }
    try {
      h[1] = ctx.sweep(h[1], url);
    } catch {
      h[1] = ctx.error();
    }
  }
  return out;
}

function headerMemo(ctx: Ctx, c: HeaderClass): FieldMemo | null {
  const m = ctx.memo;
  switch (c.kind) {
    case 'secret': return null;
    case 'cookie': return m.cookie;
    case 'set-cookie': return m.setCookie;
    case 'url': return c.single ? m.urlHeader : m.urlsHeader;
    case 'plain': return m.header;
  }
}

/** Headers whose value is a single URL (markers inside go in URL form). */
export function isUrlHeader(name: string): boolean {
  const c = classifyHeader(name);
  return c.kind === 'url' && c.single;
}
