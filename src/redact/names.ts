/**
 * Which names mark a secret (security.md R-H1, R-H2, R-H3, R-Q1, R-Q2).
 * All comparisons are case-insensitive (O5). Parameter names are also compared with `_` and `-`
 * removed, so `clientId`, `client-id` and `client_id` are the same name.
 */

/** R-H1: header names whose value is always redacted (compared lower-cased, `_` as `-`). */
const R_H1 = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token',
  'x-access-token', 'x-refresh-token', 'x-id-token', 'x-csrf-token', 'x-xsrf-token', 'x-amz-security-token',
  'x-goog-api-key', 'ocp-apim-subscription-key', 'ocp-apim-header-authorization', 'x-client-data',
  // Sentry's list (anchor of R-H1) also names X-CSRFToken.
  'x-csrftoken',
]);

/** R-H2: substrings of a header name that mark it secret. */
const R_H2_PARTS = [
  'token', 'secret', 'passw', 'pwd', 'session', 'cookie', 'credential', 'signature', 'apikey', 'api-key', 'auth',
  'private', 'connectionstring',
];

/**
 * R-H2 exclusions: needed for CORS and auth-challenge triage, carry no secret.
 * `proxy-authenticate` is our addition: it is the 407 twin of `www-authenticate`.
 */
function neverSecretHeader(n: string): boolean {
  return n.startsWith('access-control-') || n === ':authority' || n.startsWith('content-') || n.startsWith('accept')
    || n === 'user-agent' || n === 'www-authenticate' || n === 'proxy-authenticate';
}

/** R-H3: headers whose value is a URL (or holds URLs). */
const R_H3 = new Set(['referer', 'location', 'content-location', 'origin', 'link', 'refresh', ':path']);

export type HeaderClass =
  | { kind: 'cookie' }
  | { kind: 'set-cookie' }
  | { kind: 'secret'; rule: 'R-H1' | 'R-H2' }
  | { kind: 'url'; single: boolean }
  | { kind: 'plain' };

/** Lower-cases and maps `_` to `-` (R-H2 normalisation). */
export function normHeaderName(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}

/** Header names repeat in every entry of a capture: their class is computed once per name (bounded). */
const headerClassCache = new Map<string, HeaderClass>();

export function classifyHeader(name: string): HeaderClass {
  if (name.length > 128) return classifyHeaderName(name); // hostile names are not kept
  let c = headerClassCache.get(name);
  if (c === undefined) {
    c = classifyHeaderName(name);
    if (headerClassCache.size >= 4096) headerClassCache.clear();
    headerClassCache.set(name, c);
  }
  return c;
}

function classifyHeaderName(name: string): HeaderClass {
  const n = normHeaderName(name);
  if (n === 'cookie') return { kind: 'cookie' };
  if (n === 'set-cookie' || n === 'set-cookie2') return { kind: 'set-cookie' };
  if (R_H1.has(n)) return { kind: 'secret', rule: 'R-H1' };
  if (R_H3.has(n)) return { kind: 'url', single: n !== 'link' && n !== 'refresh' };
  if (!neverSecretHeader(n)) for (const p of R_H2_PARTS) if (n.includes(p)) return { kind: 'secret', rule: 'R-H2' };
  return { kind: 'plain' };
}

/** Is this an R-H1 header name (used when header names show up as JSON keys or in text)? */
export function isR_H1(name: string): boolean {
  const c = classifyHeader(name);
  return (c.kind === 'secret' && c.rule === 'R-H1') || c.kind === 'cookie' || c.kind === 'set-cookie';
}

/** Removes case, `_` and `-` so naming styles compare equal. */
export function squash(name: string): string {
  const l = name.toLowerCase();
  if (l.indexOf('-') < 0 && l.indexOf('_') < 0) return l;
  let out = '';
  for (let k = 0; k < l.length; k++) if (l[k] !== '-' && l[k] !== '_') out += l[k];
  return out;
}

/** R-Q1, squashed. */
const R_Q1 = new Set([
  'access_token', 'id_token', 'refresh_token', 'token', 'code', 'state', 'code_verifier', 'code_challenge',
  'client_secret', 'client_id', 'client_assertion', 'assertion', 'SAMLRequest', 'SAMLResponse', 'password', 'passwd',
  'pwd', 'secret', 'api_key', 'apikey', 'key', 'sig', 'signature', 'X-Amz-Signature', 'X-Amz-Credential',
  'X-Amz-Security-Token', 'X-Goog-Signature', 'X-Goog-Credential', 'Signature', 'Policy', 'Key-Pair-Id', 'session',
  'sessionid', 'sid', 'jsessionid', 'phpsessid', 'auth', 'authenticity_token', 'csrf_token', '_csrf', 'otp', 'ticket',
  'oauth_token', 'oauth_verifier', 'oauth_signature', 'private_token', 'login_hint', 'id_token_hint', 'email',
  'challenge', 'appID', 'facetID', 'fcParams', 'serverData', 'shdf', 'usg', 'vses2', 'x-client-data',
].map(squash));

