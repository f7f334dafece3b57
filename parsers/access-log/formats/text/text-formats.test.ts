import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../../../../src/core/types.js';
import type { LineResult, LogFormat } from '../../format.js';
import { textFormats } from '../text-formats.js';

const CORPUS = new URL('../../../../../shared/corpus/logs/', import.meta.url);

function corpusLines(name: string): string[] {
  const text = readFileSync(fileURLToPath(new URL(name, CORPUS)), 'utf8');
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '');
}

function isRecord(r: LineResult): r is { ok: true; record: RequestRecord } {
  return 'ok' in r && r.ok;
}

/** A parser answer is a record or a rejection with a short reason; no string in it outgrows the line. */
function expectBoundedResult(r: LineResult, lineLength: number, what = ''): void {
  expect('ok' in r || 'directive' in r, what).toBe(true);
  if ('ok' in r && !r.ok) {
    expect(typeof r.reason, what).toBe('string');
    expect(r.reason.length, what).toBeGreaterThan(0);
    expect(r.reason.length, `${what}: reason length`).toBeLessThanOrEqual(1024);
  }
  if (isRecord(r)) {
    for (const [k, v] of Object.entries(r.record)) {
      if (typeof v === 'string') expect(v.length, `${what}: ${k}`).toBeLessThanOrEqual(lineLength);
    }
  }
}

function byId(id: string): LogFormat {
  const f = textFormats.find((x) => x.id === id);
  if (!f) throw new Error(`no format ${id}`);
  return f;
}

/** Parses every line with one format; returns the records and the rejected lines. */
function run(f: LogFormat, lines: string[]): { records: RequestRecord[]; rejected: string[] } {
  const p = f.create();
  const records: RequestRecord[] = [];
  const rejected: string[] = [];
  for (const l of lines) {
    const r = p(l);
    if (isRecord(r)) records.push(r.record);
    else if ('ok' in r) rejected.push(l);
  }
  return { records, rejected };
}

/** The registry's rule, re-stated: most parsed lines wins, ties go to the earlier format. */
function detect(lines: string[]): { id: string; parsed: number } {
  let best = { id: '', parsed: 0 };
  for (const f of textFormats) {
    const n = run(f, lines).records.length;
    if (n > best.parsed) best = { id: f.id, parsed: n };
  }
  return best;
}

function tally(values: Array<string | number | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

/** Status of a CLF-family line, found independently: the first word after the quoted request. */
function clfStatus(line: string): string {
  return line.split('"')[2]!.trim().split(' ')[0]!;
}

describe('text formats: declared order and ids', () => {
  test('ids are unique and in detection order', () => {
    expect(textFormats.map((f) => f.id)).toEqual([
      'aws-alb', 'aws-elb', 'haproxy', 'envoy-text', 'ingress-nginx', 'traefik-clf', 'nginx-upstream', 'nginx-main',
      'jira-access', 'lighttpd', 'vhost_combined', 'common', 'combined',
    ]);
  });
  test('every format has samples, and every sample says whether it is real or synthetic', () => {
    for (const f of textFormats) {
      expect(f.samples.length, f.id).toBeGreaterThan(0);
      for (const s of f.samples) expect(s.note, `${f.id}: ${s.line.slice(0, 40)}`).toMatch(/^(real|synthetic)/);
    }
  });
});

describe('(a) every sample parses to its expected fields', () => {
  const cases = textFormats.flatMap((f) => f.samples.map((s, i) => [`${f.id} #${i + 1}`, f, s] as const));
  test.each(cases)('%s', (_name, f, s) => {
    const r = f.create()(s.line);
    if (!isRecord(r)) throw new Error(`${f.id} rejected its own sample: ${JSON.stringify(r)}`);
    expect(r.record).toMatchObject(s.expect as Record<string, unknown>);
  });
});

describe('(c) cross-rejection: a format listed earlier rejects every later format\'s samples', () => {
  const cases = textFormats.flatMap((f, i) => textFormats.slice(0, i).map((earlier) => [`${earlier.id} rejects ${f.id}`, earlier, f] as const));
  test.each(cases)('%s', (_name, earlier, f) => {
    const p = earlier.create();
    for (const s of f.samples) {
      const r = p(s.line);
      expect(isRecord(r), `${earlier.id} accepted a ${f.id} sample: ${s.line.slice(0, 80)}`).toBe(false);
      if (!isRecord(r) && 'reason' in r) expect(r.reason).toMatch(/expected|unexpected/);
    }
  });

  test('each sample is detected as its own format (samples of one format as a file)', () => {
    for (const f of textFormats) {
      expect(detect(f.samples.map((s) => s.line)).id, f.id).toBe(f.id);
    }
  });

  test('rejection reasons name a column', () => {
    const r = byId('combined').create()('http 2019-10-11T15:01:12.376735Z app/x 1.2.3.4:5 - -1 -1 -1 504 -');
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^expected " \[" at column 39 after remote_user, found " 1\.2\.3\.4:5 -"$/) });
  });
});

