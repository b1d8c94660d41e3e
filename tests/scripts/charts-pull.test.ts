import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../main';
import { ChartLock } from '../../lib/helm/lock';
import { childEnv, fakeHelm, fakeRepositoryHelm, LAB_CONFIG, loadAll, packageChart, readTree, ROOT, sha256Of, TEST_KEY, tmpDir, writeLock } from '../helpers';

const REPO = 'https://charts.example.com';
const chartsPull = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/charts-pull.ts'), ...args], {
  cwd: ROOT, encoding: 'utf8', env: childEnv(env), timeout: 60_000,
});

/** A configuration of its own whose charts.lock is a lock of three stand-in charts (two pinned), and the archives as published. */
function project() {
  const dir = tmpDir('project-');
  const published = tmpDir('published-');
  const sha = Object.fromEntries([['alpha', '1.0.0'], ['beta', '2.0.0'], ['gamma', '3.0.0']].map(([name, version]) =>
    [name, sha256Of(packageChart('stand-in', published, { name, version }))]));
  const lock = writeLock(dir, [
    { key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: sha.alpha },
    { key: 'beta', chart: 'beta', version: '2.0.0', sha256: sha.beta },
    { key: 'gamma', chart: 'gamma', version: '3.0.0' },
  ]);
  const config = path.join(dir, 'platform.yaml');
  fs.writeFileSync(config, `profile: lab\ncharts: { lock: ./helm-lock.yaml, values: ${path.join(ROOT, 'helm-values')} }\n`);
  return { dir, published, sha, lock, config, store: path.join(dir, 'store') };
}

