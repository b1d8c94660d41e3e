import { spawnSync } from 'child_process';
import * as path from 'path';
import { childEnv, ROOT } from '../helpers';

describe('npm run bench', () => {
  const bench = (...args: string[]) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/bench.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: childEnv() });
  const USAGE = 'usage: npm run bench -- [--extra-releases N] [--no-extra] [RUNS]\n(npm run bench -- --help for more)\n';

  test.each([
    [['abc'], 'error: RUNS "abc" is not a number of runs: use e.g. npm run bench -- 5\n'],
    [['0'], 'error: RUNS "0" is not a number of runs: use e.g. npm run bench -- 5\n'],
    [['5', '6'], 'error: unexpected argument "6"\n'],
    [['--extra-releases', 'many'], 'error: --extra-releases "many" is not a number of releases: use e.g. --extra-releases 16\n'],
    [['--runs', '3'], 'error: Unknown option \'--runs\'\n'],
  ])('fails on %j with the usage and exit code 2, before timing anything', (args, message) => {
    const res = bench(...args);
    expect([res.status, res.stderr, res.stdout]).toEqual([2, `${message}${USAGE}`, '']);
  });

  test('--help prints what it times, its options and arguments, and does nothing else', () => {
    const res = bench('--help');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Times npm run synth cold \(empty caches\), warm \(nothing changed\) and after a hostname edit.*\n\nusage: npm run bench -- \[--extra-releases N\] \[--no-extra\] \[RUNS\]\n\noptions:\n  --extra-releases N .*\n  --no-extra .*\n  --help .*\n  \[RUNS\] .*\n\nenvironment:\n/);
    expect(res.stderr).toBe('');
  });
});
