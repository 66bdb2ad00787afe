const { join } = require('node:path');

module.exports = {
  globalSetup: 'cassettes/jest/global-setup',
  setupFiles: ['cassettes/jest/setup'],
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // e2e only: at least two workers even on a small machine, so three files share them and one
  // worker runs two files (two module registries, one interceptor); a private cache the e2e
  // clears keeps Jest from running in band on timings of earlier runs
  maxWorkers: 2,
  cacheDirectory: join(__dirname, '.jest-cache'),
  watchman: false,
  // Jest 30 soft-deletes what test files left on their globals; `on` (its announced future
  // default) really deletes: the e2e replays under both
  testEnvironmentOptions: { globalsCleanup: process.env.E2E_GLOBALS_CLEANUP || 'soft' },
};
