/**
 * `faultline browse`: the terminal UI over an investigation database, opened read-only.
 * Not on a terminal (piped, redirected, CI logs): a short plain-text overview instead.
 */
import { openStore, type Store } from '../../store/index.js';

/** Opens `opts.db` read-only, browses it, closes it. Resolves when the user quits. */
export async function runBrowse(opts: { db: string }): Promise<void> {
  const store = openStore(opts.db, { readonly: true });
  try {
    await browseStore(store);
  } finally {
    store.close();
  }
}

/** Browses an already-open store (the default command ingests first, then calls this). */
export async function browseStore(store: Store): Promise<void> {
  // None of these load Ink: the non-terminal path stays light.
  const [{ storeSource }, { reportExporter }, { plainOverview }] = await Promise.all([
    import('../../tui/source.js'),
    import('../../tui/export.js'),
    import('../../tui/plain.js'),
  ]);
  const source = storeSource(store, reportExporter(store));
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stdout.write(plainOverview(source.overview(), source.incidentList({ sort: 'severity' }).slice(0, 20)));
    return;
  }
  // Build the overview before entering the alternate screen, so a slow database shows on the
  // normal screen (and an error leaves no half-drawn UI behind).
  source.overview();
  const runTui = await loadTui();
  await runTui(source);
}

/** Loads the Ink app's runner; call only with a terminal on both ends. */
export async function loadTui(): Promise<typeof import('../../tui/run.js').runTui> {
  // Ink decides once, at import, whether it runs "in CI" (env CI/CONTINUOUS_INTEGRATION) and then
  // only prints the last frame. A terminal on both ends is interactive whatever CI says, so
  // those variables are dropped before Ink is first loaded (this process starts no children).
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  return (await import('../../tui/run.js')).runTui;
}
