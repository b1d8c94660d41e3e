// A jest reporter that says which test file starts, as it starts, so a run shows progress from its first
// second (the default reporter prints a file only when it has finished).
'use strict';

class ProgressReporter {
  onRunStart(results) {
    process.stderr.write(`jest: ${results.numTotalTestSuites} test files\n`);
  }

  onTestFileStart(test) {
    process.stderr.write(`  started ${require('path').relative(test.context.config.rootDir, test.path)}\n`);
  }
}

module.exports = ProgressReporter;
