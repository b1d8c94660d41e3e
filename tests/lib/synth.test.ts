import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Platform } from '../../charts/platform';
import { ChartLock } from '../../lib/helm/lock';
import { ChartStore } from '../../lib/helm/store';
import { Phase, PHASE_FILES, PHASE_FOLDERS } from '../../lib/phases';
import { checkSynthesis, renderTree, secretsDirOf, synthesize } from '../../lib/synth';
import { nodeOutputFs, OutputFs } from '../../lib/output-fs';
import { readOutputDir } from '../../lib/diff';
import { lockFileOf } from '../../lib/output-lock';
import { MARKER_FILE, withMarkers } from '../../lib/output-marker';
import { run } from '../../main';
import { CORE_DEFAULTS } from '../../config/core';
import { ROOT, standInCharts, TEST_KEY, testHelm, testRenderer, testSynthCache, tmpDir, treeState } from '../helpers';

const FIX = 'point CDK8S_OUTDIR at a folder of its own (one that holds nothing but synth\'s output)';

describe('the engine on a small tree (no helm release)', () => {
  /** A tree of a ConfigMap and a Secret with data, in the default namespace. */
  function tree(value = 'v', secret = 'djE=') {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { k: value } });
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { k: secret } });
    return app;
  }
  const renderer = () => testRenderer(new ChartStore(tmpDir()));
  const APPS = PHASE_FILES[Phase.APPS];
  // Every synth below names its Secrets folder: secretsDirOf is tested on its own, first, so that none of its mutants points a synth at the working directory.

  test('the Secrets folder: given, else the output folder\'s name with -secrets, trailing slashes dropped', () => {
    expect([
      secretsDirOf({ outdir: '/o/dist' }), secretsDirOf({ outdir: '/o/dist//' }), secretsDirOf({ outdir: 'dist\\' }), secretsDirOf({ outdir: '/o/dist', secretsDir: '/s' }),
    ]).toEqual(['/o/dist-secrets', '/o/dist-secrets', 'dist-secrets', '/s']);
  });

  test('renderTree writes one phase file per output, and the extra files beside them', async () => {
    const plain = await renderTree(tree(), { renderer: renderer() });
    expect([[...plain.outputs.manifests.keys()], [...plain.outputs.secrets.keys()]]).toEqual([[APPS], [APPS]]);
    const withFiles = await renderTree(tree(), { renderer: renderer(), files: new Map([['k3d/cluster.yaml', 'k: 3\n']]) });
    expect([...withFiles.outputs.manifests]).toEqual([[APPS, plain.outputs.manifests.get(APPS)], ['k3d/cluster.yaml', 'k: 3\n']]);
  });

  test('tells onValidated how many objects it validated, and how long that took', async () => {
    const heard: unknown[] = [];
    const started = performance.now();
    await renderTree(tree(), { renderer: renderer(), onValidated: (report, ms) => heard.push(report, ms) });
    const elapsed = performance.now() - started;
    expect(heard).toEqual([{ objects: 2, passedBefore: 0 }, expect.any(Number)]);
    expect(heard[1]).toBeGreaterThanOrEqual(0);
    expect(heard[1]).toBeLessThanOrEqual(elapsed);
  });

  test('synthesize replaces an output without a marker that holds only names synth writes or wrote: flat phase files, the extra files, the names it is given', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(outdir, 'k3d'), { recursive: true });
    for (const f of ['01-crds-namespaces.yaml', 'k3d/cluster.yaml', 'notes.txt']) fs.writeFileSync(path.join(outdir, f), 'previous\n');
    await synthesize(tree(), { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer(), files: new Map([['k3d/cluster.yaml', 'k: 3\n']]), earlierOutputNames: ['notes.txt'] });
    expect(readOutputDir(outdir)).toEqual(new Map([[MARKER_FILE, expect.any(String)], [APPS, expect.any(String)], ['k3d/cluster.yaml', 'k: 3\n']]));
  });

  test('fails when an extra file has the name of a phase file', async () => {
    await expect(renderTree(tree(), { renderer: renderer(), files: new Map([[APPS, 'x']]) })).rejects.toThrow(
      new Error(`the extra output file ${APPS} has the name of a phase file: give it another`));
  });

  test('fails naming the file of each object that fails its schema, secrets marked', async () => {
    await expect(renderTree(tree('v', 'not base64!'), { renderer: renderer() })).rejects.toThrow(/^1 object field\(s\) fail schema validation \(nothing was written\):\n\(secrets\) 04-apps\/manifests\.yaml: Secret default\/s: /);
    const app = tree();
    new ApiObject(app.node.findChild('c'), 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'default' }, data: { k: 1 } as any });
    await expect(renderTree(app, { renderer: renderer() })).rejects.toThrow(/^1 object field\(s\) fail schema validation \(nothing was written\):\n04-apps\/manifests\.yaml: ConfigMap default\/bad: /);
  });

  test('keeps what validation learnt in the cache folder it is given', async () => {
    const cacheDir = path.join(tmpDir(), 'validation');
    await renderTree(tree(), { renderer: renderer(), validationCacheDir: cacheDir });
    expect(fs.readdirSync(cacheDir).length).toBeGreaterThan(0);
  });

  test('synth --check fails when two synths differ, naming each difference, Secrets marked', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    await expect(checkSynthesis([tree('a', 'YQ=='), tree('b', 'Yg==')], { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer() })).rejects.toThrow(new Error(
      'two synths from the same sources differ:\n' +
      `${APPS}: ConfigMap default/cm: .data.k: "a" → "b"\n` +
      `(secrets) ${APPS}: Secret default/s: .data.k: "YQ==" → "Yg=="`));
  });

  test('synth --check fails when the output folder is not what the sources give, naming each file', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    await expect(checkSynthesis([tree(), tree()], { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer() })).rejects.toThrow(new Error(
      `${outdir} differs from what the sources give (run npm run synth and review the diff):\n` +
      `${MARKER_FILE}: not expected, but written\n${APPS}: not expected, but written`));
    await synthesize(tree(), { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer() });
    await expect(checkSynthesis([tree(), tree()], { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer() })).resolves.toBeUndefined();
  });

  test('synth --check takes the output\'s lock as "synth --check", through the file system it is given', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    await synthesize(tree(), { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer() });
    const locks: string[] = [];
    const io: OutputFs = { ...nodeOutputFs, writeFile: (p, data, mode) => { if (p === lockFileOf(outdir)) locks.push(data.toString('utf8').split('\n')[2]); nodeOutputFs.writeFile(p, data, mode); } };
    await checkSynthesis([tree(), tree()], { outdir, secretsDir: `${outdir}-secrets`, renderer: renderer(), fs: io });
    expect(locks).toEqual(['command synth --check']);
  });
});

