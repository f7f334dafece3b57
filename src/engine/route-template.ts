/**
 * Route templating: /users/123/orders/9f1c… → /users/{id}/orders/{uuid}. Shared by HAR and log
 * sources (it only sees host + path). Two passes:
 *  1. patterns per segment: numbers, UUIDs, hex hashes, long opaque tokens, e-mails, dates,
 *     redaction markers (an extension such as ".jpg" is kept: /img/42.jpg → /img/{id}.jpg);
 *  2. per-position cardinality learned from the whole set of paths of a host (a trie):
 *     - id-like siblings (they contain digits: u123, ord-77) become {id};
 *     - many distinct siblings below the root become {param};
 *     - siblings whose subtrees share the same literal continuation (/users/alice/repos,
 *       /users/bob/repos, …) become {param}.
 */

export interface RouteKeyRow {
  host: string | null;
  path: string;
  count: number;
  failed?: number;
}

export interface TemplateOptions {
  /** Distinct literal siblings (below the root) from which a position is a parameter. @default 40 */
  highCardinality?: number;
  /** Minimum id-like siblings for an {id} merge. @default 3 */
  minIdLike?: number;
  /** Minimum siblings sharing a literal continuation for a {param} merge. @default 4 */
  minShared?: number;
}

const MAX_SEGMENTS = 64;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_RE = /^(19|20)\d\d-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])$/;
const HEX_RE = /^[0-9a-f]+$/i;
const TOKEN_CHARS_RE = /^[A-Za-z0-9_~.+=%-]+$/;
const VERSION_RE = /^v\d{1,3}(\.\d{1,3}){0,2}$/i;

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c >= 48 && c <= 57) return true; }
  return false;
}
function hasLetter(s: string): boolean {
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i) | 32; if (c >= 97 && c <= 122) return true; }
  return false;
}

/**
 * Opaque tokens mix upper case, lower case and digits (base64url), or are digit-heavy without
 * word separators; hyphenated slugs such as "logstash-monitorama-2013" are words, not tokens.
 */
function looksRandom(s: string): boolean {
  let upper = 0;
  let lower = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digits++;
  }
  if (upper > 0 && lower > 0 && digits > 0) return true;
  if (s.includes('-') || s.includes('_')) return false;
  return digits > 0 && (upper > 0 || lower > 0) && digits * 5 >= s.length;
}

/** The placeholder a single segment's text matches, or null when it looks literal. */
export function segmentPattern(base: string): string | null {
  if (base === '') return null;
  if (base.startsWith('{') && base.endsWith('}')) return base; // already a placeholder (redactor's {token})
  if (base.startsWith('[REDACTED') || base.startsWith('%5BREDACTED')) return '{token}';
  if (DATE_RE.test(base)) return '{date}';
  if (/^\d+$/.test(base)) return '{id}';
  if (base.length === 36 && UUID_RE.test(base)) return '{uuid}';
  if ((base.includes('@') || base.toLowerCase().includes('%40')) && base.includes('.') && base.length <= 254) return '{email}';
  if (base.length >= 16 && HEX_RE.test(base) && hasDigit(base) && hasLetter(base)) return '{hash}';
  if (base.length >= 20 && base.includes('-')) {
    // Hyphen-grouped hex ids (device ids, non-standard UUIDs): 00008101-001C59490C80801E
    const hex = base.replace(/-/g, '');
    if (hex.length >= 16 && HEX_RE.test(hex) && hasDigit(hex)) return '{id}';
  }
  if (base.length >= 20 && TOKEN_CHARS_RE.test(base) && !base.includes('.') && looksRandom(base)) return '{token}';
  return null;
}

/** Splits "name.ext" when ext is a short alphanumeric extension. */
function splitExt(seg: string): [string, string] {
  const dot = seg.lastIndexOf('.');
  if (dot <= 0 || seg.length - dot - 1 > 5 || seg.length - dot - 1 < 1) return [seg, ''];
  const ext = seg.slice(dot + 1);
  return /^[A-Za-z0-9]+$/.test(ext) && hasLetter(ext) ? [seg.slice(0, dot), seg.slice(dot)] : [seg, ''];
}

