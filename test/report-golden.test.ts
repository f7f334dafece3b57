// Golden reports for the project's examples and real corpus files, built with the real pipeline
// (ingest with real parsers and redaction, rules engine, scorecard) and compared byte for byte with
// test/golden/*.md after normalising the generation time, the database path and the version.
// UPDATE_GOLDEN=1 rewrites the expected files (review the diff before committing them).
// Every report is also checked structurally: markdownlint subset, GFM tables, no HTML or link
// from data, no credential, byte-identical across two independently built databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/core/version.js';
import { buildReportModel, renderReport } from '../src/report/index.js';
import type { Store } from '../src/store/index.js';
import { ROOT, corpus, tempDir } from './helpers/corpus.js';
import { FORBIDDEN_TAGS, buildDb, codeBlocksOf, headingsOf, lintMarkdown, renderGfm, tablesOf } from './report-support.js';

const GOLDEN = join(ROOT, 'test', 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const NOW = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

const CASES: Array<{ name: string; inputs: () => string[] }> = [
  { name: 'examples', inputs: () => [join(ROOT, 'examples', 'spa-outage.har'), join(ROOT, 'examples', 'nginx-access.log')] },
  { name: 'pagexray-304-har', inputs: () => [corpus('har/pagexray__responseCodes_304.har')] },
  { name: 'aws-alb-log', inputs: () => [corpus('logs/elastic-beats__application-lb-http.log')] },
  { name: 'nginx-ingress-log', inputs: () => [corpus('logs/elastic-beats__nginx-ingress-controller-test.log')] },
  { name: 'har-all-statuses', inputs: () => [corpus('har/har-to-openapi__request-generator-all-status-and-method.har')] },
];

/** The parts of a report that legitimately differ between runs, replaced by placeholders. */
export function normalise(md: string, dbPath: string): string {
  const lines = md.split('\n');
  expect(lines[2]).toMatch(/^Generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by faultline /);
  lines[2] = lines[2]!.replace(/^Generated \S+/, 'Generated <time>');
  return lines.join('\n').split(dbPath).join('<db>').split(`faultline ${VERSION.replace(/\./g, '\\.')} from`).join('faultline <version> from');
}

describe.each(CASES)('report golden: $name', ({ name, inputs }) => {
  const tmp = tempDir('faultline-golden-');
  let store: Store;
  let md: string;

  beforeAll(async () => {
    expect(process.cwd(), 'run the tests from the repository root: source paths in the report are relative to it').toBe(ROOT);
    store = await buildDb(join(tmp.dir, 'faultline.db'), inputs());
    md = renderReport(store, { now: NOW });
  });
  afterAll(() => {
    store?.close();
    tmp.cleanup();
  });

  it('matches the checked-in report', () => {
    const file = join(GOLDEN, `${name}.md`);
    const got = normalise(md, store.path);
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) throw new Error(`${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/report-golden.test.ts and review it`);
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, got);
    }
    expect(got).toBe(readFileSync(file, 'utf8'));
  });

  it('is byte-identical when built again into a fresh database', async () => {
    const other = tempDir('faultline-golden-b-');
    const again = await buildDb(join(other.dir, 'faultline.db'), inputs());
    try {
      expect(normalise(renderReport(again, { now: NOW }), again.path)).toBe(normalise(md, store.path));
      // And rendering the same database twice changes nothing but the clock.
      expect(renderReport(store, { now: NOW })).toBe(md);
    } finally {
      again.close();
      other.cleanup();
    }
  });

  it('passes the markdownlint subset', () => {
    expect(lintMarkdown(md)).toEqual([]);
  });

  it('renders through micromark + GFM with the expected structure and nothing from data as HTML', () => {
    const html = renderGfm(md);
    expect(html).not.toMatch(FORBIDDEN_TAGS);
    const h2 = headingsOf(html).filter(([l]) => l <= 2).map(([, t]) => t);
    expect(h2).toEqual(['faultline triage report', 'Sources', 'Summary', 'Health scorecard', 'Failures over time', 'Incidents', 'Early warnings', 'Appendix']);
    const tables = tablesOf(html);
    for (const t of tables) for (const r of t.rows) expect(r.length, t.headers.join('|')).toBe(t.headers.length);
    const sources = tables.find((t) => t.headers[0] === 'Source' && t.headers[1] === 'Format')!;
    expect(sources.rows.length).toBe(inputs().length);
    expect(tables.find((t) => t.headers.join() === 'Metric,Target,Measured,Result')!.rows.length).toBe(6);
    // One section per incident in the store (up to 20), in the store's order.
    const sections = headingsOf(html).filter(([l, t]) => l === 3 && /^\d+\. /.test(t));
    const incidents = store.views.incidents();
    expect(sections.length).toBe(Math.min(20, incidents.length));
    sections.forEach(([, t], k) => expect(t).toBe(`${k + 1}. ${incidents[k]!.title.replace(/@/g, '\uFF20')}`));
    // Each incident section has a checklist of next steps.
    expect((md.match(/^- \[ \] Inspect every member with /gm) ?? []).length).toBe(sections.length);
  });

  it('holds no credential and no raw control character', () => {
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(md).not.toMatch(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}/);
    expect(md).not.toMatch(/\bBearer [A-Za-z0-9._~+/-]{12,}/i);
    for (const block of codeBlocksOf(renderGfm(md))) expect(block).not.toMatch(/(?:token|key|secret|password)=[A-Za-z0-9+/_-]{16,}/i);
    expect(md).toContain('Values from untrusted input are escaped');
  });

  it('the timeline counts every incident member under its cause', () => {
    // Every record in these inputs has a timestamp, so each incident's sparkline (failures per
    // timeline bucket) must add up to its count; the per-cause charts are sums of them.
    const model = buildReportModel(store, {});
    const off = model.selected
      .map((i) => ({ id: i.id, count: i.count, charted: i.sparkline.reduce((a, b) => a + b, 0) }))
      .filter((x) => x.charted !== x.count);
    expect(off).toEqual([]);
  });

  it('its numbers agree with the database', () => {
    const { total, failed } = store.requests.count();
    const html = renderGfm(md);
    const sources = tablesOf(html).find((t) => t.headers[0] === 'Source' && t.headers[1] === 'Format')!;
    const records = sources.rows.reduce((a, r) => a + Number(r[5]!.replace(/,/g, '')), 0);
    const failures = sources.rows.reduce((a, r) => a + Number(r[6]!.replace(/,/g, '')), 0);
    expect(records).toBe(total);
    expect(failures).toBe(failed);
    if (total > 0) expect(md).toContain(`faultline read ${total.toLocaleString('en-US')} request`);
  });
});
