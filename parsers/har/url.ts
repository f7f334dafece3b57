/**
 * Splits a request URL as it was sent into scheme / host / path / query, without normalising it
 * (WHATWG `new URL` would re-encode the path, resolve dot segments and reject odd URLs).
 * The fragment and any userinfo (`user:pass@`) are dropped and kept nowhere: both are secret-prone.
 */

export interface UrlParts {
  scheme: string | null;
  host: string | null;
  path: string | null;
  query: string | null;
}

function isSchemeChar(c: number, first: boolean): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return true;
  if (first) return false;
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** Index of the first '?', '#' (or, when `slash`, '/') at or after `from`, else s.length. */
function findDelim(s: string, from: number, slash: boolean): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3f || c === 0x23 || (slash && (c === 0x2f || c === 0x5c))) return i;
  }
  return s.length;
}

export function splitUrl(url: string): UrlParts {
  // scheme
  let i = 0;
  while (i < url.length && i < 40 && isSchemeChar(url.charCodeAt(i), i === 0)) i++;
  let scheme: string | null = null;
  let rest = 0;
  if (i > 0 && url.charCodeAt(i) === 0x3a) {
    scheme = url.slice(0, i).toLowerCase();
    rest = i + 1;
  }
  if (scheme === 'data') {
    // data:<mediatype>[;base64],<payload>: the payload is a body, not an address
    const comma = url.indexOf(',', rest);
    return { scheme, host: null, path: url.slice(rest, comma < 0 ? Math.min(url.length, rest + 256) : Math.min(comma, rest + 256)), query: null };
  }
  let host: string | null = null;
  if (url.startsWith('//', rest)) {
    const authStart = rest + 2;
    const authEnd = findDelim(url, authStart, true);
    let authority = url.slice(authStart, authEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = authority.slice(at + 1); // userinfo dropped (R-U1 secret)
    host = authority.length > 0 ? authority.toLowerCase() : null;
    rest = authEnd;
  }
  const pathEnd = findDelim(url, rest, false);
  let path = url.slice(rest, pathEnd);
  if (path === '' && host !== null) path = '/';
  let query: string | null = null;
  if (url.charCodeAt(pathEnd) === 0x3f) {
    const hash = url.indexOf('#', pathEnd + 1);
    query = url.slice(pathEnd + 1, hash < 0 ? url.length : hash);
  }
  return { scheme, host, path: path === '' ? null : path, query };
}
