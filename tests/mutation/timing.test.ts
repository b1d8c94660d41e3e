// eslint-disable-next-line @typescript-eslint/no-require-imports
const { summarize } = require('./timing') as { summarize: (lines: object[], report: object) => string };

describe('the summary of a mutation run\'s timing', () => {
  test('sums the runs by mutated file and by test file, slowest first, and counts the timeouts that left no line', () => {
    const report = {
      files: {
        'lib/a.ts': { mutants: [{ id: '1', status: 'Killed' }, { id: '2', status: 'Survived' }, { id: '5', status: 'Timeout' }] },
        'lib/b.ts': { mutants: [{ id: '3', status: 'Killed' }] },
      },
    };
    const lines = [
      { mutant: '1', ms: 1000, killed: true, files: [['tests/a.test.ts', 900]] },
      { mutant: '2', ms: 3000, killed: false, files: [['tests/a.test.ts', 1000], ['tests/synth.test.ts', 1900]] },
      { mutant: '3', ms: 6000, killed: true, files: [['tests/synth.test.ts', 5900]] },
      { mutant: '9', ms: 60, killed: false, files: [] },
    ];
    expect(summarize(lines, report).split('\n')).toEqual([
      '4 mutant runs, 0.2 runner-minutes (timed-out runs not included)',
      '',
      'by mutated file:',
      '      6 s      1 runs   6.00 s each  lib/b.ts',
      '      4 s      2 runs   2.00 s each  lib/a.ts  (+1 timed out)',
      '      0 s      1 runs   0.06 s each  (mutant 9, not in the report)',
      '',
      'by test file (the time of its runs):',
      '      8 s      2 runs   3.90 s each  tests/synth.test.ts',
      '      2 s      2 runs   0.95 s each  tests/a.test.ts',
    ]);
  });
});
