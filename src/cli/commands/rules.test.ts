import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRulesDir } from '../../engine/load-rules.js';
import { runRulesCheck, runRulesList } from './rules.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-rules-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (over: Record<string, unknown>) => ({
  id: 'mine.quota', title: 'Quota gone', cause: 'rate-limit', subcause: 'quota-exhausted', priority: 200,
  match: { status: [403], respHeaders: [{ name: 'X-Quota-Left', number: { eq: 0 } }] },
  advice: { check: ['which token?'], fix: ['back off'] },
  samples: { match: [{ note: 'synthetic', status: 403, respHeaders: { 'X-Quota-Left': '0' } }], noMatch: [{ note: 'synthetic', status: 403 }] },
  ...over,
});

describe('rules list', () => {
  it('lists every rule in evaluation order', () => {
    const out = runRulesList();
    expect(out.split('\n')[0]).toMatch(/^#\s+rule\s+cause\/subcause\s+prio\s+status\s+from$/);
    expect(out).toMatch(/\n1\s+auth\.proxy-auth\s+auth\/proxy-auth\s+110/);
    expect(out).toMatch(/\d+ rules \(built-in from .*rules\); first match wins/);
    const json = JSON.parse(runRulesList({ json: true })) as Array<{ id: string; order: number; priority: number }>;
    expect(json.length).toBeGreaterThan(60);
    for (let k = 1; k < json.length; k++) expect(json[k - 1]!.priority).toBeGreaterThanOrEqual(json[k]!.priority);
  });

  it('puts user rules first and names their file', () => {
    const f = join(dir, 'user.json');
    writeFileSync(f, JSON.stringify({ rules: [rule({})] }));
    const json = JSON.parse(runRulesList({ rules: [f], json: true })) as Array<{ id: string; builtin: boolean; file: string }>;
    expect(json[0]).toMatchObject({ id: 'mine.quota', builtin: false, file: f });
  });
});

describe('rules check', () => {
  it('passes the built-in files', () => {
    const r = runRulesCheck(builtinRulesDir());
    expect(r.output).toMatch(/^ok: 11 file\(s\), \d+ rule\(s\), all samples pass/);
    expect(r.exitCode).toBe(0);
  });

  it('reports schema errors with file:line:column, rule id and path', () => {
    const f = join(dir, 'bad.json');
    const text = JSON.stringify({ rules: [rule({ cause: 'oops', severity: 42 })] }, null, 2);
    writeFileSync(f, text);
    const lines = text.split('\n');
    const causeLine = lines.findIndex((l) => l.includes('"cause": "oops"')) + 1;
    const causeCol = lines[causeLine - 1]!.indexOf('"oops"') + 1;
    const r = runRulesCheck(f);
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain(`${f}:${causeLine}:${causeCol}: rule "mine.quota" at /rules/0/cause: must be one of`);
    expect(r.output).toMatch(/:\d+:\d+: rule "mine\.quota" at \/rules\/0\/severity: must be a number from 1 to 10/);
    expect(r.output).toMatch(/2 problem\(s\) in 1 file\(s\)\n$/);
  });

  it('reports JSON syntax errors with a line', () => {
    const f = join(dir, 'syntax.json');
    writeFileSync(f, '{\n  "rules": [\n    {"id": "x",}\n  ]\n}\n');
    const r = runRulesCheck(f);
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/syntax\.json:3:16: invalid JSON: trailing comma\n/);
  });

  it('runs samples against the whole rule set (shadowing is a problem)', () => {
    const f = join(dir, 'shadowed.json');
    writeFileSync(f, JSON.stringify({ rules: [rule({ priority: 1, match: { status: [403] }, samples: { match: [{ status: 403 }], noMatch: [{ status: 404 }] } })] }));
    const r = runRulesCheck(f);
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/rule "mine\.quota": samples\.match\[0\] matches, but rule "permission\.forbidden" \(priority 20\) wins first/);
  });

  it('says when the path is missing', () => {
    expect(runRulesCheck(join(dir, 'nope.json'))).toMatchObject({ exitCode: 1 });
  });
});
