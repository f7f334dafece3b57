/**
 * The generic JSON-lines mapper. A JSON access-log format is data: a JsonFormatSpec lists, for each
 * RequestRecord field, the candidate paths in the object (first present wins), plus the keys that
 * identify the format. defineJsonFormat() compiles the paths once; the per-line work is JSON.parse
 * and a fixed walk over the compiled paths. See README.md in this folder for adding a format.
 */
import { emptyRecord, type Header, type RequestRecord } from '../../../../src/core/types.js';
import type { FormatSample, LineParser, LineResult, LogFormat } from '../../format.js';
import { parseRequestLine } from '../../fields.js';
import { readJsonLine, type JsonObject } from './json-line.js';
import { durationMs, guessDurationUnit, impossibleTime, parseAnyTime, parseGoDuration, unitFromName, type DurationUnit } from './time.js';
import { capExtra, numOf, splitWireTarget, statusOf, stripPort, sumSecondsToMs, wellFormed } from './values.js';

export type { JsonObject } from './json-line.js';

/**
 * A path into the object: `status`, `request.method`, `ServiceURL.Host`. The whole path is first
 * tried as one key (flattened logs write `"http.request.method": "GET"`), then segment by segment.
 */
export type JsonPath = string;

/**
 * A duration path with its unit after a colon: `duration:s`, `Duration:ns`, `time_elapsed:us`.
 * `:auto` or no suffix: the unit comes from the name (`latency_ms`), else is guessed from the value
 * (guessDurationUnit) and the guess is recorded in extra.durationUnit. `:sum-s`: a list of seconds
 * (nginx `$upstream_response_time` of a retried request, `0.100, 0.004`), summed.
 */
export type DurationPath = string;

export interface JsonFieldMap {
  /** Request start: epoch s/ms/µs/ns, RFC 3339, or CLF time. */
  ts?: readonly JsonPath[];
  method?: readonly JsonPath[];
  /** `GET /a?b HTTP/1.1` (nginx `$request`): gives method, target and version when those are absent. */
  requestLine?: readonly JsonPath[];
  /** Request target: `/a?b`, or an absolute URL; split into path and query (and scheme, host). */
  target?: readonly JsonPath[];
  /** Query string used when the target has none (`args`, `url.query`). */
  query?: readonly JsonPath[];
  host?: readonly JsonPath[];
  scheme?: readonly JsonPath[];
  /** Required: a line without a valid status value is rejected. */
  status: readonly JsonPath[];
  httpVersion?: readonly JsonPath[];
  durationMs?: readonly DurationPath[];
  upstreamMs?: readonly DurationPath[];
  bytesOut?: readonly JsonPath[];
  bytesIn?: readonly JsonPath[];
  /** A port is stripped (`10.0.0.1:5432` → `10.0.0.1`). */
  clientIp?: readonly JsonPath[];
  userAgent?: readonly JsonPath[];
  referer?: readonly JsonPath[];
  upstreamAddr?: readonly JsonPath[];
  upstreamStatus?: readonly JsonPath[];
  requestId?: readonly JsonPath[];
  traceId?: readonly JsonPath[];
  errorText?: readonly JsonPath[];
  respMime?: readonly JsonPath[];
}

/** Where headers live: an object of name → value or [values] (Caddy), or top-level keys with a prefix (Traefik `request_User-Agent`). */
export type HeaderSource = { map: JsonPath } | { prefix: string };

export interface JsonFormatSpec {
  id: string;
  title: string;
  /** Every group must have one path present (not null), else the line is rejected with `expected <what>`. */
  identify: readonly { anyOf: readonly JsonPath[]; what: string }[];
  /** A further test after `identify`: a rejection reason, or null to accept. */
  check?: (obj: JsonObject) => string | null;
  fields: JsonFieldMap;
  reqHeaders?: readonly HeaderSource[];
  respHeaders?: readonly HeaderSource[];
  /** extra key → path (or candidate paths, first present wins); strings are capped (EXTRA_MAX), objects ignored. */
  extra?: Readonly<Record<string, JsonPath | readonly JsonPath[]>>;
  /** Format-specific fix-ups after the generic mapping (a module-level function, not a per-line closure). */
  finish?: (rec: RequestRecord, obj: JsonObject, fix: StringFix) => void;
  samples: FormatSample[];
}

