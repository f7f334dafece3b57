/**
 * Runs the soak tests (test/soak/**), which the root vitest.config.ts excludes from `npm test`.
 * `npm run soak` runs `vitest run test/soak` with the ROOT config, whose exclude drops these files, so
 * until the root config (or the script) changes, run them with:
 *   FAULTLINE_SOAK=1 npx vitest run -c test/soak/vitest.config.ts
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['test/soak/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Soaks run for minutes: one file at a time, no per-test timeout below an hour.
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
  },
});
