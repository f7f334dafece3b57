/**
 * A strict structural check of a HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/):
 * every required member present with its type, optional members typed when present, custom members
 * (`_name`) allowed anywhere. Used by the tests of sanitize and export to prove their output is a HAR
 * that viewers (Chrome's importer, HAR viewers) accept; it never throws, it lists problems.
 *
 * Iterative in spirit: it only descends the fixed HAR skeleton (at most 5 levels), never into values.
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm), bounded quantifiers only. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

class Checker {
  readonly problems: string[] = [];
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  fail(path: string, msg: string): void {
    if (this.problems.length < this.max) this.problems.push(`${path}: ${msg}`);
  }

  obj(o: Obj, key: string, path: string, required: boolean): Obj | null {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}.${key}`, 'missing (object required)');
      return null;
    }
    if (!isObj(v)) {
      this.fail(`${path}.${key}`, 'must be an object');
      return null;
    }
    return v;
  }

  arr(o: Obj, key: string, path: string, required: boolean): unknown[] | null {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}.${key}`, 'missing (array required)');
      return null;
    }
    if (!Array.isArray(v)) {
      this.fail(`${path}.${key}`, 'must be an array');
      return null;
    }
    return v;
  }

  str(o: Obj, key: string, path: string, required: boolean): void {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}.${key}`, 'missing (string required)');
    } else if (typeof v !== 'string') this.fail(`${path}.${key}`, 'must be a string');
  }

  num(o: Obj, key: string, path: string, required: boolean, min?: number): void {
    const v = o[key];
    if (v === undefined) {
      if (required) this.fail(`${path}.${key}`, 'missing (number required)');
    } else if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`${path}.${key}`, 'must be a number');
    else if (min !== undefined && v < min) this.fail(`${path}.${key}`, `must be >= ${min}`);
  }

  bool(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') this.fail(`${path}.${key}`, 'must be a boolean');
  }

  date(o: Obj, key: string, path: string, required: boolean): void {
    const v = o[key];
    this.str(o, key, path, required);
    if (typeof v === 'string' && !ISO_8601.test(v)) this.fail(`${path}.${key}`, `not an ISO 8601 date-time: ${JSON.stringify(v.slice(0, 40))}`);
  }

  /** Only the spec's members and `_custom` ones. */
  known(o: Obj, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!k.startsWith('_') && !allowed.includes(k)) this.fail(`${path}.${k}`, 'not a HAR 1.2 member (custom members must start with "_")');
    }
  }

  nameValues(list: unknown[] | null, path: string, extra: readonly string[] = []): void {
    if (!list) return;
    list.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isObj(item)) {
        this.fail(p, 'must be an object');
        return;
      }
      this.str(item, 'name', p, true);
      this.str(item, 'value', p, true);
      this.str(item, 'comment', p, false);
      this.known(item, p, ['name', 'value', 'comment', ...extra]);
    });
  }

  cookies(list: unknown[] | null, path: string): void {
    if (!list) return;
    list.forEach((c, i) => {
      const p = `${path}[${i}]`;
      if (!isObj(c)) {
        this.fail(p, 'must be an object');
        return;
      }
      this.str(c, 'name', p, true);
      this.str(c, 'value', p, true);
      for (const k of ['path', 'domain', 'comment'] as const) this.str(c, k, p, false);
      // `expires` is an ISO date-time when present; exporters write null for session cookies
      if (c['expires'] !== undefined && c['expires'] !== null) this.str(c, 'expires', p, false);
      this.bool(c, 'httpOnly', p);
      this.bool(c, 'secure', p);
      this.known(c, p, ['name', 'value', 'path', 'domain', 'expires', 'httpOnly', 'secure', 'comment', 'sameSite']);
    });
  }

  creator(o: Obj | null, path: string): void {
    if (!o) return;
    this.str(o, 'name', path, true);
    this.str(o, 'version', path, true);
    this.str(o, 'comment', path, false);
    this.known(o, path, ['name', 'version', 'comment']);
  }

  page(p: unknown, path: string): void {
    if (!isObj(p)) {
      this.fail(path, 'must be an object');
      return;
    }
    this.date(p, 'startedDateTime', path, true);
    this.str(p, 'id', path, true);
    this.str(p, 'title', path, true);
    this.str(p, 'comment', path, false);
    const t = this.obj(p, 'pageTimings', path, true);
    if (t) {
      for (const k of ['onContentLoad', 'onLoad'] as const) this.num(t, k, `${path}.pageTimings`, false, -1);
      this.str(t, 'comment', `${path}.pageTimings`, false);
      this.known(t, `${path}.pageTimings`, ['onContentLoad', 'onLoad', 'comment']);
    }
    this.known(p, path, ['startedDateTime', 'id', 'title', 'pageTimings', 'comment']);
  }

  request(r: Obj, path: string): void {
    this.str(r, 'method', path, true);
    this.str(r, 'url', path, true);
    this.str(r, 'httpVersion', path, true);
    this.cookies(this.arr(r, 'cookies', path, true), `${path}.cookies`);
    this.nameValues(this.arr(r, 'headers', path, true), `${path}.headers`);
    this.nameValues(this.arr(r, 'queryString', path, true), `${path}.queryString`);
    const pd = this.obj(r, 'postData', path, false);
    if (pd) {
      const p = `${path}.postData`;
      this.str(pd, 'mimeType', p, true);
      this.str(pd, 'text', p, false);
      this.str(pd, 'comment', p, false);
      const params = this.arr(pd, 'params', p, false);
      params?.forEach((x, i) => {
        const q = `${p}.params[${i}]`;
        if (!isObj(x)) {
          this.fail(q, 'must be an object');
          return;
        }
        this.str(x, 'name', q, true);
        for (const k of ['value', 'fileName', 'contentType', 'comment'] as const) this.str(x, k, q, false);
        this.known(x, q, ['name', 'value', 'fileName', 'contentType', 'comment']);
      });
      this.known(pd, p, ['mimeType', 'params', 'text', 'comment']);
    }
    this.num(r, 'headersSize', path, true, -1);
    this.num(r, 'bodySize', path, true, -1);
    this.str(r, 'comment', path, false);
    this.known(r, path, ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'postData', 'headersSize', 'bodySize', 'comment']);
  }

  response(r: Obj, path: string): void {
    this.num(r, 'status', path, true);
    this.str(r, 'statusText', path, true);
    this.str(r, 'httpVersion', path, true);
    this.cookies(this.arr(r, 'cookies', path, true), `${path}.cookies`);
    this.nameValues(this.arr(r, 'headers', path, true), `${path}.headers`);
    const c = this.obj(r, 'content', path, true);
    if (c) {
      const p = `${path}.content`;
      this.num(c, 'size', p, true, -1);
      this.num(c, 'compression', p, false);
      this.str(c, 'mimeType', p, true);
      this.str(c, 'text', p, false);
      this.str(c, 'encoding', p, false);
      this.str(c, 'comment', p, false);
      this.known(c, p, ['size', 'compression', 'mimeType', 'text', 'encoding', 'comment']);
    }
    this.str(r, 'redirectURL', path, true);
    this.num(r, 'headersSize', path, true, -1);
    this.num(r, 'bodySize', path, true, -1);
    this.str(r, 'comment', path, false);
    this.known(r, path, ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize', 'comment']);
  }

  cache(c: Obj, path: string): void {
    for (const k of ['beforeRequest', 'afterRequest'] as const) {
      const v = c[k];
      if (v === undefined || v === null) continue;
      const p = `${path}.${k}`;
      if (!isObj(v)) {
        this.fail(p, 'must be an object or null');
        continue;
      }
      this.str(v, 'expires', p, false);
      this.str(v, 'lastAccess', p, true);
      this.str(v, 'eTag', p, true);
      this.num(v, 'hitCount', p, true);
      this.str(v, 'comment', p, false);
    }
    this.str(c, 'comment', path, false);
    this.known(c, path, ['beforeRequest', 'afterRequest', 'comment']);
  }

  timings(t: Obj, path: string): void {
    for (const k of ['blocked', 'dns', 'connect', 'ssl'] as const) this.num(t, k, path, false, -1);
    // send, wait and receive are required; -1 ("not applicable") is tolerated by every importer we know
    for (const k of ['send', 'wait', 'receive'] as const) this.num(t, k, path, true, -1);
    this.str(t, 'comment', path, false);
    this.known(t, path, ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive', 'comment']);
  }

  entry(e: unknown, path: string): void {
    if (!isObj(e)) {
      this.fail(path, 'must be an object');
      return;
    }
    this.str(e, 'pageref', path, false);
    this.date(e, 'startedDateTime', path, true);
    this.num(e, 'time', path, true, -1);
    const req = this.obj(e, 'request', path, true);
    if (req) this.request(req, `${path}.request`);
    const res = this.obj(e, 'response', path, true);
    if (res) this.response(res, `${path}.response`);
    const cache = this.obj(e, 'cache', path, true);
    if (cache) this.cache(cache, `${path}.cache`);
    const t = this.obj(e, 'timings', path, true);
    if (t) this.timings(t, `${path}.timings`);
    this.str(e, 'serverIPAddress', path, false);
    this.str(e, 'connection', path, false);
    this.str(e, 'comment', path, false);
    this.known(e, path, ['pageref', 'startedDateTime', 'time', 'request', 'response', 'cache', 'timings', 'serverIPAddress', 'connection', 'comment']);
  }
}

/** Problems found in `doc` as "path: message" lines (at most `max`); an empty list means a valid HAR 1.2. */
export function checkHar(doc: unknown, max = 50): string[] {
  const c = new Checker(max);
  if (!isObj(doc)) {
    c.fail('$', 'the document must be an object');
    return c.problems;
  }
  const log = c.obj(doc, 'log', '$', true);
  if (!log) return c.problems;
  c.str(log, 'version', 'log', true);
  c.creator(c.obj(log, 'creator', 'log', true), 'log.creator');
  c.creator(c.obj(log, 'browser', 'log', false), 'log.browser');
  c.arr(log, 'pages', 'log', false)?.forEach((p, i) => c.page(p, `log.pages[${i}]`));
  c.arr(log, 'entries', 'log', true)?.forEach((e, i) => c.entry(e, `log.entries[${i}]`));
  c.str(log, 'comment', 'log', false);
  c.known(log, 'log', ['version', 'creator', 'browser', 'pages', 'entries', 'comment']);
  return c.problems;
}
