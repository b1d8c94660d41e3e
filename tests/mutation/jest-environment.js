// The jest environment for mutation testing (npm run test:mutation). StrykerJS credits a mutant to the
// test that was running when its code ran; code that runs outside any test counts as "static", and
// Stryker then runs the whole suite for each such mutant. Two kinds of setup run outside tests here:
// - module code, run while jest loads a test file (each file gets its own module registry), and
// - beforeAll hooks, which most suites use to synthesize once and assert many times.
// This environment credits what runs during either to every test that depends on it: module code to
// every test of the file, a beforeAll hook to every test of its describe block. Stryker then runs just
// those tests for the mutant, and they run the setup again.
'use strict';
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

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

class MutationTestEnvironment extends NodeEnvironment {
  /** Stryker's context (the `__stryker__` global), once its environment has put it there. */
  stryker() {
    const context = this.global[this.global.__strykerGlobalNamespace__ ?? '__stryker__'];
    return context && context.mutantCoverage ? context : undefined;
  }

  /** Moves coverage counted under `from` (a bag of mutant id → count) onto each of `tests`. */
  credit(context, from, tests) {
    if (!from) return;
    const perTest = context.mutantCoverage.perTest;
    for (const test of tests) {
      const to = (perTest[fullName(test)] ??= {});
      for (const [mutant, count] of Object.entries(from)) to[mutant] = (to[mutant] ?? 0) + count;
    }
  }

  async handleTestEvent(event, state) {
    const context = this.stryker();
    if (!context) return;
    const coverage = context.mutantCoverage;
    if (event.name === 'setup') {
      // Before jest loads the test file: remember the static counts, to tell this file's module code apart.
      this.staticBefore = { ...coverage.static };
    } else if (event.name === 'run_start') {
      const loaded = {};
      for (const [mutant, count] of Object.entries(coverage.static)) {
        const before = (this.staticBefore ?? {})[mutant] ?? 0;
        if (count > before) loaded[mutant] = count - before;
        if (before) coverage.static[mutant] = before; else delete coverage.static[mutant];
      }
      this.credit(context, loaded, testsUnder(state.rootDescribeBlock));
    } else if (event.name === 'hook_start' && event.hook.type === 'beforeAll') {
      context.currentTestId = SETUP;
    } else if ((event.name === 'hook_success' || event.name === 'hook_failure') && event.hook.type === 'beforeAll') {
      this.credit(context, coverage.perTest[SETUP], testsUnder(event.hook.parent));
      delete coverage.perTest[SETUP];
      context.currentTestId = undefined;
    }
  }
}

module.exports = MutationTestEnvironment;
