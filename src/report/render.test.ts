// The renderer on a hand-built, hostile ReportModel (test/report-fixture.ts, synthetic): structure
// through a real GFM renderer (micromark + GFM, raw HTML allowed), M1–M9, the markdownlint subset,
// credential masking and determinism. The pipeline-built reports are covered by test/report*.test.ts.
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { renderMarkdown } from './render.js';
import type { ReportModel } from './model.js';
import { HOSTILE, SECRETS, hostileModel } from '../../test/report-fixture.js';
import { FORBIDDEN_TAGS, codeBlocksOf, headingsOf, lintMarkdown, renderGfm, tablesOf } from '../../test/report-support.js';

const NOW = new Date(Date.UTC(2026, 3, 1, 12, 0, 0));
const render = (m: ReportModel = hostileModel()): string => renderMarkdown(m, { now: NOW });

describe('report structure', () => {
  const md = render();
  const html = renderGfm(md);

  it('has the sections in the issue order, one H1', () => {
    const hs = headingsOf(html).filter(([l]) => l <= 2).map(([l, t]) => `${l} ${t}`);
    expect(hs).toEqual([
      '1 faultline triage report', '2 Sources', '2 Summary', '2 Health scorecard', '2 Failures over time',
      '2 Incidents', '2 Early warnings', '2 Appendix',
    ]);
    const h3 = headingsOf(html).filter(([l]) => l === 3).map(([, t]) => t);
    expect(h3).toEqual([`1. ${HOSTILE.title}`, '2. Bad gateway on api.example.com', 'Unexplained failures', 'Skipped input', 'Redaction', 'How to reproduce these numbers']);
  });

  it('passes the markdownlint subset', () => {
    expect(lintMarkdown(md)).toEqual([]);
  });

  it('every table row has exactly the header column count, cells hold the data as text', () => {
    const tables = tablesOf(html);
    expect(tables.length).toBeGreaterThanOrEqual(10);
    for (const t of tables) for (const r of t.rows) expect(r.length).toBe(t.headers.length);
    const routes = tables.find((t) => t.headers.join() === 'Method,Host,Route,Failures')!;
    expect(routes.rows[0]).toEqual(['GET', 'api.example.com', HOSTILE.path, '30']);
    const sources = tables.find((t) => t.headers[0] === 'Source' && t.headers[1] === 'Format')!;
    expect(sources.rows.map((r) => r[0])).toEqual(['capture.har', 'access|log <b>.log']);
    const scorecard = tables.find((t) => t.headers.join() === 'Metric,Target,Measured,Result')!;
    expect(scorecard.rows.map((r) => r[3])).toEqual(['❌ fail', '❌ fail', '✅ pass', '❌ fail', '✅ pass', 'n/a']);
    expect(scorecard.rows[0]!.slice(0, 3)).toEqual(['p95 response time', '< 200 ms', '340 ms']);
  });

  it('no link, image or HTML comes from data (M2, M6, M7)', () => {
    expect(html).not.toMatch(FORBIDDEN_TAGS);
    expect(html).not.toContain('<b>');
    // The only inputs in the output are our task-list checkboxes.
    const inputs = html.match(/<input[^>]*>/g) ?? [];
    expect(inputs.every((i) => i === '<input type="checkbox" disabled="" />')).toBe(true);
    expect(inputs.length).toBe((md.match(/^- \[ \] /gm) ?? []).length);
    // A heading marker inside data stays text.
    expect(headingsOf(html).some(([, t]) => t === 'HEADING')).toBe(false);
  });

  it('bodies sit in one fenced block each, whose fence outruns the backticks inside (M5)', () => {
    const blocks = codeBlocksOf(html);
    const body = blocks.find((b) => b.startsWith('line one'));
    expect(body).toBe(HOSTILE.body + '\n');
    // The text after the body is a normal paragraph again.
    expect(html).toContain('<p><strong>Sample 2.</strong>');
  });

  it('control characters are visible, never raw (M1)', () => {
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(md).toContain('␛[31mred');
    expect(md).toContain('\\<U\\+202E\\>evil');
  });

  it('mermaid charts carry only labels we generated', () => {
    const charts = md.split('```mermaid\n').slice(1).map((c) => c.slice(0, c.indexOf('\n```')));
    expect(charts.length).toBe(3);
    for (const c of charts) {
      const lines = c.split('\n');
      expect(lines[0]).toBe('xychart-beta');
      expect(lines[1]).toMatch(/^ {4}title "[a-z0-9 -]+: failures per [0-9a-z. ]+ \(UTC\)"$/);
      expect(lines[2]).toMatch(/^ {4}x-axis \["[0-9:\- ]+"(?:, "[0-9:\- ]+")*\]$/);
      expect(lines[3]).toMatch(/^ {4}y-axis "failures" 0 --> \d+$/);
      expect(lines[4]).toMatch(/^ {4}bar \[\d+(?:, \d+)*\]$/);
      expect(lines.length).toBe(5);
    }
    expect(charts[0]).toContain('bar [0, 0, 10, 12, 8, 5, 3, 2, 1, 1, 0, 0]');
  });

  it('advice is a checklist of next steps', () => {
    expect(md).toContain('- [ ] Check: Decode the token');
    expect(md).toContain('- [ ] Fix: Refresh the token');
  });

  it('carries the O6 note and the redaction counts, never values', () => {
    expect(md).toContain('Values from untrusted input are escaped');
    const t = tablesOf(html).find((x) => x.headers.join() === 'Rule,Values redacted')!;
    expect(t.rows).toEqual([['R-H1', '120'], ['R-P1', '3'], ['R-Q1', '7']]);
  });

  it('says how to reproduce the numbers with sqlite3 and faultline', () => {
    const block = codeBlocksOf(html).find((b) => b.startsWith('# Requests and failed requests'))!;
    expect(block).toContain(`sqlite3 '/tmp/report test/faultline.db' "SELECT count(*), sum(failed) FROM requests"`);
    expect(block).toContain("incident_id = 'inc1aaaaaaaa'");
  });
});

