import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ChartLock } from '../../../lib/helm/lock';
import { ROOT, RUNNING_AS_ROOT, tmpDir, writeLock } from '../../helpers';

function lockFile(text: string): string {
  const file = path.join(tmpDir(), 'lock.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const entry = (fields: string) => `charts:\n  demo:\n    repo: https://charts.example.com\n    chart: demo\n    version: 1.0.0\n${fields}`;

describe('ChartLock', () => {
  afterEach(() => jest.restoreAllMocks());

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

  /** The problems a lock whose only chart, demo, has `fields` (YAML, one per line) gets, without the prefix naming the file and chart; [] when it loads. */
  function problemsOf(fields: string): string[] {
    const file = lockFile(`charts:\n  demo:\n${fields.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    try {
      ChartLock.load(file);
    } catch (e) {
      const [first, ...rest] = (e as Error).message.split('\n');
      expect(first).toBe(`chart lock ${file} is not usable:`);
      return rest.map((l) => l.replace(`${file}: chart "demo": `, ''));
    }
    return [];
  }
  const REPO = 'repo: https://charts.example.com';
  const notSemver = (v: string) => `version ${v} is not a semantic version such as 1.2.3 (semver.org): use the version in the chart's Chart.yaml, quoted`;
  const notChartName = (v: string) => `chart ${v} is not a chart name: use the name in the chart's Chart.yaml (lowercase letters, digits and "-", at most 63)`;
  const notHttp = (v: string) => `repo ${v} is not an https://, http:// or oci:// URL: write the chart repository's URL, as helm repo add takes it`;

  // semver.org: MAJOR.MINOR.PATCH, no leading zeros in numbers, optional -pre.release identifiers and +build metadata.
  const validVersions = ['1.2.3', '0.0.0', '10.20.30', '1.2.3-rc.1', '1.2.3-0.3.7', '1.2.3-x.7.z.92', '1.2.3-alpha', '1.2.3-alpha.beta',
    '1.2.3-alpha.1a', '1.2.3-1a', '1.0.0-0A.is.legal', '1.2.3-123', '1.2.3-rc.10', '1.2.3--', '1.2.3+build.1', '1.2.3+build.12',
    '1.2.3-alpha+001', '1.0.0-beta+exp.sha.5114f85', '1.0.0+21AF26D3----117B344092BD', '99999.0.1'];
  test.each(validVersions)('accepts the semantic version %s', (v) => {
    expect(problemsOf(`${REPO}\nchart: demo\nversion: "${v}"`)).toEqual([]);
  });

  const invalidVersions = ['1.2', '1', '01.2.3', '1.02.3', '1.2.03', '1.2.3-01', '1.2.3-rc.01', '1.2.3-alpha..1', '1.2.3-', '1.2.3+',
    '1.2.3+build..1', 'v1.2.3', 'x1.2.3', '1.2.3 ', ' 1.2.3', '1.2.3\n', '1.2.3-rc.1.', '1.2.3-al_pha', '1.2.3.4', '1.2.3-rc.1 x', 'latest'];
  test.each(invalidVersions)('refuses %j as a version, naming it', (v) => {
    expect(problemsOf(`${REPO}\nchart: demo\nversion: ${JSON.stringify(v)}`)).toEqual([notSemver(JSON.stringify(v))]);
  });

  const name63 = `a${'b'.repeat(61)}c`;
  test.each(['a', '0', 'demo', 'kube-prometheus-stack', 'a-1', '1-a', name63])('accepts %s as a chart name and as a key', (n) => {
    const lock = ChartLock.load(lockFile(`charts:\n  ${n}:\n    ${REPO}\n    chart: "${n}"\n    version: 1.0.0\n`));
    expect(lock.charts.map((c) => [c.key, c.chart])).toEqual([[n, n]]);
  });

  const badNames = [`${name63}d`, '-demo', 'demo-', 'Demo', 'deMo', 'de_mo', 'de.mo', 'de mo', 'demo\n', '\ndemo', 'a/b'];
  test.each(badNames)('refuses %j as a chart name', (n) => {
    expect(problemsOf(`${REPO}\nchart: ${JSON.stringify(n)}\nversion: 1.0.0`)).toEqual([notChartName(JSON.stringify(n))]);
  });

  test.each([`${name63}d`, 'demo-', 'Demo'])('refuses %j as a chart key', (n) => {
    const file = lockFile(`charts:\n  ${JSON.stringify(n)}:\n    ${REPO}\n    chart: demo\n    version: 1.0.0\n`);
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} is not usable:\n${file}: chart ${JSON.stringify(n)}: the chart key ${JSON.stringify(n)} is not a name: ` +
      'use lowercase letters, digits and "-" (at most 63, starting and ending with a letter or digit), such as the chart\'s name'));
  });

  test.each(['https://charts.example.com', 'HTTPS://charts.example.com', 'http://charts.example.com', 'oci://registry.example.com/charts', 'https://charts.example.com:8443/a/b/', 'oci://x'])(
    'accepts the repository %s', (url) => {
      expect(problemsOf(`repo: ${url}\nchart: demo\nversion: 1.0.0`)).toEqual([]);
    });

  test.each(['file:///etc', 'ftp://charts.example.com', 'oci://', 'oci:///charts', 'https://', 'charts.example.com', 'https:charts.example.com', 'https:/charts.example.com', 'https://charts.example.com/my charts',
    'https://charts.example.com/\tx', ' https://charts.example.com', 'https://charts.example.com\n'])('refuses %j as a repository', (url) => {
    expect(problemsOf(`repo: ${JSON.stringify(url)}\nchart: demo\nversion: 1.0.0`)).toEqual([notHttp(JSON.stringify(url))]);
  });

  test('shows a bad value of 80 characters whole, and one of 81 cut to 77 and "..."', () => {
    const of80 = `ftp://${'x'.repeat(72)}`; // 78 characters, 80 with the quotes
    const of81 = `${of80}y`;
    expect(problemsOf(`repo: ${of80}\nchart: demo\nversion: 1.0.0`)).toEqual([notHttp(`"${of80}"`)]);
    expect(problemsOf(`repo: ${of81}\nchart: demo\nversion: 1.0.0`)).toEqual([notHttp(`"${of80.slice(0, 76)}...`)]);
  });

  const fieldCases: Array<[string, string, string[]]> = [
    ['no repo', 'chart: demo\nversion: 1.0.0', ['has no repo: add it']],
    ['an empty repo', 'repo: ""\nchart: demo\nversion: 1.0.0', ['has no repo: add it']],
    ['a null repo', 'repo: null\nchart: demo\nversion: 1.0.0', ['has no repo: add it']],
    ['a repo that is a number', 'repo: 8080\nchart: demo\nversion: 1.0.0',
      ['repo 8080 is not a URL: write the chart repository\'s URL, as helm repo add takes it']],
    ['a repo that is a list', 'repo: [https://charts.example.com]\nchart: demo\nversion: 1.0.0',
      ['repo ["https://charts.example.com"] is not a URL: write the chart repository\'s URL, as helm repo add takes it']],
    ['a repo that is a map', 'repo: { url: https://charts.example.com }\nchart: demo\nversion: 1.0.0',
      ['repo {"url":"https://charts.example.com"} is not a URL: write the chart repository\'s URL, as helm repo add takes it']],
    ['an empty chart', `${REPO}\nchart: ""\nversion: 1.0.0`, ['has no chart: add it']],
    ['a null chart', `${REPO}\nchart:\nversion: 1.0.0`, ['has no chart: add it']],
    ['a chart that is a number', `${REPO}\nchart: 5\nversion: 1.0.0`, [notChartName('5')]],
    ['a chart that is a list', `${REPO}\nchart: [demo]\nversion: 1.0.0`, [notChartName('["demo"]')]],
    ['an empty version', `${REPO}\nchart: demo\nversion: ""`, ['has no version: add it']],
    ['a null version', `${REPO}\nchart: demo\nversion: ~`, ['has no version: add it']],
    ['a version that is a list', `${REPO}\nchart: demo\nversion: [1.0.0]`, [notSemver('["1.0.0"]')]],
    ['an empty digest in quotes', `${REPO}\nchart: demo\nversion: 1.0.0\nsha256: ""`,
      ['sha256 is empty: remove the line to have `npm run charts:pull` record it, or write the archive\'s 64 hex digits']],
    ['a digest that is a number', `${REPO}\nchart: demo\nversion: 1.0.0\nsha256: 12`,
      ['sha256 12 is not 64 hex digits: remove it and run `npm run charts:pull` to record the archive\'s']],
    ['nothing but an unknown field', 'url: https://charts.example.com',
      ['unknown field "url": the fields are repo, chart, version, sha256', 'has no repo: add it', 'has no chart: add it', 'has no version: add it']],
  ];
  test.each(fieldCases)('%s: exactly the problems of that field', (_name, fields, problems) => {
    expect(problemsOf(fields)).toEqual(problems);
  });

  test.each([['null', 'null'], ['~', 'null'], ['[]', '[]'], ['[a, b]', '["a","b"]'], ['5', '5']])('refuses an entry that is %s, not a map', (value, shownAs) => {
    const file = lockFile(`charts:\n  demo: ${value}\n`);
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} is not usable:\n${file}: chart "demo": is ${shownAs}, not a map: ` +
      'give it repo, chart, version and (once pulled) sha256'));
  });

  test('lists the problems of every chart, each under its key, in the order of the lock', () => {
    const file = lockFile(`charts:\n  a: { ${REPO}, chart: a, version: "1" }\n  ok: { ${REPO}, chart: ok, version: 1.0.0 }\n  b: { repo: ftp://x, chart: b, version: 1.0.0 }\n`);
    expect(() => ChartLock.load(file)).toThrow(new Error([`chart lock ${file} is not usable:`,
      `${file}: chart "a": ${notSemver('"1"')}`, `${file}: chart "b": ${notHttp('"ftp://x"')}`].join('\n')));
  });

  test.each([['null', 'null'], ['~', 'null'], ['"# only a string"', '"# only a string"'], ['5', '5']])('fails on a document that is %s, which has no charts', (text) => {
    const file = lockFile(`${text}\n`);
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} has no "charts" map: write charts: as a map from chart key to repo, chart, version and sha256 (restore it from git)`));
  });

  test('fails on a file of comments only, which has no charts', () => {
    const file = lockFile('# charts:\n#   demo: {}\n');
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} has no "charts" map: write charts: as a map from chart key to repo, chart, version and sha256 (restore it from git)`));
  });

  test.each([['charts:\n', 'null'], ['charts: ~\n', 'null'], ['charts: 5\n', '5'], ['charts: true\n', 'true']])('fails on %j, saying what "charts" is', (text, what) => {
    const file = lockFile(text);
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} has "charts" as ${what}, not a map: write charts: as a map from chart key to repo, chart, version and sha256 (restore it from git)`));
  });

  test('an empty charts map is a lock of no charts', () => {
    expect(ChartLock.load(lockFile('charts: {}\n')).charts).toEqual([]);
  });

  test('reads a lock of exactly 1 MiB, and refuses one of a byte more, before parsing it', () => {
    const body = `charts:\n  demo:\n    ${REPO}\n    chart: demo\n    version: 1.0.0\n`;
    const padded = (size: number) => `# ${'x'.repeat(size - body.length - 3)}\n${body}`;
    expect(ChartLock.load(lockFile(padded(1 << 20))).charts.map((c) => c.key)).toEqual(['demo']);
    const file = lockFile(padded((1 << 20) + 1));
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} is 1048577 bytes, more than the limit of 1 MiB: the lock is a small YAML file; restore it from git`));
  });

  test(`fails on a lock it may not read, saying so${RUNNING_AS_ROOT ? ' (the error is injected: root reads anything)' : ''}`, () => {
    const file = lockFile(entry(''));
    if (RUNNING_AS_ROOT) {
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      jest.spyOn(require('fs') as typeof fs, 'openSync').mockImplementationOnce(() => { throw denied; });
    } else {
      fs.chmodSync(file, 0);
    }
    expect(() => ChartLock.load(file)).toThrow(new Error(`chart lock ${file} cannot be read: permission denied: make it readable by this user`));
  });

  test('a chart renamed in the code names the key the lock still has', () => {
    const lock = writeLock(tmpDir(), [{ key: 'old', chart: 'demo', version: '1.0.0' }, { key: 'other', chart: 'other', version: '1.0.0' }]);
    expect(() => lock.get('new', ['gone', 'old'])).toThrow(new Error(`chart lock ${lock.file} names the chart "old", which is now "new": rename the key`));
    expect(() => lock.get('new')).toThrow(new Error(`chart "new" is not in the chart lock ${lock.file}: add it, or use one of old, other`));
    expect(lock.get('old', ['other']).chart).toBe('demo');
  });

  test('withDigest refuses a key the lock does not have, and keeps the digest lowercase', () => {
    const lock = writeLock(tmpDir(), [{ key: 'a', chart: 'a', version: '1.0.0' }, { key: 'b', chart: 'b', version: '1.0.0' }]);
    expect(() => lock.withDigest('c', 'f'.repeat(64))).toThrow(new Error(`chart "c" is not in the chart lock ${lock.file}: add it, or use one of a, b`));
    expect(lock.withDigest('b', 'AB'.repeat(32)).charts.map((c) => c.sha256)).toEqual([undefined, 'ab'.repeat(32)]);
  });

  test('text writes values YAML would read as something else in double quotes, so they read back as the same strings', () => {
    const file = lockFile(`charts:\n  "123":\n    ${REPO}\n    chart: "true"\n    version: 1.0.0\n`);
    const lock = ChartLock.load(file);
    expect(lock.text('# h\n')).toBe(`# h\ncharts:\n  "123":\n    ${REPO}\n    chart: "true"\n    version: 1.0.0\n`);
    expect(lock.saveAs(path.join(tmpDir(), 'again.yaml'), '# h\n').charts).toEqual(lock.charts);
  });

  test('a lock without a leading comment is saved under the chart lock\'s own header', () => {
    const file = lockFile(entry(''));
    ChartLock.load(file).save();
    expect(fs.readFileSync(file, 'utf8')).toBe('# Helm charts this app renders: repository, chart, version and the sha256 of the archive.\n' +
      '# Change a version here to upgrade; `npm run charts:pull` downloads the archive and records its digest.\n' +
      '# Only digests of archives pulled from the chart\'s repository belong here.\n' + entry(''));
  });
});
