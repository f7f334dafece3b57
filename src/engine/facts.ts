/**
 * Facts: one record plus the derived values rules test (lower-cased header maps, the parsed JSON
 * body, JWT markers, URL anomalies, credentials…). Every derived value is computed lazily, once,
 * so a rule that only tests the status never pays for parsing a body.
 */
import type { RequestRecord } from '../core/types.js';
import { findJwtMarkers, markerFingerprint, type JwtMarker } from './markers.js';
import { sunsetMs } from './header-params.js';
import type { ContextFacts } from './types.js';

/** The part of a stored request the engine reads (StoredRequest satisfies it). */
export interface EngineRecord extends RequestRecord {
  id?: number;
  sourceId?: number;
  sourceKind?: 'har' | 'log';
  format?: string;
  sourcePath?: string;
}

export interface FactsEnv {
  slowMs: number;
  /** Cross-record facts for this record; absent facts read as false. */
  context: (f: Facts) => ContextFacts | null;
  /** Route template of the record, when known. */
  route: (f: Facts) => string | null;
}

const KNOWN_METHODS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH', 'MKCALENDAR', 'PURGE',
]);
const API_KEY_HEADERS = ['x-api-key', 'api-key', 'apikey', 'x-goog-api-key', 'ocp-apim-subscription-key', 'x-auth-token', 'x-access-token'];
const CRED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', ...API_KEY_HEADERS];
/** Query parameter names that carry credentials (security.md R-Q1 subset). */
export const CREDENTIAL_QUERY_PARAMS = new Set([
  'access_token', 'id_token', 'refresh_token', 'token', 'api_key', 'apikey', 'key', 'client_secret', 'password', 'passwd',
  'pwd', 'secret', 'sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'auth', 'session',
  'sessionid', 'sid', 'jsessionid', 'phpsessid', 'private_token', 'oauth_token',
]);
const API_KEY_QUERY = new Set(['api_key', 'apikey', 'key', 'subscription-key']);

function queryParamNames(q: string): string[] {
  const out: string[] = [];
  for (const part of q.split('&')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (name) out.push(name);
  }
  return out;
}

/** Record fields whose lower-case form is cached for string tests. */
export type LowerField = 'method' | 'scheme' | 'host' | 'path' | 'query' | 'userAgent' | 'errorText' | 'upstreamStatus';

export class Facts {
  private readonly _lower: Partial<Record<LowerField, string | null>> = {};
  private _req: Map<string, string> | undefined;
  private _resp: Map<string, string> | undefined;
  private _json: unknown = undefined;
  private _jsonDone = false;
  private _bodyLower: string | null | undefined;
  private _jwt: JwtMarker[] | undefined;
  private _anomalies: Set<string> | undefined;
  private _ctx: ContextFacts | null | undefined;
  private _route: string | null | undefined;

  constructor(readonly r: EngineRecord, readonly env: FactsEnv) {}

  /** The field lower-cased, computed once per record however many rules test it. */
  lower(field: LowerField): string | null {
    let v = this._lower[field];
    if (v === undefined) {
      const raw = this.r[field];
      v = raw === null ? null : raw.toLowerCase();
      this._lower[field] = v;
    }
    return v;
  }

  get status(): number | null {
    return this.r.status;
  }

  private static headerMap(h: RequestRecord['reqHeaders']): Map<string, string> {
    const m = new Map<string, string>();
    if (h) for (const [n, v] of h) { const k = n.toLowerCase(); if (!m.has(k)) m.set(k, v); }
    return m;
  }

  /** `name` is lower-case. Short header lists are scanned (no allocation); long ones get a Map once. */
  reqHeader(name: string): string | null {
    const h = this.r.reqHeaders;
    if (h === null) return null;
    if (h.length <= SCAN_HEADERS) return scan(h, name);
    this._req ??= Facts.headerMap(h);
    return this._req.get(name) ?? null;
  }

  respHeader(name: string): string | null {
    const h = this.r.respHeaders;
    if (h === null) return null;
    if (h.length <= SCAN_HEADERS) return scan(h, name);
    this._resp ??= Facts.headerMap(h);
    return this._resp.get(name) ?? null;
  }

  /** The body parsed as JSON, or undefined when absent/not JSON. */
  get json(): unknown {
    if (!this._jsonDone) {
      this._jsonDone = true;
      const b = this.r.body;
      if (b) {
        const t = b.trimStart();
        if (t.startsWith('{') || t.startsWith('[')) {
          try { this._json = JSON.parse(b); } catch { this._json = undefined; }
        }
      }
    }
    return this._json;
  }

  /** Cheap pre-check before parsing: does the raw body mention this JSON key at all? */
  bodyMentionsKey(key: string): boolean {
    return this.r.body !== null && this.r.body.includes(`"${key}"`);
  }

  get bodyLower(): string | null {
    if (this._bodyLower === undefined) this._bodyLower = this.r.body === null ? null : this.r.body.slice(0, 65536).toLowerCase();
    return this._bodyLower;
  }

