/**
 * B-40 in CI: the properties of test/hostile/properties.ts with FIXED seeds and run counts sized for
 * the suite's time budget (each ingest property run is one or two CLI processes). The long version with
 * random seeds is test/soak/properties.soak.test.ts (npm run soak). A failure prints its seed and
 * shrunk counterexample: save it under test/hostile/fixtures/ (see its README) so it stays a regression test.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus.js';
import { exercised, ingestHarProperty, ingestLinesProperty, parseLineProperty, redactEverywhereProperty } from './properties.js';

const tmp = tempDir('faultline-prop-');
afterAll(() => tmp.cleanup());

describe('B-40 properties (fixed seeds)', () => {
  it('any byte string as a log line: every format and detection give a result, never an exception', () => {
    fc.assert(parseLineProperty(), { seed: 20260314, numRuns: 400 });
  });

  it('files of such lines through the real ingest: a clear rejection, or records + skipped = lines; re-ingest adds nothing', () => {
    fc.assert(ingestLinesProperty(tmp.dir), { seed: 20260315, numRuns: 8 });
    // not vacuous: some files were detected and gave both records and counted skips
    expect(exercised.logSources).toBeGreaterThan(3);
    expect(exercised.logRecords).toBeGreaterThan(0);
    expect(exercised.logSkips).toBeGreaterThan(0);
  });

  it('HARs whose entries are any JSON value: records + skipped = entries, never a crash; re-ingest adds nothing', () => {
    fc.assert(ingestHarProperty(tmp.dir), { seed: 20260316, numRuns: 8 });
    expect(exercised.harRecords).toBeGreaterThan(0);
    expect(exercised.harSkips).toBeGreaterThan(0);
  });

  it('a secret under any R-H1/R-Q1 name, any casing, in any HAR place never reaches the database or failures --json', () => {
    fc.assert(redactEverywhereProperty(tmp.dir), { seed: 20260317, numRuns: 8 });
  });
});
