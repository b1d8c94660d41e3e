import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform } from '../charts';
import { ChartLock, ChartStore, checkInvariants, Manifest, Phase, PHASE_FILES, synthesize } from '../lib';
import { loadAll, readTree, ROOT, standInCharts, testRenderer, tmpDir, writeLock } from './helpers';

/** The whole platform, rendered from stand-in charts (tests/fixtures/charts/stand-in) under the upstream names. */
describe('the platform, offline', () => {
  let lock: ChartLock;
  let store: ChartStore;
  let outdir: string;
  let manifests: Manifest[];
  let objects: any[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const releaseValues = (release: string) => JSON.parse(find('Deployment', release).metadata.annotations.values);

  beforeAll(async () => {
    ({ lock, store } = standInCharts());
    outdir = path.join(tmpDir(), 'dist');
    const app = new App();
    new Platform(app, 'platform', { lock });
    manifests = await synthesize(app, { outdir, renderer: testRenderer(store) });
    objects = manifests.map((m) => m.object);
  });

  test('dist/ holds one file per phase, whose objects are the synthesized ones in order', () => {
    const files = readTree(outdir);
    expect(Object.keys(files).sort()).toEqual(Object.values(PHASE_FILES));
    const fromFiles = Object.keys(files).sort().flatMap((f) => loadAll(files[f]));
    expect(fromFiles).toEqual(objects);
  });

  test('every custom resource comes after its CRD and every namespaced object no earlier than its Namespace, read back from dist/', () => {
    const files = readTree(outdir);
    const phaseOf = (file: string) => Number(Object.entries(PHASE_FILES).find(([, f]) => f === file)![0]) as Phase;
    const fromDist = Object.keys(files).flatMap((f) => loadAll(files[f]).map((object) => ({ phase: phaseOf(f), object, path: f })));
    expect(checkInvariants(fromDist)).toEqual([]);
    expect(fromDist.length).toBe(manifests.length);
  });

  test('the tutorial\'s objects are there, each in its phase', () => {
    const phase = (kind: string, name: string) => manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)?.phase;
    for (const ns of ['metallb-system', 'istio-system', 'jupyterhub-system', 'seldon-system', 'seldon', 'nginx']) {
      expect(phase('Namespace', ns)).toBe(Phase.FOUNDATIONS);
    }
    expect(phase('Deployment', 'metallb')).toBe(Phase.CONTROLLERS);
    expect(phase('Deployment', 'istiod')).toBe(Phase.CONTROLLERS);
    expect(phase('Deployment', 'seldon-core-operator')).toBe(Phase.CONTROLLERS);
    expect(phase('Deployment', 'jupyterhub')).toBe(Phase.CONTROLLERS);
    expect(phase('IngressClass', 'istio')).toBe(Phase.CONTROLLERS);
    for (const [kind, name] of [['IPAddressPool', 'ip-pool'], ['L2Advertisement', 'l2advertise'], ['Gateway', 'seldon-gateway'], ['SeldonDeployment', 'iris-model']]) {
      expect(phase(kind, name)).toBe(Phase.CUSTOM_RESOURCES);
    }
    expect(phase('Deployment', 'istio-ingressgateway')).toBe(Phase.APPS);
    expect(phase('Ingress', 'ingress-nginx-svc')).toBe(Phase.APPS);
    expect(phase('Service', 'nginx')).toBe(Phase.APPS);
    expect(phase('Deployment', 'nginx')).toBe(Phase.APPS);
  });

  test('every release renders into its own namespace', () => {
    expect(find('Deployment', 'metallb').metadata.namespace).toBe('metallb-system');
    for (const r of ['istio-base', 'istiod', 'istio-ingressgateway']) expect(find('Deployment', r).metadata.namespace).toBe('istio-system');
    expect(find('Deployment', 'jupyterhub').metadata.namespace).toBe('jupyterhub-system');
    expect(find('Deployment', 'seldon-core-operator').metadata.namespace).toBe('seldon-system');
  });

  test('the tutorial\'s helm settings reach the charts', () => {
    expect(releaseValues('metallb').frrk8s).toEqual({ enabled: false });
    expect(releaseValues('jupyterhub').ingress).toEqual({ enabled: true, annotations: {}, hosts: ['jupyterhub.example.it'], ingressClassName: 'istio' });
    expect(releaseValues('jupyterhub').singleuser).toEqual({ defaultUrl: '/lab', extraEnv: { JUPYTERHUB_SINGLEUSER_APP: 'jupyter_server.serverapp.ServerApp' } });
    expect(releaseValues('seldon-core-operator')).toMatchObject({ usageMetrics: { enabled: true }, istio: { enabled: true, gateway: 'istio-system/seldon-gateway' } });
    expect(releaseValues('istiod')).toMatchObject({
      global: { hub: 'docker.io/istio', tag: '1.30.3', istioNamespace: 'istio-system' },
      meshConfig: { ingressService: 'istio-ingressgateway', ingressSelector: 'ingressgateway' },
    });
  });

  test('dist/ matches the snapshot', () => {
    expect(readTree(outdir)).toMatchSnapshot();
  });

  describe('a synth that cannot finish leaves dist/ as it was', () => {
    test('fails naming the chart whose archive is missing', async () => {
      const broken = new ChartStore(tmpDir());
      for (const f of fs.readdirSync(store.dir)) if (f !== 'jupyterhub-4.4.0.tgz') fs.copyFileSync(path.join(store.dir, f), path.join(broken.dir, f));
      const before = readTree(outdir);
      const app = new App();
      new Platform(app, 'platform', { lock });
      await expect(synthesize(app, { outdir, renderer: testRenderer(broken) })).rejects.toThrow(
        `chart "jupyterhub" (jupyterhub 4.4.0): archive ${path.join(broken.dir, 'jupyterhub-4.4.0.tgz')} is not in the chart store: run \`npm run charts:pull\``);
      expect(readTree(outdir)).toEqual(before);
    });

    test('fails naming the chart whose digest does not match the lock', async () => {
      const dir = tmpDir();
      const wrong = writeLock(dir, lock.charts.map((c) => (c.key === 'istiod' ? { ...c, sha256: 'a'.repeat(64) } : c)));
      const before = readTree(outdir);
      const app = new App();
      new Platform(app, 'platform', { lock: wrong });
      await expect(synthesize(app, { outdir, renderer: testRenderer(store) })).rejects.toThrow(
        new RegExp(`chart "istiod" \\(istiod 1\\.30\\.3\\): archive .*istiod-1\\.30\\.3\\.tgz has sha256 [0-9a-f]{64}, the lock records ${'a'.repeat(64)}`));
      expect(readTree(outdir)).toEqual(before);
    });
  });
});

