import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { K3S_TARGET } from '../../../config/kubernetes';
import { App, Chart } from 'cdk8s';
import { ChartStore } from '../../../lib/helm/store';
import { HelmBinary } from '../../../lib/helm/binary';
import { HelmRelease, renderReleases } from '../../../lib/helm/release';
import { HelmRenderer } from '../../../lib/helm/renderer';
import { RenderCache } from '../../../lib/helm/render-cache';
import { LockedChart } from '../../../lib/helm/lock';
import { fakeHelm, fixtureChart, flood, fixtureStore, packageChart, processGone, ROOT, sha256Of, testHelm, testRenderer, tmpDir } from '../../helpers';

/** A ConfigMap, so a fake helm that prints it has rendered something. */
const ONE_OBJECT = 'printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n"';

describe('HelmRenderer', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crd-in-template', 'crds-dir', 'broken');
  });

  const request = (chart: LockedChart, values: Record<string, unknown> = {}, valuesFiles: string[] = []) => ({ releaseName: 'demo', namespace: 'demo-ns', chart, valuesFiles, values });
  const renderer = (helm: HelmBinary, options: { timeoutSeconds?: number; maxOutputBytes?: number; homeDir?: string } = {}) =>
    new HelmRenderer({ helm, store, target: K3S_TARGET, homeDir: options.homeDir ?? tmpDir('helm-home-'), warn: () => undefined, ...options });
  const crdsDir = fixtureChart('crds-dir', '0.2.0');

  test('passes every input explicitly: release, namespace, version, kube version and API versions', () => {
    const args = testRenderer(store).args(request(crdsDir), { archive: '/run/chart.tgz', valuesFiles: ['/run/values-1.yaml'], computedValues: '/run/computed-values.yaml' });
    expect(args.slice(0, 9)).toEqual(['template', 'demo', '/run/chart.tgz', '--namespace', 'demo-ns', '--version', '0.2.0', '--kube-version', 'v1.33.5+k3s1']);
    expect(args).toContain('--include-crds');
    expect(args).toContain('--skip-tests');
    expect(args.slice(-4)).toEqual(['--values', '/run/values-1.yaml', '--values', '/run/computed-values.yaml']);
  });

  test('renders CRDs from crds/ and tells the templates the target cluster', async () => {
    const objects = await testRenderer(store).render(request(crdsDir));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['CustomResourceDefinition/gadgets.fixtures.example.com', 'Gadget/demo-gadget']);
    expect(objects[1].spec).toEqual({ kubeVersion: 'v1.33.5+k3s1', hasPdb: true, hasFixtureApi: false });
  });

  test('renders CRDs inside templates, computed values winning over the chart\'s, and drops helm test pods', async () => {
    const objects = await testRenderer(store).render(request(fixtureChart('crd-in-template', '0.1.0'), { greeting: 'hi' }));
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'CustomResourceDefinition', 'ClusterRole']);
    expect(objects[0].data).toEqual({ greeting: 'hi' });
  });

  test('hands helm private copies of the checked archive and values, and removes them after (they may hold secrets)', async () => {
    // GIVEN a helm that keeps what it was given
    const seen = tmpDir();
    const helm = fakeHelm(`echo "$3" > ${seen}/archive; cp "$3" ${seen}/chart.tgz; for a; do last="$a"; done; cp "$last" ${seen}/computed; ls -ld "$(dirname "$3")" > ${seen}/mode; ${ONE_OBJECT}`);
    const home = tmpDir();
    // WHEN
    await renderer(helm, { homeDir: home }).render(request(crdsDir, { password: 'secret-value' }));
    // THEN
    const archive = fs.readFileSync(path.join(seen, 'archive'), 'utf8').trim();
    expect(archive).toMatch(new RegExp(`^${path.join(home, 'runs')}/run-${process.pid}-[A-Za-z0-9]{6}/chart\\.tgz$`));
    expect(fs.readFileSync(path.join(seen, 'chart.tgz'))).toEqual(fs.readFileSync(store.pathOf(crdsDir)));
    expect(fs.readFileSync(path.join(seen, 'computed'), 'utf8')).toBe('password: secret-value\n');
    expect(fs.readFileSync(path.join(seen, 'mode'), 'utf8')).toMatch(/^drwx------ /);
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
  });

  test('leaves no private folder behind when helm fails', async () => {
    const home = tmpDir();
    await expect(renderer(testHelm(), { homeDir: home }).render(request(fixtureChart('broken', '0.1.0'), { greeting: 'secret-value' }))).rejects.toThrow(
      /^release "demo" \(chart broken 0\.1\.0\) failed to render: .*broken on purpose: set \.Values\.fixed/s);
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
  });

  test('two renders of the same release at once, by two renderers sharing a home, both succeed', async () => {
    const home = tmpDir();
    const values = { greeting: 'same' };
    const [a, b] = await Promise.all([
      renderer(testHelm(), { homeDir: home }).render(request(fixtureChart('crd-in-template', '0.1.0'), values)),
      renderer(testHelm(), { homeDir: home }).render(request(fixtureChart('crd-in-template', '0.1.0'), values)),
    ]);
    expect(a).toEqual(b);
    expect(a.map((o) => o.kind)).toEqual(['ConfigMap', 'CustomResourceDefinition', 'ClusterRole']);
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
  });

  test('at the start removes the private folders of processes that died, and the values files an older version left', async () => {
    const home = tmpDir();
    const dead = spawnedAndEnded();
    fs.mkdirSync(path.join(home, 'runs', `run-${dead}-Zz9Yy8`), { recursive: true });
    fs.writeFileSync(path.join(home, 'runs', `run-${dead}-Zz9Yy8`, 'computed-values.yaml'), 'cookieSecret: x\n');
    fs.mkdirSync(path.join(home, 'values'));
    fs.writeFileSync(path.join(home, 'values', 'jupyterhub-0123456789abcdef.yaml'), 'cookieSecret: x\n');
    fs.writeFileSync(path.join(home, 'values', 'mine.yaml'), 'not ours\n');
    await renderer(testHelm(), { homeDir: home }).render(request(crdsDir));
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
    expect(fs.readdirSync(path.join(home, 'values'))).toEqual(['mine.yaml']);
  });

  test('removes only the names an older version gave its values files, and the folder once they were all it held', async () => {
    // GIVEN the names that version wrote (a release name of one character or more, 16 hex digits) and near misses
    const home = tmpDir();
    const legacy = ['a-0123456789abcdef.yaml', 'seldon-core-0123456789abcdef.yaml'];
    const kept = ['Jupyterhub-0123456789abcdef.yaml', 'jupyterhub-0123456789abcdef.yaml.bak', '-0123456789abcdef.yaml', 'a-0123456789abcde.yaml'];
    fs.mkdirSync(path.join(home, 'values'));
    for (const name of [...legacy, ...kept]) fs.writeFileSync(path.join(home, 'values', name), 'cookieSecret: x\n');
    const onlyLegacy = tmpDir();
    fs.mkdirSync(path.join(onlyLegacy, 'values'));
    for (const name of legacy) fs.writeFileSync(path.join(onlyLegacy, 'values', name), 'cookieSecret: x\n');
    // WHEN
    await renderer(testHelm(), { homeDir: home }).render(request(crdsDir));
    await renderer(testHelm(), { homeDir: onlyLegacy }).render(request(crdsDir));
    // THEN
    expect(fs.readdirSync(path.join(home, 'values')).sort()).toEqual([...kept].sort());
    expect(fs.readdirSync(onlyLegacy).sort()).toEqual(['runs']);
  });

  test('without a function to warn with, writes its notice to stderr, one line', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const renderer = new HelmRenderer({ helm: testHelm(), store, target: K3S_TARGET, homeDir: tmpDir() });
      await renderer.render(request(crdsDir));
      renderer.reportUnpinned();
      expect(write.mock.calls.filter(([text]) => String(text).startsWith('notice:'))).toEqual([[
        'notice: the lock pins no digest for crds-dir-0.2.0.tgz; `npm run charts:pull` records them when it downloads them\n']]);
    } finally {
      write.mockRestore();
    }
  });

  test('reports nothing when every archive rendered is pinned', async () => {
    const warnings: string[] = [];
    const renderer = testRenderer(store, warnings);
    await renderer.render(request({ ...crdsDir, sha256: sha256Of(store.pathOf(crdsDir)) }));
    expect([renderer.reportUnpinned(), warnings]).toEqual([undefined, []]);
  });

  test('fails with helm\'s message when a chart does not render, naming the release and chart', async () => {
    await expect(testRenderer(store).render(request(fixtureChart('broken', '0.1.0')))).rejects.toThrow(
      /release "demo" \(chart broken 0\.1\.0\) failed to render: .*broken on purpose: set \.Values\.fixed/);
  });

  test('names the user\'s files in helm\'s messages, not the private copies', async () => {
    const values = path.join(tmpDir(), 'demo.yaml');
    fs.writeFileSync(values, 'a: 1\n');
    const helm = fakeHelm('for a; do if [ "$prev" = --values ]; then v="$a"; break; fi; prev="$a"; done; echo "Error: cannot use $3 with values $v" >&2; exit 1');
    await expect(renderer(helm).render(request(crdsDir, {}, [values]))).rejects.toThrow(new Error(
      `release "demo" (chart crds-dir 0.2.0) failed to render: Error: cannot use ${store.pathOf(crdsDir)} with values ${values}`));
  });

  const fails: Array<[string, string, { timeoutSeconds?: number; maxOutputBytes?: number }, string]> = [
    ['outlasts a 1 s limit', 'sleep 5 & wait', { timeoutSeconds: 1 },
      'release "demo" (chart crds-dir 0.2.0): helm did not finish within 1 s, so it was stopped: a chart renders in seconds, ' +
      'so check that helm at HELM works; if the chart is just slow here, raise HELM_TIMEOUT (seconds)'],
    ['floods its output', flood(4 << 20), { maxOutputBytes: 1 << 20 },
      'release "demo" (chart crds-dir 0.2.0): helm printed more than 1 MiB on stdout, so it was stopped: a release renders far less; check the chart\'s templates and the values that size them'],
    ['prints nothing', 'exit 0', {},
      'release "demo" (chart crds-dir 0.2.0): helm rendered no objects: check that the archive holds the chart you meant and that its values do not switch every template off'],
    ['prints only separators and comments, and a warning', 'printf -- "---\\n# nothing\\n---\\n"; echo "WARNING: all off" >&2', {},
      'release "demo" (chart crds-dir 0.2.0): helm rendered no objects (helm said: WARNING: all off): check that the archive holds the chart you meant and that its values do not switch every template off'],
    ['prints YAML that does not parse', 'printf "a: [\\nsecret-token\\n"', {},
      'release "demo" (chart crds-dir 0.2.0): helm printed YAML that does not parse (line 3, column 1): unexpected end of the stream within a flow collection'],
  ];
  test.each(fails)('fails, naming the release, on a helm that %s', async (_name, script, options, message) => {
    const helm = fakeHelm(script);
    const home = tmpDir();
    const started = Date.now();
    await expect(renderer(helm, { ...options, homeDir: home }).render(request(crdsDir))).rejects.toThrow(new Error(message.replace('HELM', helm.path)));
    expect(Date.now() - started).toBeLessThan(10000);
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
  });

  test('keeps only the objects of what helm printed: no empty documents, no scalars', async () => {
    const helm = fakeHelm(`printf -- '---\\n# a comment\\n---\\njust a string\\n---\\n42\\n---\\n'; ${ONE_OBJECT}`);
    expect(await renderer(helm).render(request(crdsDir))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
  });

  const exits: Array<[string, string, { maxErrorOutputBytes?: number }, string]> = [
    ['exits with a code and says nothing', 'exit 3', {}, 'release "demo" (chart crds-dir 0.2.0) failed to render: helm exited with code 3'],
    ['is killed and says nothing', 'kill -9 $$', {}, 'release "demo" (chart crds-dir 0.2.0) failed to render: helm was killed by SIGKILL'],
    ['floods its error output', `${flood(64 << 10)} >&2`, { maxErrorOutputBytes: 1024 },
      'release "demo" (chart crds-dir 0.2.0): helm printed more than 1 KiB on stderr, so it was stopped: run helm template by hand to see why it prints so much'],
  ];
  test.each(exits)('fails, naming the release, on a helm that %s', async (_name, script, options, message) => {
    await expect(new HelmRenderer({ helm: fakeHelm(script), store, target: K3S_TARGET, homeDir: tmpDir(), warn: () => undefined, ...options }).render(request(crdsDir)))
      .rejects.toThrow(new Error(message));
  });

  test('fails, naming the release and the binary, on a helm that cannot start', async () => {
    const helm = { path: path.join(tmpDir(), 'no-helm-here'), version: 'v3.99.0', source: 'HELM' as const };
    await expect(renderer(helm).render(request(crdsDir))).rejects.toThrow(new Error(
      `release "demo" (chart crds-dir 0.2.0): helm could not be started (spawn ${helm.path} ENOENT): set HELM to a working helm binary (this is ${helm.path})`));
  });

  test('keys the render cache by what helm is given, naming the private copies by role, never by path', async () => {
    const values = path.join(tmpDir(), 'demo.yaml');
    fs.writeFileSync(values, 'a: 1\n');
    const keyOf = jest.spyOn(RenderCache, 'keyOf');
    try {
      const cache = new RenderCache({ dir: tmpDir() });
      await new HelmRenderer({ helm: testHelm(), store, target: K3S_TARGET, homeDir: tmpDir(), warn: () => undefined, cache }).render(request(crdsDir, { b: 2 }, [values, values]));
      expect(keyOf).toHaveBeenCalledTimes(1);
      const keyed = keyOf.mock.calls[0][0] as { args: string[]; computedValues: string };
      expect(keyed.args.slice(0, 3)).toEqual(['template', 'demo', '<archive>']);
      expect(keyed.args.slice(-6)).toEqual(['--values', '<values 1>', '--values', '<values 2>', '--values', '<computed values>']);
      expect(keyed.computedValues).toBe('b: 2\n');
    } finally {
      keyOf.mockRestore();
    }
  });

  test('fails on a values file that is a link to another file, without printing that file', async () => {
    const target = path.join(tmpDir(), 'passwd');
    fs.writeFileSync(target, 'root:x:0:0:root:/root:/bin/bash\n');
    const link = path.join(tmpDir(), 'demo.yaml');
    fs.symlinkSync(target, link);
    await expect(testRenderer(store).render(request(crdsDir, {}, [link]))).rejects.toThrow(new Error(
      `release "demo": ${link}: holds a single string, not values; helm takes a mapping such as "key: value" (or {} for none)`));
  });

  test('fails on a values file that is a named pipe, without blocking', async () => {
    const fifo = path.join(tmpDir(), 'demo.yaml');
    execFileSync('mkfifo', [fifo]);
    await expect(testRenderer(store).render(request(crdsDir, {}, [fifo]))).rejects.toThrow(new Error(
      `release "demo": values file ${fifo} is a named pipe (FIFO), not a regular file: a values file is a YAML file; put one there`));
  });

  test('fails on a missing values file, naming it', async () => {
    await expect(testRenderer(store).render(request(crdsDir, {}, ['/nonexistent/values.yaml']))).rejects.toThrow(new Error(
      'release "demo": values file /nonexistent/values.yaml does not exist: create it or remove it from the release'));
  });

  test('fails on a chart missing from the store before running helm', async () => {
    await expect(testRenderer(store).render(request(fixtureChart('absent', '9.9.9')))).rejects.toThrow(
      `chart "absent" (absent 9.9.9): archive ${path.join(store.dir, 'absent-9.9.9.tgz')} is not in the chart store`);
  });

  test('fails on a time limit that is not a positive number of seconds', () => {
    expect(() => renderer(testHelm(), { timeoutSeconds: 0 })).toThrow('invalid helm timeout 0: give a positive number of seconds, such as 120');
  });

  test('says once per run, in one line, which archives the lock pins no digest for, however many releases and renders', async () => {
    // GIVEN three unpinned charts and a pinned one, each in two releases, and a run that renders the tree twice (as synth --check does)
    const standIns = new ChartStore(tmpDir());
    const charts = ['alpha', 'beta', 'gamma', 'delta'].map((name) => ({ ...fixtureChart(name, '1.0.0'), key: name }));
    const pinned = { ...charts[3], sha256: sha256Of(packageChart('stand-in', standIns.dir, { name: 'delta', version: '1.0.0' })) };
    for (const c of charts.slice(0, 3)) packageChart('stand-in', standIns.dir, { name: c.chart, version: c.version });
    const tree = () => {
      const app = new App();
      const parent = new Chart(app, 'c');
      for (const [i, chart] of [...charts.slice(0, 3), pinned].entries()) {
        for (const n of [1, 2]) new HelmRelease(parent, `${chart.key}-${n}`, { chart, releaseName: `${chart.key}-${n}`, namespace: `ns-${i}` });
      }
      return app;
    };
    const warnings: string[] = [];
    const renderer = testRenderer(standIns, warnings);
    // WHEN
    await renderReleases(tree(), renderer);
    await renderReleases(tree(), renderer);
    expect(warnings).toEqual([]);
    const notice = renderer.reportUnpinned();
    // THEN one line, naming each unpinned archive once, and a second report says nothing new
    expect(warnings).toEqual(['notice: the lock pins no digest for alpha-1.0.0.tgz, beta-1.0.0.tgz, gamma-1.0.0.tgz; `npm run charts:pull` records them when it downloads them']);
    expect(notice).toBe(warnings[0]);
    expect(renderer.unpinnedArchives).toEqual(['alpha-1.0.0.tgz', 'beta-1.0.0.tgz', 'gamma-1.0.0.tgz']);
    expect(renderer.reportUnpinned()).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  test('on SIGTERM stops helm, removes its private folder and ends by the signal', async () => {
    // GIVEN a synth whose helm hangs
    const dir = tmpDir();
    const home = path.join(dir, 'home');
    const helm = fakeHelm(`sleep 8 & echo $! > ${dir}/sleeper; wait`);
    const script = path.join(dir, 'synth.ts');
    fs.writeFileSync(script, `
      import { ChartStore } from ${JSON.stringify(path.join(ROOT, 'lib/helm/store'))};
      import { HelmRenderer } from ${JSON.stringify(path.join(ROOT, 'lib/helm/renderer'))};
      new HelmRenderer({
        helm: { path: ${JSON.stringify(helm.path)}, version: 'v3.99.0', source: 'HELM' }, store: new ChartStore(${JSON.stringify(store.dir)}),
        target: { kubeVersion: '1.33.5', apiVersions: [] }, homeDir: ${JSON.stringify(home)}, warn: () => undefined,
      }).render({ releaseName: 'demo', namespace: 'demo-ns', chart: ${JSON.stringify(crdsDir)}, valuesFiles: [], values: { cookieSecret: 'x' } });
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
    while (!fs.existsSync(path.join(dir, 'sleeper')) || !fs.readFileSync(path.join(dir, 'sleeper'), 'utf8')) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(path.join(home, 'runs'))).toHaveLength(1);
    // WHEN
    child.kill('SIGTERM');
    // THEN
    expect(await exited).toBe('SIGTERM');
    expect(fs.readdirSync(path.join(home, 'runs'))).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(processGone(Number(fs.readFileSync(path.join(dir, 'sleeper'), 'utf8')))).toBe(true);
  });
});

/** The PID of a process that has ended. */
function spawnedAndEnded(): number {
  return spawnSync('true').pid!;
}
