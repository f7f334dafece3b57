/**
 * `faultline rules list` and `faultline rules check FILE|DIR`. Return text (and an exit code);
 * commander wiring prints it. Every string from a rule file passes through toTerminal (T1).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { Classifier } from '../../engine/classify.js';
import { builtinRulesDir, checkRuleFile, formatProblem, loadRules, ruleFilesIn } from '../../engine/load-rules.js';
import { runSamples } from '../../engine/samples.js';

const tt = (s: string, max = 200): string => toTerminal(s, { max });

function statusSummary(status: unknown): string {
  return Array.isArray(status) ? status.map((s) => (s === null ? 'none' : String(s))).join(',') : 'any';
}

/** Rules in evaluation order (first match wins), as a table or JSON. */
export function runRulesList(opts: { rules?: string[]; json?: boolean } = {}): string {
  const loaded = loadRules({ rulesPaths: opts.rules });
  const classifier = new Classifier(loaded.rules);
  if (opts.json) {
    return JSON.stringify(classifier.rules.map((r) => ({
      order: r.index + 1, id: r.id, title: r.title, cause: r.cause, subcause: r.subcause, priority: r.priority,
      severity: r.severity, groupBy: r.groupBy, status: r.spec.match.status ?? null, file: r.origin.file, line: r.origin.line,
      builtin: r.origin.builtin,
    })), null, 2) + '\n';
  }
  const builtin = builtinRulesDir();
  const rows = classifier.rules.map((r) => [
    String(r.index + 1), tt(r.id, 60), tt(`${r.cause}/${r.subcause}`, 50), String(r.priority),
    tt(statusSummary(r.spec.match.status), 40), r.origin.builtin ? 'built-in' : tt(r.origin.file, 80),
  ]);
  const head = ['#', 'rule', 'cause/subcause', 'prio', 'status', 'from'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((x, c) => (c === cells.length - 1 ? x : x.padEnd(widths[c]!))).join('  ');
  let out = line(head) + '\n' + rows.map(line).join('\n') + '\n';
  out += `\n${classifier.rules.length} rules (built-in from ${tt(builtin, 200)}); first match wins: higher priority first, then user files, then file order.\n`;
  if (loaded.problems.length > 0) {
    out += `\n${loaded.problems.length} problem(s) in rule files; those rules are not loaded:\n`;
    out += loaded.problems.map((p) => '  ' + tt(formatProblem(p), 400)).join('\n') + '\n';
  }
  return out;
}

/**
 * Validates a rule file (or every .json in a directory) as a user rule file: schema problems with
 * file:line:column, then every sample of its rules against the whole rule set (built-ins + these).
 * Exit code 0 when clean, 2 when problems were found, 1 when the path cannot be read.
 */
export function runRulesCheck(path: string): { output: string; exitCode: number } {
  const abs = resolve(path);
  let files: string[];
  try {
    files = statSync(abs).isDirectory() ? ruleFilesIn(abs) : [abs];
  } catch {
    return { output: `cannot read ${tt(path)}: no such file or directory\n`, exitCode: EXIT.usage };
  }
  if (files.length === 0) return { output: `no .json rule files in ${tt(path)}\n`, exitCode: EXIT.usage };
  const builtinDir = builtinRulesDir();
  const isBuiltin = (f: string): boolean => resolve(f).startsWith(resolve(builtinDir) + '/');
  const lines: string[] = [];
  let problems = 0;
  let rulesSeen = 0;
  for (const f of files) {
    const r = checkRuleFile(f, { userFile: !isBuiltin(f) });
    rulesSeen += r.rules.length;
    problems += r.problems.length;
    for (const p of r.problems) lines.push(tt(formatProblem(p), 400));
  }
  if (problems === 0) {
    // Samples run against the whole rule set these files would join, so shadowing shows up too.
    const userFiles = files.filter((f) => !isBuiltin(f));
    const loaded = loadRules({ rulesPaths: userFiles });
    const classifier = new Classifier(loaded.rules);
    const mine = new Set(files.map((f) => resolve(f)));
    const failures = runSamples(classifier, (rule) => mine.has(resolve(rule.origin.file)));
    for (const s of failures) {
      problems++;
      lines.push(tt(`${s.file}: rule "${s.ruleId}": ${s.message}${s.note ? ` (${s.note})` : ''}`, 400));
    }
  }
  const summary = problems === 0
    ? `ok: ${files.length} file(s), ${rulesSeen} rule(s), all samples pass`
    : `${problems} problem(s) in ${files.length} file(s)`;
  return { output: [...lines, summary].join('\n') + '\n', exitCode: problems === 0 ? EXIT.ok : EXIT.partial };
}