describe('secrets', () => {
  it('no credential-looking value survives, in any escaping', () => {
    const md = render();
    const html = renderGfm(md);
    for (const secret of Object.values(SECRETS)) {
      expect(md).not.toContain(secret);
      expect(html).not.toContain(secret);
      expect(md).not.toContain(secret.slice(0, 12));
    }
    expect(md).toContain('[MASKED]');
    expect(md).toMatch(/also masked \d+ values? that still looked like credentials/);
  });

  it('the curl command reproduces the request without the secret', () => {
    const html = renderGfm(render());
    const curl = codeBlocksOf(html).find((b) => b.includes("curl -sS -i 'https://api.example.com/v1/users/"))!;
    expect(curl).toContain("-H 'Authorization: Bearer [MASKED]'");
    expect(curl).toContain("-H 'X-Api-Key: [REDACTED:header#0a1b2c3d4e5f]'");
    expect(curl).not.toContain(':authority');
    expect(curl).not.toContain('Content-Length');
    expect(curl).toContain('# values shown as [REDACTED…] were removed at ingest');
    const log = codeBlocksOf(html).find((b) => b.includes('"$BASE_URL"'))!;
    expect(log).toContain(`curl -sS -i "$BASE_URL"'/it'\\''s/ok'`);
  });
});

describe('determinism', () => {
  it('same model, same bytes', () => {
    expect(render()).toBe(render());
  });

  it('input order does not leak into the output (total orders everywhere)', () => {
    const a = hostileModel();
    const b = hostileModel();
    const inc = b.sections[0]!.incident;
    inc.routeCounts.reverse();
    inc.clients.reverse();
    inc.messages.reverse();
    inc.behaviours.reverse();
    inc.statuses = Object.fromEntries(Object.entries(inc.statuses).reverse());
    b.overview.warnings.reverse();
    b.overview.redaction = Object.fromEntries(Object.entries(b.overview.redaction).reverse());
    expect(render(b)).toBe(render(a));
  });

  it('only the generation line changes with the clock', () => {
    const a = renderMarkdown(hostileModel(), { now: NOW }).split('\n');
    const b = renderMarkdown(hostileModel(), { now: new Date(NOW.getTime() + 86_400_000) }).split('\n');
    const diff = a.map((l, i) => (l === b[i] ? null : i)).filter((i) => i !== null);
    expect(diff).toEqual([2]);
  });
});

