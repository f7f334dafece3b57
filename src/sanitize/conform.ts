/**
 * Makes a (redacted) HAR entry or page conform to the HAR 1.2 types, without dropping anything:
 * real exports are often a little off (Firefox writes `headersSize: null` and `timings: {}`, Charles
 * `redirectURL: null`, IE 11 a single cookie object instead of an array, chrome-har objects as
 * `postData.params[].value`) and Chrome's HAR importer rejects such files. Each repair is counted.
 *
 * Rules: a missing required member gets a neutral value ("" for strings, -1 for unknown sizes, 0 for
 * timings and status, [] and {} for lists and objects); a value of the wrong type is converted when
 * the meaning is clear (number ↔ numeric string, an object in a string slot → its JSON text, a header
 * map → a list); unknown members (`_initiator`, `redirectionURL`, …) are left as they are.
 * Runs after redaction, so any JSON text it produces is made of redacted values.
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in epoch ms: the dates toISOString writes with four digits. */
const MIN_ISO_MS = -62167219200000;
const MAX_ISO_MS = 253402300799999;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export class Conformer {
  /** Repairs made, by HAR path without indexes (e.g. "response.redirectURL"). */
  readonly repairs = new Map<string, number>();

  get total(): number {
    let n = 0;
    for (const v of this.repairs.values()) n += v;
    return n;
  }

  private note(path: string): void {
    this.repairs.set(path, (this.repairs.get(path) ?? 0) + 1);
  }

  private asString(v: unknown): string | null {
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    try {
      return JSON.stringify(v) ?? null;
    } catch {
      return null;
    }
  }

  /** A required string member. */
  str(o: Obj, key: string, path: string, dflt = ''): void {
    const v = o[key];
    if (typeof v === 'string') return;
    o[key] = this.asString(v) ?? dflt;
    this.note(path);
  }

  /** An optional string member: converted when it has a value, removed when null. */
  optStr(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined || typeof v === 'string') return;
    const s = this.asString(v);
    if (s === null) delete o[key];
    else o[key] = s;
    this.note(path);
  }

  /**
   * A required number member: `dflt` when missing or not numeric; below `min` (sizes and times use -1
   * for "unknown", nothing is smaller) it becomes `min`.
   */
  num(o: Obj, key: string, path: string, dflt: number, min = -Infinity): void {
    const v = o[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= min) return;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    o[key] = Number.isFinite(n) ? Math.max(n, min) : dflt;
    this.note(path);
  }

  /** An optional number member (timings phases): -1 when present but unusable or below -1. */
  optNum(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= -1)) return;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    o[key] = Number.isFinite(n) ? Math.max(n, -1) : -1;
    this.note(path);
  }

  obj(o: Obj, key: string, path: string): Obj {
    const v = o[key];
    if (isObj(v)) return v;
    const fresh: Obj = {};
    if (v !== undefined && v !== null) fresh['_original'] = v;
    o[key] = fresh;
    this.note(path);
    return fresh;
  }

  /** A required list of {name, value} objects (headers, queryString, cookies). */
  nameValues(o: Obj, key: string, path: string, item: (x: Obj, path: string) => void): void {
    let v = o[key];
    if (!Array.isArray(v)) {
      if (isObj(v) && typeof v['name'] === 'string') v = [v]; // one item instead of a list (IE 11 cookies)
      else if (isObj(v)) v = Object.entries(v).flatMap(([name, val]) => (Array.isArray(val) ? val : [val]).map((x) => ({ name, value: x })));
      else v = [];
      o[key] = v;
      this.note(path);
    }
    const list = v as unknown[];
    for (let i = 0; i < list.length; i++) {
      if (!isObj(list[i])) {
        list.splice(i--, 1);
        this.note(`${path}[]`);
        continue;
      }
      const x = list[i] as Obj;
      this.str(x, 'name', `${path}[].name`);
      this.str(x, 'value', `${path}[].value`);
      this.optStr(x, 'comment', `${path}[].comment`);
      item(x, path);
    }
  }

  private cookie = (c: Obj, path: string): void => {
    for (const k of ['path', 'domain'] as const) this.optStr(c, k, `${path}[].${k}`);
    if (c['expires'] !== null) this.optStr(c, 'expires', `${path}[].expires`);
    for (const k of ['httpOnly', 'secure'] as const) {
      const v = c[k];
      if (v === undefined || typeof v === 'boolean') continue;
      if (v === null) delete c[k];
      else c[k] = v === 'true' || v === 1;
      this.note(`${path}[].${k}`);
    }
  };

  private plain = (): void => {};

  date(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (typeof v === 'string' && ISO_8601.test(v)) return;
    const t = typeof v === 'number' ? v : typeof v === 'string' && v.length <= 64 ? Date.parse(v) : NaN;
    // Years 0000-9999 only: toISOString writes others as ±YYYYYY, which is not ISO 8601 as HAR means it.
    o[key] = new Date(Number.isFinite(t) && t >= MIN_ISO_MS && t <= MAX_ISO_MS ? t : 0).toISOString();
    this.note(path);
  }

  private postData(req: Obj): void {
    const pd = req['postData'];
    if (pd === undefined) return;
    if (!isObj(pd)) {
      delete req['postData'];
      this.note('request.postData');
      return;
    }
    this.str(pd, 'mimeType', 'request.postData.mimeType');
    this.optStr(pd, 'text', 'request.postData.text');
    this.optStr(pd, 'comment', 'request.postData.comment');
    const params = pd['params'];
    if (params === undefined) return;
    if (!Array.isArray(params)) {
      delete pd['params'];
      this.note('request.postData.params');
      return;
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (!isObj(p)) {
        params.splice(i--, 1);
        this.note('request.postData.params[]');
        continue;
      }
      this.str(p, 'name', 'request.postData.params[].name');
      for (const k of ['value', 'fileName', 'contentType', 'comment'] as const) this.optStr(p, k, `request.postData.params[].${k}`);
    }
  }

  private request(req: Obj): void {
    this.str(req, 'method', 'request.method');
    this.str(req, 'url', 'request.url');
    this.str(req, 'httpVersion', 'request.httpVersion');
    this.nameValues(req, 'cookies', 'request.cookies', this.cookie);
    this.nameValues(req, 'headers', 'request.headers', this.plain);
    this.nameValues(req, 'queryString', 'request.queryString', this.plain);
    this.postData(req);
    this.num(req, 'headersSize', 'request.headersSize', -1, -1);
    this.num(req, 'bodySize', 'request.bodySize', -1, -1);
    this.optStr(req, 'comment', 'request.comment');
  }

  private response(res: Obj): void {
    this.num(res, 'status', 'response.status', 0);
    this.str(res, 'statusText', 'response.statusText');
    this.str(res, 'httpVersion', 'response.httpVersion');
    this.nameValues(res, 'cookies', 'response.cookies', this.cookie);
    this.nameValues(res, 'headers', 'response.headers', this.plain);
    const c = this.obj(res, 'content', 'response.content');
    this.optStr(c, 'text', 'response.content.text');
    this.num(c, 'size', 'response.content.size', typeof c['text'] === 'string' && c['encoding'] === undefined ? Buffer.byteLength(c['text']) : 0, -1);
    this.optNum(c, 'compression', 'response.content.compression');
    this.str(c, 'mimeType', 'response.content.mimeType');
    this.optStr(c, 'encoding', 'response.content.encoding');
    this.optStr(c, 'comment', 'response.content.comment');
    this.str(res, 'redirectURL', 'response.redirectURL');
    this.num(res, 'headersSize', 'response.headersSize', -1, -1);
    this.num(res, 'bodySize', 'response.bodySize', -1, -1);
    this.optStr(res, 'comment', 'response.comment');
  }

  private cache(e: Obj): void {
    const c = this.obj(e, 'cache', 'cache');
    for (const k of ['beforeRequest', 'afterRequest'] as const) {
      const v = c[k];
      if (v === undefined || v === null) continue;
      if (!isObj(v)) {
        delete c[k];
        this.note(`cache.${k}`);
        continue;
      }
      this.optStr(v, 'expires', `cache.${k}.expires`);
      this.str(v, 'lastAccess', `cache.${k}.lastAccess`);
      this.str(v, 'eTag', `cache.${k}.eTag`);
      this.num(v, 'hitCount', `cache.${k}.hitCount`, 0);
    }
    this.optStr(c, 'comment', 'cache.comment');
  }

  private timings(e: Obj): void {
    const t = this.obj(e, 'timings', 'timings');
    for (const k of ['blocked', 'dns', 'connect', 'ssl'] as const) {
      if (t[k] === null) {
        t[k] = -1;
        this.note(`timings.${k}`);
      } else this.optNum(t, k, `timings.${k}`);
    }
    for (const k of ['send', 'wait', 'receive'] as const) this.num(t, k, `timings.${k}`, 0, -1);
    this.optStr(t, 'comment', 'timings.comment');
  }

  /**
   * Repairs one entry in place. Returns false when it has no request object at all: nothing
   * sensible can stand in for it (ingest skips such entries as `entry_invalid:request` too).
   */
  entry(e: Obj): boolean {
    if (!isObj(e['request'])) return false;
    this.date(e, 'startedDateTime', 'startedDateTime');
    this.num(e, 'time', 'time', 0, -1);
    this.request(e['request']);
    this.response(this.obj(e, 'response', 'response'));
    this.cache(e);
    this.timings(e);
    for (const k of ['pageref', 'serverIPAddress', 'connection', 'comment'] as const) this.optStr(e, k, k);
    return true;
  }

  /** Repairs one page in place; returns false when it is not an object. */
  page(p: unknown): p is Obj {
    if (!isObj(p)) return false;
    this.date(p, 'startedDateTime', 'pages[].startedDateTime');
    this.str(p, 'id', 'pages[].id');
    this.str(p, 'title', 'pages[].title');
    const t = this.obj(p, 'pageTimings', 'pages[].pageTimings');
    for (const k of ['onContentLoad', 'onLoad'] as const) {
      if (t[k] === null) {
        t[k] = -1;
        this.note(`pages[].pageTimings.${k}`);
      } else this.optNum(t, k, `pages[].pageTimings.${k}`);
    }
    this.optStr(p, 'comment', 'pages[].comment');
    return true;
  }

  /** log.creator (and log.browser): name and version strings. */
  /** log.creator, or log.browser (`what`): the same shape, name + version (+ comment). */
  creator(v: unknown, what: 'creator' | 'browser' = 'creator'): Obj {
    const c: Obj = isObj(v) ? v : {};
    if (!isObj(v)) this.note(what);
    this.str(c, 'name', `${what}.name`, 'unknown');
    this.str(c, 'version', `${what}.version`);
    this.optStr(c, 'comment', `${what}.comment`);
    return c;
  }

  /** Counts a repair made outside this class (a log member renamed, a comment that was not a string). */
  repaired(path: string): void {
    this.note(path);
  }
}
