/**
 * The TUI in a real terminal: tmux runs the built CLI (`browse --db`) in an 80×24 pane, keys go
 * in with send-keys, the screen comes out with capture-pane and is asserted. Covers the overview,
 * Enter into an incident and a request, Esc back, resize, q exiting 0 with the normal screen
 * restored, and (T9) a database full of terminal payloads that must not reach the terminal: the
 * window title stays ours and the payloads show in caret form.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHostileHar } from '../../src/tui/testing/hostile-har.js';
import { runCli } from '../helpers/cli.js';
import { CLI, corpus, tempDir } from '../helpers/corpus.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) {
  // Said once, loudly: this is the only test that proves the TUI in a real terminal.
  process.stderr.write('tui-tmux: SKIPPED — tmux is not installed (apt-get install -y tmux); the TUI was not tested in a real terminal\n');
}

const tmp = tempDir('faultline-tmux-');
// A private tmux server per run: never touches the user's sessions.
const SOCKET = `faultline-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Pane {
  name: string;
  exitFile: string;
  screen(): string;
  keys(...keys: string[]): Promise<void>;
  waitFor(pred: (screen: string) => boolean, what: string, ms?: number): Promise<string>;
  title(): string;
  kill(): void;
}

/** Starts `faultline browse --db db` in a detached 80×24 session; the pane stays after exit. */
function start(name: string, db: string, size = { x: 80, y: 24 }): Pane {
  const exitFile = join(tmp.dir, `${name}.exit`);
  const cmd = `${shellQuote(process.execPath)} ${shellQuote(CLI)} browse --db ${shellQuote(db)}; echo EXIT=$? > ${shellQuote(exitFile)}; sleep 120`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.x), '-y', String(size.y), cmd);
  const pane: Pane = {
    name,
    exitFile,
    screen: () => tmux('capture-pane', '-p', '-t', name),
    keys: async (...keys) => {
      for (const k of keys) {
        tmux('send-keys', '-t', name, k);
        await sleep(150);
      }
    },
    waitFor: async (pred, what, ms = 20_000) => {
      const end = Date.now() + ms;
      let last = '';
      while (Date.now() < end) {
        last = pane.screen();
        if (pred(last)) return last;
        await sleep(100);
      }
      throw new Error(`tmux: timed out waiting for ${what}; screen was:\n${last}`);
    },
    title: () => tmux('display-message', '-p', '-t', name, '#{pane_title}'),
    kill: () => {
      try {
        tmux('kill-session', '-t', name);
      } catch {
        // already gone
      }
    },
  };
  return pane;
}

function ingest(files: string[], db: string): void {
  const r = runCli(['ingest', ...files, '--db', db, '--no-progress']);
  if (r.code !== 0 && r.code !== 2) throw new Error(`ingest failed (${r.code}): ${r.stderr}`);
}

describe.skipIf(!hasTmux)('TUI end to end in tmux (80×24)', () => {
  const db = join(tmp.dir, 'corpus.db');
  const hostileDb = join(tmp.dir, 'hostile.db');

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`the built CLI is missing (${CLI}): run npm run build`);
    // A session that lives for the whole file keeps the private server up between tests (a
    // server exiting with its last session races the next new-session).
    tmux('new-session', '-d', '-s', 'keeper', '-x', '80', '-y', '24', 'sleep 600');
    ingest([corpus('har/pagexray__responseCodes_304.har'), corpus('har/har-to-openapi__request-generator-all-status-and-method.har'), corpus('logs/elastic-beats__application-lb-http.log')], db);
    ingest([writeHostileHar(tmp.dir)], hostileDb);
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // no server left
    }
    tmp.cleanup();
  });

  it('overview → incident → request → back, resize, q exits 0 and leaves the screen clean', async () => {
    const p = start('main', db);
    try {
      const ov = await p.waitFor((s) => /Incidents \(\d+\)/.test(s), 'the overview');
      const lines = ov.split('\n');
      expect(lines.some((l) => /^▸\s*\d+ upstream\s+94 .*Service unavailable on loremfl/.test(l))).toBe(true);
      expect(ov).toMatch(/945 requests · 586 failed/);
      expect(ov).toMatch(/⏎ open .* q quit/);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);

      await p.keys('Enter');
      const inc = await p.waitFor((s) => s.includes('Requests (94)'), 'the incident');
      expect(inc).toMatch(/^Service unavailable on loremflickr\.com/);
      expect(inc).toMatch(/upstream \/ \S+ · severity \d+/);
      expect(inc).toMatch(/^▸\d\d:\d\d:\d\d 503 GET\s+loremflickr\.com\//m);

      await p.keys('j', 'Enter');
      const req = await p.waitFor((s) => /^GET http:\/\/loremflickr\.com\//.test(s), 'the request');
      expect(req).toMatch(/status 503/);
      expect(req).toMatch(/Classification/);

      await p.keys('Escape');
      const back = await p.waitFor((s) => s.includes('Requests (94)'), 'back on the incident');
      expect(back).toMatch(/row 2$/m);
      await p.keys('Escape');
      await p.waitFor((s) => /Incidents \(\d+\)/.test(s), 'back on the overview');

      tmux('resize-window', '-t', 'main', '-x', '60', '-y', '16');
      const small = await p.waitFor((s) => !s.includes('TREND') && /Incidents/.test(s), 'the resized overview');
      for (const l of small.split('\n')) expect([...l].length).toBeLessThanOrEqual(60);

      await p.keys('q');
      const exit = await (async () => {
        const end = Date.now() + 15_000;
        while (Date.now() < end) {
          if (existsSync(p.exitFile)) return readFileSync(p.exitFile, 'utf8').trim();
          await sleep(100);
        }
        return 'no exit';
      })();
      expect(exit).toBe('EXIT=0');
      // The alternate screen is gone: the normal screen (empty: the command ran directly) is back.
      const after = p.screen();
      expect(after).not.toMatch(/Incidents|faultline|quit/);
      expect(after.trim()).toBe('');
    } finally {
      p.kill();
    }
  });

  it('T9: terminal payloads in the data change nothing on the terminal and show visibly', async () => {
    const p = start('hostile', hostileDb);
    try {
      await p.waitFor((s) => /Incidents \(\d+\)/.test(s), 'the overview');
      const titleBefore = p.title();
      await p.keys('Enter');
      const inc = await p.waitFor((s) => /Requests \(\d+\)/.test(s), 'the incident');
      expect(inc).toContain('^[]0;PWNED^G');
      expect(inc).toContain('<U+009B>31m');
      await p.keys('Enter');
      const req = await p.waitFor((s) => /^GET https:\/\/api\.example\.com/.test(s), 'the request');
      expect(req).toContain('evil-agent ^[]0;PWNED^G');
      await p.keys('Space', 'Space');
      // No OSC 0 reached the terminal: the pane title is what it was. No clear screen either: the
      // request line is still on the first row.
      expect(p.title()).toBe(titleBefore);
      expect(p.title()).not.toContain('PWNED');
      expect(p.screen()).toMatch(/^GET https:\/\/api\.example\.com/);
      await p.keys('q');
      const end = Date.now() + 15_000;
      while (!existsSync(p.exitFile) && Date.now() < end) await sleep(100);
      expect(readFileSync(p.exitFile, 'utf8').trim()).toBe('EXIT=0');
      expect(p.title()).not.toContain('PWNED');
    } finally {
      p.kill();
    }
  });
});
