import * as fs from 'fs';
import * as path from 'path';
import { ChartLock } from '../../../lib';
import { ROOT, tmpDir, writeLock } from '../../helpers';

describe('ChartLock', () => {
  test('the repository lock pins every chart of the stack, with the published metallb digest', () => {
    const lock = ChartLock.load(path.join(ROOT, 'helm-lock.yaml'));
    expect(lock.charts.map((c) => `${c.key}=${c.chart}@${c.version}`)).toEqual([
      'metallb=metallb@0.16.1', 'istio-base=base@1.30.3', 'istiod=istiod@1.30.3', 'istio-ingressgateway=gateway@1.30.3',
      'jupyterhub=jupyterhub@4.4.0', 'seldon-core-operator=seldon-core-operator@1.18.2',
    ]);
    expect(lock.get('metallb').sha256).toBe('fb06bb584fcb7856f15733b2a6a2aff5b61b5c350687e341c163ae24a5938adc');
    expect(lock.get('istiod').repo).toBe('https://istio-release.storage.googleapis.com/charts');
  });

  test('withDigest and save round-trip, keeping the order of the charts', () => {
    const dir = tmpDir();
    const lock = writeLock(dir, [{ key: 'b', chart: 'b', version: '1.0.0' }, { key: 'a', chart: 'a', version: '2.0.0' }]);
    lock.withDigest('a', 'f'.repeat(64)).save();
    const again = ChartLock.load(lock.file);
    expect(again.charts.map((c) => c.key)).toEqual(['b', 'a']);
    expect(again.get('a').sha256).toBe('f'.repeat(64));
    expect(again.get('b').sha256).toBeUndefined();
    expect(fs.readFileSync(lock.file, 'utf8')).toMatch(/^# Helm charts this app renders/);
  });

  test('fails on an unknown chart key, naming the keys that exist', () => {
    const lock = writeLock(tmpDir(), [{ key: 'a', chart: 'a', version: '1.0.0' }]);
    expect(() => lock.get('nope')).toThrow('chart "nope" is not in the chart lock');
    expect(() => lock.get('nope')).toThrow('use one of a');
  });

  test('fails on a missing lock file', () => {
    expect(() => ChartLock.load('/nonexistent/helm-lock.yaml')).toThrow('chart lock /nonexistent/helm-lock.yaml is missing');
  });

  test('fails on a chart without a version', () => {
    const file = path.join(tmpDir(), 'lock.yaml');
    fs.writeFileSync(file, 'charts:\n  a:\n    repo: https://x\n    chart: a\n');
    expect(() => ChartLock.load(file)).toThrow('chart "a" has no version');
  });

  test('fails on a digest that is not 64 hex digits', () => {
    const file = path.join(tmpDir(), 'lock.yaml');
    fs.writeFileSync(file, 'charts:\n  a:\n    repo: https://x\n    chart: a\n    version: 1.0.0\n    sha256: abc\n');
    expect(() => ChartLock.load(file)).toThrow('has sha256 "abc", which is not 64 hex digits');
  });

  test('fails on YAML that does not parse', () => {
    const file = path.join(tmpDir(), 'lock.yaml');
    fs.writeFileSync(file, 'charts: [\n');
    expect(() => ChartLock.load(file)).toThrow('is not valid YAML');
  });
});
