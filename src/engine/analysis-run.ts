/**
 * One analysis run over plain records (no store needed, so it is testable with arrays):
 *   observe(record)          pass 1 over every request: context, warnings, payload errors on 2xx
 *   classifyFailure(record)  pass 2 over failed requests: first matching rule (or unknown)
 *   finish()                 join HAR/log views, cluster, build incidents
 */
import { isFailure } from '../core/types.js';
import { Classifier, type CompiledRule } from './classify.js';
import { clusterFailures } from './cluster.js';
import { AnalysisContext } from './context.js';
import { Facts, type EngineRecord, type FactsEnv } from './facts.js';
import { FailureTable, type FailureInput } from './failures.js';
import { retryAfterMs } from './header-params.js';
import { buildIncident, trafficQueries } from './incident-build.js';
import { extractMessage, messageTemplate } from './messages.js';
import { templatePath } from './route-template.js';
import { UNMATCHED_RULE_ID, type IncidentRecord, type WarningRecord } from './types.js';
import { WarningCollector } from './warnings.js';

export const DEFAULT_GAP_MS = 5 * 60_000;
export const DEFAULT_SLOW_MS = 10_000;

export interface RunRecord extends EngineRecord {
  id: number;
  sourceId: number;
  sourcePath?: string;
  sourceKind: 'har' | 'log';
  /** Failure marking from ingest; computed with isFailure when absent. */
  failed?: boolean;
}

export interface RunResult {
  /** Most severe first; empty when finish() streamed (then read `incidentStream`). */
  incidents: IncidentRecord[];
  /** Every incident, built one at a time when finish() streamed (so a million never sit in memory), else `incidents`. */
  incidentStream: () => Iterable<IncidentRecord>;
  /** Number of incidents (drafts). */
  incidentCount: number;
  warnings: WarningRecord[];
  classifications: () => Iterable<{ id: number; ts: number | null; cause: string; subcause: string; ruleId: string }>;
  incidentOf: () => Iterable<{ id: number; incidentId: string }>;
  byCause: Record<string, number>;
  failures: number;
  unknown: number;
}

/** Traffic a deferred context must load: host\u0000route → windows that will be asked about, flat: fromMs, toMs, fromMs, toMs… */
export type TrafficRequest = Map<string, number[]>;

export class AnalysisRun {
  readonly context: AnalysisContext;
  readonly table = new FailureTable();
  private readonly warnings = new WarningCollector();
  private readonly sources = new Map<number, { path: string; kind: 'har' | 'log' }>();
  private readonly payloadRules: Set<CompiledRule>;
  private readonly gapMs: number;
  readonly slowMs: number;
  requests = 0;
  /** Windowed analysis: payload errors found before this time are not clustered (they are stored already). */
  private readonly since: number | null;
  /** Deferred mode: payload errors found by observe(), added to the table in (ts, id) order by flushObserved(). */
  private pendingPayload: FailureInput[] | null;
  /** Payload errors observe() found (their traffic counts as failed). */
  private readonly payloadSeen: Array<{ ts: number | null; host: string | null; route: string }> = [];

  /**
   * `deferred`: the caller feeds successes in any order and only partly through observe() (see
   * analyze.ts): the context is deferred (AnalysisContext) and payload errors are ordered before
   * they reach the failure table, so the result is the same as one pass in time order.
   */
  constructor(
    readonly classifier: Classifier,
    /** host + '\u0000' + path → route template (a Map from learnRouteTemplates, or a RouteTemplater). */
    private readonly routes: { get(hostPathKey: string): string | undefined },
    opts: { gapMs?: number; slowMs?: number; deferred?: boolean; since?: number } = {},
  ) {
    this.since = opts.since ?? null;
    this.gapMs = opts.gapMs ?? DEFAULT_GAP_MS;
    this.slowMs = opts.slowMs ?? DEFAULT_SLOW_MS;
    this.context = new AnalysisContext({ deferred: opts.deferred });
    this.pendingPayload = opts.deferred ? [] : null;
    this.payloadRules = new Set(classifier.rules.filter((r) => r.cause === 'payload-error'));
  }

