// Adding a component is a module and a registry line: this file is both, for a component the platform does
// not have (a cert-manager stand-in on a fixture chart), and no other source file names it.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { COMPONENTS } from '../charts/registry';
import { ComponentChart, HelmProps } from '../charts/component-chart';
import { defineComponent } from '../charts/component';
import { Platform } from '../charts/platform';
import { configSchema } from '../config/schema';
import { loadConfig } from '../config/load';
import { NAMESPACE, REPLICAS } from '../config/schema-fragments';
import { HelmRelease } from '../lib/helm/release';
import { Phase } from '../lib/phases';
import { synthesize } from '../lib/synth';
import { loadAll, packageChart, readOutputTree, ROOT, standInCharts, TEST_KEY, testRenderer, tmpDir, writeLock } from './helpers';

interface CertManagerProps extends HelmProps {
  readonly namespace?: string;
  readonly replicas?: number;
}

class CertManager extends ComponentChart {
  public readonly release: HelmRelease;
  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id, { namespace: props.namespace ?? 'cert-manager' });
    this.release = this.addRelease(props, { releaseName: 'cert-manager', readyBeforeNextPhase: true, values: { replicaCount: props.replicas ?? 1 } });
  }
}

const certManager = defineComponent({
  type: 'object', additionalProperties: false, required: ['namespace', 'replicas'],
  properties: { namespace: NAMESPACE, replicas: REPLICAS },
} as const)({
  key: 'certManager',
  defaults: { namespace: 'cert-manager', replicas: 1 },
  profiles: { cluster: { replicas: 2 } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  build: (scope, s, context) => new CertManager(scope, 'cert-manager', { ...context, ...s }),
});

const REGISTRY = [...COMPONENTS, certManager];

describe('a component added to the registry', () => {
  let dir: string;
  const write = (text: string) => {
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, text);
    return file;
  };
  beforeAll(() => {
    dir = tmpDir();
    fs.cpSync(path.join(ROOT, 'helm-values'), path.join(dir, 'helm-values'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'helm-values', 'cert-manager.yaml'), 'installCRDs: true\n');
  });

  test('gets its slice of the schema, its defaults and its profile\'s changes', () => {
    expect(configSchema(REGISTRY).properties.certManager).toBe(certManager.schema);
    expect(loadConfig(write('profile: lab\n'), REGISTRY).config).toMatchObject({ certManager: { namespace: 'cert-manager', replicas: 1 } });
    expect(loadConfig(write('profile: cluster\n'), REGISTRY).config).toMatchObject({ certManager: { namespace: 'cert-manager', replicas: 2 } });
  });

  test('fails on its own bad settings and on a namespace another component claims, naming each', () => {
    expect(() => loadConfig(write('certManager:\n  replicaz: 2\n'), REGISTRY)).toThrow(
      'platform.yaml:2: unknown setting "certManager.replicaz"; the settings under certManager are namespace, replicas');
    expect(() => loadConfig(write('certManager:\n  namespace: istio-system\n'), REGISTRY)).toThrow(
      'platform.yaml:2: certManager.namespace: "istio-system" is already istio.namespace\'s namespace; give each component its own');
  });

  test('synthesizes and validates with the platform: its Namespace first, its release in its namespace with its values', async () => {
    const { config, valuesDir } = loadConfig(write('certManager:\n  replicas: 3\n'), REGISTRY);
    const standIns = standInCharts();
    const lock = writeLock(tmpDir(), [...standIns.lock.charts, { key: 'cert-manager', chart: 'cert-manager', version: '1.0.0' }]);
    packageChart('stand-in', standIns.store.dir, { name: 'cert-manager', version: '1.0.0' });
    const app = new App();
    new Platform(app, 'platform', { lock, config, valuesDir, installationKey: TEST_KEY, components: REGISTRY });
    const outdir = path.join(tmpDir(), 'dist');
    const manifests = await synthesize(app, { outdir, renderer: testRenderer(standIns.store) });

    const ours = manifests.filter((m) => m.object.metadata.namespace === 'cert-manager' || m.object.metadata.name === 'cert-manager');
    expect(ours.map((m) => `${m.phase} ${m.object.kind} ${m.object.metadata.name}`)).toEqual([
      `${Phase.FOUNDATIONS} Namespace cert-manager`,
      `${Phase.CONTROLLERS} ServiceAccount cert-manager`,
      `${Phase.CONTROLLERS} Secret cert-manager`,
      `${Phase.CONTROLLERS} Deployment cert-manager`,
    ]);
    const values = loadAll(Object.values(readOutputTree(`${outdir}-secrets`)).join('\n')).find((s) => s.metadata.name === 'cert-manager');
    expect(JSON.parse(Buffer.from(values.data['values.json'], 'base64').toString())).toEqual({ installCRDs: true, replicaCount: 3 });
    expect(ours.find((m) => m.object.kind === 'Deployment')!.object.metadata.annotations).toMatchObject({ 'phases/ready-before-next-phase': 'true' });
  });
});
