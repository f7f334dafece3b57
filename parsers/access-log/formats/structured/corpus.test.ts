/**
 * (b) Each corpus file of the structured family, fully parsed by its format. The expected counts
 * and status tallies are computed here independently of the parsers (split by tab/space, JSON.parse
 * the object, read the status column named in the header), then compared with what the format made.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../../src/core/types.js';
import { corpus } from '../../../../test/helpers/corpus.js';
import type { LogFormat } from '../../format.js';
import { structuredFormats } from '../structured-formats.js';

interface FileRun {
  records: RequestRecord[];
  skips: { line: number; reason: string }[];
  directives: number;
}

/** Every line of a file through one parser, as the ingest pipeline feeds it (CR stripped, blanks left out). */
function runFile(format: LogFormat, path: string): FileRun {
  const parse = format.create();
  const out: FileRun = { records: [], skips: [], directives: 0 };
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.trim() === '') continue;
    const r = parse(line);
    if ('directive' in r) out.directives++;
    else if (r.ok) out.records.push(r.record);
    else out.skips.push({ line: i + 1, reason: r.reason });
  }
  return out;
}

function fmt(id: string): LogFormat {
  const f = structuredFormats.find((x) => x.id === id);
  if (!f) throw new Error(`no format ${id}`);
  return f;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function tally(statuses: Iterable<number | null>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const s of statuses) t[String(s)] = (t[String(s)] ?? 0) + 1;
  return t;
}

/** Values of a W3C data line: quoted values (with "" escapes) or runs of non-spaces. */
function w3cValues(line: string): string[] {
  return [...line.matchAll(/"(?:[^"]|"")*"|[^ ]+/g)].map((m) => m[0]);
}

/** Independent W3C count: data lines, and the sc-status column read through the latest #Fields. */
function w3cExpectation(path: string): { units: number; statuses: Record<string, number> } {
  let statusCol = -1;
  let units = 0;
  const statuses: number[] = [];
  for (const l of lines(path)) {
    if (l.startsWith('#Fields:')) {
      statusCol = l.slice(8).trim().split(/ +/).indexOf('sc-status');
      continue;
    }
    if (l.trim() === '' || l.startsWith('#')) continue;
    units++;
    statuses.push(Number(w3cValues(l)[statusCol]));
  }
  return { units, statuses: tally(statuses) };
}