/** Pattern pass for one segment (keeps the extension). */
export function templateSegment(seg: string): string {
  const whole = segmentPattern(seg);
  if (whole) return whole;
  const [base, ext] = splitExt(seg);
  if (ext === '') return seg;
  const p = segmentPattern(base);
  return p ? p + ext : seg;
}

export function splitPath(path: string): string[] {
  const p = path.startsWith('/') ? path.slice(1) : path;
  const segs = p.split('/');
  return segs.length > MAX_SEGMENTS ? [...segs.slice(0, MAX_SEGMENTS - 1), segs.slice(MAX_SEGMENTS - 1).join('/')] : segs;
}

function isIdLike(seg: string): boolean {
  const [base] = splitExt(seg);
  return base.length >= 2 && hasDigit(base) && !VERSION_RE.test(base) && !/^\d+(\.\d+)+$/.test(base);
}

interface Node {
  children: Map<string, Node>;
  count: number;
  /** After learning: literal child keys that were merged into `merged` (null = none). */
  mergedKeys: Set<string> | null;
  merged: Node | null;
  mergedName: string;
  /**
   * Which unseen literal siblings the merge stands for (RouteTemplater on paths it did not learn):
   * 'id' every id-like literal, 'all' every literal, null none (a merge by shared continuation
   * names its members only).
   */
  mergeRule: 'id' | 'all' | null;
}

const newNode = (): Node => ({ children: new Map(), count: 0, mergedKeys: null, merged: null, mergedName: '', mergeRule: null });

function insert(root: Node, segs: string[], count: number): void {
  let n = root;
  n.count += count;
  for (const s of segs) {
    let c = n.children.get(s);
    if (!c) { c = newNode(); n.children.set(s, c); }
    c.count += count;
    n = c;
  }
}

/** Merges `src` into `dst` (union of subtrees). */
function absorb(dst: Node, src: Node): void {
  dst.count += src.count;
  for (const [k, c] of src.children) {
    const d = dst.children.get(k);
    if (d) absorb(d, c);
    else dst.children.set(k, c);
  }
}

function isPlaceholder(k: string): boolean {
  return k.startsWith('{');
}

/** Literal continuation shared by siblings: the set of their literal child keys, as a signature. */
function literalSignature(n: Node): string {
  const keys = [...n.children.keys()].filter((k) => !isPlaceholder(k) && k !== '').sort();
  return keys.join('\u0000');
}

/** Top-down: decide which children of `node` are parameters, merge them, then recurse. */
function learn(node: Node, depth: number, o: Required<TemplateOptions>): void {
  mergeChildren(node, depth, o);
  for (const c of node.children.values()) learn(c, depth + 1, o);
}

function mergeChildren(node: Node, depth: number, o: Required<TemplateOptions>): void {
  // Version segments (v1, v2 …) are never parameters: the deprecated rules compare them.
  const literals = [...node.children.keys()].filter((k) => !isPlaceholder(k) && k !== '' && !VERSION_RE.test(k));
  if (literals.length < 2) return;
  let mergeKeys: string[] = [];
  let name = '{param}';
  let rule: Node['mergeRule'] = null;
  const idLike = literals.filter(isIdLike);
  if (idLike.length >= o.minIdLike && idLike.length * 2 >= literals.length) {
    mergeKeys = idLike;
    name = '{id}';
    rule = 'id';
  } else if (depth > 0 && literals.length >= o.highCardinality) {
    mergeKeys = literals;
    rule = 'all';
  } else if (depth > 0 && literals.length >= o.minShared) {
    const bySig = new Map<string, string[]>();
    for (const k of literals) {
      const sig = literalSignature(node.children.get(k)!);
      if (sig === '') continue;
      const list = bySig.get(sig) ?? [];
      list.push(k);
      bySig.set(sig, list);
    }
    for (const list of bySig.values()) if (list.length >= o.minShared && list.length * 10 >= literals.length * 8) mergeKeys = list;
  }
  if (mergeKeys.length === 0) return;
  // Siblings with an extension keep it: /img/a1.png + /img/b2.png → /img/{id}.png; group by extension.
  const byExt = new Map<string, string[]>();
  for (const k of mergeKeys) {
    const ext = splitExt(k)[1];
    const list = byExt.get(ext) ?? [];
    list.push(k);
    byExt.set(ext, list);
  }
  node.mergedKeys = new Set(mergeKeys);
  node.mergedName = name;
  node.mergeRule = rule;
  node.merged = newNode();
  const target = node.merged;
  for (const [ext, keys] of byExt) {
    const key = name + ext;
    const existing = node.children.get(key);
    const into = existing ?? newNode();
    for (const k of keys) { absorb(into, node.children.get(k)!); node.children.delete(k); }
    if (!existing) node.children.set(key, into);
    for (const k of keys) target.children.set(k, into); // lookup table literal → merged node
  }
}

