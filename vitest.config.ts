import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'parsers/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**', 'test/soak/**'],
    // Real SQLite files, real child processes and tmux: give them room, but keep the suite bounded.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    // Ink decides at import whether it runs "in CI" (then it prints only the last frame); the TUI
    // tests render frame by frame like a user's terminal, also when CI=true runs the suite.
    env: { CI: '0' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
