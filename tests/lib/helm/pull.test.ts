import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChartLock, ChartStore, pullCharts } from '../../../lib';
import { fakeHelm, packageChart, tmpDir, writeLock } from '../../helpers';

/** A helm whose `pull` copies `file` into --destination (after running `before`). */
const pullingHelm = (file: string, before = '') => fakeHelm(
  `${before}\nfor a; do if [ "$prev" = --destination ]; then cp ${file} "$a/demo-1.0.0.tgz"; fi; prev="$a"; done`);

describe('pullCharts', () => {
  let lock: ChartLock;
  let store: ChartStore;
  let archive: string;
  beforeEach(() => {
    const dir = tmpDir();
    lock = writeLock(dir, [{ key: 'demo', chart: 'demo', version: '1.0.0' }]);
    store = new ChartStore(path.join(dir, 'store'));
    archive = packageChart('crds-dir', tmpDir(), { name: 'demo', version: '1.0.0' });
  });
  const pull = (helmPath: string, timeoutSeconds?: number) =>
    pullCharts({ lock, store, helm: { path: helmPath, version: 'v3.99.0', source: 'HELM' }, homeDir: tmpDir(), log: () => undefined, timeoutSeconds });

  test('brings a pulled archive into the store and records its digest', () => {
    const result = pull(pullingHelm(archive).path);
    expect(result.recorded).toEqual(['demo']);
    expect(ChartLock.load(lock.file).get('demo').sha256).toBe(createHash('sha256').update(fs.readFileSync(archive)).digest('hex'));
    expect(fs.readdirSync(store.dir)).toEqual(['demo-1.0.0.tgz']);
  });

  test('fails on a helm pull that never returns, within the time limit, and leaves no temporary folder', () => {
    const helm = fakeHelm('exec sleep 600');
    const started = Date.now();
    expect(() => pull(helm.path, 1)).toThrow(new Error([
      `1 of 1 charts could not be brought into ${store.dir}:`,
      'chart "demo": helm pull demo 1.0.0 from https://charts.example.com: helm did not finish within 1 s, so it was stopped',
      `with no network, copy demo-1.0.0.tgz from a machine that has it into ${store.dir}`,
    ].join('\n')));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fs.readdirSync(store.dir)).toEqual([]);
  });

  test('fails on a pulled file that is not a chart archive, and records nothing', () => {
    const junk = path.join(tmpDir(), 'junk');
    fs.writeFileSync(junk, '<html>rate limited</html>');
    expect(() => pull(pullingHelm(junk).path)).toThrow(
      /chart "demo" \(demo 1\.0\.0\): archive .*\/\.pull-\w+\/demo-1\.0\.0\.tgz is not a usable chart archive: it is not gzip-compressed, so not a chart archive/);
    expect(ChartLock.load(lock.file).get('demo').sha256).toBeUndefined();
    expect(fs.readdirSync(store.dir)).toEqual([]);
  });
});
