/**
 * Follow mode in the app (issue 8): a real store that grows under the UI, as `faultline watch`
 * does it: the real watcher (watchFiles, one pass at a time) stores new lines of
 * examples/nginx-access.log (synthetic), the real analysis runs, the source is invalidated, and
 * the rendered frame must show the new incidents marked "[new]", each row's state, and the user's
 * selection still on the same incident.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { runAnalysis } from '../cli/commands/analysis.js';
import { openStore, type Store } from '../store/index.js';
import { watchFiles } from '../watch/index.js';
import { App } from './app.js';
import { storeSource } from './source.js';
import { press, settle } from './testing/keys.js';
import { createTheme } from './theme.js';

const LINES = readFileSync(fileURLToPath(new URL('../../examples/nginx-access.log', import.meta.url)), 'utf8').split('\n').filter(Boolean);
const MONO = createTheme({ noColor: true });

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  cleanup();
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function waitFrame(frame: () => string, pred: (f: string) => boolean, what: string): Promise<string> {
  const end = Date.now() + 3000;
  while (Date.now() < end) {
    if (pred(frame())) return frame();
    await settle(10);
  }
  throw new Error(`timed out waiting for ${what}; frame:\n${frame()}`);
}

async function growingStore() {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-live-'));
  dirs.push(dir);
  const log = join(dir, 'access.log');
  writeFileSync(log, LINES.slice(0, 100).join('\n') + '\n');
  const store = openStore(join(dir, 'live.db'));
  stores.push(store);
  const source = storeSource(store, async () => join(dir, 'report.md'), { live: { gapMs: 5 * 60_000 } });
  // One watcher pass, as each poll of `faultline watch` (which then calls invalidate()).
  const pass = async () => {
    await watchFiles(store, [log], { once: true, analyze: (s) => runAnalysis(s, {}) });
    source.invalidate();
  };
  await pass();
  return { log, store, source, pass, append: (from: number, to: number) => appendFileSync(log, LINES.slice(from, to).join('\n') + '\n') };
}

function incidentRows(frame: string): string[] {
  return frame.split('\n').filter((l) => /^[▸ ]\s*\d+ [a-z-]+\s+\d+ /.test(l));
}

describe('follow mode: the app over a store that grows (synthetic nginx log)', () => {
  it('marks new incidents, shows ongoing / recovered, keeps the selection on the same incident', async () => {
    const g = await growingStore();
    const r = render(<App source={g.source} size={{ columns: 100, rows: 30 }} theme={MONO} flashMs={60_000} />);
    const frame = () => r.lastFrame() ?? '';
    await settle();
    let rows = incidentRows(frame());
    expect(rows).toHaveLength(g.source.overview().incidentCount);
    expect(frame()).toMatch(/STATE\s+TITLE/);
    // Already there when the UI opened: not new; all within 5 minutes of the newest line.
    expect(frame()).not.toContain('[new]');
    for (const row of rows) expect(row).toMatch(/ ongoing /);

    await press(r, 'j');
    const selectedTitle = incidentRows(frame()).find((l) => l.startsWith('▸'))!.replace(/^.*ongoing\s+/, '').slice(0, 20);
    expect(selectedTitle.length).toBeGreaterThan(5);
    const before = new Set(g.source.incidentIds({}));

    g.append(100, 300);
    await g.pass();
    const grown = await waitFrame(frame, (f) => f.includes('300 requests'), 'the refreshed overview');
    rows = incidentRows(grown);
    const added = g.source.incidentIds({}).filter((id) => !before.has(id));
    expect(added.length).toBeGreaterThan(0);
    // Exactly the incidents that appeared are marked, and they are the rows that say so.
    expect(rows.filter((l) => l.includes('[new]'))).toHaveLength(added.length);
    // The selection followed its incident (new, more severe rows were sorted above it).
    const sel = rows.find((l) => l.startsWith('▸'))!;
    expect(sel).toContain(selectedTitle);
    expect(sel).not.toContain('[new]');

    g.append(300, LINES.length);
    await g.pass();
    const all = await waitFrame(frame, (f) => f.includes(`${LINES.length} requests`), 'the last refresh');
    rows = incidentRows(all);
    // The 429 burst ended at 10:05 and the log runs to 10:11: recovered; later incidents are ongoing.
    expect(rows.some((l) => /rate-limit .*recovered at 10:05 /.test(l))).toBe(true);
    expect(rows.some((l) => / ongoing /.test(l))).toBe(true);
    expect(incidentRows(all).find((l) => l.startsWith('▸'))).toContain(selectedTitle);
  });

  it('the "[new]" mark goes away after the flash', async () => {
    const g = await growingStore();
    const r = render(<App source={g.source} size={{ columns: 100, rows: 30 }} theme={MONO} flashMs={250} />);
    const frame = () => r.lastFrame() ?? '';
    await settle();
    g.append(100, 300);
    await g.pass();
    await waitFrame(frame, (f) => f.includes('[new]'), 'a new incident marked');
    await waitFrame(frame, (f) => !f.includes('[new]') && f.includes('300 requests'), 'the mark to expire');
  });
});
