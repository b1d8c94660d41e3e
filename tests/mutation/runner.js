// The jest runner of npm run test:mutation: jest's own, except that during a mutant run it stops loading
// test files once one has killed the mutant (see bail.js). Loading a test file costs more than its tests
// here (a new context, its module graph, often cdk8s), so the files left after the kill are skipped whole.
'use strict';
const TestRunner = require('jest-runner').default;
const { activeMutant, killedAlready, noteFailure, startRun } = require('./bail');

class MutationTestRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    // A file that fails to load (the mutant breaks its module graph) reports no failing test to the
    // environment, only its error here: that, too, is a kill.
    this.on('test-file-success', ([, result]) => {
      if (result.testExecError || result.numFailingTests > 0) noteFailure();
    });
    this.on('test-file-failure', () => noteFailure());
  }

  async runTests(tests, watcher, options) {
    if (!options.serial || activeMutant() === undefined) return super.runTests(tests, watcher, options);
    startRun();
    for (const test of tests) {
      if (killedAlready()) return;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = MutationTestRunner;