describe('(b) real corpus files, counted independently', () => {
  test('combined: elastic-examples apache_logs (10000 lines)', () => {
    const lines = corpusLines('elastic-examples__apache_logs.log');
    const { records, rejected } = run(byId('combined'), lines);
    expect(rejected).toEqual([]);
    expect(records.length).toBe(lines.length);
    expect(tally(records.map((r) => r.status))).toEqual(tally(lines.map(clfStatus)));
    // Lines whose user agent lost its closing quote: an odd number of quotes.
    const cut = lines.filter((l) => (l.split('"').length - 1) % 2 === 1).length;
    expect(records.filter((r) => r.extra?.['truncated'] === true).length).toBe(cut);
    expect(cut).toBeGreaterThan(0);
    const bytes = lines.reduce((s, l) => s + (Number(l.split('"')[2]!.trim().split(' ')[1]) || 0), 0);
    expect(records.reduce((s, r) => s + (r.bytesOut ?? 0), 0)).toBe(bytes);
    expect(records.every((r) => r.ts !== null && r.method !== null && r.clientIp !== null)).toBe(true);
    expect(detect(lines.slice(0, 200)).id).toBe('combined');
  });

  test('nginx-main: lnav shop access log (1000 lines, +0330)', () => {
    const lines = corpusLines('lnav__logfile_shop_access_log.0');
    const { records, rejected } = run(byId('nginx-main'), lines);
    expect(rejected).toEqual([]);
    expect(tally(records.map((r) => r.status))).toEqual(tally(lines.map(clfStatus)));
    const xff = lines.filter((l) => !l.endsWith('"-"')).length;
    expect(records.filter((r) => r.extra?.['xForwardedFor'] !== undefined).length).toBe(xff);
    expect(detect(lines).id).toBe('nginx-main');
    // combined reads these lines too (trailing field kept), but loses the tie.
    expect(run(byId('combined'), lines).records.length).toBe(lines.length);
  });

  test('ingress-nginx: elastic-beats test log (29 lines, upstream lists)', () => {
    const lines = corpusLines('elastic-beats__nginx-ingress-controller-test.log');
    const { records, rejected } = run(byId('ingress-nginx'), lines);
    expect(rejected).toEqual([]);
    expect(records.length).toBe(29);
    expect(tally(records.map((r) => r.status))).toEqual(tally(lines.map(clfStatus)));
    // Independent: the text after the user agent, split on spaces, ends with "<upstream status…> <req_id>".
    const reqIds = lines.map((l) => l.split(' ').at(-1));
    expect(records.map((r) => r.requestId)).toEqual(reqIds);
    const multi = lines.filter((l) => l.split('"')[6]!.includes(', ')).length;
    expect(records.filter((r) => r.upstreamAddr?.includes(',')).length).toBe(multi);
    expect(records.filter((r) => r.upstreamStatus === '502, 502').length).toBe(lines.filter((l) => l.includes(' 502, 502 ')).length);
    expect(records.filter((r) => r.extra?.['lbError'] === true).length).toBe(2); // the two malformed-method 400s
    expect(detect(lines).id).toBe('ingress-nginx');
  });

  test('aws-alb: elastic-beats application-lb-http.log', () => {
    const lines = corpusLines('elastic-beats__application-lb-http.log');
    const { records, rejected } = run(byId('aws-alb'), lines);
    expect(rejected).toEqual([]);
    expect(records.length).toBe(10);
    const fields = lines.map((l) => l.split(' '));
    expect(tally(records.map((r) => r.status))).toEqual(tally(fields.map((f) => f[8]!)));
    expect(records.map((r) => r.upstreamStatus)).toEqual(fields.map((f) => f[9]));
    const lbErrors = fields.filter((f) => f[9] === '-' && Number(f[8]) >= 400).length;
    expect(records.filter((r) => r.extra?.['lbError'] === true).length).toBe(lbErrors);
    expect(records.filter((r) => r.errorText !== null).length).toBe(lbErrors);
    expect(records.every((r) => r.traceId?.startsWith('1-'))).toBe(true);
    expect(detect(lines).id).toBe('aws-alb');
  });

  test('aws-elb: elastic-beats elb-http.log', () => {
    const lines = corpusLines('elastic-beats__elb-http.log');
    const { records, rejected } = run(byId('aws-elb'), lines);
    expect(rejected).toEqual([]);
    expect(records.length).toBe(5);
    expect(tally(records.map((r) => r.status))).toEqual(tally(lines.map((l) => l.split(' ')[7]!)));
    const sums = lines.map((l) => l.split(' ').slice(4, 7).reduce((s, x) => s + Number(x), 0) * 1000);
    records.forEach((r, i) => expect(r.durationMs).toBeCloseTo(sums[i]!, 6));
    expect(detect(lines).id).toBe('aws-elb');
  });

  test('lighttpd: mtail lighttpd_access.log', () => {
    const lines = corpusLines('mtail__lighttpd_access.log');
    const { records, rejected } = run(byId('lighttpd'), lines);
    expect(rejected).toEqual([]);
    expect(records.length).toBe(19);
    const nums = lines.map((l) => l.split('"')[2]!.trim().split(' ').map(Number));
    expect(tally(records.map((r) => r.status))).toEqual(tally(nums.map((n) => n[0]!)));
    expect(records.reduce((s, r) => s + r.durationMs!, 0)).toBe(nums.reduce((s, n) => s + n[4]! * 1000, 0));
    expect(records.reduce((s, r) => s + r.bytesIn!, 0)).toBe(nums.reduce((s, n) => s + n[2]!, 0));
    expect(detect(lines).id).toBe('lighttpd');
  });

  test('jira-access: lnav regexp access log', () => {
    const lines = corpusLines('lnav__logfile_regexp_access_log.0');
    const { records } = run(byId('jira-access'), lines);
    expect(records.map((r) => r.requestId)).toEqual(lines.map((l) => l.split(' ')[2]));
    expect(detect(lines).id).toBe('jira-access');
  });

  test('envoy-text: crowdsec envoy.log (text lines only; JSON lines are the structured formats\')', () => {
    const lines = corpusLines('crowdsec-hub__envoy.log');
    const { records, rejected } = run(byId('envoy-text'), lines);
    const textLines = lines.filter((l) => l.split(' ')[3]!.startsWith('['));
    expect(records.length).toBe(textLines.length);
    expect(rejected.length).toBe(lines.length - textLines.length);
    expect(rejected.every((l) => l.split(' ')[3]!.startsWith('{'))).toBe(true);
    expect(tally(records.map((r) => r.status))).toEqual(tally(textLines.map((l) => l.split('"')[2]!.trim().split(' ')[0]!)));
    expect(detect(lines).id).toBe('envoy-text');
  });

  test('mixed Apache file: crowdsec apache2-logs (combined, vhost, common, error-log lines)', () => {
    const lines = corpusLines('crowdsec-hub__apache2-logs.log');
    const plain = lines.filter((l) => l.split(' ')[3]?.startsWith('['));
    const vhost = lines.filter((l) => l.split(' ')[4]?.startsWith('['));
    const combinedRun = run(byId('combined'), lines);
    expect(combinedRun.records.length).toBe(plain.length);
    expect(run(byId('vhost_combined'), lines).records.length).toBe(vhost.length);
    expect(run(byId('common'), lines).records.length).toBe(plain.filter((l) => !l.endsWith('"')).length);
    // The Apache error-log lines are rejected by every text format.
    const errorLines = lines.filter((l) => l.startsWith('[') && !l.includes('"'));
    expect(errorLines.length).toBe(2);
    for (const f of textFormats) for (const l of errorLines) expect(isRecord(f.create()(l)), f.id).toBe(false);
    expect(detect(lines).id).toBe('combined');
  });

  test('structured-format files (JSON, W3C, CloudFront, Zeek) are rejected line by line by every text format', () => {
    const files = [
      'crowdsec-hub__caddy-logs.log', 'crowdsec-hub__traefik_base-http-scenario.log', 'crowdsec-hub__fastly-logs.log',
      'lnav__logfile_cloudflare.json', 'lnav__logfile_w3c_big.0', 'lnav__logfile_w3c.3', 'querycat__u_ex220826.log',
      'elastic-integrations__test-cloudfront.log', 'lnav__logfile_bro_http.log.0',
    ];
    for (const file of files) {
      const lines = corpusLines(file);
      for (const f of textFormats) expect(run(f, lines).records.length, `${f.id} on ${file}`).toBe(0);
    }
  });
});

