// The real built binary (global setup runs `npm run build`): `report` on stdout and with -o
// (atomic replace), `check` exit codes, the --json contracts of incidents/failures/warnings/show,
// and terminal safety (T1, T7) of the plain-text views on a synthetic hostile log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, linkSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, tempDir } from './helpers/corpus.js';
import { runCli } from './helpers/cli.js';
import { lintMarkdown } from './report-support.js';

const tmp = tempDir('faultline-report-cli-');
const DB = join(tmp.dir, 'examples.db');

beforeAll(() => {
  expect(existsSync(CLI), 'dist is missing: npm run build').toBe(true);
  const r = runCli(['ingest', 'examples/spa-outage.har', 'examples/nginx-access.log', '--db', DB, '--no-progress']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

const withoutClock = (md: string): string => md.replace(/^Generated \S+/m, 'Generated <time>');

/** Runs the CLI and parses its JSON stdout; a failed run fails with its stderr. */
function cliJson<T>(args: string[]): T {
  const r = runCli(args);
  expect(r.code, `faultline ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('faultline report', () => {
  it('writes the report to stdout, lint-clean', () => {
    const r = runCli(['report', '--db', DB]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('# faultline triage report\n')).toBe(true);
    expect(lintMarkdown(r.stdout)).toEqual([]);
  });

  it('-o replaces the file atomically: a reader sees the old or the new report, never a part', async () => {
    const out = join(tmp.dir, 'triage.md');
    const old = 'old report\n'.repeat(5000);
    writeFileSync(out, old);
    const link = join(tmp.dir, 'triage-old-link.md');
    linkSync(out, link); // an in-place write would change this one too
    const inodeBefore = statSync(out).ino;
    const seen = new Set<string>();
    const child = spawn(process.execPath, [CLI, 'report', '--db', DB, '-o', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    let done = false;
    const exit = new Promise<number | null>((res) => child.on('close', (code) => { done = true; res(code); }));
    while (!done) {
      seen.add(readFileSync(out, 'utf8'));
      await new Promise((r) => setImmediate(r));
    }
    expect(await exit, stderr).toBe(0);
    const final = readFileSync(out, 'utf8');
    seen.add(final);
    for (const s of seen) expect(s === old || s === final, `a reader saw ${s.length} bytes that are neither report`).toBe(true);
    expect(final.endsWith('```\n')).toBe(true);
    expect(lintMarkdown(final)).toEqual([]);
    expect(statSync(out).ino).not.toBe(inodeBefore);
    expect(readFileSync(link, 'utf8')).toBe(old);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(stderr).toContain('report written to');
    // Same bytes as stdout, apart from the clock.
    expect(withoutClock(final)).toBe(withoutClock(runCli(['report', '--db', DB]).stdout));
  });

  it('-o into a missing directory fails with a message and leaves nothing behind', () => {
    const r = runCli(['report', '--db', DB, '-o', join(tmp.dir, 'nope', 'triage.md')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not exist');
    expect(existsSync(join(tmp.dir, 'nope'))).toBe(false);
  });

  it('a missing database is a user error with a hint, and the previous report stays', () => {
    const out = join(tmp.dir, 'keep.md');
    writeFileSync(out, 'previous\n');
    const r = runCli(['report', '--db', join(tmp.dir, 'missing.db'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no database at .*missing\.db/);
    expect(r.stderr).toContain('faultline ingest');
    expect(existsSync(join(tmp.dir, 'missing.db'))).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
  });

  it('filters: --cause, --incident (prefix), --since/--until, and bad values are user errors', () => {
    const all = cliJson<Array<{ id: string; cause: string }>>(['incidents', '--db', DB, '--json']);
    const auth = runCli(['report', '--db', DB, '--cause', 'auth']).stdout;
    const sections = auth.match(/^### \d+\. /gm) ?? [];
    expect(sections.length).toBe(all.filter((i) => i.cause === 'auth').length);
    const one = runCli(['report', '--db', DB, '--incident', all[1]!.id.slice(0, 10)]);
    expect(one.code, one.stderr).toBe(0);
    expect((one.stdout.match(/^### \d+\. /gm) ?? []).length).toBe(1);
    expect(one.stdout).toContain(all[1]!.id.replace(/-/g, '\\-'));
    const late = runCli(['report', '--db', DB, '--since', '2026-03-14T10:30:00Z']);
    expect(late.stdout).toContain('No incident matches the filters.');
    expect(runCli(['report', '--db', DB, '--since', 'yesterday']).stderr).toContain('is not an ISO 8601 time');
    expect(runCli(['report', '--db', DB, '--cause', 'nonsense']).stderr).toContain('unknown cause "nonsense"');
    expect(runCli(['report', '--db', DB, '--incident', 'inc-zzz']).stderr).toContain('no incident with id inc-zzz');
  });
});

describe('faultline check', () => {
  const check = (...args: string[]) => runCli(['check', '--db', DB, ...args]);

  it('exit 1 when a cause is present, 0 when it is not', () => {
    const bad = check('--fail-on', 'auth,server-error');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}\d+ auth failures/);
    const good = check('--fail-on', 'timeout');
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('ok    no timeout failures');
  });

  it('error rate and p95 thresholds, with the measured value printed', () => {
    const r = check('--max-error-rate', '1%');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}error rate \d+(\.\d)?% \(\d+ of \d+\), limit 1%/);
    expect(check('--max-error-rate', '99.5%').code).toBe(0);
    expect(check('--max-p95', '500ms').code).toBe(1);
    expect(check('--max-p95', '10m').code).toBe(0);
  });

  it('--json gives every check', () => {
    const r = check('--fail-on', 'timeout', '--max-error-rate', '0.5%', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { passed: boolean; checks: Array<{ check: string; passed: boolean; value: number; limit: number }> };
    expect(j.passed).toBe(false);
    expect(j.checks.map((c) => [c.check, c.passed])).toEqual([['cause:timeout', true], ['error-rate', false]]);
    expect(j.checks[1]!.limit).toBe(0.005);
  });

  it('bad thresholds are user errors that say how to write them', () => {
    for (const [args, msg] of [
      [['--max-error-rate', '1'], 'is not a percentage'],
      [['--max-error-rate', '150%'], 'is not a percentage'],
      [['--max-p95', '500'], 'is not a duration'],
      [['--max-p95', 'fast'], 'is not a duration'],
      [['--fail-on', 'auth,nope'], 'unknown cause "nope"'],
      [[], 'nothing to check'],
    ] as const) {
      const r = check(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).toContain('hint:');
    }
  });
});

describe('--json contracts', () => {
  it('incidents --json: array, most severe first, exact keys, ISO times', () => {
    const list = cliJson<Array<Record<string, unknown>>>(['incidents', '--db', DB, '--json']);
    expect(list.length).toBeGreaterThan(0);
    for (const i of list) {
      expect(Object.keys(i)).toEqual(['id', 'cause', 'subcause', 'title', 'severity', 'first_seen', 'last_seen', 'count', 'routes', 'statuses', 'sources']);
      expect(String(i['first_seen'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    }
    const sev = list.map((i) => i['severity'] as number);
    expect([...sev].sort((a, b) => b - a)).toEqual(sev);
  });

  it('failures --json: one object per failed request, line for logs and entry for HAR', () => {
    const lines = runCli(['failures', '--db', DB, '--json']).stdout.trimEnd().split('\n');
    const total = cliJson<{ failures: number }>(['check', '--db', DB, '--max-error-rate', '100%', '--json']).failures;
    expect(lines.length).toBe(total);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['source', 'line', 'entry', 'time', 'method', 'url', 'status', 'cause', 'subcause', 'rule', 'incident']);
      if (String(r['source']).endsWith('.har')) {
        expect(r['line']).toBeNull();
        expect(Number.isInteger(r['entry'])).toBe(true);
      } else {
        expect(r['entry']).toBeNull();
        expect(r['line'] as number).toBeGreaterThanOrEqual(1);
      }
    }
    // The locator in a failure line finds the same request with `show`.
    const har = rows.find((r) => r['entry'] !== null)!;
    const shown = cliJson<Record<string, unknown>>(['show', `${har['source']}#${har['entry']}`, '--db', DB, '--json']);
    expect([shown['type'], shown['url'], shown['status'], shown['incident']]).toEqual(['request', har['url'], har['status'], har['incident']]);
    const log = rows.find((r) => r['line'] !== null)!;
    const shownLog = cliJson<Record<string, unknown>>(['show', `${log['source']}:${log['line']}`, '--db', DB, '--json']);
    expect([shownLog['url'], shownLog['status']]).toEqual([log['url'], log['status']]);
    // --cause filters.
    const auth = runCli(['failures', '--db', DB, '--json', '--cause', 'auth']).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { cause: string });
    expect(auth.length).toBe(rows.filter((r) => r['cause'] === 'auth').length);
    expect(auth.every((r) => r.cause === 'auth')).toBe(true);
  });

  it('warnings --json: exact keys', () => {
    const list = cliJson<Array<Record<string, unknown>>>(['warnings', '--db', DB, '--json']);
    expect(list.length).toBeGreaterThan(0);
    for (const w of list) expect(Object.keys(w)).toEqual(['id', 'kind', 'route', 'host', 'title', 'evidence', 'first_seen', 'last_seen', 'count']);
  });

  it('show ID --json for an incident, by prefix', () => {
    const [first] = cliJson<Array<{ id: string; count: number }>>(['incidents', '--db', DB, '--json']);
    const d = cliJson<Record<string, unknown>>(['show', first!.id.slice(0, 12), '--db', DB, '--json']);
    expect([d['type'], d['id'], d['member_count']]).toEqual(['incident', first!.id, first!.count]);
  });

  it('failures | head ends quietly (EPIPE)', async () => {
    const child = spawn(`"${process.execPath}" "${CLI}" failures --db "${DB}" | head -n 2`, { shell: true, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += String(d); });
    child.stderr.on('data', (d: Buffer) => { err += String(d); });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').length).toBe(2);
    expect(err).toBe('');
  });
});

describe('terminal safety of the plain-text views (T1, T7) on a synthetic hostile log', () => {
  // SYNTHETIC: escape sequences, a C1 CSI, a bidi override, markdown and HTML in the request line
  // and the user agent; one line has a credential in the query.
  const log = join(tmp.dir, 'hostile.log');
  const hdb = join(tmp.dir, 'hostile.db');
  beforeAll(() => {
    writeFileSync(log, [
      '203.0.113.9 - - [14/Mar/2026:10:00:00 +0000] "GET /a\x1b[31m/<script>|x| HTTP/1.1" 500 12 "-" "evil\x1b]0;title\x07 agent [x](http://e) \u009b2J"',
      '203.0.113.9 - - [14/Mar/2026:10:00:01 +0000] "GET /ok HTTP/1.1" 200 12 "-" "curl/8"',
      '203.0.113.9 - - [14/Mar/2026:10:00:02 +0000] "GET /b?token=0123456789abcdef0123456789abcdef HTTP/1.1" 503 12 "-" "Mozilla \u202e evil"',
      '',
    ].join('\n'));
    expect(runCli(['ingest', log, '--db', hdb, '--no-progress']).code).toBe(0);
  });

  it('no control byte reaches stdout except newlines', () => {
    const [first] = cliJson<Array<{ id: string }>>(['incidents', '--db', hdb, '--json']);
    for (const args of [['incidents'], ['failures'], ['warnings'], ['show', first!.id], ['show', `${log}:1`], ['show', `${log}:3`], ['check', '--max-error-rate', '1%']]) {
      const r = runCli([...args, '--db', hdb]);
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(r.stdout).not.toContain('0123456789abcdef0123456789abcdef');
    }
    expect(runCli(['failures', '--db', hdb]).stdout).toContain('/a^[[31m/<script>|x|');
  });

  it('--json escapes what a terminal could act on, and parses back to the same values', () => {
    const out = runCli(['failures', '--db', hdb, '--json']).stdout;
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const first = JSON.parse(out.split('\n')[0]!) as { url: string };
    expect(first.url).toBe('/a\x1b[31m/<script>|x|');
  });

  it('the report of it is lint-clean with no raw control character', () => {
    const md = runCli(['report', '--db', hdb]).stdout;
    expect(lintMarkdown(md)).toEqual([]);
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
