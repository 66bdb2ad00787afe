const { join } = require('node:path');

// ES module test files: `NODE_OPTIONS=--experimental-vm-modules jest --config jest.esm.config.js`
module.exports = {
  globalSetup: 'cassettes/jest/global-setup',
  setupFiles: ['cassettes/jest/setup'],
  testMatch: ['<rootDir>/esm/**/*.test.mjs'],
  transform: {},
  cacheDirectory: join(__dirname, '.jest-cache'),
  watchman: false,
};
