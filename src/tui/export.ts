/**
 * `e`: the markdown report of what is on screen, written next to the user (cwd) atomically
 * (temp file in the same directory + rename), so a crash never leaves half a report.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { reportFileName } from './format.js';
import type { ReportScope } from './source.js';

type RenderReport = (store: Store, opts: ReportScope) => string;

// A variable specifier keeps the report module optional at build time: the TUI works (and says
// "report unavailable") in a build where src/report is missing or broken.
const REPORT_MODULE = '../report/index.js';

async function loadRenderer(): Promise<RenderReport> {
  let mod: { renderReport?: unknown };
  try {
    mod = (await import(REPORT_MODULE)) as { renderReport?: unknown };
  } catch (err) {
    throw new Error(`report unavailable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof mod.renderReport !== 'function') throw new Error('report unavailable (src/report exports no renderReport)');
  return mod.renderReport as RenderReport;
}

/** Writes `text` to `dir/name` atomically; returns the path. */
export function writeAtomic(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx', mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return path;
}

export function reportExporter(store: Store, opts: { cwd?: string; now?: () => Date } = {}): (scope: ReportScope) => Promise<string> {
  return async (scope) => {
    const render = await loadRenderer();
    const text = render(store, scope);
    return writeAtomic(opts.cwd ?? process.cwd(), reportFileName((opts.now ?? (() => new Date()))()), text);
  };
}