/** R-Q2 substrings, squashed. */
const R_Q2_PARTS = ['token', 'secret', 'passw', 'signature', 'credential', 'session', 'apikey'];

/**
 * R-Q1 names that are also everyday words in API payloads (`"code": 404`, `"state": "failed"`).
 * In free text and JSON (not in URL queries or forms) their value is kept when it looks like a word,
 * not a credential: see `looksLikeWord`.
 */
const WEAK = new Set(['code', 'state', 'key', 'session', 'auth', 'challenge', 'ticket', 'policy'].map(squash));

export interface ParamClass { rule: 'R-Q1' | 'R-Q2'; weak: boolean }

/** R-Q1 / R-Q2 for a (decoded) parameter, form field, JSON key or assignment name. */
const paramCache = new Map<string, ParamClass | null>();

export function classifyParam(name: string): ParamClass | null {
  if (name.length === 0 || name.length > 256) return null;
  const hit = paramCache.get(name);
  if (hit !== undefined) return hit;
  const c = classifyParamUncached(name);
  // Names repeat a lot (every query has `page`, `sort`…); the cache is bounded.
  if (paramCache.size >= 4096) paramCache.clear();
  paramCache.set(name, c);
  return c;
}

function classifyParamUncached(name: string): ParamClass | null {
  const s = squash(name);
  if (s.length === 0) return null;
  if (R_Q1.has(s)) return { rule: 'R-Q1', weak: WEAK.has(s) };
  for (const p of R_Q2_PARTS) if (s.includes(p)) return { rule: 'R-Q2', weak: false };
  return null;
}

/** Azure connection-string keys (R-P3). */
const AZURE = new Set(['accountkey', 'sharedaccesskey', 'sharedaccesssignature']);
export function isAzureKeyName(name: string): boolean {
  return AZURE.has(squash(name));
}

/**
 * R-Q1 names that hold a credential (not an identifier such as `client_id`, `appID`, `email`, `usg`):
 * only these, the R-Q2 heuristics and header names count in the looser `name: value` form of free text,
 * where `appid: s~my-app` in a user agent is an identifier, not a secret.
 */
const STRONG = new Set([
  'password', 'passwd', 'pwd', 'secret', 'api_key', 'apikey', 'client_secret', 'client_assertion', 'assertion',
  'private_token', 'privatekey', 'code_verifier', 'otp', 'sig', 'signature', 'sid', 'sessionid', 'jsessionid',
  'phpsessid', 'SAMLRequest', 'SAMLResponse', 'X-Amz-Credential', 'X-Goog-Credential',
].map(squash));

/** Names that are secret enough to accept `name: value` (without quotes) in free text. */
export function isStrongName(name: string): boolean {
  const c = classifyParam(name);
  if (c && (c.rule === 'R-Q2' || STRONG.has(squash(name)))) return true;
  return isR_H1(name) || isAzureKeyName(name);
}

/** Keys whose string value is a URL (or an origin-form path) in JSON and HAR objects. */
export function isUrlKey(name: string): boolean {
  const s = squash(name);
  if (s.length > 64) return false;
  return s.endsWith('url') || s.endsWith('uri') || s === 'href' || s === 'referer' || s === 'referrer'
    || s === 'location' || s === 'requestpath' || s === 'path' || s === 'link';
}

/** Keys holding a raw query string in structured logs. */
export function isQueryKey(name: string): boolean {
  const s = squash(name);
  return s === 'query' || s === 'querystring' || s === 'rawquery' || s === 'args' || s === 'csuriquery';
}

/** Keys holding the basic-auth user of a log line (R-L1 hashes them). */
export function isUserKey(name: string): boolean {
  const s = squash(name);
  return s === 'user' || s === 'username' || s === 'remoteuser' || s === 'authuser' || s === 'clientusername'
    || s === 'csusername' || s === 'userid' || s === 'userident';
}

/**
 * A value under a weak name (see WEAK) that reads as a word or a short status, not a credential:
 * letters, spaces and `_ . -` only (no digits), or a number of at most three digits.
 */
export function looksLikeWord(v: string): boolean {
  if (v.length === 0) return true;
  if (v.length <= 3 && /^[0-9]+$/.test(v)) return true;
  if (v.length > 64) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c === 95 || c === 46 || c === 45;
    if (!ok) return false;
  }
  return true;
}
