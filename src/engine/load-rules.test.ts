import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Classifier } from './classify.js';
import { JsonSyntaxError, parseLocated, positionOf } from './json-locate.js';
import { checkRuleFile, loadRules } from './load-rules.js';
import { regexLooksUnsafe } from './safe-regex.js';
import { sampleFacts } from './samples.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD_RULE = {
  id: 'custom.quota', title: 'Quota gone', cause: 'rate-limit', subcause: 'quota-exhausted', priority: 200,
  match: { status: [403], respHeaders: [{ name: 'X-Quota-Left', number: { eq: 0 } }] },
  advice: { check: ['which token?'], fix: ['back off'] },
  samples: { match: [{ status: 403, respHeaders: { 'X-Quota-Left': '0' } }], noMatch: [{ status: 403 }] },
};

describe('json-locate', () => {
  it('records the line and column of every value', () => {
    const l = parseLocated('{\n  "a": [1,\n    {"b": true}],\n  "c": "x"\n}');
    expect(positionOf(l, '/a/1/b')).toEqual({ line: 3, column: 11 });
    expect(positionOf(l, '/c')).toEqual({ line: 4, column: 8 });
    expect(positionOf(l, '/a/1/missing')).toEqual({ line: 3, column: 5 });
    expect(l.value).toEqual(JSON.parse('{"a":[1,{"b":true}],"c":"x"}'));
  });

  it.each([
    ['{"a": 1,}', 3],
    ['{"a": 1}\n\n  x', 3],
    ['[1, 2', 1],
    ['{"a": 1, "a": 2}', 1],
  ])('reports syntax errors with a line: %j', (text, line) => {
    expect(() => parseLocated(text)).toThrow(JsonSyntaxError);
    try { parseLocated(text); } catch (e) { expect((e as JsonSyntaxError).line).toBe(line === 3 && text.startsWith('{"a": 1,}') ? 1 : line); }
  });

  it('refuses absurd nesting with an error, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseLocated(deep)).toThrow(/nesting deeper than 64/);
    expect(() => parseLocated('['.repeat(60) + ']'.repeat(60))).not.toThrow();
  });
});

describe('rule validation', () => {
  it('reports every problem with file, rule id, path, line and column', () => {
    const text = JSON.stringify({ rules: [
      { ...GOOD_RULE, id: 'bad.one', cause: 'nope', match: { status: ['4x'], bogus: 1 } },
      { ...GOOD_RULE, id: 'bad.two', samples: { match: [] } },
    ] }, null, 2);
    const p = file('bad.json', text);
    const { problems, rules } = checkRuleFile(p, { userFile: true });
    expect(rules).toEqual([]);
    const byPath = new Map(problems.map((x) => [x.path, x]));
    expect(byPath.get('/rules/0/cause')?.ruleId).toBe('bad.one');
    expect(byPath.get('/rules/0/match/status/0')?.message).toMatch(/bad status entry "4x"/);
    expect(byPath.get('/rules/0/match/bogus')?.message).toMatch(/unknown key "bogus"/);
    expect(byPath.get('/rules/1/samples/match')?.ruleId).toBe('bad.two');
    expect(byPath.get('/rules/1/samples/noMatch')?.message).toMatch(/at least one sample/);
    const lines = text.split('\n');
    for (const pr of problems) {
      expect(pr.file).toBe(p);
      expect(pr.line, pr.path).not.toBeNull();
      // The reported line holds the offending key or value.
      const last = pr.path.split('/').pop()!;
      if (!/^\d+$/.test(last) && pr.path !== '/rules/1/samples/noMatch') expect(lines[pr.line! - 1]).toContain(`"${last}"`);
    }
  });

  it('refuses catastrophic regular expressions', () => {
    expect(regexLooksUnsafe('(a+)+$')).not.toBeNull();
    expect(regexLooksUnsafe('(a|aa)*')).not.toBeNull();
    expect(regexLooksUnsafe('.*x.*')).not.toBeNull();
    expect(regexLooksUnsafe('(^|,)UH(,|$)')).toBeNull();
    expect(regexLooksUnsafe('^v\\d+$')).toBeNull();
    const p = file('regex.json', JSON.stringify({ rules: [{ ...GOOD_RULE, match: { status: [403], path: { matches: '(a+)+' } } }] }));
    expect(checkRuleFile(p, { userFile: true }).problems[0]!.message).toMatch(/backtrack/);
  });
});

describe('user rules', () => {
  it('take precedence, replace built-ins by id, and can disable them', () => {
    const p = file('user.json', JSON.stringify({ rules: [
      GOOD_RULE,
      { ...GOOD_RULE, id: 'permission.forbidden', title: 'Forbidden (mine)', priority: 20, samples: { match: [{ status: 403 }], noMatch: [{ status: 404 }] }, match: { status: [403] } },
      { id: 'not-found.unknown-route', disabled: true },
    ] }));
    const loaded = loadRules({ rulesPaths: [p] });
    expect(loaded.problems).toEqual([]);
    const c = new Classifier(loaded.rules);
    expect(c.byId('permission.forbidden')!.title).toBe('Forbidden (mine)');
    expect(c.byId('not-found.unknown-route')).toBeUndefined();
    expect(c.classify(sampleFacts({ status: 403, respHeaders: { 'X-Quota-Left': '0' } }))!.id).toBe('custom.quota');
    expect(c.classify(sampleFacts({ status: 404, url: 'https://a.example/zzz' }))!.id).toBe('bad-request.other-4xx');
  });

  it('report a missing path', () => {
    expect(loadRules({ rulesPaths: [join(dir, 'nope.json')] }).problems[0]!.message).toMatch(/no such file/);
  });
});