describe('corpus: w3c', () => {
  for (const file of ['lnav__logfile_w3c_big.0', 'lnav__logfile_w3c.3', 'querycat__u_ex220826.log']) {
    it(`${file}: every data line is a record with the independently read status`, () => {
      const path = corpus(`logs/${file}`);
      const want = w3cExpectation(path);
      const run = runFile(fmt('w3c'), path);
      expect(run.skips).toEqual([]);
      expect(run.records.length).toBe(want.units);
      expect(tally(run.records.map((r) => r.status))).toEqual(want.statuses);
      for (const r of run.records) {
        expect(r.ts).toBeTypeOf('number');
        expect(r.method).toMatch(/^[A-Z]+$/);
        expect(r.path).toMatch(/^\//);
        expect(r.durationMs).toBeTypeOf('number');
        // `+` was a space; only the literal `+` of `; +http://…` (logged `;++http`) survives
        expect(r.userAgent ?? '').not.toMatch(/(^|[^ ])\+/);
      }
    });
  }

  it('querycat: the e-mail user name is kept in extra only, never in a top-level field', () => {
    const run = runFile(fmt('w3c'), corpus('logs/querycat__u_ex220826.log'));
    for (const r of run.records) {
      expect(String(r.extra?.['user'])).toContain('@');
      const { extra: _extra, ...top } = r;
      expect(JSON.stringify(top)).not.toContain('@example');
    }
  });
});

describe('corpus: cloudfront', () => {
  it('elastic-integrations__test-cloudfront.log: full lines are records, the short line is rejected with a reason', () => {
    const path = corpus('logs/elastic-integrations__test-cloudfront.log');
    let columns = 0;
    const full: string[][] = [];
    let short = 0;
    for (const l of lines(path)) {
      if (l.startsWith('#Fields:')) columns = l.slice(8).trim().split(' ').length;
      else if (l.trim() !== '' && !l.startsWith('#')) {
        const v = l.split('\t');
        if (v.length === columns) full.push(v);
        else short++;
      }
    }
    expect(columns).toBe(33);
    expect(short).toBe(1);
    const run = runFile(fmt('cloudfront'), path);
    expect(run.records.length).toBe(full.length);
    expect(run.skips.length).toBe(short);
    expect(run.skips[0]!.reason).toMatch(/^expected 33 tab-separated fields \(per #Fields\), got 31$/);
    expect(tally(run.records.map((r) => r.status))).toEqual(tally(full.map((v) => Number(v[8]))));
    // every 502 is an OriginDnsError the edge generated
    const errors = run.records.filter((r) => r.status === 502);
    expect(errors.length).toBe(full.filter((v) => v[28] === 'OriginDnsError').length);
    for (const r of errors) expect(r).toMatchObject({ errorText: 'OriginDnsError', extra: { lbError: true } });
    for (const r of run.records.filter((r) => r.status !== 502)) expect(r.extra?.['lbError']).toBeUndefined();
    // time-taken is seconds
    expect(run.records.map((r) => r.durationMs)).toEqual(full.map((v) => Math.round(Number(v[18]) * 1000)));
  });
});

describe('corpus: zeek-http', () => {
  it('lnav__logfile_bro_http.log.0: every transaction, statuses from the status_code column', () => {
    const path = corpus('logs/lnav__logfile_bro_http.log.0');
    let col = -1;
    const statuses: number[] = [];
    for (const l of lines(path)) {
      if (l.startsWith('#fields\t')) col = l.split('\t').indexOf('status_code') - 1;
      else if (l.trim() !== '' && !l.startsWith('#')) statuses.push(Number(l.split('\t')[col]));
    }
    const run = runFile(fmt('zeek-http'), path);
    expect(run.skips).toEqual([]);
    expect(run.records.length).toBe(statuses.length);
    expect(tally(run.records.map((r) => r.status))).toEqual(tally(statuses));
    for (const r of run.records) {
      expect(r.ts).toBeGreaterThan(Date.UTC(2011, 0, 1));
      expect(r.host).toBeTruthy();
      expect(r.clientIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });
});

/** Independent JSON count: objects found after an optional prefix, filtered by `keep`, status read by `status`. */
function jsonExpectation(path: string, keep: (o: Record<string, unknown>) => boolean, status: (o: Record<string, unknown>) => number) {
  let units = 0;
  const accepted: number[] = [];
  for (const l of lines(path)) {
    if (l.trim() === '') continue;
    units++;
    const brace = l.indexOf('{');
    if (brace < 0) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l.slice(brace)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (keep(o)) accepted.push(status(o));
  }
  return { units, accepted };
}

const JSON_FILES: Array<{ file: string; id: string; keep: (o: Record<string, unknown>) => boolean; status: (o: Record<string, unknown>) => number; rejectReason?: RegExp }> = [
  {
    file: 'crowdsec-hub__caddy-logs.log', id: 'caddy-json',
    keep: (o) => String(o['logger']).startsWith('http.log.access'), status: (o) => o['status'] as number,
    rejectReason: /^expected a Caddy access entry/,
  },
  { file: 'crowdsec-hub__traefik_base-http-scenario.log', id: 'traefik-json', keep: () => true, status: (o) => o['DownstreamStatus'] as number },
  {
    file: 'crowdsec-hub__envoy.log', id: 'envoy-json', keep: () => true, status: (o) => o['response_code'] as number,
    rejectReason: /^expected a JSON object$/,
  },
  { file: 'lnav__logfile_cloudflare.json', id: 'cloudflare-json', keep: () => true, status: (o) => o['EdgeResponseStatus'] as number },
  { file: 'crowdsec-hub__fastly-logs.log', id: 'fastly-json', keep: () => true, status: (o) => o['response_status'] as number },
];

describe('corpus: JSON lines', () => {
  for (const f of JSON_FILES) {
    it(`${f.file}: ${f.id} takes every access object and rejects the rest with a reason`, () => {
      const path = corpus(`logs/${f.file}`);
      const want = jsonExpectation(path, f.keep, f.status);
      const run = runFile(fmt(f.id), path);
      expect(run.records.length).toBe(want.accepted.length);
      expect(run.records.length + run.skips.length).toBe(want.units);
      expect(tally(run.records.map((r) => r.status))).toEqual(tally(want.accepted));
      for (const s of run.skips) expect(s.reason).toMatch(f.rejectReason ?? /^$/);
      for (const r of run.records) {
        expect(r.ts).toBeTypeOf('number');
        expect(r.path).toMatch(/^\//);
        expect(r.method).toMatch(/^[A-Z]+$/);
      }
    });
  }

  it('traefik: status is DownstreamStatus, OriginStatus is kept as upstreamStatus', () => {
    const run = runFile(fmt('traefik-json'), corpus('logs/crowdsec-hub__traefik_base-http-scenario.log'));
    for (const r of run.records) {
      expect(r.status === 404 || r.status === 400).toBe(true);
      expect(r.upstreamStatus).toBe('200');
      expect(r.extra).toMatchObject({ originStatus: 200, statusRewritten: true });
      expect(r.durationMs).toBeGreaterThan(0);
      expect(r.durationMs).toBeLessThan(10); // ns → ms: these are sub-millisecond
    }
  });

  it('caddy: status 0 stays 0 (no handler wrote a status) and headers keep their names', () => {
    const run = runFile(fmt('caddy-json'), corpus('logs/crowdsec-hub__caddy-logs.log'));
    const zero = run.records.filter((r) => r.status === 0);
    expect(zero.length).toBe(7);
    for (const r of zero) expect(r.extra?.['noStatus']).toBe(true);
    for (const r of run.records) expect(r.reqHeaders?.some(([n]) => n === 'User-Agent')).toBe(true);
  });
});
