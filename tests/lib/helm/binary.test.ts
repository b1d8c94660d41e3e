import * as fs from 'fs';
import * as path from 'path';
import { readCheckedFile, writeCheckedFile } from '../../../lib/cache-files';
import { findHelm, isolatedHelmEnv, parseHelmVersion } from '../../../lib/helm/binary';
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

  test('parses a version without the v, around whitespace, with numbers of several digits', () => {
    expect(parseHelmVersion('3.8.0')).toEqual([3, 8, 0]);
    expect(parseHelmVersion(' v3.17.2\n')).toEqual([3, 17, 2]);
    expect(parseHelmVersion('v10.20.30-rc.1')).toEqual([10, 20, 30]);
  });

  test('a version must start the text and have three numbers', () => {
    expect(parseHelmVersion('helm v3.17.2')).toBeUndefined();
    expect(parseHelmVersion('v3.17')).toBeUndefined();
    expect(parseHelmVersion('v3.x.2')).toBeUndefined();
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

  test('fails on helm older than 3.8, naming the version and where it was found', () => {
    const bin = fakeHelm(tmpDir(), 'v3.7.2');
    expect(() => findHelm({ searchPath: path.dirname(bin), cacheDir: tmpDir() })).toThrow(new Error(
      `helm at ${bin} is v3.7.2, older than 3.8: install helm 3.8 or newer, or set HELM to one (found on PATH)`));
    const explicit = fakeHelm(tmpDir(), 'v2.17.0');
    expect(() => findHelm({ explicit, cacheDir: tmpDir() })).toThrow(new Error(
      `helm at ${explicit} is v2.17.0, older than 3.8: install helm 3.8 or newer, or set HELM to one (from HELM)`));
  });

  test('accepts any newer major version, whatever its minor', () => {
    const explicit = fakeHelm(tmpDir(), 'v4.0.1');
    expect(findHelm({ explicit, cacheDir: tmpDir() }).version).toBe('v4.0.1');
  });

  test('fails on a HELM that does not exist', () => {
    const missing = path.join(tmpDir(), 'helm');
    expect(() => findHelm({ explicit: missing, cacheDir: tmpDir() })).toThrow(new Error(
      `HELM is "${missing}", which does not exist: point it at a helm 3.8+ binary or unset it`));
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

  test('fails on a helm that exits with an error, with the first line that is not blank', () => {
    const { path: bin } = fakeHelmScript('printf "\\nexec format error\\nsecond line\\n" >&2; exit 2');
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir() })).toThrow(new Error(`helm at ${bin} does not run (exec format error): set HELM to a working helm 3.8+ binary`));
  });

  test('fails on a helm that exits with an error and says nothing, with its exit code', () => {
    const { path: bin } = fakeHelmScript('exit 3');
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir() })).toThrow(new Error(`helm at ${bin} does not run (exit code 3): set HELM to a working helm 3.8+ binary`));
  });

  test('fails on a helm that is killed by a signal, naming it', () => {
    const { path: bin } = fakeHelmScript('kill -9 $$');
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir() })).toThrow(new Error(`helm at ${bin} does not run (killed by SIGKILL): set HELM to a working helm 3.8+ binary`));
  });

  test('fails on a helm that reports no version', () => {
    const bin = fakeHelm(tmpDir(), 'garbage');
    expect(() => findHelm({ searchPath: path.dirname(bin), cacheDir: tmpDir() })).toThrow(new Error(
      `helm at ${bin} reports version "garbage", which is not a version: set HELM to a helm 3.8+ binary`));
  });

  test('fails on a helm that reports a long non-version, showing 80 characters at most', () => {
    const eighty = fakeHelm(tmpDir(), 'x'.repeat(80));
    expect(() => findHelm({ explicit: eighty, cacheDir: tmpDir() })).toThrow(new Error(
      `helm at ${eighty} reports version "${'x'.repeat(80)}", which is not a version: set HELM to a helm 3.8+ binary`));
    const longer = fakeHelm(tmpDir(), 'x'.repeat(81));
    expect(() => findHelm({ explicit: longer, cacheDir: tmpDir() })).toThrow(new Error(
      `helm at ${longer} reports version "${'x'.repeat(77)}...", which is not a version: set HELM to a helm 3.8+ binary`));
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

  test('fails on a helm that does not answer `helm version` within the time limit, stopping it then', () => {
    const { path: bin } = fakeHelmScript('exec sleep 5');
    const started = Date.now();
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir(), timeoutSeconds: 1 })).toThrow(new Error(
      `\`helm version\` of the helm at ${bin} did not finish within 1 s, so it was stopped: set HELM to a working helm 3.8+ binary`));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('findHelm with a version cache file', () => {
  /** A fake helm that answers `version` and counts how often it was started. */
  function countingHelm(version: string): { bin: string; runs: () => number } {
    const dir = tmpDir();
    const bin = path.join(dir, 'helm');
    const log = path.join(dir, 'runs');
    fs.writeFileSync(bin, `#!/bin/sh\necho run >> '${log}'\necho '${version}'\n`, { mode: 0o755 });
    return { bin, runs: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').length - 1 : 0) };
  }
  const cacheFile = () => path.join(tmpDir(), 'helm-version.json');

  test('asks helm once, then answers from the cache for the same binary', () => {
    const { bin, runs } = countingHelm('v3.17.0');
    const versionCacheFile = cacheFile();
    expect(findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile })).toEqual({ path: bin, version: 'v3.17.0', source: 'HELM' });
    expect(findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile })).toEqual({ path: bin, version: 'v3.17.0', source: 'HELM' });
    expect(runs()).toBe(1);
  });

  test('asks again when the binary was replaced', () => {
    const { bin, runs } = countingHelm('v3.17.0');
    const versionCacheFile = cacheFile();
    findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile });
    fs.writeFileSync(bin, `#!/bin/sh\necho run >> '${path.join(path.dirname(bin), 'runs')}'\necho 'v3.18.10'\n`, { mode: 0o755 });
    expect(findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile }).version).toBe('v3.18.10');
    expect(runs()).toBe(2);
  });

  test('does not remember an answer that is not a version', () => {
    const { bin, runs } = countingHelm('garbage');
    const versionCacheFile = cacheFile();
    const error = new Error(`helm at ${bin} reports version "garbage", which is not a version: set HELM to a helm 3.8+ binary`);
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile })).toThrow(error);
    expect(() => findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile })).toThrow(error);
    expect(runs()).toBe(2);
    expect(fs.existsSync(versionCacheFile)).toBe(false);
  });

  test('asks again when the cached entry for the binary holds no version text', () => {
    const { bin, runs } = countingHelm('v3.17.0');
    const versionCacheFile = cacheFile();
    findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile });
    writeCheckedFile(versionCacheFile, JSON.stringify({ ...JSON.parse(readCheckedFile(versionCacheFile)!), version: 3 }));
    expect(findHelm({ explicit: bin, cacheDir: tmpDir(), versionCacheFile }).version).toBe('v3.17.0');
    expect(runs()).toBe(2);
  });
});

describe('isolatedHelmEnv', () => {
  test('puts helm\'s home, config, cache, data and kubeconfig under the given folder, over what is passed', () => {
    expect(isolatedHelmEnv('/h', { HTTPS_PROXY: 'http://proxy:3128', HOME: '/root', HELM_CACHE_HOME: '/root/.cache/helm' })).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      HOME: '/h',
      HELM_CACHE_HOME: path.join('/h', 'cache'),
      HELM_CONFIG_HOME: path.join('/h', 'config'),
      HELM_DATA_HOME: path.join('/h', 'data'),
      KUBECONFIG: path.join('/h', 'no-kubeconfig'),
    });
  });
});