describe('edge cases', () => {
  it('an empty database renders a valid, lint-clean report', () => {
    const m = hostileModel();
    m.overview = {
      ...m.overview, sources: [], window: null, requests: 0, failures: 0, errorRate: null, timeline: null, causes: [],
      incidents: [], warnings: [], unknownFailures: 0, redaction: {},
      scorecard: { p95Ms: null, errorRate: null, timeoutRate: null, authFailures: 0, validationErrors: 0, retrySuccessRate: null },
    };
    m.selected = [];
    m.sections = [];
    m.unknownSamples = [];
    const md = render(m);
    expect(lintMarkdown(md)).toEqual([]);
    expect(md).toContain('The database holds no requests');
    expect(md).toContain('No timeline: no request carried a timestamp.');
    const html = renderGfm(md);
    for (const t of tablesOf(html)) for (const r of t.rows) expect(r.length).toBe(t.headers.length);
  });

  it('filters are stated in the header and clip the timeline', () => {
    const m = hostileModel();
    m.filters = { causes: ['server-error'], since: Date.UTC(2026, 2, 14, 10, 4), until: Date.UTC(2026, 2, 14, 10, 8) };
    m.selected = m.selected.filter((i) => i.cause === 'server-error');
    m.sections = m.sections.filter((s) => s.incident.cause === 'server-error');
    const md = render(m);
    expect(md).toContain('Filtered to causes ` server-error `; failures at or after 2026\\-03\\-14T10\\:04\\:00Z');
    expect(md).toContain('bar [0, 4, 4, 0, 0]');
    expect(md).not.toContain('auth: failures per');
    expect(lintMarkdown(md)).toEqual([]);
  });

  it('a huge incident list gets full sections for the first 20 and a table for the rest', async () => {
    const { MAX_SECTIONS } = await import('./model.js');
    const m = hostileModel();
    const base = m.selected[1]!;
    m.selected = Array.from({ length: 25 }, (_, k) => ({ ...base, id: `inc${String(k).padStart(9, '0')}`, title: `Incident number ${k}` }));
    m.sections = m.selected.slice(0, MAX_SECTIONS).map((incident) => ({ incident, samples: [] }));
    const md = render(m);
    const html = renderGfm(md);
    expect(headingsOf(html).filter(([l, t]) => l === 3 && /^\d+\. Incident number/.test(t)).length).toBe(20);
    const rest = tablesOf(html).find((t) => t.headers[0] === 'Id' && t.headers.includes('Title'))!;
    expect(rest.rows.map((r) => r[5])).toEqual(['Incident number 20', 'Incident number 21', 'Incident number 22', 'Incident number 23', 'Incident number 24']);
    expect(lintMarkdown(md)).toEqual([]);
  });

  it('the closing table is capped at 100 rows and points to `faultline incidents` for the rest', () => {
    const m = hostileModel();
    const base = m.selected[1]!;
    m.selected = Array.from({ length: 150 }, (_, k) => ({ ...base, id: `inc${String(k).padStart(9, '0')}`, title: `Incident number ${k}` }));
    m.sections = m.selected.slice(0, 20).map((incident) => ({ incident, samples: [] }));
    const md = render(m);
    const rest = tablesOf(renderGfm(md)).find((t) => t.headers[0] === 'Id' && t.headers.includes('Title'))!;
    expect(rest.rows.length).toBe(100);
    expect(rest.rows.at(-1)![5]).toBe('Incident number 119');
    expect(md).toContain('…and 30 more incidents, all listed by ` faultline incidents `.');
  });
});

describe('property: no input string can add structure (M9 at report level)', () => {
  const unit = fc.constantFrom(
    'a', 'Z', '0', ' ', '  ', '\n', '\r', '\t', '`', '```', '|', '<', '>', '[', ']', '(', ')', '!', '#', '*', '_', '\\', '&', '@', ':', '/',
    '-', '+', '.', '=', '"', "'", '~', '^', '{', '}', '\u001b', '\u0007', '\u009b', '\u202e', '\u200b', '\u2028', 'é', '😀', '&#x3C;',
    '<script>', '</td>', '<img src=x>', '[x](http://e)', '![i](http://e/i.png)', 'http://e.com', 'a@b.co', '\n# H', '\n| a | b |', '\n- item', '\n---\n',
  );
  const hostile = fc.array(unit, { maxLength: 30 }).map((a) => a.join(''));

  test.prop([fc.record({ title: hostile, path: hostile, ua: hostile, msg: hostile, ev: hostile, body: hostile, err: hostile, src: hostile, warn: hostile, excerpt: hostile })], { seed: 424242, numRuns: 60 })(
    'tables keep their columns, headings stay ours, no HTML or link appears, lint stays clean',
    (h) => {
      const m = hostileModel();
      const inc = m.sections[0]!.incident;
      inc.title = h.title;
      inc.routeCounts[1]!.route = h.path;
      inc.clients[0]!.userAgent = h.ua;
      inc.messages[0]!.template = h.msg;
      inc.evidence[0]!.values = [h.ev];
      inc.advice.fix = [h.msg];
      const s = m.sections[0]!.samples[0]!;
      s.body = h.body;
      s.errorText = h.err;
      s.path = h.path;
      s.userAgent = h.ua;
      m.overview.sources[0]!.path = h.src;
      m.overview.sources[0]!.skipSamples[0]!.excerpt = h.excerpt;
      m.overview.warnings[0]!.title = h.warn;
      m.unknownSamples[0]!.errorText = h.err;
      const md = render(m);
      expect(lintMarkdown(md)).toEqual([]);
      const html = renderGfm(md);
      expect(html).not.toMatch(FORBIDDEN_TAGS);
      for (const t of tablesOf(html)) for (const r of t.rows) expect(r.length).toBe(t.headers.length);
      const heads = headingsOf(html);
      expect(heads.filter(([l]) => l <= 2).length).toBe(8);
      expect(heads.filter(([l]) => l === 3).length).toBe(6);
      expect(heads.filter(([l]) => l > 3)).toEqual([]);
      const inputs = html.match(/<input[^>]*>/g) ?? [];
      expect(inputs.length).toBe((md.match(/^- \[ \] /gm) ?? []).length);
      expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    },
  );
});
