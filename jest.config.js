/** Type checking is `tsc --noEmit` in `npm test`; jest only transpiles (imports/ is 100k generated lines). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/tests/progress-reporter.js'],
};
