// The jest configuration npm run test:mutation gives StrykerJS: the suite's own, with the environment that
// credits setup code (module loading, beforeAll) to the tests that depend on it, and no progress reporter.
'use strict';
const path = require('path');
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: path.join(__dirname, 'jest-environment.js'),
  reporters: ['default'],
};
