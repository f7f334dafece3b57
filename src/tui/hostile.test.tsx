/**
 * T9 over B-25: a synthetic HAR full of terminal payloads goes through the real ingest pipeline,
 * rules engine and SQLite, then the overview, incident and request screens render through the
 * real Ink tree, WITH colour on, into ink-testing-library's fake stdout. Every byte that reaches
 * the terminal is checked: no C0/C1 control other than \n, and every ESC starts one of our SGRs.
 */
// Colour must be on before chalk (inside Ink) is first loaded, so our own SGR sequences are in
// the bytes and the check proves they are the only escapes. Hence the dynamic imports below.
process.env['FORCE_COLOR'] = '3';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { B25_PAYLOADS, writeHostileHar } from './testing/hostile-har.js';
import type { RealDb } from './testing/real-db.js';

const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('./app.js');
const { realDb } = await import('./testing/real-db.js');
const { KEY, press, settle } = await import('./testing/keys.js');
const { createTheme } = await import('./theme.js');
const { plainOverview } = await import('./plain.js');

const FORBIDDEN = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/;
const SGR = /^\x1b\[[0-9;]*m/;

function assertTerminalSafe(bytes: string, where: string): void {
  const bad = FORBIDDEN.exec(bytes);
  expect(bad, `${where}: control U+${bad?.[0].charCodeAt(0).toString(16)} at ${bad?.index}: ${JSON.stringify(bytes.slice(Math.max(0, (bad?.index ?? 0) - 30), (bad?.index ?? 0) + 30))}`).toBeNull();
  for (let i = bytes.indexOf('\x1b'); i !== -1; i = bytes.indexOf('\x1b', i + 1)) {
    const seq = SGR.exec(bytes.slice(i, i + 24));
    expect(seq, `${where}: non-SGR escape ${JSON.stringify(bytes.slice(i, i + 16))}`).not.toBeNull();
  }
  expect(bytes).not.toContain('\u202e');
}

let db: RealDb;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-hostile-'));
  db = await realDb([writeHostileHar(dir)], 'faultline-hostile-db-');
});
afterAll(() => {
  cleanup();
  db?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('T9: B-25 payloads through ingest, SQLite and the real Ink tree', () => {
  it('stored the payloads (the test would prove nothing if ingest had dropped them)', () => {
    const ov = db.source.overview();
    expect(ov.requests).toBe(B25_PAYLOADS.length);
    const first = db.source.page({ failedOnly: true }, 20, null).rows;
    expect(first.some((r) => (r.path ?? '').includes('\x1b]0;PWNED\x07'))).toBe(true);
    expect(first.some((r) => (r.userAgent ?? '').includes('\u202e'))).toBe(true);
    expect(first.some((r) => (r.body ?? '').includes('\x1b'))).toBe(true);
  });

  it('renders overview, incident, request (every section) with colour and no escape but our SGR', async () => {
    const r = render(<App source={db.source} size={{ columns: 80, rows: 24 }} theme={createTheme({ noColor: false })} />);
    await settle(40);
    const m = { ...r };
    expect(r.lastFrame()).toMatch(/\x1b\[[0-9;]*m/); // colour is really on
    expect(r.lastFrame()).toMatch(/Incidents \(1\)/);
    await press(m, KEY.enter); // incident
    expect(r.lastFrame()).toContain('^[]0;PWNED^G');
    await press(m, KEY.tab);
    for (let i = 0; i < 12; i++) await press(m, KEY.pageDown); // every detail section
    await press(m, KEY.tab);
    for (let i = 0; i < B25_PAYLOADS.length; i++) {
      await press(m, KEY.enter); // request i
      for (let j = 0; j < 8; j++) await press(m, KEY.pageDown); // headers, body, raw, source
      await press(m, KEY.esc, 'j');
    }
    await press(m, '?', KEY.esc, 'f', KEY.esc, '/', ...'\x1b]0;x\x07', KEY.enter);
    const all = r.frames.join('');
    assertTerminalSafe(all, 'frames');
    assertTerminalSafe(r.stderr.frames.join(''), 'stderr');
    // The payloads are visible, in caret / <U+…> form.
    for (const visible of ['^[]0;PWNED^G', '^[]52;c;AAAA^G', '^[]8;;https://evil^[\\x', '^[[2J', '<U+009B>31m', '^H', '^M', '^[Pq#0;2;0;0;0^[\\', '<U+202E>']) {
      expect(all, visible).toContain(visible);
    }
  });

  it('prints the non-terminal overview with the payloads made visible too (T7)', () => {
    const text = plainOverview(db.source.overview(), db.source.incidentList({ sort: 'severity' }).slice(0, 20));
    expect(text).toContain('^[]0;PWNED^G');
    assertTerminalSafe(text, 'plain overview');
  });
});
