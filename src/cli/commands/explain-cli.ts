import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import { runExplain } from './explain.js';

/** `faultline explain <request>`: wiring only; the engine helper owns the explanation. */
export function runExplainCommand(spec: string, opts: { db: string; rules?: string[] }): void {
  if (!existsSync(opts.db)) throw new UserError(`no database at ${opts.db}`, { hint: 'run `faultline ingest FILES --db ' + opts.db + '` first' });
  const store = openStore(opts.db, { readonly: true });
  try {
    const out = runExplain(store, spec, { rulesPaths: opts.rules }) as unknown;
    if (typeof out === 'string') process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    else {
      const r = out as { output: string; exitCode?: number };
      process.stdout.write(r.output.endsWith('\n') ? r.output : r.output + '\n');
      if (r.exitCode) process.exitCode = r.exitCode;
    }
  } finally {
    store.close();
  }
}
