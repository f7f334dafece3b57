/** Structural guarantees behind classification speed and first-match-wins ordering. */
import { describe, expect, it } from 'vitest';
import { compileStatusSet, statusIn } from './compile.js';
import { sampleFacts } from './samples.js';
import { builtinClassifier } from './test-records.js';

const c = builtinClassifier();

describe('classifier', () => {
  it('dispatches by status: a record only meets rules that can match its status', () => {
    for (const status of [null, -1, 0, 200, 401, 404, 429, 503, 599, 1234]) {
      const list = c.candidates(status);
      for (const rule of list) {
        const s = rule.spec.match.status;
        if (s && status !== null && status >= -1 && status <= 999) expect(statusIn(compileStatusSet(s), status), `${rule.id} for ${status}`).toBe(true);
      }
      expect(list.length, String(status)).toBeLessThan(25);
    }
    expect(c.candidates(1234).every((r) => r.spec.match.status === undefined)).toBe(true);
  });

  it('tests the status before anything else', () => {
    for (const rule of c.rules) {
      if (rule.spec.match.status) expect(rule.node.children[0]!.label, rule.id).toMatch(/^status in /);
    }
  });

  it('orders by priority, then file order, and the first match wins', () => {
    for (let k = 1; k < c.rules.length; k++) expect(c.rules[k - 1]!.priority).toBeGreaterThanOrEqual(c.rules[k]!.priority);
    // A 503 with Retry-After matches both rate-limit.overloaded-retry-after (80) and upstream.service-unavailable (20).
    const f = sampleFacts({ status: 503, respHeaders: { 'Retry-After': '5' } });
    expect(c.byId('upstream.service-unavailable')!.test(f)).toBe(true);
    expect(c.classify(f)!.id).toBe('rate-limit.overloaded-retry-after');
  });

  it('leaves nothing unexplained for any status code from -1 to 999', () => {
    for (let s = -1; s <= 999; s++) {
      if (s >= 1 && s < 400) continue; // not failures at ingest unless an error text or LB flag says so
      expect(c.classify(sampleFacts({ status: s, sourceKind: 'log' })), String(s)).not.toBeNull();
    }
    expect(c.classify(sampleFacts({ status: null, errorText: 'something odd' }))!.id).toBe('network.request-failed');
  });
});
