/**
 * The one generic test over every built-in rule: the rule files validate, every must-match sample
 * matches its rule AND is classified as that rule by the whole ordered rule set (first match wins),
 * and no must-not-match sample matches. Adding a rule with samples needs no new test.
 */
import { describe, expect, it } from 'vitest';
import { Classifier } from '../src/engine/classify.js';
import { formatProblem, loadRules } from '../src/engine/load-rules.js';
import { runSamples } from '../src/engine/samples.js';
import { CAUSES } from '../src/engine/types.js';

const loaded = loadRules();
const classifier = new Classifier(loaded.rules);

describe('built-in rules', () => {
  it('load without problems', () => {
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.rules.length).toBeGreaterThan(60);
  });

  it('cover every cause', () => {
    const causes = new Set(classifier.rules.map((r) => r.cause));
    for (const c of CAUSES) if (c !== 'unknown') expect(causes, c).toContain(c);
  });

  for (const rule of classifier.rules) {
    it(`${rule.id}: samples`, () => {
      const failures = runSamples(classifier, (r) => r === rule);
      expect(failures.map((f) => `${f.message}${f.note ? ` (${f.note})` : ''}`)).toEqual([]);
      expect(rule.spec.samples.match.length).toBeGreaterThan(0);
      expect(rule.spec.samples.noMatch.length).toBeGreaterThan(0);
    });
  }
});