/** Makes a string safe to keep (lone surrogates → U+FFFD) when the line had `\u` escapes; identity otherwise. */
export type StringFix = (s: string) => string;
const keep: StringFix = (s) => s;

// ---------------------------------------------------------------------------------------------
// Compiled paths

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

interface Path {
  key: string;
  segs: readonly string[] | null;
  /** Index into the spec's presence stamps. */
  idx: number;
}

/**
 * Presence pre-filter for specs with many candidate paths (the generic format has ~200): before
 * mapping, each top-level key of the object stamps the candidates that start with it, and a
 * candidate whose stamp is stale is skipped without a property lookup. One Map.get per top-level
 * key replaces hundreds of misses. Specs with few candidates skip the pre-filter.
 */
interface Presence {
  paths: Path[];
  /** top-level key (first segment, or the whole flattened key) → candidate indices */
  heads: Map<string, number[]>;
  stamp: Int32Array;
  tick: number;
  enabled: boolean;
}

/** Candidate count above which the presence pre-filter pays for itself. */
const PRESENCE_FROM = 64;

function compilePath(p: JsonPath, where: string, reg: Presence): Path {
  const segs = p.split('.');
  for (const s of segs) if (FORBIDDEN_SEGMENTS.has(s) || s === '') throw new Error(`${where}: bad JSON path "${p}"`);
  const path: Path = { key: p, segs: segs.length > 1 ? segs : null, idx: reg.paths.length };
  reg.paths.push(path);
  const addHead = (h: string): void => {
    const list = reg.heads.get(h);
    if (list) list.push(path.idx);
    else reg.heads.set(h, [path.idx]);
  };
  addHead(p);
  if (segs.length > 1) addHead(segs[0]!);
  return path;
}

/** Stamps the candidates whose first key the object has (see Presence). */
function markPresent(reg: Presence, obj: JsonObject): void {
  if (reg.tick === 0x7fffffff) {
    reg.stamp.fill(0);
    reg.tick = 0;
  }
  const tick = ++reg.tick;
  const stamp = reg.stamp;
  for (const k in obj) {
    const ids = reg.heads.get(k);
    if (ids !== undefined) for (let i = 0; i < ids.length; i++) stamp[ids[i]!] = tick;
  }
}

