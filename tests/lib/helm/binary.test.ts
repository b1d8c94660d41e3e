import * as fs from 'fs';
import * as path from 'path';
import { findHelm, parseHelmVersion } from '../../../lib/helm/binary';
import { fakeHelm as fakeHelmScript, flood, tmpDir } from '../../helpers';

function fakeHelm(dir: string, version: string): string {
  const bin = path.join(dir, 'helm');
  fs.writeFileSync(bin, `#!/bin/sh\necho '${version}'\n`, { mode: 0o755 });
  return bin;
}

describe('findHelm', () => {
  test('parses helm 3 and helm 4 version strings', () => {
    expect(parseHelmVersion('v3.17.2')).toEqual([3, 17, 2]);
    expect(parseHelmVersion('v4.1.4+g05fa379')).toEqual([4, 1, 4]);
    expect(parseHelmVersion('dev')).toBeUndefined();
  });

  test('HELM wins over PATH', () => {
    const explicit = fakeHelm(tmpDir(), 'v3.17.0');
    const onPath = tmpDir();
    fakeHelm(onPath, 'v4.0.0');
    expect(findHelm({ explicit, searchPath: onPath, cacheDir: tmpDir() })).toEqual({ path: explicit, version: 'v3.17.0', source: 'HELM' });
  });

  test('helm on PATH wins over the bundled one', () => {
    const dir = tmpDir();
    const bin = fakeHelm(dir, 'v3.8.0');
    expect(findHelm({ searchPath: `/nonexistent${path.delimiter}${dir}`, cacheDir: tmpDir() })).toEqual({ path: bin, version: 'v3.8.0', source: 'PATH' });
  });

  test('without HELM or PATH it unpacks the bundled helm once into the cache', () => {
    const cacheDir = tmpDir();
    const helm = findHelm({ cacheDir });
    expect(helm.source).toBe('bundled');
    expect(helm.path).toBe(path.join(cacheDir, 'helm'));
    expect(parseHelmVersion(helm.version)![0]).toBeGreaterThanOrEqual(3);
    const mtime = fs.statSync(helm.path).mtimeMs;
    findHelm({ cacheDir });
    expect(fs.statSync(helm.path).mtimeMs).toBe(mtime);
  });

  test('fails on helm older than 3.8, naming the version', () => {
    const dir = tmpDir();
    fakeHelm(dir, 'v3.7.2');
    expect(() => findHelm({ searchPath: dir, cacheDir: tmpDir() })).toThrow(/is v3\.7\.2, older than 3\.8: install helm 3\.8 or newer/);
  });

  test('fails on a HELM that does not exist', () => {
    expect(() => findHelm({ explicit: '/nonexistent/helm', cacheDir: tmpDir() })).toThrow('HELM is "/nonexistent/helm", which does not exist');
  });

  test('fails on a helm that does not answer `helm version` within the time limit, stopping it then', () => {
    const { path: bin } = fakeHelmScript('exec sleep 5');
    const started = Date.now();
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir(), timeoutSeconds: 1 })).toThrow(new Error(
      `\`helm version\` of the helm at ${bin} did not finish within 1 s, so it was stopped: set HELM to a working helm 3.8+ binary`));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('fails on a helm that floods its answer to `helm version`', () => {
    const { path: bin } = fakeHelmScript(flood(4 << 20));
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir() })).toThrow(new Error(
      `\`helm version\` of the helm at ${bin} printed more than 64 KiB on stdout, so it was stopped: set HELM to a working helm 3.8+ binary`));
  });

  test('fails on a helm that exits with an error, with its first line', () => {
    const { path: bin } = fakeHelmScript('echo "exec format error" >&2; exit 2');
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir() })).toThrow(new Error(`helm at ${bin} does not run (exec format error): set HELM to a working helm 3.8+ binary`));
  });

  test('fails on a helm that reports no version', () => {
    const dir = tmpDir();
    fakeHelm(dir, 'garbage');
    expect(() => findHelm({ searchPath: dir, cacheDir: tmpDir() })).toThrow('reports version "garbage", which is not a version');
  });
});
