// The jest test filter of npm run test:mutation: while Stryker runs a mutant, only the test files that
// cover it (as the initial run recorded them, see jest-environment.js); otherwise every file.
'use strict';
const fs = require('fs');
const path = require('path');

let testFiles;
module.exports = async (testPaths) => {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (mutant !== undefined) {
    testFiles ??= JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '.stryker-test-files.json'), 'utf8'));
    const covering = testFiles[mutant];
    if (covering) return { filtered: testPaths.filter((p) => covering.includes(p)) };
  }
  return { filtered: testPaths };
};
