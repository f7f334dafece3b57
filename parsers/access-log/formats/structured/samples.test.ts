/**
 * (a) Every structured format's samples, run generically: one parser per format, samples fed in
 * order (the W3C, CloudFront and Zeek samples carry their header directives), each data sample must
 * parse and match its expected fields; directive samples must come back as directives.
 */
import { describe, expect, it } from 'vitest';
import { structuredFormats } from '../structured-formats.js';
import type { FormatSample } from '../../format.js';
import { emptyRecord } from '../../../../src/core/types.js';

type Sample = FormatSample & { directive?: true };

describe('structured formats: samples', () => {
  it('has unique ids in the documented detection order', () => {
    expect(structuredFormats.map((f) => f.id)).toEqual([
      'cloudfront', 'w3c', 'zeek-http', 'caddy-json', 'traefik-json', 'envoy-json', 'cloudflare-json', 'fastly-json', 'nginx-json', 'json',
    ]);
  });

  for (const format of structuredFormats) {
    describe(format.id, () => {
      const samples = format.samples as Sample[];
      it('has at least two data samples', () => {
        expect(samples.filter((s) => !s.directive).length).toBeGreaterThanOrEqual(2);
      });
      it('parses every sample into the expected fields', () => {
        const parse = format.create();
        for (const [i, s] of samples.entries()) {
          const res = parse(s.line);
          if (s.directive) {
            expect(res, `sample ${i} should be a directive`).toEqual({ directive: true });
            continue;
          }
          if (!('ok' in res) || !res.ok) throw new Error(`sample ${i} of ${format.id} rejected: ${JSON.stringify(res)}`);
          expect(res.record, `sample ${i} of ${format.id}`).toMatchObject(s.expect);
          // Every key of RequestRecord is present (parsers start from emptyRecord()).
          expect(Object.keys(res.record).sort()).toEqual(Object.keys(emptyRecord()).sort());
        }
      });
    });
  }
});
