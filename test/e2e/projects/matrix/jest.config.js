const { join } = require('node:path');

module.exports = {
  globalSetup: 'cassettes/jest/global-setup',
  setupFiles: ['cassettes/jest/setup'],
  testMatch: ['<rootDir>/jest/**/*.test.js'],
  cacheDirectory: join(__dirname, '.jest-cache'),
  watchman: false,
};
