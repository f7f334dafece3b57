import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'parsers/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**', 'test/soak/**'],
    // Real SQLite files, real child processes and tmux: give them room, but keep the suite bounded.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