function isObj(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The active presence filter while a line is mapped (null: every candidate is looked up). */
let presence: Presence | null = null;

/** The value at a path, or undefined. Only own data of plain objects is read. */
function getPath(obj: JsonObject, p: Path): unknown {
  if (presence !== null && presence.stamp[p.idx] !== presence.tick) return undefined;
  const direct = obj[p.key];
  if (direct !== undefined || p.segs === null) return typeof direct === 'function' ? undefined : direct;
  let cur: unknown = obj;
  for (const seg of p.segs) {
    if (!isObj(cur)) return undefined;
    cur = cur[seg];
  }
  return typeof cur === 'function' ? undefined : cur;
}

/** The first candidate whose value is neither undefined nor null. */
function first(obj: JsonObject, paths: readonly Path[] | null): unknown {
  if (paths === null) return undefined;
  for (let i = 0; i < paths.length; i++) {
    const v = getPath(obj, paths[i]!);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** A string to keep: strings (`-` and empty → null), numbers, booleans; arrays of those joined with ", ". */
export function strOf(v: unknown, fix: StringFix): string | null {
  if (typeof v === 'string') return v === '' || v === '-' ? null : fix(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) {
    let out = '';
    for (const x of v) {
      if (typeof x !== 'string' && typeof x !== 'number') continue;
      out += (out ? ', ' : '') + String(x);
    }
    return out === '' ? null : fix(out);
  }
  return null;
}

function firstStr(obj: JsonObject, paths: readonly Path[] | null, fix: StringFix): string | null {
  if (paths === null) return null;
  for (let i = 0; i < paths.length; i++) {
    const s = strOf(getPath(obj, paths[i]!), fix);
    if (s !== null) return s;
  }
  return null;
}

const U_S = 1, U_MS = 2, U_US = 3, U_NS = 4, U_GUESS = 5, U_SUM_S = 6;
const UNIT_CODE: Record<DurationUnit, number> = { s: U_S, ms: U_MS, us: U_US, ns: U_NS };
const CODE_UNIT: Record<number, DurationUnit> = { [U_S]: 's', [U_MS]: 'ms', [U_US]: 'us', [U_NS]: 'ns' };

interface DurPath extends Path {
  unit: number;
}

function compileDuration(d: DurationPath, where: string, reg: Presence): DurPath {
  const colon = d.lastIndexOf(':');
  const suffix = colon > 0 ? d.slice(colon + 1) : '';
  const known = suffix === 's' || suffix === 'ms' || suffix === 'us' || suffix === 'ns' || suffix === 'auto' || suffix === 'sum-s';
  const path = known ? d.slice(0, colon) : d;
  let unit: number;
  if (suffix === 'sum-s') unit = U_SUM_S;
  else if (known && suffix !== 'auto') unit = UNIT_CODE[suffix as DurationUnit];
  else {
    const named = unitFromName(path);
    unit = named === null ? U_GUESS : UNIT_CODE[named];
  }
  const compiled = compilePath(path, where, reg) as DurPath;
  compiled.unit = unit;
  return compiled;
}

/** [ms, guessed unit or null] for the first present duration candidate. */
function firstDuration(obj: JsonObject, paths: readonly DurPath[] | null, extra: Record<string, string | number | boolean | null>): number | null {
  if (paths === null) return null;
  for (const p of paths) {
    const v = getPath(obj, p);
    if (v === undefined || v === null || v === '' || v === '-') continue;
    if (p.unit === U_SUM_S) return sumSecondsToMs(v);
    if (p.unit === U_GUESS) {
      const g = guessDurationUnit(v);
      if (g === null) continue;
      if (g === 'text') return typeof v === 'string' ? parseGoDuration(v) : null;
      extra['durationUnit'] = `guessed ${g}`;
      return durationMs(v, g);
    }
    const ms = durationMs(v, CODE_UNIT[p.unit]!);
    if (ms !== null) return ms;
  }
  return null;
}

type CompiledHeaders = ({ map: Path; prefix: null } | { map: null; prefix: string })[];

function compileHeaders(src: readonly HeaderSource[] | undefined, where: string, reg: Presence): CompiledHeaders | null {
  if (!src || src.length === 0) return null;
  return src.map((h) => ('map' in h ? { map: compilePath(h.map, where, reg), prefix: null } : { map: null, prefix: h.prefix }));
}

/** Header value: a string, number, or an array of them joined with ", " (an empty array is an empty value). */
function headerValueOf(v: unknown, fix: StringFix): string | null {
  if (typeof v === 'string') return fix(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    let out = '';
    let any = false;
    for (const x of v) {
      if (typeof x !== 'string' && typeof x !== 'number') continue;
      out += (any ? ', ' : '') + String(x);
      any = true;
    }
    return fix(out);
  }
  return null;
}

function readHeaders(obj: JsonObject, src: CompiledHeaders | null, fix: StringFix): Header[] | null {
  if (src === null) return null;
  let out: Header[] | null = null;
  for (const s of src) {
    if (s.map !== null) {
      const m = getPath(obj, s.map);
      if (!isObj(m)) continue;
      for (const name in m) {
        const v = headerValueOf(m[name], fix);
        if (v !== null) (out ??= []).push([fix(name), v]);
      }
    } else {
      const prefix = s.prefix;
      for (const key in obj) {
        if (!key.startsWith(prefix) || key.length === prefix.length) continue;
        const v = headerValueOf(obj[key], fix);
        if (v !== null) (out ??= []).push([fix(key.slice(prefix.length)), v]);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compilation

interface Compiled {
  presence: Presence;
  identify: { paths: Path[]; reason: string }[];
  check: ((obj: JsonObject) => string | null) | null;
  ts: Path[] | null; method: Path[] | null; requestLine: Path[] | null; target: Path[] | null; query: Path[] | null;
  host: Path[] | null; scheme: Path[] | null; status: Path[]; httpVersion: Path[] | null;
  durationMs: DurPath[] | null; upstreamMs: DurPath[] | null; bytesOut: Path[] | null; bytesIn: Path[] | null;
  clientIp: Path[] | null; userAgent: Path[] | null; referer: Path[] | null; upstreamAddr: Path[] | null;
  upstreamStatus: Path[] | null; requestId: Path[] | null; traceId: Path[] | null; errorText: Path[] | null;
  respMime: Path[] | null;
  reqHeaders: CompiledHeaders | null; respHeaders: CompiledHeaders | null;
  extra: [string, Path[]][];
  finish: NonNullable<JsonFormatSpec['finish']> | null;
}

export function compileJsonSpec(spec: JsonFormatSpec): Compiled {
  const w = `json format ${spec.id}`;
  const f = spec.fields;
  const reg: Presence = { paths: [], heads: new Map(), stamp: new Int32Array(0), tick: 0, enabled: false };
  const list = (ps: readonly JsonPath[] | undefined): Path[] | null => (ps && ps.length ? ps.map((p) => compilePath(p, w, reg)) : null);
  const durs = (ps: readonly DurationPath[] | undefined): DurPath[] | null => (ps && ps.length ? ps.map((p) => compileDuration(p, w, reg)) : null);
  if (f.status.length === 0) throw new Error(`${w}: fields.status needs at least one path`);
  const compiled: Compiled = {
    presence: reg,
    identify: spec.identify.map((g) => ({ paths: g.anyOf.map((p) => compilePath(p, w, reg)), reason: `expected ${g.what}` })),
    check: spec.check ?? null,
    ts: list(f.ts), method: list(f.method), requestLine: list(f.requestLine), target: list(f.target), query: list(f.query),
    host: list(f.host), scheme: list(f.scheme), status: list(f.status)!, httpVersion: list(f.httpVersion),
    durationMs: durs(f.durationMs), upstreamMs: durs(f.upstreamMs), bytesOut: list(f.bytesOut), bytesIn: list(f.bytesIn),
    clientIp: list(f.clientIp), userAgent: list(f.userAgent), referer: list(f.referer), upstreamAddr: list(f.upstreamAddr),
    upstreamStatus: list(f.upstreamStatus), requestId: list(f.requestId), traceId: list(f.traceId), errorText: list(f.errorText),
    respMime: list(f.respMime),
    reqHeaders: compileHeaders(spec.reqHeaders, w, reg), respHeaders: compileHeaders(spec.respHeaders, w, reg),
    extra: Object.entries(spec.extra ?? {}).map(([k, p]) => [k, (typeof p === 'string' ? [p] : p).map((x) => compilePath(x, w, reg))] as [string, Path[]]),
    finish: spec.finish ?? null,
  };
  reg.stamp = new Int32Array(reg.paths.length);
  reg.enabled = reg.paths.length > PRESENCE_FROM;
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Per line

/** Maps one parsed object; a string is the rejection reason. */
export function mapJsonObject(c: Compiled, obj: JsonObject, fix: StringFix): RequestRecord | string {
  if (c.presence.enabled) {
    markPresent(c.presence, obj);
    presence = c.presence;
  }
  try {
    return mapObject(c, obj, fix);
  } finally {
    presence = null;
  }
}

function mapObject(c: Compiled, obj: JsonObject, fix: StringFix): RequestRecord | string {
  for (const g of c.identify) {
    if (first(obj, g.paths) === undefined) return g.reason;
  }
  if (c.check !== null) {
    const why = c.check(obj);
    if (why !== null) return why;
  }
  let status: number | null = null;
  for (const p of c.status) {
    const s = statusOf(getPath(obj, p));
    if (s !== null && !Number.isNaN(s)) { status = s; break; }
  }
  if (status === null) return 'status field is not an HTTP status code';

  const rec = emptyRecord();
  const extra: Record<string, string | number | boolean | null> = {};
  rec.status = status;
  if (c.ts !== null) {
    const tv = first(obj, c.ts);
    rec.ts = parseAnyTime(tv);
    if (rec.ts === null) {
      const why = impossibleTime(tv);
      if (why !== null) return why;
    }
  }
  rec.method = firstStr(obj, c.method, fix);
  rec.httpVersion = firstStr(obj, c.httpVersion, fix);
  const target = firstStr(obj, c.target, fix);
  if (target !== null) {
    const t = splitWireTarget(target);
    rec.path = t.path; rec.query = t.query; rec.scheme = t.scheme; rec.host = t.host;
  } else if (c.requestLine !== null) {
    const line = firstStr(obj, c.requestLine, fix);
    if (line !== null) {
      const r = parseRequestLine(line);
      rec.path = r.path; rec.query = r.query; rec.scheme = r.scheme; rec.host = r.host;
      rec.method ??= r.method;
      rec.httpVersion ??= r.httpVersion;
    }
  }
  if (rec.query === null && c.query !== null) rec.query = firstStr(obj, c.query, fix);
  const host = firstStr(obj, c.host, fix);
  if (host !== null) rec.host = host;
  const scheme = firstStr(obj, c.scheme, fix);
  if (scheme !== null) rec.scheme = scheme.toLowerCase();
  rec.durationMs = firstDuration(obj, c.durationMs, extra);
  rec.upstreamMs = firstDuration(obj, c.upstreamMs, extra);
  rec.bytesOut = c.bytesOut === null ? null : numOf(first(obj, c.bytesOut));
  rec.bytesIn = c.bytesIn === null ? null : numOf(first(obj, c.bytesIn));
  const ip = firstStr(obj, c.clientIp, fix);
  rec.clientIp = ip === null ? null : stripPort(ip);
  rec.userAgent = firstStr(obj, c.userAgent, fix);
  rec.referer = firstStr(obj, c.referer, fix);
  rec.upstreamAddr = firstStr(obj, c.upstreamAddr, fix);
  rec.upstreamStatus = firstStr(obj, c.upstreamStatus, fix);
  rec.requestId = firstStr(obj, c.requestId, fix);
  rec.traceId = firstStr(obj, c.traceId, fix);
  rec.errorText = firstStr(obj, c.errorText, fix);
  rec.respMime = firstStr(obj, c.respMime, fix);
  rec.reqHeaders = readHeaders(obj, c.reqHeaders, fix);
  rec.respHeaders = readHeaders(obj, c.respHeaders, fix);
  for (const [k, ps] of c.extra) {
    const v = first(obj, ps);
    if (typeof v === 'string') { if (v !== '' && v !== '-') extra[k] = capExtra(fix(v)); }
    else if (typeof v === 'number' || typeof v === 'boolean') extra[k] = v;
  }
  for (const _ in extra) { rec.extra = extra; break; }
  if (c.finish) c.finish(rec, obj, fix);
  return rec;
}

/** Builds the LogFormat for a spec: paths compiled once, one small parser closure per file. */
export function defineJsonFormat(spec: JsonFormatSpec): LogFormat {
  const compiled = compileJsonSpec(spec);
  return {
    id: spec.id,
    title: spec.title,
    create(): LineParser {
      return (line: string): LineResult => parseJsonLine(compiled, line);
    },
    samples: spec.samples,
  };
}

const DIRECTIVE: LineResult = { directive: true };

export function parseJsonLine(c: Compiled, line: string): LineResult {
  const r = readJsonLine(line);
  if (!r.ok) {
    if (line.trim() === '') return DIRECTIVE;
    return { ok: false, reason: r.reason };
  }
  const rec = mapJsonObject(c, r.obj, r.escapes ? wellFormed : keep);
  return typeof rec === 'string' ? { ok: false, reason: rec } : { ok: true, record: rec };
}

/** Adds a key to rec.extra (creating it). */
export function setExtra(rec: RequestRecord, key: string, value: string | number | boolean | null): void {
  (rec.extra ??= {})[key] = value;
}
