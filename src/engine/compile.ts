/**
 * Compiles a rule's match conditions, once, into a tree of closures. The fast path calls
 * `node.test(facts)`; `explain` walks the same tree to say which conditions held. Within an AND
 * the status test always runs first (cheapest and most selective).
 */
import type { Facts, LowerField } from './facts.js';
import { parseStatusEntry } from './rule-schema.js';
import type { HeaderTest, JsonTest, MatchSpec, NumTest, StatusEntry, StrTest } from './types.js';
import { headerParam } from './header-params.js';

export interface CondNode {
  kind: 'and' | 'or' | 'not' | 'leaf';
  label: string;
  test: (f: Facts) => boolean;
  children: CondNode[];
  /** What the record had, for explain output (leaves only). */
  actual?: (f: Facts) => string;
}

const REGEX_INPUT_CAP = 2048;
/** A string predicate: the raw value (regexes) and its lower-case form (everything else). */
type StrPred = (v: string | null, lower: string | null) => boolean;

function show(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? s.slice(0, 117) + '…' : s;
}

/**
 * One regular expression for a list of lower-case literals: an alternation of escaped fixed
 * strings cannot backtrack badly (linear in the input for a given list) and is ~20x faster than
 * a loop of includes() over long lists such as the scanner-probe paths.
 */
