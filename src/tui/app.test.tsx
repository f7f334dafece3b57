import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './app.js';
import { handBuilt } from './testing/hand-built.js';
import { KEY, press, settle } from './testing/keys.js';
import { createTheme } from './theme.js';

const SIZE = { columns: 80, rows: 24 };
const MONO = createTheme({ noColor: true });

afterEach(() => cleanup());

function frameLines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n');
}

async function mount(opts: Parameters<typeof handBuilt>[0] = {}, size = SIZE) {
  const hb = handBuilt(opts);
  const r = render(<App source={hb.source} size={size} theme={MONO} />);
  await settle();
  return { ...hb, ...r, frame: () => r.lastFrame() ?? '' };
}

describe('App over hand-built view-model objects (synthetic data)', () => {
  it('draws the overview in exactly 23 rows of at most 80 columns, selection marked', async () => {
    const m = await mount();
    const lines = frameLines(m.frame());
    expect(lines).toHaveLength(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(m.frame()).toMatch(/153 requests · 153 failed · error rate 100%/);
    expect(m.frame()).toMatch(/causes\s+upstream 150 · auth 3/);
    expect(m.frame()).toMatch(/error rate [▁▂▃▄▅▆▇█ ]+ peak 100%/);
    const rows = lines.filter((l) => /^[▸ ]\s+\d+ (upstream|auth)/.test(l));
    expect(rows[0]).toMatch(/^▸ 80 upstream\s+150 10:00–10:10 .* Upstream 503/);
    expect(rows[1]).toMatch(/^  55 auth\s+3/);
    expect(lines[22]).toMatch(/⏎ open.*\? help.*q quit/);
  });

  it('sorts by count and time with s, most severe first by default', async () => {
    const m = await mount();
    await press(m, 's');
    expect(m.frame()).toMatch(/by count/);
    await press(m, 's');
    expect(m.frame()).toMatch(/by time/);
    const rows = frameLines(m.frame()).filter((l) => /^[▸ ]\s+\d+ (upstream|auth)/.test(l));
    expect(rows[0]).toMatch(/upstream/);
  });

  it('Enter opens the incident, j moves in its requests, Enter opens a request, Esc comes back', async () => {
    const m = await mount();
    await press(m, 'j', KEY.enter);
    expect(m.frame()).toMatch(/^Expired tokens on api\.example\.com/);
    await press(m, KEY.esc, 'k', KEY.enter);
    const inc = m.frame();
    expect(inc).toMatch(/^Upstream 503 on api\.example\.com/);
    expect(inc).toMatch(/upstream \/ unavailable · severity 80/);
    expect(inc).toMatch(/Requests \(150\)/);
    expect(inc).toMatch(/What to check/);
    await press(m, 'j', 'j', KEY.down);
    expect(m.frame()).toMatch(/row 4/);
    expect(m.frame()).toMatch(/^▸10:00:04 503 GET\s+api\.example\.com\/v1\/users\/4 /m);
    await press(m, KEY.enter);
    expect(m.frame()).toMatch(/^GET https:\/\/api\.example\.com\/v1\/users\/4/);
    expect(m.frame()).toMatch(/rule: upstream-503 — Upstream unavailable \(503\)/);
    await press(m, KEY.backspace);
    expect(m.frame()).toMatch(/row 4/);
    await press(m, KEY.esc);
    expect(m.frame()).toMatch(/^faultline synthetic\.db/);
  });

  it('pages member requests from the source, never the whole list', async () => {
    const m = await mount();
    await press(m, KEY.enter);
    expect(m.pageCalls.length).toBe(1);
    expect(m.pageCalls[0]).toEqual({ filter: { incidentId: 'inc-a' }, limit: 100 });
    for (let i = 0; i < 30; i++) await press(m, KEY.pageDown);
    expect(m.frame()).toMatch(/row 150/);
    expect(m.frame()).toMatch(/users\/150 /);
    expect(m.pageCalls.length).toBe(2);
    await press(m, 'g');
    expect(m.frame()).toMatch(/row 1\b/);
  });

  it('Tab moves the focus to the details pane, which scrolls on its own', async () => {
    const m = await mount();
    await press(m, KEY.enter, KEY.tab);
    expect(m.frame()).toMatch(/▸ Details/);
    await press(m, 'G');
    expect(m.frame()).toMatch(/Sources/);
    expect(m.frame()).toMatch(/row 1\b/);
  });

  it('/ searches: the overview narrows incidents, the incident its requests (RequestFilter.search)', async () => {
    const m = await mount();
    await press(m, '/', 'u', 's', 'e', 'r', 's', '/', '1', '2');
    expect(m.frame()).toMatch(/\/ search: users\/12▏/);
    await press(m, KEY.backspace, KEY.backspace, KEY.backspace);
    expect(m.frame()).toMatch(/\/ search: users▏/);
    await press(m, KEY.esc);
    expect(m.frame()).not.toMatch(/search:/);
    await press(m, '/', 'v', '1', '/', 'm', 'e', KEY.enter);
    expect(m.frame()).toMatch(/Incidents \(1 of 2\)/);
    expect(m.frame()).toMatch(/filter: search "v1\/me"/);
    await press(m, KEY.enter);
    expect(m.pageCalls.at(-1)?.filter).toEqual({ incidentId: 'inc-b', search: 'v1/me' });
    expect(m.frame()).toMatch(/Requests \(matching 3\)/);
    await press(m, KEY.esc, KEY.esc);
    expect(m.frame()).toMatch(/Incidents \(2\)/);
  });

  it('f filters by status; the choice shows and applies to the request list', async () => {
    const m = await mount();
    await press(m, 'f');
    expect(m.frame()).toMatch(/^Filter/);
    expect(m.frame()).toMatch(/status\s+503 \(150\)/);
    // causes (2) then statuses: 503 is the third option
    await press(m, 'j', 'j', KEY.enter);
    expect(m.frame()).toMatch(/filter: status 503/);
    expect(m.frame()).toMatch(/Incidents \(1 of 2\)/);
    await press(m, KEY.enter);
    expect(m.pageCalls.at(-1)?.filter).toEqual({ incidentId: 'inc-a', status: [503] });
  });

  it('t narrows to the incident window and back; e exports what is on screen', async () => {
    const m = await mount();
    await press(m, 'j', 't');
    expect(m.frame()).toMatch(/filter: time 10:02–10:02 UTC/);
    expect(m.frame()).toMatch(/Incidents \(2\)/); // inc-a's window overlaps inc-b's
    await press(m, 'e');
    await settle(30);
    expect(m.exports.at(-1)).toEqual({ since: Date.UTC(2024, 4, 1, 10, 2, 31), until: Date.UTC(2024, 4, 1, 10, 2, 33) });
    expect(m.frame()).toMatch(/report written: \/tmp\/faultline-report-test\.md/);
    await press(m, 't', 'j', KEY.enter, 'e');
    await settle(30);
    expect(m.exports.at(-1)).toEqual({ incidentIds: ['inc-b'] });
  });

  it('says "report unavailable" when the report cannot be written', async () => {
    const m = await mount({ exportResult: () => Promise.reject(new Error('report unavailable (no module)')) });
    await press(m, 'e');
    await settle(30);
    expect(m.frame()).toMatch(/report unavailable \(no module\)/);
  });

  it('? shows help generated from the key map; Esc closes it', async () => {
    const m = await mount();
    await press(m, '?');
    expect(m.frame()).toMatch(/^Keys on the overview screen/);
    expect(m.frame()).toMatch(/PgDn\/space\s+one page down/);
    expect(m.frame()).toMatch(/s\s+sort incidents by severity, count or time/);
    await press(m, KEY.esc);
    expect(m.frame()).toMatch(/^faultline/);
  });

  it('adapts to a narrow, short terminal', async () => {
    const m = await mount({}, { columns: 50, rows: 12 });
    const lines = frameLines(m.frame());
    expect(lines).toHaveLength(11);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(m.frame()).toMatch(/Upstream/);
    expect(m.frame()).not.toMatch(/TREND/);
  });

  it('says what it needs instead of drawing a broken screen on a tiny terminal', async () => {
    const m = await mount({}, { columns: 30, rows: 8 });
    expect(m.frame().replace(/\s+/g, ' ')).toMatch(/needs 40×10 \(now 30×8\); q quits/);
    expect(m.frame().split('\n').length).toBeLessThanOrEqual(7);
    for (const l of m.frame().split('\n')) expect(l.length).toBeLessThanOrEqual(29);
  });
});
