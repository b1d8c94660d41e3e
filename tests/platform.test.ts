import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { K3D_CONFIG_FILE, k3dClusterConfig } from '../config/k3d';
import { PROFILES } from '../config/profiles';
import { nginx } from '../charts/examples/nginx';
import { Platform } from '../charts/platform';
import { ARGO_CD_SYNC_WAVE, Phase, PHASE_FILES, PHASE_FOLDERS } from '../lib/phases';
import { ChartLock } from '../lib/helm/lock';
import { ChartStore } from '../lib/helm/store';
import { Manifest, checkInvariants } from '../lib/manifests';
import { synthesize } from '../lib/synth';
import { MARKER_FILE } from '../lib/output-marker';
import { childEnv, loadAll, readOutputTree, readTree, ROOT, standInCharts, TEST_KEY, testRenderer, tmpDir, writeLock } from './helpers';

/** The whole platform, rendered from stand-in charts (tests/fixtures/charts/stand-in) under the upstream names. */
describe('the platform, offline', () => {
  let lock: ChartLock;
  let store: ChartStore;
  let outdir: string;
  let manifests: Manifest[];
  let objects: any[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const releaseValues = (release: string) => JSON.parse(Buffer.from(find('Secret', release).data['values.json'], 'base64').toString());

  beforeAll(async () => {
    ({ lock, store } = standInCharts());
    outdir = path.join(tmpDir(), 'dist');
    const app = new App();
    new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
    manifests = await synthesize(app, { outdir, renderer: testRenderer(store), phaseAnnotation: ARGO_CD_SYNC_WAVE });
    objects = manifests.map((m) => m.object);
  });

  test('dist/ holds one file per phase, dist-secrets/ the Secrets with values; together the synthesized objects', () => {
    const files = readOutputTree(outdir);
    expect(Object.keys(files).sort()).toEqual(Object.values(PHASE_FILES));
    const secrets = readOutputTree(`${outdir}-secrets`);
    expect(Object.keys(secrets).sort()).toEqual([PHASE_FILES[Phase.CONTROLLERS], PHASE_FILES[Phase.APPS]]);
    const read = (tree: Record<string, string>) => Object.keys(tree).sort().flatMap((f) => loadAll(tree[f]));
    expect(read(files)).toEqual(objects.filter((o) => o.kind !== 'Secret'));
    expect(read(secrets)).toEqual(objects.filter((o) => o.kind === 'Secret'));
  });

  test('no Secret data and no value of the hub\'s secrets lands in dist/', () => {
    const text = Object.values(readOutputTree(outdir)).join('\n');
    expect(loadAll(text).filter((o) => o.kind === 'Secret')).toEqual([]);
    const hub = releaseValues('jupyterhub').hub.config;
    const values = [
      hub.ConfigurableHTTPProxy.auth_token, hub.JupyterHub.cookie_secret, hub.CryptKeeper.keys[0], hub.SharedPasswordAuthenticator.admin_password,
    ];
    expect(values.every((v) => typeof v === 'string' && v.length >= 32)).toBe(true);
    for (const v of values) expect(text).not.toContain(v);
    expect(Object.values(readOutputTree(`${outdir}-secrets`)).join('')).toContain(Buffer.from(JSON.stringify(releaseValues('jupyterhub'))).toString('base64'));
  });

  test('every custom resource comes after its CRD and every namespaced object no earlier than its Namespace, read back from dist/', () => {
    const phaseOf = (file: string) => Number(Object.entries(PHASE_FILES).find(([, f]) => f === file)![0]) as Phase;
    const fromDist = [outdir, `${outdir}-secrets`].flatMap((dir) => {
      const files = readOutputTree(dir);
      return Object.keys(files).flatMap((f) => loadAll(files[f]).map((object) => ({ phase: phaseOf(f), object, path: f })));
    });
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

  test('every object carries, as Argo CD\'s sync wave, the number of the phase folder it is written to', () => {
    for (const dir of [outdir, `${outdir}-secrets`]) {
      const files = readOutputTree(dir);
      for (const [phase, file] of Object.entries(PHASE_FILES)) {
        for (const o of loadAll(files[file] ?? '')) expect([file, o.kind, o.metadata.name, o.metadata.annotations?.[ARGO_CD_SYNC_WAVE]]).toEqual([file, o.kind, o.metadata.name, phase]);
      }
    }
  });

  test('every release renders into its own namespace', () => {
    expect(find('Deployment', 'metallb').metadata.namespace).toBe('metallb-system');
    for (const r of ['istio-base', 'istiod', 'istio-ingressgateway']) expect(find('Deployment', r).metadata.namespace).toBe('istio-system');
    expect(find('Deployment', 'jupyterhub').metadata.namespace).toBe('jupyterhub-system');
    expect(find('Deployment', 'seldon-core-operator').metadata.namespace).toBe('seldon-system');
  });

  test('the tutorial\'s helm settings reach the charts', () => {
    expect(releaseValues('metallb').frrk8s).toEqual({ enabled: false });
    expect(releaseValues('jupyterhub').hub.config.JupyterHub.authenticator_class).toBe('shared-password');
    expect(releaseValues('jupyterhub').hub.config.Authenticator).toEqual({ admin_users: ['admin'] });
    expect(releaseValues('jupyterhub').ingress).toEqual({ enabled: true, annotations: {}, hosts: ['jupyterhub.example.it'], ingressClassName: 'istio' });
    expect(releaseValues('jupyterhub').singleuser).toEqual({ defaultUrl: '/lab', extraEnv: { JUPYTERHUB_SINGLEUSER_APP: 'jupyter_server.serverapp.ServerApp' } });
    expect(releaseValues('seldon-core-operator')).toMatchObject({ managerCreateResources: true, usageMetrics: { enabled: true }, istio: { enabled: true, gateway: 'istio-system/seldon-gateway' } });
    expect(releaseValues('istiod')).toMatchObject({
      global: { hub: 'docker.io/istio', tag: '1.30.3', istioNamespace: 'istio-system' },
      meshConfig: { ingressService: 'istio-ingressgateway', ingressSelector: 'ingressgateway' },
    });
  });

  test('dist/ matches the snapshot', () => {
    expect(readOutputTree(outdir)).toMatchSnapshot();
  });

  describe('a synth that cannot finish leaves dist/ as it was', () => {
    test('fails naming the chart whose archive is missing', async () => {
      const broken = new ChartStore(tmpDir());
      for (const f of fs.readdirSync(store.dir)) if (f !== 'jupyterhub-4.4.0.tgz') fs.copyFileSync(path.join(store.dir, f), path.join(broken.dir, f));
      const before = readTree(outdir);
      const app = new App();
      new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
      await expect(synthesize(app, { outdir, renderer: testRenderer(broken) })).rejects.toThrow(
        `chart "jupyterhub" (jupyterhub 4.4.0): archive ${path.join(broken.dir, 'jupyterhub-4.4.0.tgz')} is not in the chart store: run \`npm run charts:pull\``);
      expect(readTree(outdir)).toEqual(before);
    });

    test('fails naming the chart whose digest does not match the lock', async () => {
      const dir = tmpDir();
      const wrong = writeLock(dir, lock.charts.map((c) => (c.key === 'istiod' ? { ...c, sha256: 'a'.repeat(64) } : c)));
      const before = readTree(outdir);
      const app = new App();
      new Platform(app, 'platform', { lock: wrong, installationKey: TEST_KEY });
      await expect(synthesize(app, { outdir, renderer: testRenderer(store) })).rejects.toThrow(
        new RegExp(`chart "istiod" \\(istiod 1\\.30\\.3\\): archive .*istiod-1\\.30\\.3\\.tgz has sha256 [0-9a-f]{64}, the lock records ${'a'.repeat(64)}`));
      expect(readTree(outdir)).toEqual(before);
    });

    test('fails on a misspelled field in a component, naming the file, the object and the JSON path', async () => {
      const before = readTree(outdir);
      const app = new App();
      const platform = new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
      new ApiObject(platform.component(nginx)!, 'typo', {
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'typo', namespace: 'nginx' }, spec: { portz: [{ port: 80 }] },
      });
      await expect(synthesize(app, { outdir, renderer: testRenderer(store) })).rejects.toThrow(
        '1 object field(s) fail schema validation (nothing was written):\n04-apps/manifests.yaml: Service nginx/typo: .spec.portz: unknown field');
      expect(readTree(outdir)).toEqual(before);
    });

    test('fails on a misspelled field that a values file passes through a chart', async () => {
      const valuesDir = tmpDir();
      fs.cpSync(path.join(ROOT, 'helm-values'), valuesDir, { recursive: true });
      fs.appendFileSync(path.join(valuesDir, 'istiod.yaml'), 'resources:\n  limitz:\n    cpu: "1"\n');
      const before = readTree(outdir);
      const app = new App();
      new Platform(app, 'platform', { lock, installationKey: TEST_KEY, valuesDir });
      await expect(synthesize(app, { outdir, renderer: testRenderer(store) })).rejects.toThrow(
        '02-controllers/manifests.yaml: Deployment istio-system/istiod: .spec.template.spec.containers[0].resources.limitz: unknown field');
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
      env: childEnv({ CHART_STORE: store.dir, CDK8S_OUTDIR: outdir }),
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`error: chart "metallb" (metallb 0.16.1): archive ${path.join(store.dir, 'metallb-0.16.1.tgz')} is not in the chart store`);
    expect(readTree(outdir)).toEqual({ '01-crds-namespaces.yaml': 'previous\n' });
  });

  test('writes the phases and the k3d config, reports the helm it used and what it wrote, and prints the hosts lines', () => {
    const { lock, store } = standInCharts();
    const outdir = path.join(tmpDir(), 'dist');
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts'], {
      cwd: ROOT, encoding: 'utf8',
      env: childEnv({ CHART_STORE: store.dir, CHART_LOCK: lock.file, CDK8S_OUTDIR: outdir }),
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^helm v\d+\.\d+\.\d+/);
    expect(res.stderr).toMatch(/wrote \d+ objects to .*dist\/ \(01-crds-namespaces: \d+/);
    expect(fs.readdirSync(outdir).sort()).toEqual([MARKER_FILE, ...Object.values(PHASE_FOLDERS), 'k3d']);
    expect(loadAll(fs.readFileSync(path.join(outdir, K3D_CONFIG_FILE), 'utf8'))).toEqual([k3dClusterConfig(PROFILES.lab)]);
    expect(res.stdout).toBe('# /etc/hosts: the routed hostnames at the ingress gateway (the first address of the MetalLB pool)\n' +
      '172.25.1.1 jupyterhub.example.it nginx.example.it\n');
  });

  test('--check passes on a fresh dist/ and fails on a hand-edited one, naming the file, the object and the field', () => {
    const { lock, store } = standInCharts();
    const outdir = path.join(tmpDir(), 'dist');
    const run = (...args: string[]) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts', ...args], {
      cwd: ROOT, encoding: 'utf8',
      env: childEnv({ CHART_STORE: store.dir, CHART_LOCK: lock.file, CDK8S_OUTDIR: outdir }),
    });
    expect(run().status).toBe(0);
    const pass = run('--check');
    expect([pass.status, pass.stderr]).toEqual([0, expect.stringContaining('check passed: two synths are identical')]);
    const file = path.join(outdir, PHASE_FILES[Phase.CUSTOM_RESOURCES]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('number: 80', 'number: 8080'));
    const before = readTree(outdir);
    const fail = run('--check');
    expect(fail.status).toBe(1);
    expect(fail.stderr).toContain('03-custom-resources/manifests.yaml: Gateway istio-system/seldon-gateway: .spec.servers[0].port.number: 8080 → 80');
    expect(readTree(outdir)).toEqual(before);
  });

  test('names the archives the lock pins no digest for in one notice line, however many renders', () => {
    const { lock, store } = standInCharts();
    const partial = writeLock(tmpDir(), lock.charts.map((c) => (c.key.startsWith('istio') ? { ...c, sha256: undefined } : c)));
    const outdir = path.join(tmpDir(), 'dist');
    const synth = (...args: string[]) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts', ...args], {
      cwd: ROOT, encoding: 'utf8', env: childEnv({ CHART_STORE: store.dir, CHART_LOCK: partial.file, CDK8S_OUTDIR: outdir }),
    });
    for (const res of [synth(), synth('--check')]) {
      expect(res.status).toBe(0);
      expect(res.stderr.split('\n').filter((l) => /notice|warning/.test(l))).toEqual([
        'notice: the lock pins no digest for base-1.30.3.tgz, istiod-1.30.3.tgz, gateway-1.30.3.tgz; `npm run charts:pull` records them when it downloads them']);
    }
  });

  test('fails on an unknown argument with the usage and exit code 2', () => {
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts', '--chek'], { cwd: ROOT, encoding: 'utf8', env: childEnv() });
    expect([res.status, res.stderr]).toEqual([2, 'error: Unknown option \'--chek\'\nusage: npm run synth -- [--check] [--quiet] [--no-cache]\n(npm run synth -- --help for more)\n']);
  });

  test('--help prints the usage, the options, the environment and the exit codes, and does nothing else', () => {
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['main.ts', '--help'], { cwd: ROOT, encoding: 'utf8', env: childEnv({ PLATFORM_CONFIG: '/nonexistent' }) });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Renders the platform .*\n\nusage: npm run synth -- \[--check\] \[--quiet\] \[--no-cache\]\n\noptions:\n  --check .*\n  --quiet .*\n  --no-cache .*\n  --help .*\n\nenvironment:\n  PLATFORM_CONFIG .*\n[^]*\nexit codes:\n  0  success\n  1  an error, said on stderr\n  2  a bad argument\n$/);
    expect(res.stderr).toBe('');
  });
});