  /** JWT markers in request headers and the query (where the redactor left them). */
  get jwts(): JwtMarker[] {
    if (this._jwt === undefined) {
      const found: JwtMarker[] = [];
      for (const [, v] of this.r.reqHeaders ?? []) if (v.includes('[REDACTED:jwt')) found.push(...findJwtMarkers(v));
      if (this.r.query && this.r.query.includes('REDACTED')) found.push(...findJwtMarkers(this.r.query));
      this._jwt = found;
    }
    return this._jwt;
  }

  get methodKnown(): boolean {
    return this.r.method !== null && KNOWN_METHODS.has(this.r.method);
  }

  get credentialsSent(): boolean {
    for (const h of CRED_HEADERS) if (this.reqHeader(h) !== null) return true;
    if (this.r.query) for (const n of queryParamNames(this.r.query)) if (CREDENTIAL_QUERY_PARAMS.has(n)) return true;
    return false;
  }

  /** The source recorded request headers at all (plain access logs do not). */
  get reqHeadersSeen(): boolean {
    return this.r.reqHeaders !== null;
  }

  get apiKeySent(): boolean {
    for (const h of API_KEY_HEADERS) if (this.reqHeader(h) !== null) return true;
    if (this.r.query) for (const n of queryParamNames(this.r.query)) if (API_KEY_QUERY.has(n)) return true;
    return false;
  }

  /**
   * Credential fingerprint (`#hash` of the redaction marker) from Authorization/API-key headers.
   * Cookies are left out: their first value is often an analytics id that changes per request.
   */
  get tokenFingerprint(): string | null {
    for (const h of ['authorization', 'proxy-authorization', ...API_KEY_HEADERS]) {
      const v = this.reqHeader(h);
      if (v !== null) { const fp = markerFingerprint(v); if (fp) return fp; }
    }
    return null;
  }

  get sunsetPassed(): boolean {
    const s = sunsetMs(this.respHeader('sunset'));
    return s !== null && this.r.ts !== null && s <= this.r.ts;
  }

  get urlAnomalies(): Set<string> {
    this._anomalies ??= urlAnomalies(this.r.path ?? '');
    return this._anomalies;
  }

  get extension(): string | null {
    const p = this.r.path;
    if (!p) return null;
    const slash = p.lastIndexOf('/');
    const dot = p.lastIndexOf('.');
    return dot > slash && dot < p.length - 1 ? p.slice(dot + 1).toLowerCase() : null;
  }

  get hostKind(): Set<string> {
    return hostKinds(this.r.host);
  }

  get upstreamAttempts(): number {
    const u = this.r.upstreamStatus;
    if (!u || u.trim() === '-') return 0;
    let n = 1;
    for (let i = 0; i < u.length; i++) if (u[i] === ',' || u[i] === ':') n++;
    return n;
  }

  get context(): ContextFacts | null {
    if (this._ctx === undefined) this._ctx = this.env.context(this);
    return this._ctx;
  }

  get route(): string | null {
    if (this._route === undefined) this._route = this.env.route(this);
    return this._route;
  }
}

const SCAN_HEADERS = 8;

function scan(h: NonNullable<RequestRecord['reqHeaders']>, name: string): string | null {
  for (let i = 0; i < h.length; i++) {
    const n = h[i]![0];
    if (n.length === name.length && n.toLowerCase() === name) return h[i]![1];
  }
  return null;
}

/** URL anomalies in a raw path (as sent, percent-encoding kept). */
export function urlAnomalies(path: string): Set<string> {
  const out = new Set<string>();
  if (path.includes('//')) out.add('double-slash');
  if (path.includes('\\')) out.add('backslash');
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 32) out.add('space');
    else if (c === 60 || c === 62) out.add('angle-bracket');
    else if (c < 32 || c === 127) out.add('control-char');
  }
  const lower = path.toLowerCase();
  if (lower.includes('%3c') || lower.includes('%3e')) out.add('angle-bracket');
  if (/(\s|%20|%09)$/i.test(path)) out.add('trailing-whitespace');
  if (path.includes('/../') || path.endsWith('/..') || lower.includes('%2e%2e')) out.add('dot-segment');
  return out;
}

/** Kinds of a host: ip, public-ip, private-ip, localhost, name. */
export function hostKinds(host: string | null): Set<string> {
  const out = new Set<string>();
  if (!host) return out;
  let h = host.toLowerCase();
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  else if (h.split(':').length === 2) h = h.slice(0, h.indexOf(':')); // strip :port from name or IPv4
  if (h === 'localhost' || h.endsWith('.localhost')) { out.add('localhost'); return out; }
  const v4 = h.split('.');
  if (v4.length === 4 && v4.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    out.add('ip');
    const [a, b] = v4.map(Number) as [number, number];
    const priv = a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
    out.add(priv ? 'private-ip' : 'public-ip');
    if (a === 127) out.add('localhost');
    return out;
  }
  if (h.includes(':') && /^[0-9a-f:.]+$/.test(h)) {
    out.add('ip');
    const priv = h === '::1' || h.startsWith('fc') || h.startsWith('fd') || h.startsWith('fe80');
    out.add(priv ? 'private-ip' : 'public-ip');
    if (h === '::1') out.add('localhost');
    return out;
  }
  out.add('name');
  return out;
}
