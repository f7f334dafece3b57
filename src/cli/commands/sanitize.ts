/**
 * `faultline sanitize IN.har [-o OUT.har]`: a shareable copy of a HAR with every secret redacted by
 * the same rules as ingest. The summary goes to stderr (stdout may be the HAR itself with `-o -`).
 * Exit codes: 0 written; 2 written but some entries were left out (unreadable or unredactable);
 * 1 not a HAR / I/O error (nothing written).
 */
import { UserError, EXIT } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { sanitizeFile, type SanitizeResult } from '../../sanitize/index.js';
import { safeJson } from '../../sanitize/json-text.js';

export interface SanitizeCliOptions {
  output?: string;
  json?: boolean;
}

/** `x.har` → `x.sanitized.har`, `x.har.gz` → `x.sanitized.har.gz`, anything else → `x.sanitized.har`. */
export function defaultOutputPath(input: string): string {
  const lower = input.toLowerCase();
  if (lower.endsWith('.har.gz')) return input.slice(0, -'.har.gz'.length) + '.sanitized.har.gz';
  if (lower.endsWith('.har')) return input.slice(0, -'.har'.length) + '.sanitized.har';
  return input + '.sanitized.har';
}

function counts(c: Record<string, number>): string {
  const parts = Object.entries(c)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The human summary (stderr); every input-derived string escaped (T1). */
export function formatSanitizeSummary(input: string, r: SanitizeResult & { output: string }): string {
  const lines = [
    `sanitized ${toTerminal(input)} → ${toTerminal(r.output)}: ${r.entriesOut} entries${r.pages ? `, ${r.pages} pages` : ''}`,
    `redactions per rule: ${toTerminal(counts(r.redactions))}`,
  ];
  const repaired = Object.values(r.repairs).reduce((a, b) => a + b, 0);
  if (repaired > 0) lines.push(`fields repaired to HAR 1.2 types: ${repaired} (${toTerminal(counts(r.repairs), { max: 400 })})`);
  if (r.droppedCount > 0) {
    const sample = r.dropped.slice(0, 10).map((d) => `#${d.index} ${toTerminal(d.reason)}`).join(', ');
    lines.push(`warning: ${r.droppedCount} entries left out (could not be read or redacted): ${sample}${r.droppedCount > 10 ? ', …' : ''}`);
  }
  lines.push('Review the file before sharing it: redaction is rule-based, and values it does not recognise as secrets are kept.');
  return lines.join('\n') + '\n';
}

export async function runSanitize(input: string, opts: SanitizeCliOptions): Promise<SanitizeResult & { output: string }> {
  const output = opts.output ?? (input === '-' ? '-' : defaultOutputPath(input));
  if (opts.json && output === '-') {
    throw new UserError('--json and -o - both want stdout', { hint: 'write the HAR to a file with -o FILE, or drop --json' });
  }
  if (output !== '-' && output === input) {
    throw new UserError('the output would replace the input', { hint: 'choose another -o path: keep the original until you have checked the sanitized copy' });
  }
  const r = await sanitizeFile(input, output);
  if (opts.json) {
    process.stdout.write(safeJson({ input, ...r }) + '\n');
  } else {
    process.stderr.write(formatSanitizeSummary(input, r));
  }
  process.exitCode = r.droppedCount > 0 ? EXIT.partial : EXIT.ok;
  return r;
}