  routeOf(r: EngineRecord): string {
    const path = r.path ?? '';
    return this.routes.get((r.host ?? '') + '\u0000' + path) ?? templatePath(path);
  }

  /** Facts whose context reads the (complete) analysis context. */
  env(withContext: boolean): FactsEnv {
    return {
      slowMs: this.slowMs,
      route: (f) => this.routeOf(f.r),
      context: withContext ? (f) => this.context.factsFor(f.r.host, f.route ?? '', clientKey(f), f.r.clientIp) : () => null,
    };
  }

  /** Pass 1: every request, in time order. */
  observe(r: RunRecord): void {
    this.requests++;
    if (r.sourcePath !== undefined && !this.sources.has(r.sourceId)) this.sources.set(r.sourceId, { path: r.sourcePath, kind: r.sourceKind });
    const f = new Facts(r, this.env(false));
    const failed = r.failed ?? isFailure(r);
    let payloadFailed = false;
    if (!failed && r.status !== null && r.status >= 200 && r.status < 300 && r.body) {
      for (const rule of this.classifier.candidates(r.status)) {
        if (this.payloadRules.has(rule) && rule.test(f)) { this.record(f, rule, true); payloadFailed = true; break; }
      }
    }
    const creator = r.extra?.['harCreator'];
    this.context.observe({
      host: r.host, route: f.route ?? '', ts: r.ts, status: r.status, failed: failed || payloadFailed,
      client: clientKey(f), clientIp: r.clientIp, path: r.path, sourceId: r.sourceId,
      harCreator: typeof creator === 'string' ? creator : null,
      credentialHeaders: f.reqHeader('authorization') !== null || f.reqHeader('cookie') !== null,
    });
    if (!failed && !payloadFailed) this.warnings.add(f, f.route ?? '');
  }

  /** Deferred mode: warnings of a success the caller did not observe() (no headers, body or failure). */
  warnOnly(r: RunRecord, route: string): void {
    const f = new Facts(r, { slowMs: this.slowMs, route: () => route, context: () => null });
    this.warnings.add(f, route);
  }

  /** Successes observe() turned into failures (payload errors). */
  observedFailures(): ReadonlyArray<{ ts: number | null; host: string | null; route: string }> {
    return this.payloadSeen;
  }

  /** Deferred mode: moves the payload errors observe() found into the failure table, in (ts, id) order. */
  flushObserved(): void {
    const pending = this.pendingPayload;
    if (!pending || pending.length === 0) return;
    pending.sort((a, b) => (a.ts ?? -Infinity) - (b.ts ?? -Infinity) || a.id - b.id);
    for (const p of pending) if (this.since === null || p.ts === null || p.ts >= this.since) this.table.add(p);
    this.pendingPayload = [];
  }

  /** Pass 2: failed requests (after every observe). */
  classifyFailure(r: RunRecord): CompiledRule | null {
    this.flushObserved();
    const f = new Facts(r, this.env(true));
    const rule = this.classifier.classify(f);
    this.record(f, rule);
    return rule;
  }

  private record(f: Facts, rule: CompiledRule | null, observed = false): void {
    const r = f.r as RunRecord;
    const msg = extractMessage(f);
    const token = f.tokenFingerprint;
    const input: FailureInput = {
      id: r.id, ts: r.ts, rule: rule ? rule.index : -1, status: r.status, host: r.host, route: f.route ?? '',
      method: r.method, client: clientKey(f), clientInfo: { ip: r.clientIp, userAgent: r.userAgent, token },
      token, sourceId: r.sourceId, sourceKind: r.sourceKind, message: msg === null ? null : messageTemplate(msg),
      retryAfterMs: retryAfterMs(f.respHeader('retry-after'), r.ts), correlationId: r.requestId ?? r.traceId,
      upstream: r.upstreamAddr ? r.upstreamAddr.split(',')[0]!.trim() : null,
      errorKey: r.errorText === null ? null : messageTemplate(r.errorText), durationMs: r.durationMs,
      call: `${r.method ?? ''} ${r.host ?? ''}${r.path ?? ''}${r.query ? '?' + r.query : ''}`,
    };
    if (observed) this.payloadSeen.push({ ts: r.ts, host: r.host, route: input.route });
    if (observed && this.pendingPayload) this.pendingPayload.push(input);
    else this.table.add(input);
  }

