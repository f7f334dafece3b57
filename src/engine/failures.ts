/**
 * Failures held for clustering as columns of typed arrays with interned strings: a million
 * failures cost tens of megabytes, not a million objects. Written during classification, read by
 * the clusterer.
 */

export class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) { i = this.values.length; this.values.push(s); this.ids.set(s, i); }
    return i;
  }
  get(i: number): string {
    return this.values[i]!;
  }
}

class F64 {
  a = new Float64Array(1024);
  push(v: number, n: number): void {
    if (n === this.a.length) { const b = new Float64Array(n * 2); b.set(this.a); this.a = b; }
    this.a[n] = v;
  }
}

class I32 {
  a = new Int32Array(1024);
  push(v: number, n: number): void {
    if (n === this.a.length) { const b = new Int32Array(n * 2); b.set(this.a); this.a = b; }
    this.a[n] = v;
  }
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  token: string | null;
}

export interface FailureInput {
  id: number;
  ts: number | null;
  /** Index of the rule in the classifier's order; -1 when no rule matched. */
  rule: number;
  status: number | null;
  host: string | null;
  route: string;
  method: string | null;
  client: string;
  clientInfo: ClientInfo;
  token: string | null;
  sourceId: number;
  sourceKind: 'har' | 'log';
  message: string | null;
  retryAfterMs: number | null;
  /** Request id or trace id, for joining HAR and log views. */
  correlationId: string | null;
  upstream: string | null;
  errorKey: string | null;
  durationMs: number | null;
  /** The exact call (method, path and query): a retry repeats the same call. */
  call: string;
}

export const NO_STATUS = -9999;

export class FailureTable {
  n = 0;
  readonly strings = new Interner();
  readonly clientInfo = new Map<number, ClientInfo>();
  private readonly _id = new F64();
  private readonly _ts = new F64();
  private readonly _retry = new F64();
  private readonly _dur = new F64();
  private readonly _rule = new I32();
  private readonly _status = new I32();
  private readonly _host = new I32();
  private readonly _route = new I32();
  private readonly _method = new I32();
  private readonly _client = new I32();
  private readonly _token = new I32();
  private readonly _source = new I32();
  private readonly _kind = new I32();
  private readonly _message = new I32();
  private readonly _corr = new I32();
  private readonly _upstream = new I32();
  private readonly _errorKey = new I32();
  private readonly _call = new I32();

  private sid(s: string | null): number {
    return s === null ? -1 : this.strings.id(s);
  }

  add(f: FailureInput): number {
    const n = this.n;
    this._id.push(f.id, n);
    this._ts.push(f.ts ?? NaN, n);
    this._retry.push(f.retryAfterMs ?? NaN, n);
    this._dur.push(f.durationMs ?? NaN, n);
    this._rule.push(f.rule, n);
    this._status.push(f.status ?? NO_STATUS, n);
    this._host.push(this.sid(f.host), n);
    this._route.push(this.sid(f.route), n);
    this._method.push(this.sid(f.method), n);
    const c = this.strings.id(f.client);
    if (!this.clientInfo.has(c)) this.clientInfo.set(c, f.clientInfo);
    this._client.push(c, n);
    this._token.push(this.sid(f.token), n);
    this._source.push(f.sourceId, n);
    this._kind.push(f.sourceKind === 'har' ? 0 : 1, n);
    this._message.push(this.sid(f.message), n);
    this._corr.push(this.sid(f.correlationId), n);
    this._upstream.push(this.sid(f.upstream), n);
    this._errorKey.push(this.sid(f.errorKey), n);
    this._call.push(this.strings.id(f.call), n);
    this.n = n + 1;
    return n;
  }

  id(i: number): number { return this._id.a[i]!; }
  ts(i: number): number { return this._ts.a[i]!; }
  retryAfter(i: number): number { return this._retry.a[i]!; }
  duration(i: number): number { return this._dur.a[i]!; }
  rule(i: number): number { return this._rule.a[i]!; }
  setRule(i: number, r: number): void { this._rule.a[i] = r; }
  status(i: number): number | null { const s = this._status.a[i]!; return s === NO_STATUS ? null : s; }
  host(i: number): string | null { return this.str(this._host.a[i]!); }
  route(i: number): string { return this.strings.get(this._route.a[i]!); }
  method(i: number): string | null { return this.str(this._method.a[i]!); }
  clientId(i: number): number { return this._client.a[i]!; }
  client(i: number): string { return this.strings.get(this._client.a[i]!); }
  token(i: number): string | null { return this.str(this._token.a[i]!); }
  source(i: number): number { return this._source.a[i]!; }
  isHar(i: number): boolean { return this._kind.a[i] === 0; }
  messageId(i: number): number { return this._message.a[i]!; }
  correlation(i: number): string | null { return this.str(this._corr.a[i]!); }
  upstream(i: number): string | null { return this.str(this._upstream.a[i]!); }
  errorKey(i: number): string | null { return this.str(this._errorKey.a[i]!); }
  callId(i: number): number { return this._call.a[i]!; }
  str(id: number): string | null { return id < 0 ? null : this.strings.get(id); }
}
