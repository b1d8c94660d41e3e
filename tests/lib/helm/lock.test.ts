import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ChartLock } from '../../../lib/helm/lock';
import { ROOT, tmpDir, writeLock } from '../../helpers';

function lockFile(text: string): string {
  const file = path.join(tmpDir(), 'lock.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const entry = (fields: string) => `charts:\n  demo:\n    repo: https://charts.example.com\n    chart: demo\n    version: 1.0.0\n${fields}`;

describe('ChartLock', () => {
  test('the repository lock pins every chart of the stack, with the published digests of metallb, jupyterhub and seldon-core-operator', () => {
    const lock = ChartLock.load(path.join(ROOT, 'helm-lock.yaml'));
    expect(lock.charts.map((c) => `${c.key}=${c.chart}@${c.version} ${c.repo} ${c.sha256 ?? 'unpinned'}`)).toEqual([
      'metallb=metallb@0.16.1 https://metallb.github.io/metallb fb06bb584fcb7856f15733b2a6a2aff5b61b5c350687e341c163ae24a5938adc',
      'istio-base=base@1.30.3 https://istio-release.storage.googleapis.com/charts unpinned',
      'istiod=istiod@1.30.3 https://istio-release.storage.googleapis.com/charts unpinned',
      'istio-ingressgateway=gateway@1.30.3 https://istio-release.storage.googleapis.com/charts unpinned',
      'jupyterhub=jupyterhub@4.4.0 https://jupyterhub.github.io/helm-chart/ 99e429ca8205bf21468eaed978da7b425b94ead966db1875211dc310c6ebf228',
      // The GCS bucket (storage.googleapis.com/seldon-charts) stops at 1.17.1.
      'seldon-core-operator=seldon-core-operator@1.18.2 https://seldonio.github.io/helm-charts bd02ac11abe8e59c9b81791a0e4c702cff23bb336e6aa075e64bc64c7991366c',
    ]);
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

  test('save writes atomically: the same mode, and nothing left beside the lock', () => {
    const dir = tmpDir();
    const lock = writeLock(dir, [{ key: 'a', chart: 'a', version: '1.0.0' }]);
    fs.chmodSync(lock.file, 0o640);
    lock.withDigest('a', 'e'.repeat(64)).save();
    expect(fs.readdirSync(dir)).toEqual(['helm-lock.yaml']);
    expect(fs.statSync(lock.file).mode & 0o777).toBe(0o640);
    expect(ChartLock.load(lock.file).get('a').sha256).toBe('e'.repeat(64));
  });

  test('save keeps the comment the file starts with', () => {
    const file = lockFile(`# A mirror lock, made here.\n# Second line.\n${entry('')}`);
    ChartLock.load(file).withDigest('demo', 'c'.repeat(64)).save();
    expect(fs.readFileSync(file, 'utf8')).toBe(`# A mirror lock, made here.\n# Second line.\n${entry(`    sha256: ${'c'.repeat(64)}\n`)}`);
  });

  test('saveAs writes the charts as another lock under the header given, leaves the original alone, and returns the new one read back', () => {
    const dir = tmpDir();
    const lock = writeLock(dir, [{ key: 'a', chart: 'a', version: '1.0.0' }]);
    const before = fs.readFileSync(lock.file, 'utf8');
    const other = path.join(dir, 'other.yaml');
    const saved = lock.withDigest('a', 'd'.repeat(64)).saveAs(other, '# another lock\n');
    expect(fs.readFileSync(other, 'utf8')).toBe(`# another lock\ncharts:\n  a:\n    repo: https://charts.example.com\n    chart: a\n    version: 1.0.0\n    sha256: ${'d'.repeat(64)}\n`);
    expect([saved.file, saved.get('a').sha256]).toEqual([other, 'd'.repeat(64)]);
    expect(fs.readFileSync(lock.file, 'utf8')).toBe(before);
  });

  test('accepts an uppercase digest and keeps it lowercase; accepts oci:// and http:// repositories and pre-release versions', () => {
    const lock = ChartLock.load(lockFile(`charts:
  a: { repo: oci://registry.example.com/charts, chart: a, version: 1.0.0-rc.1+build.5, sha256: ${'AB'.repeat(32)} }
  b: { repo: "http://charts.example.com:8080/x", chart: b, version: 0.0.1 }
`));
    expect(lock.charts).toEqual([
      { key: 'a', repo: 'oci://registry.example.com/charts', chart: 'a', version: '1.0.0-rc.1+build.5', sha256: 'ab'.repeat(32) },
      { key: 'b', repo: 'http://charts.example.com:8080/x', chart: 'b', version: '0.0.1' },
    ]);
  });

  test('fails on an unknown chart key, naming the keys that exist', () => {
    const lock = writeLock(tmpDir(), [{ key: 'a', chart: 'a', version: '1.0.0' }]);
    expect(() => lock.get('nope')).toThrow(`chart "nope" is not in the chart lock ${lock.file}: add it, or use one of a`);
  });

  test('fails on a missing lock file', () => {
    expect(() => ChartLock.load('/nonexistent/helm-lock.yaml')).toThrow('chart lock /nonexistent/helm-lock.yaml is missing: restore it from git');
  });

  test('fails on a lock that is a named pipe, without blocking', () => {
    const file = path.join(tmpDir(), 'helm-lock.yaml');
    execFileSync('mkfifo', [file]);
    expect(() => ChartLock.load(file)).toThrow(`chart lock ${file} is a named pipe (FIFO), not a regular file: the lock is a small YAML file; restore it from git`);
  });

  test('fails on YAML that does not parse, with its line and without quoting the file', () => {
    const file = lockFile('charts:\n  a: [\n    secret-looking-text\n');
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file}:4:1 is not valid YAML: unexpected end of the stream within a flow collection`));
  });

  const charts: Array<[string, string, string]> = [
    ['no charts', 'other: 1\n', 'has no "charts" map'],
    ['charts as a list', 'charts:\n  - metallb\n', 'has "charts" as a list, not a map'],
    ['charts as a scalar', 'charts: metallb\n', 'has "charts" as "metallb", not a map'],
    ['an empty file', '', 'has no "charts" map'],
  ];
  test.each(charts)('fails on %s', (_name, text, what) => {
    const file = lockFile(text);
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} ${what}: write charts: as a map from chart key to repo, chart, version and sha256 (restore it from git)`));
  });

  const long = 'x'.repeat(100);
  const entries: Array<[string, string, string[]]> = [
    ['a chart name that climbs out of the store', entry('').replace('chart: demo', 'chart: ../outside/metallb'),
      ['chart "demo": chart "../outside/metallb" is not a chart name: use the name in the chart\'s Chart.yaml (lowercase letters, digits and "-", at most 63)']],
    ['a version with ../', entry('').replace('version: 1.0.0', 'version: 1.0.0/../../x'),
      ['chart "demo": version "1.0.0/../../x" is not a semantic version such as 1.2.3 (semver.org): use the version in the chart\'s Chart.yaml, quoted']],
    ['a version that YAML reads as a number', entry('').replace('version: 1.0.0', 'version: 1.0'),
      ['chart "demo": version 1 is not a semantic version such as 1.2.3 (semver.org): use the version in the chart\'s Chart.yaml, quoted']],
    ['a key that is not a name', entry('').replace('  demo:', '  ../Demo:'),
      ['chart "../Demo": the chart key "../Demo" is not a name: use lowercase letters, digits and "-" (at most 63, starting and ending with a letter or digit), such as the chart\'s name']],
    ['a repository that is not a URL', entry('').replace('https://charts.example.com', 'file:///etc'),
      ['chart "demo": repo "file:///etc" is not an https://, http:// or oci:// URL: write the chart repository\'s URL, as helm repo add takes it']],
    ['a long bad value, cut short', entry('').replace('https://charts.example.com', long),
      [`chart "demo": repo "${long.slice(0, 76)}... is not an https://, http:// or oci:// URL: write the chart repository's URL, as helm repo add takes it`]],
    ['a digest that is not 64 hex digits', entry('    sha256: abc\n'),
      ['chart "demo": sha256 "abc" is not 64 hex digits: remove it and run `npm run charts:pull` to record the archive\'s']],
    ['a digest with a character more after 64 hex digits', entry(`    sha256: ${'a'.repeat(64)}z\n`),
      [`chart "demo": sha256 "${'a'.repeat(64)}z" is not 64 hex digits: remove it and run \`npm run charts:pull\` to record the archive's`]],
    ['a digest with a character more before 64 hex digits', entry(`    sha256: z${'a'.repeat(64)}\n`),
      [`chart "demo": sha256 "z${'a'.repeat(64)}" is not 64 hex digits: remove it and run \`npm run charts:pull\` to record the archive's`]],
    ['an empty digest', entry('    sha256:\n'),
      ['chart "demo": sha256 is empty: remove the line to have `npm run charts:pull` record it, or write the archive\'s 64 hex digits']],
    ['a misspelled field', entry('    sha265: abc\n'),
      ['chart "demo": unknown field "sha265": the fields are repo, chart, version, sha256']],
    ['an entry that is not a map', 'charts:\n  demo: metallb\n',
      ['chart "demo": is "metallb", not a map: give it repo, chart, version and (once pulled) sha256']],
    ['missing fields, all listed', 'charts:\n  demo:\n    repo: https://x.example.com\n',
      ['chart "demo": has no chart: add it', 'chart "demo": has no version: add it']],
  ];
  test.each(entries)('fails on %s, naming the file, the chart, the field and the value', (_name, text, problems) => {
    const file = lockFile(text);
    expect(() => ChartLock.load(file)).toThrow(new Error([`chart lock ${file} is not usable:`, ...problems.map((p) => `${file}: ${p}`)].join('\n')));
  });
});
