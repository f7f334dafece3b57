/**
 * Rule samples: every rule ships records that must and must not match it. A must-match sample
 * must also be classified by the whole rule set as that rule (first match wins), so a new rule
 * cannot silently shadow an older one. Used by the generic test and by `faultline rules check`.
 */
import { emptyRecord, type Header } from '../core/types.js';
import { Classifier, type CompiledRule } from './classify.js';
import { Facts, type EngineRecord } from './facts.js';
import type { ContextFacts, RuleSample } from './types.js';

/** Default sample time: samples with JWT/Sunset dates are written relative to it. */
export const SAMPLE_TS = Date.UTC(2024, 4, 1, 10, 0, 0);
export const SAMPLE_SLOW_MS = 10_000;

function headers(h: RuleSample['reqHeaders']): Header[] | null {
  if (!h) return null;
  return Array.isArray(h) ? h.map(([n, v]) => [n, v] as Header) : Object.entries(h).map(([n, v]) => [n, v] as Header);
}

/** Builds a normalized record from a sample. */
export function sampleRecord(s: RuleSample): EngineRecord {
  const r: EngineRecord = { ...emptyRecord(), sourceKind: s.sourceKind ?? 'har', format: s.format ?? (s.sourceKind === 'log' ? 'combined' : 'har') };
  r.ts = s.ts === undefined ? SAMPLE_TS : typeof s.ts === 'number' ? s.ts : Date.parse(s.ts);
  r.method = s.method ?? 'GET';
  const url = s.url ?? 'https://api.example.com/';
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    r.path = q < 0 ? url : url.slice(0, q);
    r.query = q < 0 ? null : url.slice(q + 1);
  } else {
    const schemeEnd = url.indexOf('://');
    r.scheme = url.slice(0, schemeEnd).toLowerCase();
    const rest = url.slice(schemeEnd + 3);
    const slash = rest.indexOf('/');
    r.host = slash < 0 ? rest : rest.slice(0, slash);
    const pq = slash < 0 ? '/' : rest.slice(slash);
    const q = pq.indexOf('?');
    r.path = q < 0 ? pq : pq.slice(0, q);
    r.query = q < 0 ? null : pq.slice(q + 1);
  }
  r.status = s.status === undefined ? 200 : s.status;
  // A HAR entry always carries a header list (maybe empty); a plain log line carries none.
  r.reqHeaders = headers(s.reqHeaders) ?? (r.sourceKind === 'har' ? [] : null);
  r.respHeaders = headers(s.respHeaders);
  r.body = s.body === undefined ? null : typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
  r.respMime = s.respMime ?? (typeof s.body === 'object' ? 'application/json' : null);
  r.errorText = s.errorText ?? null;
  r.durationMs = s.durationMs ?? 120;
  r.upstreamStatus = s.upstreamStatus ?? null;
  r.clientIp = s.clientIp ?? '203.0.113.7';
  r.userAgent = s.userAgent ?? 'sample-client/1.0';
  r.extra = s.extra ?? null;
  return r;
}

export function sampleFacts(s: RuleSample, slowMs = SAMPLE_SLOW_MS): Facts {
  const ctx: ContextFacts = {
    routeSucceeds: false, routeSucceedsForOtherClients: false, newerVersionSucceeds: false, clientLooksLikeScanner: false,
    ...(s.context ?? {}),
  };
  return new Facts(sampleRecord(s), { slowMs, context: () => ctx, route: (f) => f.r.path });
}

export interface SampleFailure {
  ruleId: string;
  file: string;
  kind: 'match' | 'noMatch';
  index: number;
  note: string | null;
  message: string;
}

/** Runs every sample of every rule (or of `only`) through the classifier; returns what failed. */
export function runSamples(classifier: Classifier, only?: (r: CompiledRule) => boolean): SampleFailure[] {
  const out: SampleFailure[] = [];
  for (const rule of classifier.rules) {
    if (only && !only(rule)) continue;
    const base = { ruleId: rule.id, file: rule.origin.file };
    rule.spec.samples.match.forEach((s, index) => {
      const f = sampleFacts(s);
      const note = s.note ?? null;
      if (!rule.test(f)) {
        out.push({ ...base, kind: 'match', index, note, message: `samples.match[${index}] does not match the rule` });
        return;
      }
      const winner = classifier.classify(f);
      if (winner !== rule) {
        out.push({ ...base, kind: 'match', index, note, message: `samples.match[${index}] matches, but rule "${winner?.id}" (priority ${winner?.priority}) wins first; raise this rule's priority or narrow the other one` });
      }
    });
    rule.spec.samples.noMatch.forEach((s, index) => {
      if (rule.test(sampleFacts(s))) out.push({ ...base, kind: 'noMatch', index, note: s.note ?? null, message: `samples.noMatch[${index}] matches the rule but must not` });
    });
  }
  return out;
}