// After the small tree: whole synths of the platform (seconds for the first, which loads and compiles what the
// platform needs); a mutant the tests above kill never waits for them.
describe('synth and its output folders', () => {
  let lock: ChartLock;
  let store: ChartStore;
  beforeAll(() => ({ lock, store } = standInCharts()));

  /** A repository-like folder that main.ts runs in (its configuration, values folder, code and git folder), alone in a temp folder. */
  function repository(): string {
    const repo = path.join(fs.realpathSync(tmpDir('repo-')), 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(repo, 'platform.yaml'), 'profile: lab\n');
    fs.cpSync(path.join(ROOT, 'helm-values'), path.join(repo, 'helm-values'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'main.ts'), '// the code\n');
    return repo;
  }
  // One cache folder for the file's synths: the first renders the charts and validates every object, the
  // others find both in the cache (these tests are about the output folders, not rendering).
  const synth = (repo: string, outdir: string, args: string[] = []) => run(args, {
    PATH: process.env.PATH, HELM: testHelm().path, PLATFORM_CONFIG: path.join(repo, 'platform.yaml'), CHART_LOCK: lock.file, CHART_STORE: store.dir,
    PLATFORM_KEY: TEST_KEY, CDK8S_OUTDIR: outdir, SYNTH_CACHE: testSynthCache(),
  }, repo, { log: () => {}, print: () => {} });

  test.each([
    ['the repository (CDK8S_OUTDIR=.)', (repo: string) => repo, (repo: string) => `output folder ${repo} is the repository, which synth would replace as a whole`],
    ['a folder holding the repository (CDK8S_OUTDIR=..)', (repo: string) => path.dirname(repo),
      (repo: string) => `output folder ${path.dirname(repo)} holds the repository ${repo}, which synth would replace with it`],
    ['the configuration file', (repo: string) => `${repo}/platform.yaml`, (repo: string) => `output folder ${repo}/platform.yaml is the configuration file, which synth would replace as a whole`],
    ['a folder inside the values folder', (repo: string) => `${repo}/helm-values/dist`,
      (repo: string) => `output folder ${repo}/helm-values/dist is inside the values folder ${repo}/helm-values, which holds no output`],
    ['the key file', (repo: string) => `${repo}/.platform-key`, (repo: string) => `output folder ${repo}/.platform-key is the installation key file, which synth would replace as a whole`],
    ['the cache folder', (repo: string) => `${repo}/.cache`, (repo: string) => `output folder ${repo}/.cache is the cache folder, which synth would replace as a whole`],
  ])('main.ts protects %s, and changes nothing', async (_name, outdirOf, problem) => {
    const repo = repository();
    const before = treeState(path.dirname(repo));
    await expect(synth(repo, outdirOf(repo))).rejects.toThrow(new Error(`${problem(repo)}: ${FIX}`));
    expect(treeState(path.dirname(repo))).toEqual(before);
  });

  test('main.ts protects the chart lock and the chart store', async () => {
    const repo = repository();
    await expect(synth(repo, lock.file)).rejects.toThrow(`output folder ${fs.realpathSync(lock.file)} is the chart lock, which synth would replace as a whole: ${FIX}`);
    await expect(synth(repo, path.join(store.dir, 'dist'))).rejects.toThrow(`output folder ${path.join(store.dir, 'dist')} is inside the chart store ${fs.realpathSync(store.dir)}, which holds no output: ${FIX}`);
  });

  test('synthesize refuses a folder of other files before it renders anything', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'thesis.tex'), 'years of work');
    const app = new App();
    new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
    // An empty store: rendering would fail on the first chart, so the refusal comes first.
    await expect(synthesize(app, { outdir, renderer: testRenderer(new ChartStore(tmpDir())) })).rejects.toThrow(
      `output folder ${outdir} holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): thesis.tex`);
    expect(fs.readdirSync(outdir)).toEqual(['thesis.tex']);
  });

  test('synth replaces an earlier synth\'s output that has no marker, k3d config included; --check then passes, marker included', async () => {
    const repo = repository();
    const outdir = path.join(repo, 'dist');
    fs.mkdirSync(path.join(outdir, 'k3d'), { recursive: true });
    fs.writeFileSync(path.join(outdir, '01-crds-namespaces.yaml'), 'previous\n');
    fs.writeFileSync(path.join(outdir, 'k3d', 'cluster.yaml'), 'previous\n');
    await synth(repo, outdir);
    expect(fs.readdirSync(outdir).sort()).toEqual([MARKER_FILE, ...Object.values(PHASE_FOLDERS), 'k3d']);
    await expect(synth(repo, outdir, ['--check'])).resolves.toBeUndefined();
    // A dist/ committed before synth wrote markers fails the check, saying so.
    fs.rmSync(path.join(outdir, MARKER_FILE));
    await expect(synth(repo, outdir, ['--check'])).rejects.toThrow(`${outdir} differs from what the sources give (run npm run synth and review the diff):\n${MARKER_FILE}: not expected, but written`);
  });

  test.each([['with its markers', true], ['without markers', false]])(
    'the first synth after phases became folders replaces an output of flat phase files %s, and its secrets folder', async (_name, marked) => {
      const repo = repository();
      const pair = { outdir: path.join(repo, 'dist'), secretsDir: path.join(repo, 'dist-secrets') };
      const flat = {
        output: new Map([['01-crds-namespaces.yaml', 'previous\n'], ['02-controllers.yaml', 'previous\n'], ['04-apps.yaml', 'previous\n'], ['k3d/cluster.yaml', 'previous\n']]),
        secrets: new Map([['02-controllers.yaml', 'kind: Secret\n']]),
      };
      const files = marked ? withMarkers(flat.output, flat.secrets) : flat;
      for (const [dir, tree] of [[pair.outdir, files.output], [pair.secretsDir, files.secrets]] as const) {
        for (const [name, content] of tree) {
          fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          fs.writeFileSync(path.join(dir, name), content);
        }
      }
      await synth(repo, pair.outdir);
      expect(fs.readdirSync(pair.outdir).sort()).toEqual([MARKER_FILE, ...Object.values(PHASE_FOLDERS), 'k3d']);
      expect(fs.readdirSync(pair.secretsDir).sort()).toEqual([MARKER_FILE, PHASE_FOLDERS[Phase.CONTROLLERS], PHASE_FOLDERS[Phase.APPS]]);
      expect(fs.readFileSync(path.join(pair.outdir, PHASE_FILES[Phase.FOUNDATIONS]), 'utf8')).toMatch(/^# Phase 1: CRDs and Namespaces\./);
    });

  test('a GitOps object that fails its CRD stops synth naming the file, the object and the field, and the output stays as it was', async () => {
    const repo = repository();
    const outdir = path.join(repo, 'dist');
    await synth(repo, outdir);
    const before = treeState(repo);
    const app = new App();
    new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
    const gitops = { ...CORE_DEFAULTS.gitops, engine: 'argocd' as const, repoURL: 'https://git.example.com/fleet.git', revision: 7 as unknown as string };
    await expect(synthesize(app, { outdir, renderer: testRenderer(store), gitops })).rejects.toThrow(
      'gitops/root-application.yaml: Application argocd/ml-platform: .spec.source.targetRevision: must be of type string');
    expect(treeState(repo)).toEqual(before);
  });

  test('--check finishes an interrupted swap and removes what it left before comparing', async () => {
    const repo = repository();
    const outdir = path.join(repo, 'dist');
    await synth(repo, outdir);
    const staging = path.join(repo, '.dist-secrets.new-4242-0123abcd');
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, '02-controllers.yaml'), 'kind: Secret\n');
    await synth(repo, outdir, ['--check']);
    expect(fs.readdirSync(repo).sort()).toEqual(['.cache', '.git', 'dist', 'dist-secrets', 'helm-values', 'main.ts', 'platform.yaml']);
    expect(fs.readdirSync(path.dirname(repo))).toEqual(['repo']);
  });
});
