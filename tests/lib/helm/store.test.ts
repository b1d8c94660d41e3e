import * as fs from 'fs';
import * as path from 'path';
import { ChartStore, LockedChart } from '../../../lib';
import { sha256File } from '../../../lib/helm/store';
import { tmpDir } from '../../helpers';

const chart = (sha256?: string): LockedChart => ({ key: 'demo', repo: 'https://charts.example.com', chart: 'demo', version: '1.2.3', sha256 });

describe('ChartStore', () => {
  let store: ChartStore;
  let file: string;
  beforeEach(() => {
    store = new ChartStore(tmpDir());
    file = path.join(store.dir, 'demo-1.2.3.tgz');
  });

  test('archives keep helm\'s own file names', () => {
    expect(store.pathOf(chart())).toBe(file);
  });

  test('an archive matching the lock passes without a warning', () => {
    fs.writeFileSync(file, 'archive');
    expect(store.check(chart(sha256File(file)))).toEqual({ file, sha256: sha256File(file) });
  });

  test('an archive the lock has no digest for passes with a warning that names it', () => {
    fs.writeFileSync(file, 'archive');
    const result = store.check(chart());
    expect(result.warning).toContain(`the lock records no digest for ${file}`);
    expect(result.warning).toContain('npm run charts:pull');
  });

  test('fails on a missing archive, naming the chart, the file and the fix', () => {
    expect(() => store.check(chart())).toThrow(`chart "demo" (demo 1.2.3): archive ${file} is not in the chart store: run \`npm run charts:pull\``);
  });

  test('fails on a digest mismatch, naming both digests', () => {
    fs.writeFileSync(file, 'tampered');
    expect(() => store.check(chart('0'.repeat(64)))).toThrow(`has sha256 ${sha256File(file)}, the lock records ${'0'.repeat(64)}`);
  });
});
