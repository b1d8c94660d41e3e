// The jest configuration npm run test:mutation gives StrykerJS: the suite's own, with the environment that
// credits setup code (module loading, beforeAll) to the tests that depend on it, no progress reporter, and
// only the tests of modules: the end-to-end suites (a whole synth, a command run as a child process) cover
// nearly every line, so each mutant would run them all; the engine's behaviour is pinned by its own tests.
'use strict';
const path = require('path');
const base = require('../../jest.config.js');

/** Suites that synthesize the whole platform or run the commands as child processes. */
const END_TO_END = [
  '<rootDir>/tests/platform.test.ts', '<rootDir>/tests/profiles.test.ts', '<rootDir>/tests/bad-input.test.ts',
  '<rootDir>/tests/real-charts.test.ts', '<rootDir>/tests/extra-component.test.ts', '<rootDir>/tests/launcher.test.ts',
  '<rootDir>/tests/gitops.test.ts', '<rootDir>/tests/scripts/',
];

module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: path.join(__dirname, 'jest-environment.js'),
  filter: path.join(__dirname, 'filter.js'),
  testSequencer: path.join(__dirname, 'sequencer.js'),
  runner: path.join(__dirname, 'runner.js'),
  // tests/mutation/ tests this harness, not the engine.
  testPathIgnorePatterns: ['/node_modules/', ...END_TO_END, '<rootDir>/tests/mutation/'],
  reporters: ['default'],
  // A mutant that stops a run from ever settling (a promise never resolved, a handler never called) fails
  // its test here, in the same runner, instead of waiting for StrykerJS's timeout (the covering tests' time
  // times 1.5, plus 10 s) and a runner restart. The slowest unit test takes 4 s on an idle machine.
  testTimeout: 15000,
  // MUTATION_TESTS=tests/lib/diff.test.ts[,…] narrows a run to those test files, for a quick loop on one
  // file's survivors (its figures then count only the kills of those files, so they are a lower bound).
  ...(process.env.MUTATION_TESTS ? { testMatch: process.env.MUTATION_TESTS.split(',').map((f) => path.resolve(__dirname, '..', '..', f)) } : {}),
};
