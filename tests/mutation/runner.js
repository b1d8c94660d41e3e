// The jest runner of npm run test:mutation: jest's own, except that during a mutant run it stops loading
// test files once one has killed the mutant (see bail.js). Loading a test file costs more than its tests
// here (a new context, its module graph, often cdk8s), so the files left after the kill are skipped whole.
//
// MUTATION_TIMING=/abs/file.jsonl appends one line per mutant run that ends (a run StrykerJS times out and
// kills writes none): the mutant, the run's milliseconds, whether it was killed, and each test file loaded
// with its milliseconds. `node tests/mutation/timing.js FILE reports/mutation/mutation.json` sums them up.
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
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
    const started = performance.now();
    const files = [];
    try {
      for (const test of tests) {
        if (killedAlready()) return;
        const fileStarted = performance.now();
        await super.runTests([test], watcher, options);
        files.push([path.relative(test.context.config.rootDir, test.path), Math.round(performance.now() - fileStarted)]);
      }
    } finally {
      if (process.env.MUTATION_TIMING) {
        const line = { mutant: activeMutant(), ms: Math.round(performance.now() - started), killed: killedAlready(), files };
        fs.appendFileSync(process.env.MUTATION_TIMING, `${JSON.stringify(line)}\n`);
      }
    }
  }
}

module.exports = MutationTestRunner;