describe('npm run synth', () => {
  test('with an archive missing, exits 1 naming the chart and leaves dist/ as it was', () => {
    const { store } = standInCharts();
    fs.rmSync(path.join(store.dir, 'metallb-0.16.1.tgz'));
    const outdir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, '01-crds-namespaces.yaml'), 'previous\n');
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts'], {
      cwd: ROOT, encoding: 'utf8',
      env: { ...process.env, CHART_STORE: store.dir, CDK8S_OUTDIR: outdir },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`error: chart "metallb" (metallb 0.16.1): archive ${path.join(store.dir, 'metallb-0.16.1.tgz')} is not in the chart store`);
    expect(readTree(outdir)).toEqual({ '01-crds-namespaces.yaml': 'previous\n' });
  });

  test('writes the phases and reports the helm it used and what it wrote', () => {
    const { lock, store } = standInCharts();
    const outdir = path.join(tmpDir(), 'dist');
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts'], {
      cwd: ROOT, encoding: 'utf8',
      env: { ...process.env, CHART_STORE: store.dir, CHART_LOCK: lock.file, CDK8S_OUTDIR: outdir },
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^helm v\d+\.\d+\.\d+/);
    expect(res.stderr).toMatch(/wrote \d+ objects to .*dist\/ \(01-crds-namespaces\.yaml: \d+/);
    expect(fs.readdirSync(outdir).sort()).toEqual(Object.values(PHASE_FILES));
  });
});
