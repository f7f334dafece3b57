/**
 * (c) Cross-rejection: a line of one structured format is not accepted by another, so detection
 * (most parsed lines wins, ties by order) picks the right one. Checked on every corpus log (the
 * text-family logs must be rejected by all structured formats) and on every format's samples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../../../../test/helpers/corpus.js';
import type { FormatSample, LogFormat } from '../../format.js';
import { structuredFormats } from '../structured-formats.js';

/** Records a format makes of a whole file (CR stripped, blank lines left out, as the pipeline does). */
function runFile(format: LogFormat, path: string): { records: unknown[] } {
  const parse = format.create();
  const records: unknown[] = [];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const r = parse(line);
    if ('ok' in r && r.ok) records.push(r.record);
  }
  return { records };
}

type Sample = FormatSample & { directive?: true };

/** Which structured format owns each corpus log; files not listed belong to the text family. */
const OWNER: Record<string, string> = {
  'lnav__logfile_w3c_big.0': 'w3c',
  'lnav__logfile_w3c.3': 'w3c',
  'querycat__u_ex220826.log': 'w3c',
  'elastic-integrations__test-cloudfront.log': 'cloudfront',
  'lnav__logfile_bro_http.log.0': 'zeek-http',
  'crowdsec-hub__caddy-logs.log': 'caddy-json',
  'crowdsec-hub__traefik_base-http-scenario.log': 'traefik-json',
  'crowdsec-hub__envoy.log': 'envoy-json',
  'lnav__logfile_cloudflare.json': 'cloudflare-json',
  'crowdsec-hub__fastly-logs.log': 'fastly-json',
};

/** The registry's rule, restated: most records wins, ties go to the earlier format. */
function detect(path: string): { id: string | null; counts: Record<string, number> } {
  let best: LogFormat | null = null;
  let bestN = 0;
  const counts: Record<string, number> = {};
  for (const f of structuredFormats) {
    const n = runFile(f, path).records.length;
    counts[f.id] = n;
    if (n > bestN) { best = f; bestN = n; }
  }
  return { id: best?.id ?? null, counts };
}

const logs = readdirSync(`${CORPUS}/logs`).sort();

describe('cross-rejection on the corpus', () => {
  it('finds the corpus logs', () => {
    expect(logs.length).toBeGreaterThanOrEqual(18);
    for (const f of Object.keys(OWNER)) expect(logs).toContain(f);
  });

  for (const file of logs) {
    const owner = OWNER[file] ?? null;
    it(`${file}: ${owner ?? 'no structured format'} ${owner ? 'wins and no other specific format' : 'and no structured format'} accepts a line`, () => {
      const path = `${CORPUS}/logs/${file}`;
      const { id, counts } = detect(path);
      expect(id).toBe(owner);
      for (const f of structuredFormats) {
        if (f.id === owner) continue;
        // The generic json format may read another JSON format's lines (it is last, so it loses the tie).
        if (f.id === 'json' && owner !== null && owner.endsWith('-json')) {
          expect(counts['json']!).toBeLessThanOrEqual(counts[owner]!);
          continue;
        }
        expect(counts[f.id], `${f.id} accepted lines of ${file}`).toBe(0);
      }
    });
  }
});

describe('cross-rejection on samples', () => {
  const json = structuredFormats.filter((f) => f.id.endsWith('-json'));
  for (const owner of json) {
    it(`${owner.id} sample lines are rejected, with a reason, by the other specific JSON formats`, () => {
      for (const other of json) {
        if (other === owner) continue;
        const parse = other.create();
        for (const s of owner.samples) {
          const r = parse(s.line);
          expect('ok' in r && r.ok, `${other.id} accepted a ${owner.id} sample: ${s.line.slice(0, 80)}`).toBe(false);
          if ('ok' in r && !r.ok) expect(r.reason).toMatch(/^expected |^status field/);
        }
      }
    });
  }

  const headered = structuredFormats.filter((f) => !f.id.endsWith('json'));
  for (const owner of headered) {
    it(`${owner.id} samples (with their headers) yield no record in the other header-driven formats`, () => {
      for (const other of structuredFormats) {
        if (other === owner) continue;
        const parse = other.create();
        for (const s of owner.samples as Sample[]) {
          const r = parse(s.line);
          expect('ok' in r && r.ok, `${other.id} accepted a ${owner.id} sample`).toBe(false);
        }
      }
    });
  }

  it('JSON formats reject header-driven lines with "expected a JSON object"', () => {
    for (const f of structuredFormats.filter((x) => x.id.endsWith('json'))) {
      const parse = f.create();
      for (const owner of headered) {
        for (const s of owner.samples as Sample[]) {
          const r = parse(s.line);
          expect(r).toEqual({ ok: false, reason: 'expected a JSON object' });
        }
      }
    }
  });
});
