import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analyze.js';
import { ingestAll } from '../../ingest/index.js';
import { openStore, type Store } from '../../store/index.js';
import { runExplain } from './explain.js';

const CORPUS = resolve(fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url)));
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-explain-'));
  store = openStore(join(dir, 'e.db'));
  await ingestAll(store, [join(CORPUS, 'logs/elastic-beats__application-lb-http.log'), join(CORPUS, 'har/har-to-openapi__request-generator-all-status-and-method.har')]);
  analyze(store);
}, 120_000);
afterAll(() => { store?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('explain', () => {
  it('shows the matching rule, the conditions that held and the near misses (FILE:LINE)', () => {
    const { output, exitCode } = runExplain(store, 'elastic-beats__application-lb-http.log:2');
    expect(exitCode).toBe(0);
    expect(output).toMatch(/→ 504/);
    expect(output).toContain('Matched: upstream.target-timeout  "Load balancer target timeouts"  → upstream/target-timeout');
    expect(output).toMatch(/✓ status in \[504\]\s+\(had: 504\)/);
    expect(output).toContain('stored analysis: upstream/target-timeout by upstream.target-timeout');
    expect(output).toMatch(/Near misses[\s\S]*upstream\.origin-dns[\s\S]*✗ error text contains any of \["OriginDnsError"\]\s+\(had: target did not respond/);
    expect(output).toMatch(/Also matched, but come later \(first match wins\):\n\s+upstream\.gateway-timeout/);
  });

  it('explains a request by id and a HAR entry by FILE#ENTRY', () => {
    const some = [...store.iterateRequests({ failedOnly: true })].find((r) => r.status === 429)!;
    const byId = runExplain(store, String(some.id)).output;
    expect(byId).toContain('Matched: rate-limit.too-many-requests');
    const byEntry = runExplain(store, `har-to-openapi__request-generator-all-status-and-method.har#${some.entry}`).output;
    expect(byEntry.split('\n').slice(1)).toEqual(byId.split('\n').slice(1));
    // Near misses name the condition that did not hold.
    expect(byId).toMatch(/rate-limit\.quota-exhausted[\s\S]*✗ any of/);
  });

  it('computes cross-record context when a candidate rule needs it', () => {
    const r404 = [...store.iterateRequests({ failedOnly: true })].find((r) => r.status === 404 && !r.errorText)!;
    const out = runExplain(store, String(r404.id)).output;
    expect(out).toMatch(/context routeSucceeds is true/);
    expect(out).not.toContain('cross-record context was not computed');
  });

  it('reports an unknown request', () => {
    const r = runExplain(store, 'nope.log:99');
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/no request nope\.log:99/);
  });
});
