/**
 * B-40 soak (npm run soak; FAULTLINE_SOAK=1): the properties of test/hostile/properties.ts with random
 * seeds and many runs. FAULTLINE_SOAK_RUNS scales them (default 100,000 for the in-process property;
 * the CLI properties run 1/200 of that, each run being one or two processes). A failure prints the seed,
 * the path and the shrunk counterexample: turn it into a file under test/hostile/fixtures/ with a note in
 * its README, so CI keeps it (test/hostile/fixtures.test.ts ingests every fixture).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/corpus.js';
import { exercised, ingestHarProperty, ingestLinesProperty, parseLineProperty, redactEverywhereProperty } from '../hostile/properties.js';

const SOAK = process.env['FAULTLINE_SOAK'] === '1';
const RUNS = Number(process.env['FAULTLINE_SOAK_RUNS'] ?? 100_000);
const cliRuns = Math.max(20, Math.floor(RUNS / 200));
const tmp = tempDir('faultline-soak-');
afterAll(() => tmp.cleanup());

/** A random seed, printed first so that a crash of the runner itself can still be replayed. */
function seed(name: string): number {
  const s = Math.floor(Math.random() * 2 ** 31);
  console.log(`soak ${name}: seed ${s}`);
  return s;
}

describe.skipIf(!SOAK)('B-40 soak (random seeds)', () => {
  it(`any byte string through every format and detection (${RUNS} runs)`, () => {
    fc.assert(parseLineProperty(), { seed: seed('parseLine'), numRuns: RUNS });
  });

  it(`random log files through the real ingest (${cliRuns} runs)`, () => {
    fc.assert(ingestLinesProperty(tmp.dir, 10), { seed: seed('ingestLines'), numRuns: cliRuns });
    expect(exercised.logRecords).toBeGreaterThan(0);
  });

  it(`HARs of any JSON entries through the real ingest (${cliRuns} runs)`, () => {
    fc.assert(ingestHarProperty(tmp.dir, 8), { seed: seed('ingestHar'), numRuns: cliRuns });
  });

  it(`secrets in any place and casing never stored (${cliRuns} runs)`, () => {
    fc.assert(redactEverywhereProperty(tmp.dir), { seed: seed('redactEverywhere'), numRuns: cliRuns });
  });
});
