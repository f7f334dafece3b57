/**
 * security.md (b): bad-input cases through the real CLI and a real database. Every case asserts a
 * clear message naming the file (no stack trace), the exit code, and the accounting identity.
 * All inputs here are SYNTHETIC, built by the test.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import { corpus, tempDir } from './helpers/corpus.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const file = (name: string, content: string | Buffer): string => {
  const p = join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
};

interface Src { path: string; format: string | null; records: number; failures: number; skipped: number; status: string; error: string | null }
function ingest(paths: string[], extra: string[] = [], env: Record<string, string> = {}): CliResult & { src: Src[]; db: string } {
  const db = join(tmp.dir, `b${n++}.db`);
  const r = runCli(['ingest', ...paths, '--db', db, '--json', ...extra], { env: { ...process.env, NO_COLOR: '1', ...env } });
  const j = JSON.parse(r.stdout) as { sources: Src[] };
  return { ...r, src: j.sources, db };
}
const noStack = (s: string): void => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
const COMBINED = (i: number, status = 200): string =>
  `203.0.113.${i % 250} - - [14/Mar/2026:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i} HTTP/1.1" ${status} 512 "-" "curl/8.5.0"`;
const logOf = (count: number): string => Array.from({ length: count }, (_, i) => COMBINED(i, i % 10 === 0 ? 503 : 200)).join('\n') + '\n';
const rows = (db: string): number => {
  const c = new Database(db, { readonly: true });
  const x = c.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  c.close();
  return x;
};

describe('HAR', () => {
  it('B-1: random bytes named .har → "not a HAR: invalid JSON at byte N", 0 rows, exit 2', () => {
    const p = file('random.har', randomBytes(4096));
    const r = ingest([p]);
    expect(r.src[0]!.status).toBe('rejected');
    expect(r.src[0]!.error).toMatch(/random\.har/);
    expect(r.src[0]!.error).toMatch(/not a HAR.*byte \d+/i);
    expect(r.code).toBe(2);
    expect(rows(r.db)).toBe(0);
  });

  it('B-2: a HAR cut in the middle of its third entry keeps 2 entries and counts the tail (partial, exit 2)', () => {
    const har = JSON.parse(readFileSync(corpus('har/mitmproxy__timed_out.har'), 'utf8'));
    const [e0, e1, e2] = (har.log.entries as unknown[]).slice(0, 3).map((e) => JSON.stringify(e));
    // Cut in the middle of the third entry, as LoggerPlusPlus#138 describes.
    const text = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[${e0},${e1},${e2!.slice(0, Math.floor(e2!.length / 2))}`;
    const p = file('cut.har', text);
    const r = ingest([p]);
    const s = r.src[0]!;
    expect(s.status).toBe('partial');
    expect(s.records).toBe(2);
    expect(s.skipped).toBe(1);
    expect(s.error).toMatch(/cut\.har/);
    expect(r.code).toBe(2);
    const c = new Database(r.db, { readonly: true });
    expect(c.prepare('SELECT reason FROM skipped').pluck().all()).toEqual(['har_truncated']);
    c.close();
  });

  it('B-5: wrong shapes name the missing path; an empty entries array is 0 entries, not an error', () => {
    for (const [name, body, msg] of [
      ['noentries.har', '{"log":{}}', /log\.entries/],
      ['objentries.har', '{"log":{"entries":{}}}', /log\.entries must be an array/],
      ['toplevel.har', '{"entries":[]}', /log/],
      ['array.har', '[]', /log/],
    ] as const) {
      const r = ingest([file(name, body)]);
      expect(r.src[0]!.status, name).toBe('rejected');
      expect(r.src[0]!.error, name).toMatch(msg);
      noStack(r.stderr);
    }
    const empty = ingest([file('empty.har', '{"log":{"version":"1.2","entries":[]}}')]);
    expect(empty.src[0]!.status).toBe('ingested');
    expect(empty.src[0]!.records).toBe(0);
    expect(empty.code).toBe(0);
  });

  it('B-6: odd entries become records or counted skips entry_invalid:<path>, never a crash', () => {
    const ok = { startedDateTime: '2026-03-14T10:00:00.000Z', time: 5, request: { method: 'GET', url: 'https://a.example/x', headers: [] }, response: { status: 200, headers: [], content: { size: 0 } }, timings: {} };
    const entries = [
      ok,
      { ...ok, response: null },
      { ...ok, response: { status: 0, headers: [], content: {} } },
      { ...ok, request: { ...ok.request, headers: { Accept: '*/*' } } },
      { startedDateTime: '2026-03-14T10:00:00.000Z', response: { status: 200 } },
      { ...ok, request: { ...ok.request, httpVersion: 'HTTP/1.1\u0000\u001b[2J' } },
      42,
    ];
    const r = ingest([file('odd.har', JSON.stringify({ log: { version: '1.2', entries } }))]);
    const s = r.src[0]!;
    expect(s.records + s.skipped).toBe(entries.length);
    expect(s.records).toBeGreaterThanOrEqual(4);
    const c = new Database(r.db, { readonly: true });
    const reasons = c.prepare('SELECT reason FROM skipped').pluck().all() as string[];
    c.close();
    for (const reason of reasons) expect(reason).toMatch(/^entry_invalid:/);
  });

  it('.har.gz is read through gzip', () => {
    const gz = file('chrome.har.gz', gzipSync(readFileSync(corpus('har/mitmproxy__chrome.har'))));
    const r = ingest([gz]);
    expect(r.src[0]!.format).toBe('har');
    expect(r.src[0]!.records).toBe(3);
  });
});