export function literalAlternation(list: string[], before: string, after: string): RegExp {
  const body = list.map((s) => s.toLowerCase().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return new RegExp(`${before}(?:${body})${after}`);
}

/** A string test as a predicate on a possibly-null value (null only satisfies present:false). */
export function compileStr(t: StrTest): { pred: StrPred; label: string } {
  if (typeof t === 'string') {
    const want = t.toLowerCase();
    return { pred: (_v, l) => l === want, label: `= ${JSON.stringify(t)}` };
  }
  const preds: StrPred[] = [];
  const labels: string[] = [];
  if (t.present !== undefined) {
    const p = t.present;
    preds.push((v) => (v !== null) === p);
    labels.push(p ? 'present' : 'absent');
  }
  if (t.equals !== undefined) {
    const w = t.equals.toLowerCase();
    preds.push((_v, l) => l === w);
    labels.push(`= ${JSON.stringify(t.equals)}`);
  }
  if (t.in) {
    const set = new Set(t.in.map((s) => s.toLowerCase()));
    preds.push((_v, l) => l !== null && set.has(l));
    labels.push(`in ${JSON.stringify(t.in)}`);
  }
  if (t.contains) {
    const re = literalAlternation(t.contains, '', '');
    preds.push((_v, l) => l !== null && re.test(l));
    labels.push(`contains any of ${JSON.stringify(t.contains)}`);
  }
  if (t.prefix) {
    const re = literalAlternation(t.prefix, '^', '');
    preds.push((_v, l) => l !== null && re.test(l));
    labels.push(`starts with any of ${JSON.stringify(t.prefix)}`);
  }
  if (t.suffix) {
    const re = literalAlternation(t.suffix, '', '$');
    preds.push((_v, l) => l !== null && re.test(l));
    labels.push(`ends with any of ${JSON.stringify(t.suffix)}`);
  }
  if (t.matches !== undefined) {
    const re = new RegExp(t.matches, 'i');
    preds.push((v) => v !== null && re.test(v.length > REGEX_INPUT_CAP ? v.slice(0, REGEX_INPUT_CAP) : v));
    labels.push(`matches /${t.matches}/i`);
  }
  const pred: StrPred = preds.length === 1 ? preds[0]! : (v, l) => preds.every((p) => p(v, l));
  return { pred, label: labels.join(' and ') };
}

/** Applies a compiled string predicate to a raw value, lower-casing it once. */
export function testStr(pred: StrPred, v: string | null): boolean {
  return pred(v, v === null ? null : v.toLowerCase());
}

function compileNum(t: NumTest): { pred: (n: number | null) => boolean; label: string } {
  const parts: Array<[string, (n: number) => boolean]> = [];
  if (t.gt !== undefined) { const x = t.gt; parts.push([`> ${x}`, (n) => n > x]); }
  if (t.gte !== undefined) { const x = t.gte; parts.push([`>= ${x}`, (n) => n >= x]); }
  if (t.lt !== undefined) { const x = t.lt; parts.push([`< ${x}`, (n) => n < x]); }
  if (t.lte !== undefined) { const x = t.lte; parts.push([`<= ${x}`, (n) => n <= x]); }
  if (t.eq !== undefined) { const x = t.eq; parts.push([`= ${x}`, (n) => n === x]); }
  return { pred: (n) => n !== null && Number.isFinite(n) && parts.every(([, p]) => p(n)), label: parts.map(([l]) => l).join(' and ') };
}

/** Status lookup: index status+1 for -1..999; `nullOk` for records without a status. */
export interface StatusSet {
  table: Uint8Array;
  nullOk: boolean;
}

export function compileStatusSet(entries: StatusEntry[]): StatusSet {
  const table = new Uint8Array(1001);
  let nullOk = false;
  for (const e of entries) {
    const p = parseStatusEntry(e);
    if (p === 'null') nullOk = true;
    else if (p) for (let s = p.from; s <= p.to; s++) table[s + 1] = 1;
  }
  return { table, nullOk };
}

export function statusIn(set: StatusSet, s: number | null): boolean {
  if (s === null) return set.nullOk;
  return s >= -1 && s <= 999 && set.table[s + 1] === 1;
}

function leaf(label: string, test: (f: Facts) => boolean, actual?: (f: Facts) => string): CondNode {
  return { kind: 'leaf', label, test, children: [], actual };
}

/** Reads a dotted JSON path ("errors[0].message"); undefined when any step is missing. */
export function jsonAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const step of path.split('.')) {
    const br = step.indexOf('[');
    const key = br < 0 ? step : step.slice(0, br);
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
    if (br >= 0) {
      const idx = Number(step.slice(br + 1, -1));
      if (!Array.isArray(cur)) return undefined;
      cur = cur[idx];
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function compileJson(t: JsonTest): CondNode {
  const firstKey = t.path.split(/[.[]/)[0]!;
  const checks: Array<(v: unknown) => boolean> = [];
  const labels: string[] = [];
  const exists = t.exists ?? (t.equals === undefined && t.type === undefined && t.nonEmpty === undefined ? true : undefined);
  if (exists !== undefined) { checks.push((v) => (v !== undefined) === exists); labels.push(exists ? 'exists' : 'is absent'); }
  if (t.equals !== undefined) { const w = t.equals; checks.push((v) => v === w); labels.push(`= ${JSON.stringify(w)}`); }
  if (t.type !== undefined) { const ty = t.type; checks.push((v) => v !== undefined && jsonType(v) === ty); labels.push(`is ${ty}`); }
  if (t.nonEmpty !== undefined) {
    const ne = t.nonEmpty;
    checks.push((v) => {
      const n = Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0;
      return (n > 0) === ne;
    });
    labels.push(ne ? 'is non-empty' : 'is empty');
  }
  const needsKey = exists !== false;
  return leaf(`body JSON ${t.path} ${labels.join(' and ')}`, (f) => {
    // The substring pre-check spares a JSON.parse for almost every body.
    if (needsKey && !f.bodyMentionsKey(firstKey)) return false;
    const root = f.json;
    if (root === undefined) return !needsKey && checks.every((c) => c(undefined));
    const v = jsonAt(root, t.path);
    return checks.every((c) => c(v));
  }, (f) => show(f.json === undefined ? undefined : jsonAt(f.json, t.path)));
}

function compileHeader(h: HeaderTest, side: 'req' | 'resp'): CondNode {
  const name = h.name.toLowerCase();
  const get = side === 'req' ? (f: Facts) => f.reqHeader(name) : (f: Facts) => f.respHeader(name);
  const { name: _n, number, param, ...rest } = h;
  const tests: Array<(v: string | null) => boolean> = [];
  const labels: string[] = [];
  if (Object.keys(rest).length > 0) { const s = compileStr(rest); tests.push((v) => testStr(s.pred, v)); labels.push(s.label); }
  if (number) {
    const n = compileNum(number);
    tests.push((v) => v !== null && n.pred(Number(v.trim())));
    labels.push(`as a number ${n.label}`);
  }
  if (param) {
    const { name: pn, ...pt } = param;
    const s = compileStr(pt);
    tests.push((v) => v !== null && testStr(s.pred, headerParam(v, pn)));
    labels.push(`param ${pn} ${s.label}`);
  }
  const where = side === 'req' ? 'request header' : 'response header';
  return leaf(`${where} ${h.name} ${labels.join(' and ')}`, (f) => { const v = get(f); return tests.every((t) => t(v)); }, (f) => show(get(f)));
}

function strLeaf(label: string, t: StrTest, get: (f: Facts) => string | null): CondNode {
  const s = compileStr(t);
  return leaf(`${label} ${s.label}`, (f) => testStr(s.pred, get(f)), (f) => show(get(f)));
}

/** A string test on a record field whose lower-case form Facts caches (shared by every rule). */
function fieldLeaf(label: string, t: StrTest, field: LowerField): CondNode {
  const s = compileStr(t);
  return leaf(`${label} ${s.label}`, (f) => s.pred(f.r[field], f.lower(field)), (f) => show(f.r[field]));
}

function boolLeaf(label: string, want: boolean, get: (f: Facts) => boolean): CondNode {
  return leaf(`${label} is ${want}`, (f) => get(f) === want, (f) => String(get(f)));
}

function and(children: CondNode[], label = 'all of'): CondNode {
  const tests = children.map((c) => c.test);
  const n = tests.length;
  const test = n === 1 ? tests[0]! : (f: Facts) => { for (let i = 0; i < n; i++) if (!tests[i]!(f)) return false; return true; };
  return { kind: 'and', label, test, children };
}

/**
 * Compiles a match spec into a condition tree (AND of its keys; status first). Nested specs
 * (inside any/all/not) with a single condition collapse to that condition, for readable explains.
 */
export function compileMatch(m: MatchSpec, slowLabel = 'slow threshold', nested = false): CondNode {
  const kids: CondNode[] = [];
  if (m.status) {
    const set = compileStatusSet(m.status);
    kids.push(leaf(`status in ${JSON.stringify(m.status)}`, (f) => statusIn(set, f.status), (f) => String(f.status)));
  }
  if (m.method !== undefined) kids.push(fieldLeaf('method', m.method, 'method'));
  if (m.methodKnown !== undefined) kids.push(boolLeaf('method is a standard HTTP method', m.methodKnown, (f) => f.methodKnown));
  if (m.scheme !== undefined) kids.push(fieldLeaf('scheme', m.scheme, 'scheme'));
  if (m.sourceKind !== undefined) { const k = m.sourceKind; kids.push(leaf(`source kind = ${k}`, (f) => f.r.sourceKind === k, (f) => show(f.r.sourceKind))); }
  if (m.format !== undefined) kids.push(strLeaf('format', m.format, (f) => f.r.format ?? null));
  if (m.host !== undefined) kids.push(fieldLeaf('host', m.host, 'host'));
  if (m.hostKind) { const ks = m.hostKind; kids.push(leaf(`host kind any of ${JSON.stringify(ks)}`, (f) => ks.some((k) => f.hostKind.has(k)), (f) => [...f.hostKind].join(',') || '(none)')); }
  if (m.path !== undefined) kids.push(fieldLeaf('path', m.path, 'path'));
  if (m.extension) { const set = new Set(m.extension.map((e) => e.toLowerCase())); kids.push(leaf(`extension in ${JSON.stringify(m.extension)}`, (f) => { const e = f.extension; return e !== null && set.has(e); }, (f) => show(f.extension))); }
  if (m.query !== undefined) kids.push(fieldLeaf('query', m.query, 'query'));
  if (m.userAgent !== undefined) kids.push(fieldLeaf('user agent', m.userAgent, 'userAgent'));
  if (m.errorText !== undefined) kids.push(fieldLeaf('error text', m.errorText, 'errorText'));
  if (m.upstreamStatus !== undefined) kids.push(fieldLeaf('upstream status', m.upstreamStatus, 'upstreamStatus'));
  if (m.upstreamAttempts) { const n = compileNum(m.upstreamAttempts); kids.push(leaf(`upstream attempts ${n.label}`, (f) => n.pred(f.upstreamAttempts), (f) => String(f.upstreamAttempts))); }
  if (m.durationMs) { const n = compileNum(m.durationMs); kids.push(leaf(`duration ms ${n.label}`, (f) => n.pred(f.r.durationMs), (f) => show(f.r.durationMs))); }
  if (m.slow !== undefined) { const w = m.slow; kids.push(leaf(`duration >= ${slowLabel} is ${w}`, (f) => (f.r.durationMs !== null && f.r.durationMs >= f.env.slowMs) === w, (f) => show(f.r.durationMs))); }
  for (const h of m.reqHeaders ?? []) kids.push(compileHeader(h, 'req'));
  for (const h of m.respHeaders ?? []) kids.push(compileHeader(h, 'resp'));
  if (m.body) {
    const b = m.body;
    if (b.present !== undefined) kids.push(boolLeaf('body present', b.present, (f) => f.r.body !== null && f.r.body !== ''));
    if (b.mime !== undefined) kids.push(strLeaf('response MIME', b.mime, (f) => f.r.respMime ?? f.respHeader('content-type')));
    for (const j of b.json ?? []) kids.push(compileJson(j));
    if (b.contains) { const s = compileStr({ contains: b.contains }); kids.push(leaf(`body ${s.label}`, (f) => s.pred(f.r.body, f.bodyLower), (f) => show(f.r.body))); }
    if (b.matches) { const s = compileStr({ matches: b.matches }); kids.push(leaf(`body ${s.label}`, (f) => s.pred(f.r.body, null), (f) => show(f.r.body))); }
  }
  for (const [k, t] of Object.entries(m.extra ?? {})) {
    if (t !== null && typeof t === 'object') kids.push(strLeaf(`extra.${k}`, t, (f) => { const v = f.r.extra?.[k]; return v === undefined || v === null ? null : String(v); }));
    else kids.push(leaf(`extra.${k} = ${JSON.stringify(t)}`, (f) => { const v = f.r.extra?.[k]; return v === t || (v !== undefined && v !== null && typeof t === 'string' && String(v).toLowerCase() === t.toLowerCase()); }, (f) => show(f.r.extra?.[k])));
  }
  if (m.urlAnomaly) { const list = m.urlAnomaly; kids.push(leaf(`URL anomaly any of ${JSON.stringify(list)}`, (f) => list.some((a) => f.urlAnomalies.has(a)), (f) => [...f.urlAnomalies].join(',') || '(none)')); }
  if (m.jwt) {
    const j = m.jwt;
    if (j.present !== undefined) kids.push(boolLeaf('JWT present', j.present, (f) => f.jwts.length > 0));
    if (j.expired !== undefined) kids.push(boolLeaf('JWT expired before the request', j.expired, jwtExpired));
    if (j.expiresWithinMs !== undefined) {
      const w = j.expiresWithinMs;
      kids.push(leaf(`JWT expires within ${w} ms after the request`, (f) => jwtExpiresWithin(f, w), (f) => show(f.jwts[0]?.exp)));
    }
  }
  if (m.credentialsSent !== undefined) kids.push(boolLeaf('credentials sent', m.credentialsSent, (f) => f.credentialsSent));
  if (m.apiKeySent !== undefined) kids.push(boolLeaf('API key sent', m.apiKeySent, (f) => f.apiKeySent));
  if (m.reqHeadersSeen !== undefined) kids.push(boolLeaf('request headers recorded', m.reqHeadersSeen, (f) => f.reqHeadersSeen));
  if (m.sunsetPassed !== undefined) kids.push(boolLeaf('Sunset date passed', m.sunsetPassed, (f) => f.sunsetPassed));
  for (const [k, want] of Object.entries(m.context ?? {})) {
    const key = k as keyof NonNullable<MatchSpec['context']>;
    kids.push(boolLeaf(`context ${k}`, want as boolean, (f) => f.context?.[key] === true));
  }
  for (const a of m.all ?? []) kids.push(compileMatch(a, slowLabel, true));
  if (m.any) {
    const alts = m.any.map((a) => compileMatch(a, slowLabel, true));
    const tests = alts.map((a) => a.test);
    kids.push({ kind: 'or', label: 'any of', test: (f) => tests.some((t) => t(f)), children: alts });
  }
  if (m.not) {
    const inner = compileMatch(m.not, slowLabel, true);
    const t = inner.test;
    kids.push({ kind: 'not', label: 'none of', test: (f) => !t(f), children: [inner] });
  }
  return nested && kids.length === 1 ? kids[0]! : and(kids);
}

export function jwtExpired(f: Facts): boolean {
  const ts = f.r.ts;
  if (ts === null) return false;
  return f.jwts.some((j) => j.exp !== null && j.exp * 1000 <= ts);
}

export function jwtExpiresWithin(f: Facts, ms: number): boolean {
  const ts = f.r.ts;
  if (ts === null) return false;
  return f.jwts.some((j) => j.exp !== null && j.exp * 1000 > ts && j.exp * 1000 - ts <= ms);
}

/** Statuses a spec can match, for dispatch; null when the spec does not constrain the status. */
export function statusConstraint(m: MatchSpec): StatusSet | null {
  return m.status ? compileStatusSet(m.status) : null;
}
