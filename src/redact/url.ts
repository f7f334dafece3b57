/**
 * URL rules (R-U1, R-U2, R-U3, R-Q1, R-Q2). URLs are split by hand (no `new URL`, which rewrites what it
 * parses and throws on what browsers still send). Markers inside URLs use the URL form (%20, %23, %3D)
 * so the result still splits into the same path, query and fragment.
 */
import { type Ctx, SCAN_CAP } from './context.js';
import { isMarker, markerEndAt } from './markers.js';
import { classifyParam } from './names.js';
import { scanText, secretMarker, type ScanMode } from './text.js';

/** Decodes `%XX` and `+`; returns the input when it is not valid percent-encoding. */
export function safeDecode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const URL_MODES: ScanMode[] = [0, 1, 2, 3, 4, 5].map((depth) => ({ url: true, depth }));
function urlMode(depth: number): ScanMode {
  return URL_MODES[Math.min(depth, URL_MODES.length - 1)]!;
}

/**
 * Redacts a full URL (`scheme://user:pass@host/path?query#fragment`), an origin-form target (`/path?q`),
 * or anything else URL-like (`data:`, `host:port`). `depth` bounds URL-in-URL nesting.
 */
export function redactUrlInner(ctx: Ctx, url: string, depth: number): string {
  if (url.length > SCAN_CAP) {
    return redactUrlInner(ctx, url.slice(0, SCAN_CAP), depth) + ctx.marker('truncated', url.slice(SCAN_CAP), true);
  }
  let p = 0;
  let head = '';
  // scheme
  const c0 = url.charCodeAt(0);
  if ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) {
    let q = 1;
    while (q < url.length && q < 32) {
      const c = url.charCodeAt(q);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) q++;
      else break;
    }
    if (url.charCodeAt(q) === 58 /* : */) {
      if (url.startsWith('//', q + 1)) {
        p = q + 3;
        let a = p;
        while (a < url.length) {
          const c = url.charCodeAt(a);
          if (c === 47 || c === 63 || c === 35 || c === 92) break;
          a++;
        }
        head = url.slice(0, p) + redactAuthority(ctx, url.slice(p, a));
        p = a;
      } else {
        const scheme = url.slice(0, q).toLowerCase();
        if (scheme !== 'http' && scheme !== 'https' && !/^[0-9]/.test(url.slice(q + 1, q + 2))) {
          // data:, blob:, javascript:, mailto:, urn:… carry no URL structure we can use: patterns only.
          return url.slice(0, q + 1) + scanText(ctx, url.slice(q + 1), urlMode(depth));
        }
      }
    }
  } else if (url.startsWith('//')) {
    // scheme-relative
    let a = 2;
    while (a < url.length && !'/?#'.includes(url[a]!)) a++;
    head = '//' + redactAuthority(ctx, url.slice(2, a));
    p = a;
  }
  const rest = url.slice(p);
  const qm = rest.indexOf('?');
  const hm = rest.indexOf('#');
  const pathEnd = qm >= 0 && (hm < 0 || qm < hm) ? qm : hm >= 0 ? hm : rest.length;
  let out = head + redactPath(ctx, rest.slice(0, pathEnd), depth);
  if (qm >= 0 && (hm < 0 || qm < hm)) {
    const qEnd = hm >= 0 ? hm : rest.length;
    out += '?' + redactQueryInner(ctx, rest.slice(qm + 1, qEnd), depth);
  }
  if (hm >= 0) out += '#' + redactFragment(ctx, rest.slice(hm + 1), depth);
  return out;
}

/** R-U1: `user:pass@host` — the password always goes, the user name is kept as a hash. */
export function redactAuthority(ctx: Ctx, auth: string): string {
  const at = auth.lastIndexOf('@');
  if (at < 0) return auth;
  const info = auth.slice(0, at);
  // An already-redacted user name is a marker, whose own `:` is not the separator.
  const userMarkerEnd = markerEndAt(info, 0);
  const colon = userMarkerEnd > 0 ? (info[userMarkerEnd] === ':' ? userMarkerEnd : -1) : info.indexOf(':');
  const user = colon >= 0 ? info.slice(0, colon) : info;
  const pass = colon >= 0 ? info.slice(colon + 1) : null;
  let red = user.length > 0 && !isMarker(user) ? ctx.marker('R-U1', safeDecode(user), true) : user;
  if (pass !== null) red += ':' + (isMarker(pass) ? pass : ctx.marker('R-U1', safeDecode(pass), true));
  return red + auth.slice(at);
}

function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

/**
 * R-U3: a path segment of 32+ characters from [A-Za-z0-9_-] (hex included) that looks random: it has a
 * digit, or lower and upper case letters. The second condition keeps long lowercase slugs
 * (`how-to-configure-the-proxy-server`) readable; a random 32-character token without a digit and with one
 * case only is vanishingly rare.
 */
