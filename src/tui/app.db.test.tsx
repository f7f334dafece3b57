/**
 * The app over real databases: real corpus files ingested and analysed into SQLite, opened
 * read-only as `browse` does, driven by key presses; frames asserted against the view model
 * computed from the same store (never hard-coded counts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOverview, pageRequests, requestLocator, requestUrl } from '../queries/build.js';
import { App } from './app.js';
import { fmtInt, fmtPct } from './format.js';
import { PAGE_SIZE } from './pager-cache.js';
import { safe } from './safe.js';
import { KEY, press, settle } from './testing/keys.js';
import { FILES, realDb, type RealDb } from './testing/real-db.js';
import { createTheme } from './theme.js';
import { NO_FILTERS } from './navigation.js';
import { filterOptions } from './views/filter-options.js';
import type { TuiSource } from './source.js';

const SIZE = { columns: 80, rows: 24 };
const MONO = createTheme({ noColor: true });

let db: RealDb;

beforeAll(async () => {
  db = await realDb([FILES.har304, FILES.allStatus, FILES.alb]);
});
afterAll(() => db?.cleanup());
afterEach(() => cleanup());

async function mount() {
  const r = render(<App source={db.source} size={SIZE} theme={MONO} />);
  await settle(30);
  return { ...r, frame: () => r.lastFrame() ?? '' };
}

function rowsOf(frame: string): string[] {
  return frame.split('\n').filter((l) => /^[▸ ]\s*\d+ \S/.test(l));
}

describe('App over a real database (3 corpus files)', () => {
  it('shows the investigation at a glance and the incidents, most severe first', async () => {
    const ov = buildOverview(db.store);
    expect(ov.incidents.length).toBeGreaterThan(3);
    const m = await mount();
    const f = m.frame();
    expect(f).toContain(`${fmtInt(ov.requests)} requests · ${fmtInt(ov.failures)} failed · error rate ${fmtPct(ov.errorRate)}`);
    expect(f).toContain(`3 sources: pagexray__responseCodes_304.har`);
    expect(f).toMatch(/error rate [▁▂▃▄▅▆▇█ ]+ peak \d+%/);
    expect(f).toContain(`causes  ${ov.causes[0]!.cause} ${fmtInt(ov.causes[0]!.count)}`);
    expect(f).toContain(`Incidents (${fmtInt(ov.incidents.length)})`);
    const rows = rowsOf(f);
    const bySeverity = [...ov.incidents].sort((a, b) => b.severity - a.severity || b.count - a.count);
    expect(rows[0]).toMatch(new RegExp(`^▸\\s*${Math.round(bySeverity[0]!.severity)} ${bySeverity[0]!.cause}\\s+${bySeverity[0]!.count} `));
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    // Four years of data: the window column says when each incident started, date included.
    expect(f).toMatch(/COUNT STARTED/);
    const first = bySeverity[0]!;
    const iso = new Date(first.firstSeen!).toISOString();
    expect(rows[0]).toContain(`${iso.slice(5, 10)} ${iso.slice(11, 16)}`);
  });

  it('opens the 503 incident, pages its members from SQLite, opens a request and comes back', async () => {
    const ov = buildOverview(db.store);
    const target = ov.incidents.find((i) => i.statuses['503'] && i.sources.some((s) => s.endsWith('pagexray__responseCodes_304.har')))!;
    expect(target.count).toBe(94);
    const members = pageRequests(db.store, { incidentId: target.id }, 3).rows;
    const m = await mount();
    // Move the selection to that incident (its row index in the default order), then open it.
    const order = [...ov.incidents].sort((a, b) => b.severity - a.severity || b.count - a.count || (a.id < b.id ? -1 : 1));
    for (let i = 0; i < order.findIndex((x) => x.id === target.id); i++) await press(m, 'j');
    await press(m, KEY.enter);
    expect(m.frame()).toContain(safe(target.title).slice(0, 40));
    expect(m.frame()).toContain('Requests (94)');
    expect(m.frame()).toMatch(/What to check|Evidence/);
    const url2 = `${members[1]!.host}${members[1]!.path}`;
    await press(m, 'j');
    expect(m.frame()).toContain('row 2');
    expect(m.frame().split('\n').find((l) => l.startsWith('▸') && l.includes(' 503 '))).toContain(url2.slice(0, 30));
    await press(m, KEY.enter);
    expect(m.frame().startsWith(`GET ${requestUrl(members[1]!)}`.slice(0, 79))).toBe(true);
    expect(m.frame()).toMatch(/status 503/);
    for (let i = 0; i < 6; i++) await press(m, KEY.pageDown);
    expect(m.frame()).toContain(`HAR entry: ${safe(requestLocator(members[1]!))}`.slice(0, 60));
    await press(m, KEY.esc);
    expect(m.frame()).toContain('row 2');
    await press(m, KEY.esc);
    expect(m.frame()).toMatch(/^faultline investigation\.db/);
  });

  it('shows HAR timings as a waterfall and JSON bodies pretty-printed', async () => {
    const withTimings = pageRequests(db.store, { failedOnly: true, search: 'requestgenerator' }, 50).rows.find((r) => r.timings && r.body?.trim().startsWith('{'));
    const m = await mount();
    // Search (route, path, message, client) narrows the overview to that API's incidents; open the first, then its first request.
    await press(m, '/', ...'/api/status', KEY.enter);
    expect(m.frame()).toMatch(/filter: search "\/api\/status"/);
    expect(m.frame()).toMatch(/Incidents \(\d+ of \d+\)/);
    await press(m, KEY.enter, KEY.enter);
    const f = m.frame();
    expect(f).toMatch(/^\w+ https?:\/\/requestgenerator\.com/);
    let all = f;
    for (let i = 0; i < 8; i++) {
      await press(m, KEY.pageDown);
      all += m.frame();
    }
    expect(all).toMatch(/Timings/);
    expect(all).toMatch(/ wait\s+\S+ ms │ *█+/);
    if (withTimings) expect(all).toMatch(/Response body.*pretty-printed/);
  });

  it('shows the raw log line and FILE:LINE for an access-log request', async () => {
    const alb = pageRequests(db.store, { failedOnly: true, search: 'elb' }, 5).rows.filter((r) => r.sourceKind === 'log');
    const ov = buildOverview(db.store);
    const albSource = ov.sources.find((s) => s.kind === 'log')!;
    expect(alb.length + albSource.failures).toBeGreaterThan(0);
    const m = await mount();
    await press(m, 'f');
    // The menu lists filterOptions() in order: walk down to the log source.
    const idx = filterOptions(ov, NO_FILTERS, null).findIndex((o) => o.change !== 'clear' && o.change.source?.path === albSource.path);
    expect(idx).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < idx; i++) await press(m, 'j');
    expect(m.frame().split('\n').find((l) => l.startsWith('▸'))).toMatch(/source\s+\S*application-lb/);
    await press(m, KEY.enter);
    expect(m.frame()).toMatch(/filter: source .*application-lb/);
    await press(m, KEY.enter);
    expect(m.frame()).toMatch(/Requests \(matching \d+\)/);
    await press(m, KEY.enter);
    let all = m.frame();
    for (let i = 0; i < 6; i++) {
      await press(m, KEY.pageDown);
      all += m.frame();
    }
    expect(all).toMatch(/log line: /);
    // The path may wrap on an 80-column screen (CI checkouts have long paths): compare without line breaks.
    expect(all.replace(/\s+/g, '')).toMatch(/application-lb-http\.log:\d+/);
    expect(all).toMatch(/raw: /);
    expect(all).toMatch(/client /);
  });

  it('e writes the markdown report of the open incident into the cwd, atomically', async () => {
    const m = await mount();
    await press(m, KEY.enter, 'e');
    const deadline = Date.now() + 10_000;
    let written = '';
    while (Date.now() < deadline) {
      written = m.frame().match(/report written: (\S+\.md)/)?.[1] ?? '';
      if (written || /report unavailable/.test(m.frame())) break;
      await settle(20);
    }
    expect(m.frame()).not.toMatch(/report unavailable/);
    expect(written.startsWith(db.dir)).toBe(true);
    expect(existsSync(written)).toBe(true);
    expect(readFileSync(written, 'utf8')).toMatch(/^#/);
    expect(readdirSync(db.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(written).toMatch(/faultline-report-\d{8}-\d{6}\.md$/);
  });

  it('reads member rows page by page (limit 100), never the whole incident, however far the user scrolls', async () => {
    const ov = buildOverview(db.store);
    const big = [...ov.incidents].sort((a, b) => b.count - a.count || b.severity - a.severity || (a.id < b.id ? -1 : 1))[0]!;
    const calls: Array<{ limit: number; rows: number }> = [];
    const counting: TuiSource = {
      ...db.source,
      page: (filter, limit, after) => {
        const res = db.source.page(filter, limit, after);
        calls.push({ limit, rows: res.rows.length });
        return res;
      },
    };
    const r = render(<App source={counting} size={SIZE} theme={MONO} />);
    await settle(30);
    const m = { ...r, frame: () => r.lastFrame() ?? '' };
    await press(m, 's'); // by count: the biggest incident first
    expect(rowsOf(m.frame())[0]).toContain(` ${fmtInt(big.count)} `);
    await press(m, KEY.enter);
    expect(calls.length).toBe(1);
    for (let i = 0; i < 30; i++) await press(m, KEY.pageDown);
    expect(m.frame()).toContain(`row ${fmtInt(big.count)}`);
    expect(calls.every((c) => c.limit === PAGE_SIZE)).toBe(true);
    const fetched = calls.reduce((n, c) => n + c.rows, 0);
    expect(fetched).toBeLessThanOrEqual(big.count + PAGE_SIZE);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(big.count / PAGE_SIZE) + 1);
    await press(m, 'g');
    expect(m.frame()).toMatch(/row 1$/m);
  });
});