  /**
   * Clusters and builds incidents. `getRecord` feeds evidence from sample members. A deferred
   * context gets the traffic of the incidents' routes and windows from `loadTraffic` first.
   */
  finish(getRecord: (id: number) => EngineRecord | null, loadTraffic?: (want: TrafficRequest) => void, opts: { stream?: boolean } = {}): RunResult {
    this.flushObserved();
    const rules = this.classifier.rules;
    const t = this.table;
    const drafts = clusterFailures(t, rules, {
      gapMs: this.gapMs,
      sourceName: (id) => this.sources.get(id)?.path ?? String(id),
    });
    if (this.context.deferred) {
      const want: TrafficRequest = new Map();
      for (const d of drafts) {
        const q = trafficQueries(d, t);
        for (const rk of q.routeKeys) {
          let list = want.get(rk);
          if (!list) { list = []; want.set(rk, list); }
          for (const [a, b] of q.windows) list.push(a, b);
        }
      }
      if (want.size > 0) {
        if (!loadTraffic) throw new Error('AnalysisRun.finish: a deferred run needs loadTraffic');
        loadTraffic(want);
      }
    }
    const factsEnv = this.env(true);
    const build = (d: (typeof drafts)[number]): IncidentRecord => buildIncident(d, {
      table: t, rules, context: this.context, sources: this.sources,
      factsOf: (id) => { const rec = getRecord(id); return rec ? new Facts(rec, factsEnv) : null; },
    });
    const incidents = opts.stream ? [] : drafts.map(build);
    incidents.sort((a, b) => b.severity - a.severity || b.count - a.count || a.id.localeCompare(b.id));
    const byCause: Record<string, number> = {};
    let unknown = 0;
    for (let i = 0; i < t.n; i++) {
      const ri = t.rule(i);
      const cause = ri >= 0 ? rules[ri]!.cause : 'unknown';
      if (ri < 0) unknown++;
      byCause[cause] = (byCause[cause] ?? 0) + 1;
    }
    return {
      incidents,
      incidentStream: opts.stream ? function* () { for (const d of drafts) yield build(d); } : () => incidents,
      incidentCount: drafts.length,
      warnings: this.warnings.result(),
      classifications: function* () {
        for (let i = 0; i < t.n; i++) {
          const ri = t.rule(i);
          const rule = ri >= 0 ? rules[ri]! : null;
          const ts = t.ts(i);
          yield {
            id: t.id(i), ts: Number.isNaN(ts) ? null : ts, cause: rule ? rule.cause : 'unknown', subcause: rule ? rule.subcause : 'unknown',
            ruleId: rule ? rule.id : UNMATCHED_RULE_ID,
          };
        }
      },
      incidentOf: function* () {
        if (opts.stream) throw new Error('incidentOf: a streamed result carries member ids on each incident');
        for (const inc of incidents) for (const id of inc.memberIds) yield { id, incidentId: inc.id };
      },
      byCause,
      failures: t.n,
      unknown,
    };
  }
}

/** Client fingerprint: the credential marker hash when a credential was sent, else IP + user agent. */
export function clientKey(f: Facts): string {
  return f.tokenFingerprint ?? `${f.r.clientIp ?? '-'} ${f.r.userAgent ?? f.reqHeader('user-agent') ?? '-'}`;
}