describe('logs', () => {
  it('B-20: a binary file named .log → "binary file, not a log", 0 rows', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), randomBytes(2000)]);
    const r = ingest([file('image.log', png)]);
    expect(r.src[0]!.status).toBe('rejected');
    expect(r.src[0]!.error).toMatch(/image\.log.*binary/);
    expect(rows(r.db)).toBe(0);
  });

  it('B-21: syslog forced as --format combined fails fast with per-line reasons, 0 rows', () => {
    const syslog = Array.from({ length: 10 }, (_, i) => `Mar 14 10:00:0${i} host sshd[123]: Accepted publickey for deploy from 10.0.0.${i} port 22`).join('\n');
    const r = ingest([file('syslog.log', syslog)], ['--format', 'combined']);
    expect(r.src[0]!.status).toBe('rejected');
    expect(r.src[0]!.error).toMatch(/syslog\.log/);
    expect(r.src[0]!.error).toMatch(/line 1/);
    expect(r.code).toBe(2);
    expect(rows(r.db)).toBe(0);
  });

  it('a file that matches no format fails fast, naming it and listing reasons', () => {
    const r = ingest([file('notes.log', 'hello world\nthis is not a log\n')]);
    expect(r.src[0]!.status).toBe('rejected');
    expect(r.src[0]!.error).toMatch(/notes\.log.*(no known|format)/);
  });

  it('B-22: mixed lines: the detected format is parsed, the rest are counted skips with samples', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(COMBINED(i));
      if (i % 6 === 0) lines.push('{"msg":"json noise"}');
      if (i % 15 === 0) lines.push('garbage \u0001\u0002 line');
    }
    const r = ingest([file('mixed.log', lines.join('\n'))]);
    const s = r.src[0]!;
    expect(s.format).toBe('combined');
    expect(s.records).toBe(60);
    expect(s.skipped).toBe(lines.length - 60);
    expect(r.code).toBe(0);
  });

  it('B-16: invalid UTF-8 lines are stored with U+FFFD and counted', () => {
    const good = Buffer.from(logOf(20));
    const bad = Buffer.from(COMBINED(99).replace('curl/8.5.0', 'curl\u0000X') + '\n');
    bad[bad.indexOf(0)] = 0xff;
    const r = runCli(['ingest', file('utf8.log', Buffer.concat([good, bad])), '--db', join(tmp.dir, 'utf8.db')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 lines? with invalid UTF-8/);
    const c = new Database(join(tmp.dir, 'utf8.db'), { readonly: true });
    const ua = c.prepare("SELECT user_agent FROM requests_v WHERE user_agent LIKE 'curl%X'").pluck().get() as string;
    c.close();
    expect(ua).toBe('curl\uFFFDX');
  });

  it('B-27: a truncated .gz keeps the complete lines before the cut, flags the file, exit 2', () => {
    const gz = gzipSync(Buffer.from(logOf(5000)));
    const p = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const r = ingest([p]);
    const s = r.src[0]!;
    expect(s.status).toBe('partial');
    expect(s.error).toMatch(/cut\.log\.gz.*(truncated|ends early)/);
    expect(s.records).toBeGreaterThan(100);
    expect(s.records).toBeLessThan(5000);
    expect(r.code).toBe(2);
    expect(rows(r.db)).toBe(s.records);
  });

  it('B-32: a corrupt .gz names the decompressed offset; earlier lines are kept and the file is not complete', () => {
    const gz = Buffer.from(gzipSync(Buffer.from(logOf(5000))));
    gz[Math.floor(gz.length / 2)]! ^= 0xff;
    const r = ingest([file('flip.log.gz', gz)]);
    const s = r.src[0]!;
    expect(['partial', 'rejected']).toContain(s.status);
    expect(s.error).toMatch(/flip\.log\.gz/);
    expect(s.error).toMatch(/offset \d+|truncated|corrupt/);
    expect(r.code).toBe(2);
  });

  it('B-28: a gzip bomb stops at the ratio cap with a clear error; other files are unaffected', () => {
    const bomb = file('bomb.log.gz', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41), { level: 9 }));
    const okFile = file('fine.log', logOf(30));
    const r = ingest([bomb, okFile], [], { FAULTLINE_MAX_GZIP_RATIO: '100' });
    expect(r.src[0]!.status).not.toBe('ingested');
    expect(r.src[0]!.error).toMatch(/bomb\.log\.gz.*(ratio|cap)/);
    expect(r.src[1]!.status).toBe('ingested');
    expect(r.src[1]!.records).toBe(30);
  });

  it('multi-member gzip (concatenated .gz files) is read to the end', () => {
    const p = file('multi.log.gz', Buffer.concat([gzipSync(Buffer.from(logOf(10))), gzipSync(Buffer.from(logOf(7)))]));
    const r = ingest([p]);
    expect(r.src[0]!.records).toBe(17);
  });

  it('stdin as "-" is ingested and identified by its content hash', () => {
    const db = join(tmp.dir, 'stdin.db');
    const r = runCli(['ingest', '-', '--db', db, '--json'], { input: logOf(25) });
    const j = JSON.parse(r.stdout) as { sources: Src[] };
    expect(j.sources[0]!.path).toBe('-');
    expect(j.sources[0]!.records).toBe(25);
    const again = runCli(['ingest', '-', '--db', db, '--json'], { input: logOf(25) });
    expect((JSON.parse(again.stdout) as { sources: Src[] }).sources[0]!.status).toBe('unchanged');
  });

  it('a missing file is an I/O error (exit 1) that names it; the other files still ingest', () => {
    const r = ingest([join(tmp.dir, 'nope.log'), file('there.log', logOf(3))]);
    expect(r.src[0]!.status).toBe('rejected');
    expect(r.src[0]!.error).toMatch(/nope\.log: no such file/);
    expect(r.src[1]!.records).toBe(3);
    expect(r.code).toBe(1);
  });
});

describe('database faults', () => {
  it('B-35: a corrupt database gives a clear message and no stack trace', () => {
    const db = join(tmp.dir, 'corrupt.db');
    runCli(['ingest', file('c.log', logOf(2000)), '--db', db]);
    const bytes = readFileSync(db);
    for (let i = 4096 + 100; i < bytes.length; i += 4096) bytes[i] ^= 0x5a;
    bytes.write('garbage!', 16);
    writeFileSync(db, bytes);
    const r = runCli(['incidents', '--db', db]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/corrupt|not a database/i);
    noStack(r.stderr);
  });

  it('an unwritable database location is a clear I/O error (exit 1)', () => {
    const r = runCli(['ingest', file('w.log', logOf(3)), '--db', '/proc/faultline-cannot-write/x.db']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open database|--db/);
    noStack(r.stderr);
  });
});