/** True when `seg`, a literal the trie did not see at this node, belongs to the node's merge. */
function mergesUnseen(n: Node, seg: string): boolean {
  if (n.mergeRule === null || seg === '' || isPlaceholder(seg) || VERSION_RE.test(seg)) return false;
  return n.mergeRule === 'all' || isIdLike(seg);
}

function walk(root: Node, segs: string[]): string {
  let n: Node | undefined = root;
  const out: string[] = [];
  for (const s of segs) {
    if (!n) { out.push(s); continue; }
    const direct: Node | undefined = n.children.get(s);
    if (direct) { out.push(s); n = direct; continue; }
    const viaMerge: Node | undefined = n.merged?.children.get(s);
    if (viaMerge) { out.push(n.mergedName + splitExt(s)[1]); n = viaMerge; continue; }
    // Only a path outside the learned set gets here (RouteTemplater): a sibling of merged literals
    // that the merge's rule covers is templated as they were.
    if (mergesUnseen(n, s)) {
      const key = n.mergedName + splitExt(s)[1];
      out.push(key);
      n = n.children.get(key);
      continue;
    }
    out.push(s);
    n = undefined;
  }
  return '/' + out.join('/');
}

function learnRoots(rows: Iterable<RouteKeyRow>, opts: TemplateOptions, each?: (host: string, path: string, segs: string[]) => void): Map<string, Node> {
  const o: Required<TemplateOptions> = { highCardinality: opts.highCardinality ?? 40, minIdLike: opts.minIdLike ?? 3, minShared: opts.minShared ?? 4 };
  const roots = new Map<string, Node>();
  for (const r of rows) {
    const host = r.host ?? '';
    const segs = splitPath(r.path).map(templateSegment);
    let root = roots.get(host);
    if (!root) { root = newNode(); roots.set(host, root); }
    insert(root, segs, r.count);
    each?.(host, r.path, segs);
  }
  for (const root of roots.values()) learn(root, 0, o);
  return roots;
}

/** Learns templates from distinct host+path rows; returns host + '\u0000' + path → template. */
export function learnRouteTemplates(rows: Iterable<RouteKeyRow>, opts: TemplateOptions = {}): Map<string, string> {
  const patterned: Array<[string, string, string[]]> = [];
  const roots = learnRoots(rows, opts, (host, path, segs) => patterned.push([host, path, segs]));
  const out = new Map<string, string>();
  for (const [host, path, segs] of patterned) out.set(host + '\u0000' + path, walk(roots.get(host)!, segs));
  return out;
}

/**
 * Templates learned from a set of paths, for any path: the same template as learnRouteTemplates for
 * a path of the set, and for another one what the learned merges say about it (an id-like sibling of
 * merged ids is an {id} too). A large store learns from its most requested paths only and templates
 * the rest with this (memory bounded by the learned set, not by the distinct paths stored).
 */
export class RouteTemplater {
  private constructor(private readonly roots: Map<string, Node>) {}

  static learn(rows: Iterable<RouteKeyRow>, opts: TemplateOptions = {}): RouteTemplater {
    return new RouteTemplater(learnRoots(rows, opts));
  }

  template(host: string | null, path: string | null): string {
    const p = path ?? '';
    const root = this.roots.get(host ?? '');
    return root ? walk(root, splitPath(p).map(templateSegment)) : templatePath(p);
  }

  /** host + '\u0000' + path → template (the Map interface AnalysisRun reads). */
  get(key: string): string {
    const cut = key.indexOf('\u0000');
    return cut < 0 ? this.template(null, key) : this.template(key.slice(0, cut), key.slice(cut + 1));
  }
}

/** Pattern-only template for a single path (no learning): for records seen outside the learned set. */
export function templatePath(path: string): string {
  return '/' + splitPath(path).map(templateSegment).join('/');
}
