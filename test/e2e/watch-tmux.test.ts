/**
 * `faultline watch` in a real terminal (issue 8): tmux runs the built CLI on a log that this
 * test grows (lines of examples/nginx-access.log, synthetic), in an 80×24 pane. The live UI must
 * show the incidents, refresh to more requests and incidents as lines arrive (new ones marked,
 * each row with its state), and q must stop the watcher, exit 0 and give the normal screen back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, tempDir } from '../helpers/corpus.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) process.stderr.write('watch-tmux: SKIPPED — tmux is not installed; the live watch UI was not tested in a real terminal\n');

const LINES = readFileSync(join(ROOT, 'examples/nginx-access.log'), 'utf8').split('\n').filter(Boolean);
const tmp = tempDir('faultline-watch-tmux-');
const SOCKET = `faultline-watch-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = tmux('capture-pane', '-p', '-t', 'watch');
    if (pred(last)) return last;
    await sleep(100);
  }
  throw new Error(`tmux: timed out waiting for ${what}; screen was:\n${last}`);
}

function requests(screen: string): number {
  const m = /(\d[\d,]*) requests · /.exec(screen);
  return m ? Number(m[1]!.replaceAll(',', '')) : -1;
}
function incidents(screen: string): number {
  const m = /Incidents \((\d+)\)/.exec(screen);
  return m ? Number(m[1]) : -1;
}

describe.skipIf(!hasTmux)('faultline watch: live UI in tmux (80×24)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`the built CLI is missing (${CLI}): run npm run build`);
    tmux('new-session', '-d', '-s', 'keeper', '-x', '80', '-y', '24', 'sleep 600');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // no server left
    }
    tmp.cleanup();
  });

  it('shows incidents, refreshes as the log grows, q stops the watcher and exits 0', async () => {
    const log = join(tmp.dir, 'access.log');
    const db = join(tmp.dir, 'live.db');
    const exitFile = join(tmp.dir, 'watch.exit');
    writeFileSync(log, LINES.slice(0, 100).join('\n') + '\n');
    const cmd = `${q(process.execPath)} ${q(CLI)} watch ${q(log)} --db ${q(db)} --interval 0.3; echo EXIT=$? > ${q(exitFile)}; sleep 120`;
    tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', cmd);
    try {
      const first = await waitFor((s) => requests(s) === 100 && incidents(s) > 0, 'the first 100 lines analysed');
      expect(first).toMatch(/STATE\s+TITLE/);
      expect(first).toMatch(/ ongoing /);
      for (const l of first.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
      const firstIncidents = incidents(first);

      // The rest in chunks, as a server writes them; analysis is throttled to about every 5 s.
      for (let i = 100; i < LINES.length; i += 150) {
        appendFileSync(log, LINES.slice(i, i + 150).join('\n') + '\n');
        await sleep(400);
      }
      const later = await waitFor((s) => requests(s) === LINES.length, `all ${LINES.length} lines analysed`, 30_000);
      expect(incidents(later)).toBeGreaterThan(firstIncidents);
      // The 429 burst is over by the end of the log; later incidents are still going on.
      expect(later).toMatch(/rate-limit .*recovered at \d\d:\d\d /);
      expect(later).toMatch(/ ongoing /);

      tmux('send-keys', '-t', 'watch', 'q');
      const end = Date.now() + 15_000;
      while (!existsSync(exitFile) && Date.now() < end) await sleep(100);
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=0');
      const after = tmux('capture-pane', '-p', '-t', 'watch');
      // The normal screen is back: no UI left, only the watcher's summary on stderr.
      expect(after).not.toMatch(/Incidents \(|q quit/);
      expect(after).toContain(`${LINES.length} records`);
    } finally {
      try {
        tmux('kill-session', '-t', 'watch');
      } catch {
        // already gone
      }
    }
  });
});
