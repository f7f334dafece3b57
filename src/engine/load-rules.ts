/**
 * Loads rule files: the built-in rules/ directory (ordered by file name), then any user files or
 * directories given with --rules. Every problem in every file is collected (file, rule id, JSON
 * path, line, column) before anything is reported. A user rule with the id of a built-in one
 * replaces it; `{"id": "...", "disabled": true}` switches a built-in rule off.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonSyntaxError, parseLocated, positionOf } from './json-locate.js';
import { validateRuleFile } from './rule-schema.js';
import type { RuleOrigin, RuleProblem, RuleSpec } from './types.js';

export interface LoadedRule {
  spec: RuleSpec;
  origin: RuleOrigin;
}

export interface LoadResult {
  rules: LoadedRule[];
  problems: RuleProblem[];
  files: string[];
}

/** The built-in rules/ directory: found by walking up from this module (works from src/ and dist/src/). */
export function builtinRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'rules');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('built-in rules/ directory not found next to package.json; reinstall faultline');
}

/** Rule files in a directory: *.json except schema files, sorted by name (the numeric prefix orders them). */
export function ruleFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json') && n !== 'schema.json')
    .sort()
    .map((n) => join(dir, n));
}

/** Parses and validates one rule file. `text` may be passed to check unsaved content. */
export function checkRuleFile(file: string, opts: { userFile?: boolean; text?: string } = {}): { rules: LoadedRule[]; problems: RuleProblem[] } {
  let text: string;
  try {
    text = opts.text ?? readFileSync(file, 'utf8');
  } catch (e) {
    return { rules: [], problems: [{ file, ruleId: null, path: '', line: null, column: null, message: `cannot read: ${(e as Error).message}` }] };
  }
  let located;
  try {
    located = parseLocated(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { rules: [], problems: [{ file, ruleId: null, path: '', line: e.line, column: e.column, message: `invalid JSON: ${e.reason}` }] };
    }
    throw e;
  }
  const problems: RuleProblem[] = validateRuleFile(located.value, { userFile: opts.userFile }).map((p) => {
    const pos = positionOf(located, p.path);
    return { file, ruleId: p.ruleId, path: p.path, line: pos?.line ?? null, column: pos?.column ?? null, message: p.message };
  });
  const rules: LoadedRule[] = [];
  const raw = (located.value as { rules?: unknown }).rules;
  if (Array.isArray(raw)) {
    raw.forEach((spec, index) => {
      const bad = problems.some((p) => p.path === `/rules/${index}` || p.path.startsWith(`/rules/${index}/`));
      if (!bad) rules.push({ spec: spec as RuleSpec, origin: { file, index, builtin: !opts.userFile, line: positionOf(located, `/rules/${index}`)?.line ?? null } });
    });
  }
  return { rules, problems };
}

function expand(paths: string[]): { files: string[]; problems: RuleProblem[] } {
  const files: string[] = [];
  const problems: RuleProblem[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try { st = statSync(abs); } catch {
      problems.push({ file: p, ruleId: null, path: '', line: null, column: null, message: 'no such file or directory (give a rule .json file or a directory of them)' });
      continue;
    }
    if (st.isDirectory()) files.push(...ruleFilesIn(abs));
    else files.push(abs);
  }
  return { files, problems };
}

/**
 * Loads built-in rules plus user rules. User rules come first among rules of equal priority
 * (user rules take precedence, as in Sentry). Returns problems instead of throwing.
 */
export function loadRules(opts: { rulesPaths?: string[]; builtinDir?: string | null } = {}): LoadResult {
  const problems: RuleProblem[] = [];
  const builtinDir = opts.builtinDir === undefined ? builtinRulesDir() : opts.builtinDir;
  const builtinFiles = builtinDir ? ruleFilesIn(builtinDir) : [];
  const user = expand(opts.rulesPaths ?? []);
  problems.push(...user.problems);

  const builtins: LoadedRule[] = [];
  for (const f of builtinFiles) { const r = checkRuleFile(f); builtins.push(...r.rules); problems.push(...r.problems); }
  const seenBuiltin = new Map<string, LoadedRule>();
  for (const r of builtins) {
    const prev = seenBuiltin.get(r.spec.id);
    if (prev) problems.push({ file: r.origin.file, ruleId: r.spec.id, path: `/rules/${r.origin.index}/id`, line: r.origin.line, column: null, message: `rule id "${r.spec.id}" is also defined in ${prev.origin.file}` });
    else seenBuiltin.set(r.spec.id, r);
  }

  const userRules: LoadedRule[] = [];
  const overridden = new Set<string>();
  for (const f of user.files) {
    const r = checkRuleFile(f, { userFile: true });
    problems.push(...r.problems);
    for (const lr of r.rules) {
      overridden.add(lr.spec.id);
      if (lr.spec.disabled === true) continue;
      const dup = userRules.findIndex((u) => u.spec.id === lr.spec.id);
      if (dup >= 0) userRules.splice(dup, 1); // a later user file wins
      userRules.push(lr);
    }
  }
  const rules = [...userRules, ...builtins.filter((r) => !overridden.has(r.spec.id) && seenBuiltin.get(r.spec.id) === r)];
  return { rules, problems, files: [...builtinFiles, ...user.files] };
}

/** One problem as "file:line:column: [rule] path: message". */
export function formatProblem(p: RuleProblem): string {
  const where = p.line !== null ? `${p.file}:${p.line}${p.column !== null ? ':' + p.column : ''}` : p.file;
  const context = [p.ruleId ? `rule "${p.ruleId}"` : '', p.path ? `at ${p.path}` : ''].filter((x) => x !== '').join(' ');
  return context ? `${where}: ${context}: ${p.message}` : `${where}: ${p.message}`;
}
