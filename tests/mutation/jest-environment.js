// The jest environment for mutation testing (npm run test:mutation). StrykerJS credits a mutant to the
// test that was running when its code ran; code that runs outside any test counts as "static", and
// Stryker then runs the whole suite for each such mutant. Two kinds of setup run outside tests here:
// - a beforeAll hook, which most suites use to synthesize once and assert many times: it is credited to
//   every test of its describe block, so Stryker runs them (and the hook) for the mutant;
// - module code and describe bodies, run while jest loads a test file: a module's own code (constants,
//   tables, what it computes as it loads) is credited to the tests of its own test file, as the project
//   keeps one (tests/lib/helm/lock.test.ts for lib/helm/lock.ts); what other files load on the way is
//   theirs to pin, not every suite's, so it is credited to none.
'use strict';
const fs = require('fs');
const path = require('path');
const NodeEnvironment = require('jest-environment-node').TestEnvironment;
const { sourceOfTestFile, sourcesOfMutants } = require('./sources');
const { killedAlready, noteFailure } = require('./bail');

/** `describe` names joined, then the test's: the id Stryker's environment gives a test. */
function fullName(test) {
  const names = [test.name];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(' ').trim();
}

/** Every test under a describe block, nested blocks included. */
function testsUnder(block) {
  return block.children.flatMap((child) => (child.type === 'test' ? [child] : testsUnder(child)));
}

const SETUP = '__setup__';

/**
 * Where the initial run leaves, for each mutant, the test files that cover it (tests/mutation/filter.js
 * reads it): Stryker names a mutant's tests by name only, so without it jest would load every test file
 * whose module graph reaches the mutated file (nearly all of them, through lib/index.ts) to find them.
 */
const TEST_FILES_OF_MUTANTS = '.stryker-test-files.json';

/** Adds this file as a test file of every mutant its tests cover; the initial run only. */
function recordTestFiles(rootDir, testPath, perTest, tests) {
  const file = path.join(rootDir, TEST_FILES_OF_MUTANTS);
  let map = {};
  try {
    map = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch { /* the first file of the run */ }
  for (const test of tests) {
    for (const mutant of Object.keys(perTest[fullName(test)] ?? {})) {
      const files = (map[mutant] ??= []);
      if (!files.includes(testPath)) files.push(testPath);
    }
  }
  fs.writeFileSync(file, JSON.stringify(map));
}

class MutationTestEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    this.testPath = context.testPath;
    this.ownSource = sourceOfTestFile(this.rootDir, context.testPath);
  }

  /** Stryker's context (the `__stryker__` global), once its environment has put it there. */
  stryker() {
    const context = this.global[this.global.__strykerGlobalNamespace__ ?? '__stryker__'];
    return context && context.mutantCoverage ? context : undefined;
  }

  /** Adds the counts of `from` (mutant id → count) to each of `tests`. */
  credit(context, from, tests) {
    const perTest = context.mutantCoverage.perTest;
    for (const test of tests) {
      const to = (perTest[fullName(test)] ??= {});
      for (const [mutant, count] of Object.entries(from)) to[mutant] = (to[mutant] ?? 0) + count;
    }
  }

  /** What ran while the file loaded: the module's own code goes to the file's tests, the rest to none. */
  creditLoading(context, tests) {
    const coverage = context.mutantCoverage;
    const own = {};
    const sources = sourcesOfMutants(this.rootDir);
    for (const [mutant, count] of Object.entries(coverage.static)) {
      const before = (this.staticBefore ?? {})[mutant] ?? 0;
      if (count > before && sources.get(mutant) === this.ownSource) own[mutant] = count - before;
      if (before) coverage.static[mutant] = before; else delete coverage.static[mutant];
    }
    this.credit(context, own, tests);
  }

  async handleTestEvent(event, state) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') noteFailure();
    if (event.name === 'run_describe_start' || event.name === 'test_start') {
      // A test whose beforeAll failed carries that error: left to run, jest fails it with the error (skipped,
      // every test of the block would pass for "skipped", and the mutant would survive).
      const failedSetup = event.test !== undefined && event.test.errors.length > 0;
      if (killedAlready() && !failedSetup) (event.describeBlock ?? event.test).mode = 'skip';
    }
    const context = this.stryker();
    if (!context) return;
    if (event.name === 'test_skip' || event.name === 'test_todo') {
      // Stryker's environment names the running test at test_start and forgets it at test_done, which a
      // skipped test never reaches: the next file's module code would be credited to the skipped test.
      context.currentTestId = undefined;
    } else if (event.name === 'setup') {
      context.currentTestId = undefined;
      // Before jest loads the test file: remember the static counts, to tell this file's loading apart.
      this.staticBefore = { ...context.mutantCoverage.static };
    } else if (event.name === 'run_start') {
      this.creditLoading(context, testsUnder(state.rootDescribeBlock));
    } else if (event.name === 'run_finish' && !process.env.__STRYKER_ACTIVE_MUTANT__) {
      recordTestFiles(this.rootDir, this.testPath, context.mutantCoverage.perTest, testsUnder(state.rootDescribeBlock));
    } else if (event.name === 'hook_start' && event.hook.type === 'beforeAll') {
      context.currentTestId = SETUP;
    } else if ((event.name === 'hook_success' || event.name === 'hook_failure') && event.hook.type === 'beforeAll') {
      const setup = context.mutantCoverage.perTest[SETUP];
      if (setup) this.credit(context, setup, testsUnder(event.hook.parent));
      delete context.mutantCoverage.perTest[SETUP];
      context.currentTestId = undefined;
    }
  }
}

module.exports = MutationTestEnvironment;
