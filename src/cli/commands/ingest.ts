import { UserError } from '../../core/errors.js';
import { toTerminal } from '../../core/escape-terminal.js';
import { compileLogFormat } from '../../../parsers/access-log/template/compile.js';
import type { LogFormat } from '../../../parsers/access-log/format.js';
import { ingestAll, totals, type IngestOutcome } from '../../ingest/index.js';
import { explainDbError, openStore, type Store } from '../../store/index.js';
import { runAnalysis } from './analysis.js';

export interface IngestCliOptions {
  db: string;
  format?: string;
  logFormat?: string;
  rules?: string[];
  gap?: string;
  json?: boolean;
  progress?: boolean;
}

/** Exit code per issue 2: 0 all ingested/unchanged, 2 some partial or rejected, 1 I/O errors. */
export function exitCodeOf(outcomes: readonly IngestOutcome[]): number {
  let code = 0;
  for (const o of outcomes) {
    if (o.detail.ioError) return 1;
    if (o.result.status === 'partial' || o.result.status === 'rejected') code = 2;
  }
  return code;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The human summary: one row per file, then skip reasons; every string from input escaped (T1). */
export function formatSummary(dbPath: string, outcomes: readonly IngestOutcome[]): string {
  const rows = outcomes.map((o) => [
    toTerminal(o.result.path, { max: 60 }),
    o.result.format ?? '-',
    String(o.result.records),
    String(o.result.failures),
    String(o.result.skipped),
    o.result.status,
  ]);
  const head = ['file', 'format', 'records', 'failures', 'skipped', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : pad(c, widths[i]!))).join('  ');
  const out = [line(head), ...rows.map(line)];
  const t = totals(outcomes.map((o) => o.result));
  out.push(line(['total', '', String(t.records), String(t.failures), String(t.skipped), '']));
  for (const o of outcomes) {
    const notes: string[] = [];
    for (const r of o.detail.skipReasons) notes.push(`${r.count} skipped: ${r.reason}`);
    if (o.detail.invalidUtf8Lines) notes.push(`${o.detail.invalidUtf8Lines} line${o.detail.invalidUtf8Lines === 1 ? "" : "s"} with invalid UTF-8 (shown as U+FFFD)`);
    if (o.detail.truncatedLines) notes.push(`${o.detail.truncatedLines} over-long lines truncated`);
    if (o.result.error) notes.push(o.result.error);
    if (notes.length) out.push(`\n${toTerminal(o.result.path)}:\n  ${notes.map((n) => toTerminal(n, { singleLine: false, max: 4096 })).join('\n  ')}`);
  }
  out.push(`\ndatabase: ${toTerminal(dbPath)}`);
  return out.join('\n') + '\n';
}

export function resolveCustomFormat(opts: IngestCliOptions): LogFormat | undefined {
  if (!opts.logFormat) return undefined;
  try {
    return compileLogFormat(opts.logFormat, 'custom');
  } catch (err) {
    throw new UserError(`--log-format: ${(err as Error).message}`, {
      hint: 'an nginx log_format ($remote_addr [$time_local] "$request" $status …) or an Apache LogFormat (%h %t "%r" %>s %b …)',
    });
  }
}

/** Ingest, analyse, and report per-source counts; returns the store (still open) and the outcomes. */
export async function ingestAndAnalyse(files: string[], opts: IngestCliOptions): Promise<{ store: Store; outcomes: IngestOutcome[] }> {
  const customFormat = resolveCustomFormat(opts);
  const store = openStore(opts.db);
  try {
    const outcomes = await ingestAll(store, files, {
      formatId: opts.format,
      customFormat,
      progress: opts.progress !== false && !opts.json,
    });
    runAnalysis(store, { rules: opts.rules, gap: opts.gap });
    return { store, outcomes };
  } catch (err) {
    store.close();
    // A database error anywhere in the run (locked by another process past the busy timeout, disk full,
    // read-only) is a message with a hint, never an "internal error" (test/hostile/db-faults.test.ts).
    if (!(err instanceof UserError) && String((err as { code?: unknown }).code ?? '').startsWith('SQLITE')) throw explainDbError(opts.db, err);
    throw err;
  }
}

export async function runIngest(files: string[], opts: IngestCliOptions): Promise<void> {
  const { store, outcomes } = await ingestAndAnalyse(files, opts);
  store.close();
  if (opts.json) {
    const json = {
      db: opts.db,
      sources: outcomes.map((o) => o.result),
      totals: totals(outcomes.map((o) => o.result)),
    };
    process.stdout.write(JSON.stringify(json) + '\n');
  } else {
    process.stderr.write(formatSummary(opts.db, outcomes));
  }
  process.exitCode = exitCodeOf(outcomes);
}
