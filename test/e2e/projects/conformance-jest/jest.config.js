const { join } = require('node:path');

// CommonJS test files: plain `jest`
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.js'],
  cacheDirectory: join(__dirname, '.jest-cache'),
  watchman: false,
};