export function isPathToken(seg: string): boolean {
  let n = seg.length;
  // trailing base64 padding, raw or encoded
  for (let k = 0; k < 2; k++) {
    if (seg[n - 1] === '=') n--;
    else if (n >= 3 && seg.slice(n - 3, n).toUpperCase() === '%3D') n -= 3;
  }
  if (n < 32) return false;
  let digit = false;
  let lower = false;
  let upper = false;
  for (let k = 0; k < n; k++) {
    const c = seg.charCodeAt(k);
    if (!isTokenChar(c)) return false;
    if (c >= 48 && c <= 57) digit = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
  }
  return digit || (lower && upper);
}

const PATH_SESSION = new Set(['jsessionid', 'phpsessid', 'sid', 'sessionid', 'aspsessionid']);

/**
 * ASP.NET cookieless sessions put the session id in a path segment: `/(S(pvnzao…))/page.aspx`,
 * `/(X(1)S(…))/`, `/(A(…)F(…))/`. The whole segment is the credential.
 */
export function isCookielessSession(seg: string): boolean {
  if (seg.length < 5 || seg.charCodeAt(0) !== 40 || seg.charCodeAt(seg.length - 1) !== 41) return false;
  const c = seg.charCodeAt(1);
  return c >= 65 && c <= 90 && seg.charCodeAt(2) === 40;
}

/** R-U3 over each segment (`{token}`), `;jsessionid=…` path parameters, and the patterns for the rest. */
export function redactPath(ctx: Ctx, path: string, depth: number): string {
  if (path.length === 0) return path;
  const segs = path.split('/');
  let changed = false;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    if (seg.length === 0) continue;
    const semi = seg.indexOf(';');
    const base = semi >= 0 ? seg.slice(0, semi) : seg;
    let red: string;
    if (isPathToken(base) || isCookielessSession(base)) {
      ctx.count('R-U3');
      red = '{token}';
    } else red = base.length >= 3 ? scanText(ctx, base, urlMode(depth)) : base;
    if (semi >= 0) {
      const params = seg.slice(semi + 1).split(';');
      for (let j = 0; j < params.length; j++) {
        const prm = params[j]!;
        const eq = prm.indexOf('=');
        if (eq < 0) continue;
        const name = safeDecode(prm.slice(0, eq));
        if (eq + 1 < prm.length && (PATH_SESSION.has(name.toLowerCase()) || classifyParam(name))) {
          ctx.count('R-U3');
          params[j] = prm.slice(0, eq + 1) + '{token}';
        } else params[j] = prm.slice(0, eq + 1) + scanText(ctx, prm.slice(eq + 1), urlMode(depth));
      }
      red += ';' + params.join(';');
    }
    if (red !== seg) {
      segs[k] = red;
      changed = true;
    }
  }
  return changed ? segs.join('/') : path;
}

/**
 * R-Q1/R-Q2 over `a=b&c=d` (order, names and empty values kept). Values of secret names become markers;
 * other values and bare parts go through the patterns (JWTs, keys, nested `token%3D…`).
 */
export function redactQueryInner(ctx: Ctx, query: string, depth: number, ruleOverride?: string): string {
  if (query.length === 0) return query;
  const parts = query.split('&');
  let changed = false;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    let red: string;
    if (eq < 0) red = scanText(ctx, part, urlMode(depth));
    else {
      const rawName = part.slice(0, eq);
      const rawValue = part.slice(eq + 1);
      const cls = classifyParam(safeDecode(rawName));
      const name = cls ? rawName : scanText(ctx, rawName, urlMode(depth));
      if (isMarker(rawValue)) red = name + '=' + rawValue;
      else if (cls && rawValue.length > 0) red = name + '=' + secretMarker(ctx, ruleOverride ?? cls.rule, safeDecode(rawValue), true);
      else red = name + '=' + (rawValue.length > 0 ? scanText(ctx, rawValue, urlMode(depth)) : '');
    }
    if (red !== part) {
      parts[k] = red;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

/**
 * R-U2: fragments are redacted too. `#access_token=…&state=…` is a query; `#/route?token=…` is a route with
 * a query; anything else is treated like a path.
 */
export function redactFragment(ctx: Ctx, frag: string, depth: number): string {
  const qm = frag.indexOf('?');
  if (qm >= 0) return redactPath(ctx, frag.slice(0, qm), depth) + '?' + redactQueryInner(ctx, frag.slice(qm + 1), depth);
  if (frag.indexOf('=') >= 0) return redactQueryInner(ctx, frag, depth);
  return redactPath(ctx, frag, depth);
}
