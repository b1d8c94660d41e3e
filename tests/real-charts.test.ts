import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform } from '../charts/platform';
import { checkInvariants, Manifest } from '../lib/manifests';
import { Phase, READY_BEFORE_NEXT_PHASE } from '../lib/phases';
import { synthesize } from '../lib/synth';
import { engineSettings } from '../config/environment';
import { pathsFrom } from '../config/paths';
import { PROFILES } from '../config/profiles';
import { ROOT, TEST_KEY, testRenderer, tmpDir } from './helpers';

// Runs on the real archives when the chart store (CHART_STORE, else .chart-store/) holds all of them and the
// lock (CHART_LOCK, else helm-lock.yaml) verifies them; otherwise it says in one line why it skips.
const { lock, store } = engineSettings(pathsFrom(process.env, ROOT), path.join(ROOT, 'helm-lock.yaml'));
const unusable = lock.charts.flatMap((c) => {
  if (!fs.existsSync(store.pathOf(c))) return [`${path.basename(store.pathOf(c))} is not in ${store.dir}`];
  try {
    store.check(c);
    return [];
  } catch (e) {
    return [(e as Error).message.split(':')[0] + ': the lock does not verify it'];
  }
});
if (unusable.length) {
  process.stderr.write(`SKIPPED the real-charts tests: ${unusable[0]}${unusable.length > 1 ? ` (and ${unusable.length - 1} more)` : ''}; they need the six archives in a store the lock verifies (README: Chart archives)\n`);
}
const missing = unusable;

(missing.length ? describe.skip : describe)('the platform on the real charts', () => {
  let manifests: Manifest[];
  let objects: any[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  beforeAll(async () => {
    const app = new App();
    new Platform(app, 'platform', { lock, installationKey: TEST_KEY });
    manifests = await synthesize(app, { outdir: path.join(tmpDir(), 'dist'), renderer: testRenderer(store) });
    objects = manifests.map((m) => m.object);
  });

  test('passes the cross-object invariants, with every phase populated', () => {
    expect(checkInvariants(manifests)).toEqual([]);
    for (const phase of [Phase.FOUNDATIONS, Phase.CONTROLLERS, Phase.CUSTOM_RESOURCES, Phase.APPS]) {
      expect(manifests.filter((m) => m.phase === phase).length).toBeGreaterThan(0);
    }
  });

  test('the CRDs of every custom resource the platform builds are in phase 1', () => {
    const crds = manifests.filter((m) => m.object.kind === 'CustomResourceDefinition').map((m) => m.object.metadata.name);
    expect(crds).toEqual(expect.arrayContaining([
      'ipaddresspools.metallb.io', 'l2advertisements.metallb.io', 'gateways.networking.istio.io', 'seldondeployments.machinelearning.seldon.io',
    ]));
    expect(crds.filter((n) => n.endsWith('frrk8s.metallb.io'))).toEqual([]);
  });

  test('JupyterHub\'s objects, which the chart leaves without a namespace, are in jupyterhub-system', () => {
    expect(find('Deployment', 'hub').metadata.namespace).toBe('jupyterhub-system');
    const ingress = objects.find((o) => o.kind === 'Ingress' && o.metadata.namespace === 'jupyterhub-system');
    expect(ingress.spec.ingressClassName).toBe('istio');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['jupyterhub.example.it']);
  });

  test('a deploy waits for the MetalLB controller, istiod and the Seldon operator before the custom resources', () => {
    const ready = objects.filter((o) => o.metadata.annotations?.[READY_BEFORE_NEXT_PHASE] === 'true').map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    expect(ready).toEqual(['Deployment metallb-system/metallb-controller', 'Deployment istio-system/istiod', 'Deployment seldon-system/seldon-controller-manager']);
  });

  test('the Seldon operator gets the Istio settings', () => {
    const env = find('Deployment', 'seldon-controller-manager').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'ISTIO_ENABLED', value: 'true' }, { name: 'ISTIO_GATEWAY', value: 'istio-system/seldon-gateway' }]));
  });

  test('istiod runs the chart\'s version, and the ingress gateway is a LoadBalancer labelled istio: ingressgateway', () => {
    expect(find('Deployment', 'istiod').spec.template.spec.containers[0].image).toBe('docker.io/istio/pilot:1.30.3');
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'istio-ingressgateway');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.selector).toMatchObject({ istio: 'ingressgateway' });
  });

  test('the ingress gateway is the only LoadBalancer, and asks for the pool\'s first address, which the hosts lines name', () => {
    const lbs = objects.filter((o) => o.kind === 'Service' && o.spec.type === 'LoadBalancer');
    expect(lbs.map((o) => [o.metadata.name, o.metadata.annotations['metallb.io/loadBalancerIPs']])).toEqual([['istio-ingressgateway', '172.25.1.1']]);
  });

  test('no helm test pod reaches the output', () => {
    expect(objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test')).toEqual([]);
  });
});

(missing.length ? describe.skip : describe)('the cluster profile on the real charts', () => {
  let objects: any[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  beforeAll(async () => {
    const app = new App();
    new Platform(app, 'platform', { lock, config: PROFILES.cluster, installationKey: TEST_KEY });
    objects = (await synthesize(app, { outdir: path.join(tmpDir(), 'dist'), renderer: testRenderer(store) })).map((m) => m.object);
  });

  test('istiod and the ingress gateway scale from 2 replicas, each with a PodDisruptionBudget', () => {
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => [o.metadata.name, o.spec.minReplicas])).toEqual([['istiod', 2], ['istio-ingressgateway', 2]]);
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.namespace === 'istio-system');
    expect(pdbs.map((o) => [o.metadata.name, o.spec.minAvailable])).toEqual([['istiod', 1], ['istio-ingressgateway', 1]]);
  });

  test('the workloads we control request resources', () => {
    for (const name of ['metallb-controller', 'istiod', 'seldon-controller-manager', 'hub', 'proxy']) {
      const containers = find('Deployment', name).spec.template.spec.containers;
      expect({ name, requests: containers[0].resources?.requests }).toEqual({ name, requests: { cpu: expect.any(String), memory: expect.any(String) } });
    }
    expect(find('DaemonSet', 'metallb-speaker').spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  test('no demo workloads', () => {
    expect(objects.filter((o) => o.kind === 'SeldonDeployment' || ['seldon', 'nginx'].includes(o.metadata.namespace))).toEqual([]);
  });
});
