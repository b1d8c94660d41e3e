// The order npm run test:mutation runs test files in, while a mutant is active: the mutated module's own
// test file first, then the others fastest first (by the durations jest keeps). With the environment's
// bail (jest-environment.js), a mutant that its unit tests kill costs those tests, not the slow suites
// jest would otherwise start with.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;
const { sourcesOfMutants, testFileOf } = require('./sources');

class MutationSequencer extends Sequencer {
  sort(tests) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined || tests.length < 2) return super.sort(tests);
    const rootDir = tests[0].context.config.rootDir;
    const source = sourcesOfMutants(rootDir).get(mutant);
    const own = source ? testFileOf(rootDir, source) : undefined;
    const rank = (test) => [test.path === own ? 0 : 1, this.time(test) ?? Number.MAX_SAFE_INTEGER];
    return [...tests].sort((a, b) => {
      const [ownA, timeA] = rank(a);
      const [ownB, timeB] = rank(b);
      return ownA - ownB || timeA - timeB || (a.path < b.path ? -1 : 1);
    });
  }
}

module.exports = MutationSequencer;
