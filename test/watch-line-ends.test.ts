/**
 * `faultline watch` splits lines as ingest does (security.md B-19, src/ingest/lines.ts crEndsLines):
 * a log whose lines end with a lone CR (classic Mac) is one request per line, a CRLF is one line end even
 * when its CR and LF arrive in two polls, and a stray CR inside a line of an LF log stays data.
 * Lines are SYNTHETIC (test/hostile/support.ts combinedLine).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/corpus.js';
import { combinedLine, query, scalar } from './hostile/support.js';

const tmp = tempDir('faultline-watch-ends-');
afterAll(() => tmp.cleanup());
const line = (i: number): string => combinedLine(i, { status: i % 3 === 0 ? 503 : 200 });

function once(log: string, db: string): void {
  const r = runCli(['watch', log, '--db', db, '--once']);
  expect(r.code, r.stderr).toBe(0);
}

const paths = (db: string): string[] => query<{ path: string }>(db, 'SELECT path FROM requests_v ORDER BY unit').map((x) => x.path);
const expected = (n: number): string[] => Array.from({ length: n }, (_, i) => `/api/items/${i}`);

describe('watch: line endings', () => {
  it('a lone-CR log grows over several polls, a CRLF split between two polls included: each request once, in order', () => {
    const log = join(tmp.dir, 'mac.log');
    const db = join(tmp.dir, 'mac.db');
    writeFileSync(log, [0, 1, 2].map(line).join('\r') + '\r');
    once(log, db);
    expect(paths(db)).toEqual(expected(3));
    appendFileSync(log, `${line(3)}\r`); // the CR of a CRLF…
    once(log, db);
    appendFileSync(log, `\n${line(4)}\r${line(5)}\r`); // …and its LF in the next poll
    once(log, db);
    once(log, db); // nothing new: nothing added
    expect(paths(db)).toEqual(expected(6));
    // line numbers as ingest counts them: the split CRLF is one line end, not an extra empty line
    expect(query<{ unit: number }>(db, 'SELECT unit FROM requests ORDER BY unit').map((x) => x.unit)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(scalar(db, 'SELECT count(*) FROM skipped')).toBe(0);
    expect(scalar(db, "SELECT count(*) FROM dict WHERE instr(s, char(13)) > 0")).toBe(0);
  });

  it('an LF log with a stray CR inside a line keeps that line whole', () => {
    const log = join(tmp.dir, 'lf.log');
    const db = join(tmp.dir, 'lf.db');
    writeFileSync(log, `${line(0)}\n${line(1).replace('curl/8.5.0', 'curl\r8')}\n${line(2)}\r\n`);
    once(log, db);
    expect(paths(db)).toEqual(expected(3));
    expect(scalar(db, 'SELECT count(*) FROM skipped')).toBe(0);
  });
});
