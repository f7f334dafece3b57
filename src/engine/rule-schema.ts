/**
 * Validates a parsed rule file against the rule schema (see rules/README.md), collecting every
 * problem with its JSON path instead of stopping at the first one. Line numbers are added by the
 * caller from json-locate positions.
 */
import { CAUSES, GROUP_KEYS, type MatchSpec } from './types.js';
import { regexLooksUnsafe } from './safe-regex.js';

export interface SchemaProblem {
  path: string;
  ruleId: string | null;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ID_RE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const SUBCAUSE_RE = /^[a-z0-9][a-z0-9-]{0,59}$/;
const URL_ANOMALIES = ['double-slash', 'space', 'angle-bracket', 'trailing-whitespace', 'control-char', 'dot-segment', 'backslash'];
const HOST_KINDS = ['ip', 'public-ip', 'private-ip', 'localhost', 'name'];
const CONTEXT_KEYS = ['routeSucceeds', 'routeSucceedsForOtherClients', 'newerVersionSucceeds', 'clientLooksLikeScanner'];
const EVIDENCE_PLAIN = ['status', 'method', 'url', 'host', 'route', 'query', 'referer', 'errorText', 'body', 'jwt.exp', 'upstreamStatus', 'upstreamAddr', 'upstreamMs', 'durationMs', 'userAgent', 'clientIp', 'scheme'];
const EVIDENCE_PREFIXES = ['header:', 'reqHeader:', 'json:', 'extra:'];
const STR_TEST_KEYS = ['equals', 'in', 'contains', 'prefix', 'suffix', 'matches', 'present'];
const SAMPLE_KEYS = [
  'note', 'url', 'ts', 'method', 'status', 'reqHeaders', 'respHeaders', 'body', 'respMime', 'errorText', 'durationMs',
  'upstreamStatus', 'clientIp', 'userAgent', 'sourceKind', 'format', 'extra', 'context',
];

class Collector {
  readonly problems: SchemaProblem[] = [];
  ruleId: string | null = null;
  add(path: string, message: string): void {
    this.problems.push({ path, ruleId: this.ruleId, message });
  }
}

function unknownKeys(c: Collector, v: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) c.add(`${path}/${k}`, `unknown key "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

function stringArray(c: Collector, v: unknown, path: string, what: string): void {
  if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || s === '')) {
    c.add(path, `${what} must be a non-empty array of non-empty strings`);
  }
}

function regex(c: Collector, v: unknown, path: string): void {
  if (typeof v !== 'string' || v === '') { c.add(path, 'must be a non-empty regular expression string'); return; }
  try { new RegExp(v, 'i'); } catch (e) { c.add(path, `invalid regular expression: ${(e as Error).message}`); return; }
  const why = regexLooksUnsafe(v);
  if (why) c.add(path, `regular expression may backtrack catastrophically (${why}); use contains/prefix/suffix lists instead`);
}

function strTestObject(c: Collector, v: Record<string, unknown>, path: string, extraKeys: readonly string[] = []): void {
  unknownKeys(c, v, [...STR_TEST_KEYS, ...extraKeys], path);
  const tests = STR_TEST_KEYS.filter((k) => k in v);
  if (tests.length === 0 && !extraKeys.some((k) => k in v)) c.add(path, `needs one of ${STR_TEST_KEYS.join(', ')}`);
  if ('equals' in v && typeof v.equals !== 'string') c.add(`${path}/equals`, 'must be a string');
  for (const k of ['in', 'contains', 'prefix', 'suffix']) if (k in v) stringArray(c, v[k], `${path}/${k}`, k);
  if ('matches' in v) regex(c, v.matches, `${path}/matches`);
  if ('present' in v && typeof v.present !== 'boolean') c.add(`${path}/present`, 'must be true or false');
}

function strTest(c: Collector, v: unknown, path: string): void {
  if (typeof v === 'string') return;
  if (!isObj(v)) { c.add(path, 'must be a string or an object with equals/in/contains/prefix/suffix/matches/present'); return; }
  strTestObject(c, v, path);
}

function numTest(c: Collector, v: unknown, path: string): void {
  if (!isObj(v)) { c.add(path, 'must be an object like {"gte": 1000}'); return; }
  unknownKeys(c, v, ['gt', 'gte', 'lt', 'lte', 'eq'], path);
  if (Object.keys(v).length === 0) c.add(path, 'needs one of gt, gte, lt, lte, eq');
  for (const [k, n] of Object.entries(v)) if (typeof n !== 'number' || !Number.isFinite(n)) c.add(`${path}/${k}`, 'must be a number');
}

/** Parses a status entry; null when invalid. */
export function parseStatusEntry(e: unknown): { from: number; to: number } | 'null' | null {
  if (e === null) return 'null';
  if (typeof e === 'number') return Number.isInteger(e) && e >= -1 && e <= 999 ? { from: e, to: e } : null;
  if (typeof e !== 'string') return null;
  const cls = /^([1-9])xx$/i.exec(e);
  if (cls) return { from: Number(cls[1]) * 100, to: Number(cls[1]) * 100 + 99 };
  const range = /^(\d{1,3})-(\d{1,3})$/.exec(e);
  if (range && Number(range[1]) <= Number(range[2])) return { from: Number(range[1]), to: Number(range[2]) };
  return null;
}

function headerTests(c: Collector, v: unknown, path: string): void {
  if (!Array.isArray(v) || v.length === 0) { c.add(path, 'must be a non-empty array of header tests'); return; }
  v.forEach((h, i) => {
    const p = `${path}/${i}`;
    if (!isObj(h)) { c.add(p, 'must be an object like {"name": "Retry-After", "present": true}'); return; }
    if (typeof h.name !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h.name)) c.add(`${p}/name`, 'must be a header name');
    const { name: _n, number, param, ...rest } = h;
    if (number !== undefined) numTest(c, number, `${p}/number`);
    if (param !== undefined) {
      if (!isObj(param) || typeof param.name !== 'string') c.add(`${p}/param`, 'must be an object with "name" and a test');
      else { const { name: _pn, ...pt } = param; strTestObject(c, pt, `${p}/param`); }
    }
    if (Object.keys(rest).length > 0 || (number === undefined && param === undefined)) strTestObject(c, rest, p);
  });
}

function matchSpec(c: Collector, v: unknown, path: string, depth = 0): void {
  if (!isObj(v)) { c.add(path, 'must be an object of conditions'); return; }
  if (depth > 8) { c.add(path, 'conditions nest too deeply (max 8)'); return; }
  const allowed: Array<keyof MatchSpec> = [
    'status', 'method', 'methodKnown', 'scheme', 'sourceKind', 'format', 'host', 'hostKind', 'path', 'extension', 'query',
    'userAgent', 'errorText', 'upstreamStatus', 'upstreamAttempts', 'durationMs', 'slow', 'reqHeaders', 'respHeaders', 'body',
    'extra', 'urlAnomaly', 'jwt', 'credentialsSent', 'apiKeySent', 'reqHeadersSeen', 'sunsetPassed', 'context', 'any', 'all', 'not',
  ];
  unknownKeys(c, v, allowed, path);
  if (Object.keys(v).length === 0) c.add(path, 'an empty condition object matches everything; add at least one condition');
  if ('status' in v) {
    if (!Array.isArray(v.status) || v.status.length === 0) c.add(`${path}/status`, 'must be a non-empty array of codes, "4xx" classes, "500-599" ranges or null');
    else v.status.forEach((e, i) => { if (parseStatusEntry(e) === null) c.add(`${path}/status/${i}`, `bad status entry ${JSON.stringify(e)} (use 404, "4xx", "500-599", -1 or null)`); });
  }
  for (const k of ['method', 'scheme', 'format', 'host', 'path', 'query', 'userAgent', 'errorText', 'upstreamStatus'] as const) {
    if (k in v) strTest(c, v[k], `${path}/${k}`);
  }
  for (const k of ['methodKnown', 'slow', 'credentialsSent', 'apiKeySent', 'reqHeadersSeen', 'sunsetPassed'] as const) {
    if (k in v && typeof v[k] !== 'boolean') c.add(`${path}/${k}`, 'must be true or false');
  }
  if ('sourceKind' in v && v.sourceKind !== 'har' && v.sourceKind !== 'log') c.add(`${path}/sourceKind`, 'must be "har" or "log"');
  if ('hostKind' in v) {
    if (!Array.isArray(v.hostKind) || v.hostKind.some((h) => !HOST_KINDS.includes(h as string))) c.add(`${path}/hostKind`, `must be an array of ${HOST_KINDS.join(', ')}`);
  }
  if ('extension' in v) stringArray(c, v.extension, `${path}/extension`, 'extension');
  if ('urlAnomaly' in v) {
    if (!Array.isArray(v.urlAnomaly) || v.urlAnomaly.length === 0 || v.urlAnomaly.some((a) => !URL_ANOMALIES.includes(a as string))) {
      c.add(`${path}/urlAnomaly`, `must be a non-empty array of ${URL_ANOMALIES.join(', ')}`);
    }
  }
  for (const k of ['upstreamAttempts', 'durationMs'] as const) if (k in v) numTest(c, v[k], `${path}/${k}`);
  for (const k of ['reqHeaders', 'respHeaders'] as const) if (k in v) headerTests(c, v[k], `${path}/${k}`);
  if ('body' in v) bodySpec(c, v.body, `${path}/body`);
  if ('extra' in v) {
    if (!isObj(v.extra) || Object.keys(v.extra).length === 0) c.add(`${path}/extra`, 'must be an object of key → value or string test');
    else for (const [k, t] of Object.entries(v.extra)) if (isObj(t)) strTestObject(c, t, `${path}/extra/${k}`);
  }
  if ('jwt' in v) {
    if (!isObj(v.jwt)) c.add(`${path}/jwt`, 'must be an object');
    else {
      unknownKeys(c, v.jwt, ['present', 'expired', 'expiresWithinMs'], `${path}/jwt`);
      for (const k of ['present', 'expired']) if (k in v.jwt && typeof v.jwt[k] !== 'boolean') c.add(`${path}/jwt/${k}`, 'must be true or false');
      if ('expiresWithinMs' in v.jwt && typeof v.jwt.expiresWithinMs !== 'number') c.add(`${path}/jwt/expiresWithinMs`, 'must be a number');
    }
  }
  if ('context' in v) {
    if (!isObj(v.context)) c.add(`${path}/context`, 'must be an object');
    else {
      unknownKeys(c, v.context, CONTEXT_KEYS, `${path}/context`);
      for (const [k, b] of Object.entries(v.context)) if (typeof b !== 'boolean') c.add(`${path}/context/${k}`, 'must be true or false');
    }
  }
  for (const k of ['any', 'all'] as const) {
    if (k in v) {
      const list = v[k];
      if (!Array.isArray(list) || list.length === 0) c.add(`${path}/${k}`, 'must be a non-empty array of condition objects');
      else list.forEach((m, i) => matchSpec(c, m, `${path}/${k}/${i}`, depth + 1));
    }
  }
  if ('not' in v) matchSpec(c, v.not, `${path}/not`, depth + 1);
}

function bodySpec(c: Collector, v: unknown, path: string): void {
  if (!isObj(v)) { c.add(path, 'must be an object'); return; }
  unknownKeys(c, v, ['present', 'mime', 'json', 'contains', 'matches'], path);
  if ('present' in v && typeof v.present !== 'boolean') c.add(`${path}/present`, 'must be true or false');
  if ('mime' in v) strTest(c, v.mime, `${path}/mime`);
  if ('contains' in v) stringArray(c, v.contains, `${path}/contains`, 'contains');
  if ('matches' in v) regex(c, v.matches, `${path}/matches`);
  if ('json' in v) {
    if (!Array.isArray(v.json) || v.json.length === 0) { c.add(`${path}/json`, 'must be a non-empty array of {"path": …} tests'); return; }
    v.json.forEach((t, i) => {
      const p = `${path}/json/${i}`;
      if (!isObj(t)) { c.add(p, 'must be an object'); return; }
      unknownKeys(c, t, ['path', 'exists', 'equals', 'type', 'nonEmpty'], p);
      if (typeof t.path !== 'string' || !/^[A-Za-z0-9_$@-]+(\[\d+\])?(\.[A-Za-z0-9_$@-]+(\[\d+\])?)*$/.test(t.path)) {
        c.add(`${p}/path`, 'must be a dotted path like "errors" or "error.code" or "errors[0].message"');
      }
      if ('type' in t && !['array', 'object', 'string', 'number', 'boolean', 'null'].includes(t.type as string)) c.add(`${p}/type`, 'must be array, object, string, number, boolean or null');
      if ('exists' in t && typeof t.exists !== 'boolean') c.add(`${p}/exists`, 'must be true or false');
      if ('nonEmpty' in t && typeof t.nonEmpty !== 'boolean') c.add(`${p}/nonEmpty`, 'must be true or false');
      if ('equals' in t && typeof t.equals === 'object' && t.equals !== null) c.add(`${p}/equals`, 'must be a string, number, boolean or null');
    });
  }
}

function sample(c: Collector, v: unknown, path: string): void {
  if (!isObj(v)) { c.add(path, 'must be a sample record object'); return; }
  unknownKeys(c, v, SAMPLE_KEYS, path);
  if ('status' in v && v.status !== null && (typeof v.status !== 'number' || !Number.isInteger(v.status))) c.add(`${path}/status`, 'must be an integer or null');
  if ('url' in v && (typeof v.url !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v.url) && !v.url.startsWith('/'))) c.add(`${path}/url`, 'must be an absolute URL or a path starting with /');
  for (const k of ['reqHeaders', 'respHeaders']) {
    if (!(k in v)) continue;
    const h = v[k];
    const ok = Array.isArray(h) ? h.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string')) : isObj(h) && Object.values(h).every((s) => typeof s === 'string');
    if (!ok) c.add(`${path}/${k}`, 'must be {"Name": "value"} or [["Name", "value"], …]');
  }
  if ('ts' in v && typeof v.ts !== 'number' && (typeof v.ts !== 'string' || Number.isNaN(Date.parse(v.ts)))) c.add(`${path}/ts`, 'must be epoch ms or an ISO 8601 date');
  if ('durationMs' in v && typeof v.durationMs !== 'number') c.add(`${path}/durationMs`, 'must be a number');
  if ('context' in v) {
    if (!isObj(v.context)) c.add(`${path}/context`, 'must be an object');
    else unknownKeys(c, v.context, CONTEXT_KEYS, `${path}/context`);
  }
}

function evidence(c: Collector, v: unknown, path: string): void {
  if (!Array.isArray(v)) { c.add(path, 'must be an array of field names'); return; }
  v.forEach((e, i) => {
    if (typeof e !== 'string' || !(EVIDENCE_PLAIN.includes(e) || EVIDENCE_PREFIXES.some((p) => e.startsWith(p) && e.length > p.length))) {
      c.add(`${path}/${i}`, `unknown evidence field ${JSON.stringify(e)} (use ${EVIDENCE_PLAIN.join(', ')} or ${EVIDENCE_PREFIXES.map((p) => p + '<name>').join(', ')})`);
    }
  });
}

function rule(c: Collector, v: unknown, path: string, userFile: boolean): void {
  if (!isObj(v)) { c.add(path, 'must be a rule object'); return; }
  c.ruleId = typeof v.id === 'string' ? v.id : null;
  unknownKeys(c, v, ['id', 'title', 'cause', 'subcause', 'priority', 'severity', 'groupBy', 'match', 'evidence', 'advice', 'samples', 'sanitizedSensitive', 'disabled'], path);
  if (typeof v.id !== 'string' || !ID_RE.test(v.id)) c.add(`${path}/id`, 'must be a lower-case id like "auth.expired-token" (a-z, 0-9, . _ -)');
  if (v.disabled === true && userFile) return; // {"id": "...", "disabled": true} switches a built-in rule off
  if ('disabled' in v && typeof v.disabled !== 'boolean') c.add(`${path}/disabled`, 'must be true or false');
  if (typeof v.title !== 'string' || v.title.trim() === '') c.add(`${path}/title`, 'must be a non-empty string');
  if (!CAUSES.includes(v.cause as never) || v.cause === 'unknown') c.add(`${path}/cause`, `must be one of ${CAUSES.filter((x) => x !== 'unknown').join(', ')}`);
  if (typeof v.subcause !== 'string' || !SUBCAUSE_RE.test(v.subcause)) c.add(`${path}/subcause`, 'must be a lower-case kebab-case id');
  if ('priority' in v && (typeof v.priority !== 'number' || !Number.isFinite(v.priority))) c.add(`${path}/priority`, 'must be a number (higher runs first)');
  if ('severity' in v && (typeof v.severity !== 'number' || v.severity < 1 || v.severity > 10)) c.add(`${path}/severity`, 'must be a number from 1 to 10');
  if ('groupBy' in v) {
    if (!Array.isArray(v.groupBy) || v.groupBy.length === 0 || v.groupBy.some((g) => !GROUP_KEYS.includes(g as never))) {
      c.add(`${path}/groupBy`, `must be a non-empty array of ${GROUP_KEYS.join(', ')}`);
    }
  }
  if (!('match' in v)) c.add(path, 'missing "match" (the conditions)');
  else matchSpec(c, v.match, `${path}/match`);
  if ('evidence' in v) evidence(c, v.evidence, `${path}/evidence`);
  if ('sanitizedSensitive' in v && typeof v.sanitizedSensitive !== 'boolean') c.add(`${path}/sanitizedSensitive`, 'must be true or false');
  if (!isObj(v.advice)) c.add(`${path}/advice`, 'must be {"check": [...], "fix": [...]}');
  else {
    unknownKeys(c, v.advice, ['check', 'fix'], `${path}/advice`);
    stringArray(c, v.advice.check, `${path}/advice/check`, 'advice.check');
    stringArray(c, v.advice.fix, `${path}/advice/fix`, 'advice.fix');
  }
  if (!isObj(v.samples)) c.add(`${path}/samples`, 'must be {"match": [...], "noMatch": [...]} (every rule ships samples)');
  else {
    unknownKeys(c, v.samples, ['match', 'noMatch'], `${path}/samples`);
    for (const k of ['match', 'noMatch'] as const) {
      const list = v.samples[k];
      if (!Array.isArray(list) || list.length === 0) c.add(`${path}/samples/${k}`, `needs at least one sample that must ${k === 'match' ? '' : 'not '}match`);
      else list.forEach((s, i) => sample(c, s, `${path}/samples/${k}/${i}`));
    }
  }
}

/** Validates one parsed rule file; returns every problem found (empty when valid). */
export function validateRuleFile(v: unknown, opts: { userFile?: boolean } = {}): SchemaProblem[] {
  const c = new Collector();
  if (!isObj(v)) { c.add('', 'a rule file must be an object {"rules": [...]}'); return c.problems; }
  unknownKeys(c, v, ['$schema', 'family', 'description', 'rules'], '');
  if (!Array.isArray(v.rules)) { c.add('/rules', 'must be an array of rules'); return c.problems; }
  const seen = new Map<string, number>();
  v.rules.forEach((r, i) => {
    rule(c, r, `/rules/${i}`, opts.userFile === true);
    if (isObj(r) && typeof r.id === 'string') {
      const prev = seen.get(r.id);
      if (prev !== undefined) c.add(`/rules/${i}/id`, `duplicate rule id "${r.id}" (also /rules/${prev})`);
      else seen.set(r.id, i);
    }
  });
  return c.problems;
}
