// Which source file each mutant of a StrykerJS run is in, read from the instrumented sandbox once per
// process: the instrumenter wraps every mutant in stryMutAct_9fa48("id") and counts it with stryCov_9fa48.
'use strict';
const fs = require('fs');
const path = require('path');

let sourceOfMutant;

/** Mutant id → its source file, relative to `rootDir` with forward slashes (lib/output.ts). */
function sourcesOfMutants(rootDir) {
  if (sourceOfMutant) return sourceOfMutant;
  sourceOfMutant = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(file, 'utf8');
        for (const call of text.matchAll(/stry(?:Cov|MutAct)_9fa48\(([^)]*)\)/g)) {
          for (const id of call[1].matchAll(/"(\d+)"/g)) sourceOfMutant.set(id[1], path.relative(rootDir, file).split(path.sep).join('/'));
        }
      }
    }
  };
  for (const top of ['lib', 'config']) if (fs.existsSync(path.join(rootDir, top))) walk(path.join(rootDir, top));
  return sourceOfMutant;
}

/** The test file the project keeps for a source file: tests/lib/helm/lock.test.ts for lib/helm/lock.ts. */
function testFileOf(rootDir, source) {
  return path.join(rootDir, 'tests', source.replace(/\.ts$/, '.test.ts'));
}

/** The source file a test file tests, relative to `rootDir` (lib/helm/lock.ts for tests/lib/helm/lock.test.ts). */
function sourceOfTestFile(rootDir, testFile) {
  return path.relative(path.join(rootDir, 'tests'), testFile).split(path.sep).join('/').replace(/\.test\.ts$/, '.ts');
}

module.exports = { sourceOfTestFile, sourcesOfMutants, testFileOf };