describe('npm run charts:pull', () => {
  test('online: downloads what is missing, records the digest it downloaded, says per chart what it did; a second run downloads nothing', () => {
    // GIVEN
    const p = project();
    const helm = fakeRepositoryHelm(p.published);
    const env = { PLATFORM_CONFIG: p.config, CHART_STORE: p.store, HELM: helm.path, HELM_TIMEOUT: '30', HTTPS_PROXY: 'http://proxy.example.com:3128' };
    // WHEN
    const first = chartsPull([], env);
    // THEN
    expect([first.status, first.stderr]).toEqual([0, [
      `helm v3.99.0 (from HELM: ${helm.path})`,
      `chart store ${p.store}; verified against ${p.lock.file}`,
      `downloaded  alpha: alpha-1.0.0.tgz from ${REPO}, matches the lock`,
      `downloaded  beta: beta-2.0.0.tgz from ${REPO}, matches the lock`,
      `recorded    gamma: gamma-3.0.0.tgz from ${REPO}; its sha256 ${p.sha.gamma} is now in ${p.lock.file}`,
      `${p.store} holds the 3 archives of ${p.lock.file}, each verified by its digest`,
      `recorded the digests of gamma in ${p.lock.file}: review and commit it`,
      '',
    ].join('\n')]);
    expect(helm.pulls()).toEqual(['alpha 1.0.0 HTTPS_PROXY=http://proxy.example.com:3128', 'beta 2.0.0 HTTPS_PROXY=http://proxy.example.com:3128', 'gamma 3.0.0 HTTPS_PROXY=http://proxy.example.com:3128']);
    expect(ChartLock.load(p.lock.file).get('gamma').sha256).toBe(p.sha.gamma);

    const second = chartsPull([], env);
    expect([second.status, second.stderr.split('\n').slice(2, 5)]).toEqual([0, [
      'ok          alpha: alpha-1.0.0.tgz is in the store and matches the lock',
      'ok          beta: beta-2.0.0.tgz is in the store and matches the lock',
      'ok          gamma: gamma-3.0.0.tgz is in the store and matches the lock',
    ]]);
    expect(helm.pulls()).toHaveLength(3);
  });

  test('HELM_TIMEOUT bounds each helm pull', () => {
    const p = project();
    const helm = fakeHelm('if [ "$1" = version ]; then echo v3.99.0; exit 0; fi; exec sleep 600');
    const started = Date.now();
    const res = chartsPull([], { PLATFORM_CONFIG: p.config, CHART_STORE: p.store, HELM: helm.path, HELM_TIMEOUT: '1' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`failed      alpha: helm pull alpha 1.0.0 from ${REPO}: helm did not finish within 1 s, so it was stopped; `);
    expect(res.stderr).toContain(`error: 3 of 3 charts of ${p.lock.file} are not in ${p.store}, verified: alpha, beta, gamma failed: the lines above say why and what to do\n`);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('fails on a HELM_TIMEOUT that is not a number of seconds, before pulling', () => {
    const p = project();
    const helm = fakeRepositoryHelm(p.published);
    const res = chartsPull([], { PLATFORM_CONFIG: p.config, CHART_STORE: p.store, HELM: helm.path, HELM_TIMEOUT: '5m' });
    expect([res.status, res.stderr]).toEqual([1,
      'error: HELM_TIMEOUT is "5m": give the seconds helm may take for one release as a positive whole number, such as 120, or unset it\n']);
    expect(helm.pulls()).toEqual([]);
  });

  test('--help prints the options, the environment and the exit codes, and pulls nothing', () => {
    const p = project();
    const helm = fakeRepositoryHelm(p.published);
    const res = chartsPull(['--help'], { PLATFORM_CONFIG: '/nonexistent', CHART_STORE: p.store, HELM: helm.path });
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(new RegExp([
      '^Brings the chart store up to the chart lock, .*',
      '',
      'usage: npm run charts:pull -- \\[--from DIR\\] \\[--mirror-lock FILE\\]',
      '',
      'options:',
      '  --from DIR +copy the archives from DIR .*',
      '  --mirror-lock FILE +write FILE, .*',
      '  --help +print this help and exit',
      '',
      'environment:',
      '  PLATFORM_CONFIG .*',
      '  CHART_LOCK .*',
      '  CHART_STORE .*',
      '  HELM .*',
      '  HELM_TIMEOUT .*',
      '  HTTPS_PROXY, HTTP_PROXY, NO_PROXY .*',
      '',
      'exit codes:',
      '  0  success',
      '  1  an error, said on stderr',
      '  2  a bad argument',
      '  3  an archive\'s sha256 differs from the lock \\(nothing was stored for that chart\\)',
      '$',
    ].join('\n')));
    expect(helm.pulls()).toEqual([]);
    expect(fs.existsSync(p.store)).toBe(false);
  });

  test('fails on an unknown option with the usage and exit code 2', () => {
    const res = chartsPull(['--form', '/tmp'], {});
    expect([res.status, res.stderr]).toEqual([2, [
      'error: Unknown option \'--form\'',
      'usage: npm run charts:pull -- [--from DIR] [--mirror-lock FILE]',
      '(npm run charts:pull -- --help for more)',
      '',
    ].join('\n')]);
  });

  test('--mirror-lock refuses the configuration\'s chart lock and leaves it as it was', () => {
    const p = project();
    const before = fs.readFileSync(p.lock.file, 'utf8');
    const res = chartsPull(['--mirror-lock', p.lock.file, '--from', p.published], { PLATFORM_CONFIG: p.config, CHART_STORE: p.store });
    expect([res.status, res.stderr]).toEqual([1, [
      `chart store ${p.store}`,
      `error: --mirror-lock ${p.lock.file} is the chart lock ${p.lock.file}: a mirror lock is a file of its own and the chart lock keeps the published digests; ` +
        `choose another file, such as ${path.join(p.store, 'mirror-lock.yaml')}`,
      '',
    ].join('\n')]);
    expect(fs.readFileSync(p.lock.file, 'utf8')).toBe(before);
  });
});

describe('npm run charts:pull on the platform\'s lock, with archives that are not the published ones', () => {
  // Stand-in archives under the upstream names and versions: like re-packaged archives, they differ from
  // the digests helm-lock.yaml pins (metallb, jupyterhub, seldon-core-operator).
  const lock = ChartLock.load(path.join(ROOT, 'helm-lock.yaml'));
  let from: string;
  beforeAll(() => {
    from = tmpDir('re-packaged-');
    for (const c of lock.charts) packageChart('stand-in', from, { name: c.chart, version: c.version });
  });
  const shaOf = (key: string) => sha256Of(path.join(from, `${lock.get(key).chart}-${lock.get(key).version}.tgz`));

  test('--from refuses the three archives the lock pins, naming both digests and the mirror route, and copies the rest', () => {
    const store = path.join(tmpDir(), 'store');
    const res = chartsPull(['--from', from], { CHART_STORE: store });
    const mirror = path.join(store, 'mirror-lock.yaml');
    const mismatch = (key: string, file: string) =>
      `mismatch    ${key}: ${path.join(from, file)} has sha256 ${shaOf(key)}, the lock pins ${lock.get(key).sha256}: it is not the published archive, so it was not copied`;
    const copied = (key: string, file: string) => `copied      ${key}: ${file} from ${from}, a usable chart archive; the lock pins no digest for it`;
    expect([res.status, res.stderr]).toEqual([3, [
      `chart store ${store}; copying from ${from}, verified against ${lock.file}`,
      mismatch('metallb', 'metallb-0.16.1.tgz'),
      copied('istio-base', 'base-1.30.3.tgz'),
      copied('istiod', 'istiod-1.30.3.tgz'),
      copied('istio-ingressgateway', 'gateway-1.30.3.tgz'),
      mismatch('jupyterhub', 'jupyterhub-4.4.0.tgz'),
      mismatch('seldon-core-operator', 'seldon-core-operator-1.18.2.tgz'),
      `error: 3 of 6 charts of ${lock.file} are not in ${store}, verified: metallb, jupyterhub, seldon-core-operator differ from the lock's digest: ` +
        'for the published archives, run `npm run charts:pull` where the chart repositories are reachable; if these are re-packaged copies, pin them in a lock of their own: ' +
        `\`CHART_STORE=${store} npm run charts:pull -- --mirror-lock ${mirror} --from ${from}\`, then \`CHART_STORE=${store} CHART_LOCK=${mirror} npm run synth\``,
      '',
    ].join('\n')]);
    expect(fs.readdirSync(store).sort()).toEqual(['base-1.30.3.tgz', 'gateway-1.30.3.tgz', 'istiod-1.30.3.tgz']);
  });

  test('--mirror-lock writes a lock of their own, the same bytes every time, and synth with CHART_LOCK pointing at it passes', async () => {
    // GIVEN
    const dir = tmpDir();
    const store = path.join(dir, 'store');
    const file = path.join(dir, 'mirror', 'mirror.yaml');
    const before = fs.readFileSync(lock.file, 'utf8');
    // WHEN
    const res = chartsPull(['--mirror-lock', file, '--from', from], { CHART_STORE: store });
    // THEN
    expect([res.status, res.stderr.split('\n')[0], res.stderr.split('\n').slice(-2)]).toEqual([0, `chart store ${store}`, [
      `wrote the mirror lock ${file} (6 charts); synthesize with it: CHART_STORE=${store} CHART_LOCK=${file} npm run synth, or charts.lock: ${file} in ${LAB_CONFIG}`,
      '',
    ]]);
    expect(res.stderr).toContain(`pinned      metallb: metallb-0.16.1.tgz sha256 ${shaOf('metallb')} (helm-lock.yaml pins ${lock.get('metallb').sha256}: not the published archive), ` +
      `copied from ${from} into the store\n`);
    expect(res.stderr).toContain(`pinned      istiod: istiod-1.30.3.tgz sha256 ${shaOf('istiod')} (helm-lock.yaml pins none), copied from ${from} into the store\n`);
    const mirror = ChartLock.load(file);
    expect(mirror.charts).toEqual(lock.charts.map((c) => ({ ...c, sha256: shaOf(c.key) })));
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# A mirror lock, written by `npm run charts:pull -- --mirror-lock`: /);
    expect(fs.readFileSync(lock.file, 'utf8')).toBe(before);

    const written = fs.readFileSync(file);
    expect(chartsPull(['--mirror-lock', file, '--from', from], { CHART_STORE: store }).status).toBe(0);
    expect(fs.readFileSync(file)).toEqual(written);

    const outdir = path.join(dir, 'dist');
    const logged: string[] = [];
    await run([], { PATH: process.env.PATH, PLATFORM_CONFIG: LAB_CONFIG, PLATFORM_KEY: TEST_KEY, CHART_LOCK: file, CHART_STORE: store, CDK8S_OUTDIR: outdir },
      ROOT, { log: (l) => logged.push(l), print: () => undefined });
    expect(logged[logged.length - 1]).toMatch(/^wrote \d+ objects to /);
    expect(Object.values(readTree(outdir)).flatMap(loadAll).find((o) => o.kind === 'Deployment' && o.metadata.name === 'seldon-core-operator'))
      .toMatchObject({ metadata: { namespace: 'seldon-system' } });
  });
});