describe('(e) hostile lines parse or reject quickly (security.md B-24, B-40)', () => {
  const hostile = [
    '"'.repeat(10_000),
    '['.repeat(10_000),
    '\\'.repeat(10_000),
    ' '.repeat(10_000),
    '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "' + 'GET / '.repeat(2_000),
    '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "' + '\\"'.repeat(5_000),
    '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" ' + 'rt=, '.repeat(2_000),
    '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" 1 1 [' + '] ['.repeat(3_000),
    '1.2.3.4:5 [01/Jan/2024:00:00:00.000] fe be/s 0/0/0/0/0 200 1 - - ---- 1/1/1/1/0 0/0 ' + '{'.repeat(10_000),
    'http 2019-10-11T15:01:12.376735Z app/x 1.2.3.4:5 - -1 -1 -1 504 - 1 1 "' + '" "'.repeat(3_000),
    '[2024-01-01T00:00:00.000Z] "' + '- '.repeat(5_000),
    '2024-01-01T00:00:00.000000001Z stdout F ' + 'x '.repeat(5_000),
    'Mar  1 12:00:00 host haproxy[1]: ' + ': '.repeat(5_000),
  ];
  const cases = textFormats.flatMap((f) => hostile.map((h, i) => [`${f.id} / hostile #${i}`, f, h] as const));
  // No timing here (speed is measured in bench/hostile-lines.mjs): the call returns, the answer is
  // a record or a rejection with a short reason, the same on a second call, and no field is longer
  // than the line it came from.
  test.each(cases)('%s', (_n, f, line) => {
    const p = f.create();
    const first = p(line);
    expectBoundedResult(first, line.length);
    expect(p(line)).toEqual(first);
  });

  test('any string is a record or a rejection with a reason, never a throw', () => {
    const parsers = textFormats.map((f) => f.create());
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const p of parsers) {
          const r = p(s);
          if ('ok' in r && !r.ok) expect(typeof r.reason).toBe('string');
        }
      }),
      { numRuns: 300, seed: 20261123 },
    );
    // Mutations of real samples reach deeper into the parsers than random strings.
    const samples = textFormats.flatMap((f) => f.samples.map((s) => s.line));
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 5 }), (line, at, ins) => {
        const k = at % (line.length + 1);
        const mutated = line.slice(0, k) + ins + line.slice(k + 1);
        for (const p of parsers) p(mutated);
      }),
      { numRuns: 500, seed: 20261123 },
    );
  });
});

describe('over-long lines (B-18)', () => {
  // Speed is measured in bench/ (npm run bench, bench/hostile-lines.mjs), never in timed tests.
  test('1 MB lines give a record or a rejection with a reason in every format', () => {
    const MB = 1 << 20;
    const head = '1.1.1.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "';
    const lines = [
      'a'.repeat(MB), '"'.repeat(MB), 'x '.repeat(MB / 2), ' '.repeat(MB), '['.repeat(MB),
      head + 'x'.repeat(MB), head + '" '.repeat(MB / 2), head + '-" ' + 'rt=1 '.repeat(MB / 5),
    ];
    for (const f of textFormats) {
      const p = f.create();
      for (const line of lines) expectBoundedResult(p(line), line.length, f.id);
    }
  });
});
