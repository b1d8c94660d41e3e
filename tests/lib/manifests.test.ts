import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { assignPhase, Phase } from '../../lib/phases';
import { ChartStore } from '../../lib/helm/store';
import { HelmRelease, HelmReleaseProps, renderReleases } from '../../lib/helm/release';
import { Manifest, checkInvariants, collectManifests } from '../../lib/manifests';
import { fixtureChart, fixtureStore, testRenderer, tmpDir } from '../helpers';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const summary = (ms: Manifest[]) => ms.map((m) => `${m.phase} ${m.object.kind} ${m.object.metadata.namespace ?? '-'}/${m.object.metadata.name}`);

describe('collectManifests', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crd-in-template', 'crds-dir');
  });

  test('gives namespaced helm objects their release namespace, strips it from cluster-scoped ones, and phases them', async () => {
    // GIVEN a chart whose ConfigMap has no namespace and whose ClusterRole has one
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'ns', ns('demo'));
    new HelmRelease(chart, 'r', { chart: fixtureChart('crd-in-template', '0.1.0'), releaseName: 'r', namespace: 'demo' });
    new ApiObject(chart, 'widget', { apiVersion: 'fixtures.example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'demo' } });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'demo' } });
    await renderReleases(app, testRenderer(store));
    // WHEN
    const manifests = collectManifests(app);
    // THEN
    expect(summary(manifests)).toEqual([
      '1 Namespace -/demo',
      '1 CustomResourceDefinition -/widgets.fixtures.example.com',
      '2 ConfigMap demo/r-config',
      '2 ClusterRole -/r-reader',
      '3 Widget demo/w',
      '4 ConfigMap demo/app',
    ]);
    expect(checkInvariants(manifests)).toEqual([]);
  });

  test('a custom resource rendered by a chart goes after its CRD, and a cluster-scoped custom kind gets no namespace', async () => {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'ns', ns('demo'));
    new HelmRelease(app, 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'demo' });
    await renderReleases(app, testRenderer(store));
    expect(summary(collectManifests(app))).toEqual(['1 Namespace -/demo', '1 CustomResourceDefinition -/gadgets.fixtures.example.com', '3 Gadget -/r-gadget']);
  });

  test('fails on a namespace nothing creates, naming the object and the fix', () => {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ghost' } });
    expect(() => collectManifests(app)).toThrow('ConfigMap ghost/x (c/cm): namespace "ghost" is not created by the output: add a Namespace object');
  });

  test('fails on a custom resource whose CRD is not in the output', () => {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'ns', ns('demo'));
    new ApiObject(app, 'x', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'demo' } });
    expect(() => collectManifests(app)).toThrow('Thing demo/t (c/x): no CustomResourceDefinition for example.com/Thing in the output');
  });

  test('fails on a namespaced object of our own without a namespace', () => {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(() => collectManifests(app)).toThrow('namespaced object without a namespace: set metadata.namespace');
  });

  test('fails on two objects with the same identity', () => {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
    new ApiObject(app, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
    expect(() => collectManifests(app)).toThrow('ConfigMap default/x (c/b): the same object is also defined at c/a: rename one');
  });

  test('fails with the tree\'s validation errors', () => {
    const app = new Chart(new App(), 'c');
    app.node.addValidation({ validate: () => ['something is off'] });
    expect(() => collectManifests(app)).toThrow('validation failed:\nc: something is off');
  });
});

describe('collectManifests: a release\'s objects stay in its namespaces', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('namespace-override');
  });

  /** Renders the namespace-override fixture as release "r" in namespace "demo", with a values file of `values`. */
  async function collect(props: Partial<HelmReleaseProps> & { valuesFile?: string } = {}): Promise<Manifest[]> {
    const app = new Chart(new App(), 'c');
    new ApiObject(app, 'ns', ns('demo'));
    const valuesFiles = props.valuesFile === undefined ? [] : [writeValues(props.valuesFile)];
    new HelmRelease(app, 'r', { chart: fixtureChart('namespace-override', '0.1.0'), releaseName: 'r', namespace: 'demo', valuesFiles, ...props });
    await renderReleases(app, testRenderer(store));
    return collectManifests(app);
  }
  let valuesPath = '';
  function writeValues(text: string): string {
    valuesPath = path.join(tmpDir(), 'r.yaml');
    fs.writeFileSync(valuesPath, text);
    return valuesPath;
  }

  test('objects in a namespace the release declares pass; those without a namespace get the release\'s; cluster-scoped ones get none', async () => {
    expect(summary(await collect({ extraNamespaces: ['kube-system'] }))).toEqual([
      '1 Namespace -/demo',
      '2 ServiceAccount demo/r-manager',
      '2 ServiceAccount kube-system/r-agent',
      '2 ConfigMap demo/r-config',
      '2 ConfigMap demo/r-plain',
      '2 ClusterRole -/r-agent',
    ]);
  });

  const refusals: Array<[string, Partial<HelmReleaseProps> & { valuesFile?: string }, () => string[]]> = [
    ['an object the chart itself puts in an undeclared namespace', {}, () => [
      'release "r" (chart namespace-override 0.1.0) puts 1 object(s) in namespace "kube-system", outside its namespace "demo":',
      '  ServiceAccount kube-system/r-agent',
      '  no value of the release names "kube-system", so the chart itself puts them there: if they belong there, declare "kube-system" in the release\'s extraNamespaces',
    ]],
    ['objects a values file sends to another namespace (namespaceOverride)', { extraNamespaces: ['kube-system'], valuesFile: 'namespaceOverride: kube-public\n' }, () => [
      'release "r" (chart namespace-override 0.1.0) puts 2 object(s) in namespace "kube-public", outside its namespace "demo":',
      '  ServiceAccount kube-public/r-manager',
      '  ConfigMap kube-public/r-config',
      `  namespaceOverride in ${valuesPath} sets "kube-public": remove it (the release's namespace comes from the code that creates the release), ` +
        'or, if the objects belong there, declare "kube-public" in the release\'s extraNamespaces',
    ]],
    ['objects the computed values send to another namespace', { extraNamespaces: ['kube-system'], values: { namespaceOverride: 'kube-public' } }, () => [
      'release "r" (chart namespace-override 0.1.0) puts 2 object(s) in namespace "kube-public", outside its namespace "demo":',
      '  ServiceAccount kube-public/r-manager',
      '  ConfigMap kube-public/r-config',
      '  namespaceOverride in the computed values sets "kube-public": remove it (the release\'s namespace comes from the code that creates the release), ' +
        'or, if the objects belong there, declare "kube-public" in the release\'s extraNamespaces',
    ]],
    ['objects a values file sends to a namespace the release declares for its agent', { extraNamespaces: ['kube-system'], valuesFile: 'namespaceOverride: kube-system\n' }, () => [
      'release "r" (chart namespace-override 0.1.0) puts 3 object(s) in namespace "kube-system", which it declares, but a values file sends objects there too:',
      '  ServiceAccount kube-system/r-manager',
      '  ServiceAccount kube-system/r-agent',
      '  ConfigMap kube-system/r-config',
      `  namespaceOverride in ${valuesPath} sets "kube-system": remove it (the release's namespace comes from the code that creates the release)`,
    ]],
  ];
  test.each(refusals)('fails on %s, listing each object and the value to blame', async (_name, props, lines) => {
    const err = await collect(props).then(() => undefined, (e: Error) => e);
    expect(err?.message).toBe(['the output is not consistent:', ...lines()].join('\n'));
  });
});

describe('checkInvariants', () => {
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' }, spec: { group: 'example.com', names: { kind: 'Thing' }, scope: 'Namespaced' } };
  const thing = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'demo' } };

  test('fails when a custom resource is not in a later phase than its CRD', () => {
    const problems = checkInvariants([
      { phase: Phase.FOUNDATIONS, object: ns('demo'), path: 'ns' },
      { phase: Phase.CONTROLLERS, object: crd, path: 'crd' },
      { phase: Phase.CONTROLLERS, object: thing, path: 'thing' },
    ]);
    expect(problems).toEqual(['Thing demo/t (thing): in phase 2, not after its CRD (phase 2)']);
  });

  test('fails when a namespaced object comes before its Namespace', () => {
    const problems = checkInvariants([
      { phase: Phase.CONTROLLERS, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } }, path: 'cm' },
      { phase: Phase.APPS, object: ns('demo'), path: 'ns' },
    ]);
    expect(problems).toEqual(['ConfigMap demo/c (cm): in phase 2, before its Namespace (phase 4)']);
  });

  test('fails on a cluster-scoped object with a namespace', () => {
    const problems = checkInvariants([{ phase: Phase.APPS, object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'x' } }, path: 'r' }]);
    expect(problems).toEqual(['ClusterRole x/r (r): cluster-scoped object with namespace "x"']);
  });
});

describe('checkInvariants, the edges', () => {
  const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });

  test('the namespaces every cluster has need no Namespace object; any other does', () => {
    const objects = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'mine'].map((n, i) => ({ phase: Phase.APPS, object: cm(`c${i}`, n), path: `p${i}` }));
    expect(checkInvariants(objects)).toEqual(['ConfigMap mine/c4 (p4): namespace "mine" is not created by the output: add a Namespace object']);
    expect(checkInvariants(objects, { preexistingNamespaces: ['mine'] })).toEqual([
      'ConfigMap default/c0 (p0): namespace "default" is not created by the output: add a Namespace object',
      'ConfigMap kube-system/c1 (p1): namespace "kube-system" is not created by the output: add a Namespace object',
      'ConfigMap kube-public/c2 (p2): namespace "kube-public" is not created by the output: add a Namespace object',
      'ConfigMap kube-node-lease/c3 (p3): namespace "kube-node-lease" is not created by the output: add a Namespace object',
    ]);
  });

  test('a namespaced object may be in the same phase as its Namespace, not an earlier one', () => {
    expect(checkInvariants([{ phase: Phase.CONTROLLERS, object: ns('demo'), path: 'ns' }, { phase: Phase.CONTROLLERS, object: cm('c', 'demo'), path: 'cm' }])).toEqual([]);
    expect(checkInvariants([{ phase: Phase.APPS, object: ns('demo'), path: 'ns' }, { phase: Phase.CUSTOM_RESOURCES, object: cm('c', 'demo'), path: 'cm' }])).toEqual([
      'ConfigMap demo/c (cm): in phase 3, before its Namespace (phase 4)']);
  });

  test('the same name in two namespaces, or for two kinds, is no clash; the same kind, namespace and name is', () => {
    const base = [{ phase: Phase.FOUNDATIONS, object: ns('a'), path: 'na' }, { phase: Phase.FOUNDATIONS, object: ns('b'), path: 'nb' }];
    expect(checkInvariants([...base, { phase: Phase.APPS, object: cm('x', 'a'), path: '1' }, { phase: Phase.APPS, object: cm('x', 'b'), path: '2' },
      { phase: Phase.APPS, object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } }, path: '3' }])).toEqual([]);
    expect(checkInvariants([...base, { phase: Phase.APPS, object: cm('x', 'a'), path: '1' }, { phase: Phase.APPS, object: cm('x', 'a'), path: '2' }])).toEqual([
      'ConfigMap a/x (2): the same object is also defined at 1: rename one']);
  });

  test('a namespaced object without a namespace is named', () => {
    expect(checkInvariants([{ phase: Phase.APPS, object: cm('loose'), path: 'p' }])).toEqual(['ConfigMap loose (p): namespaced object without a namespace']);
  });
});

describe('collectManifests, the install order', () => {
  /** Helm's install order, as collectManifests sorts kinds within a phase. */
  const KINDS: Array<[string, string, boolean]> = [
    ['v1', 'Namespace', false], ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false], ['networking.k8s.io/v1', 'NetworkPolicy', true],
    ['v1', 'ResourceQuota', true], ['v1', 'LimitRange', true], ['policy/v1', 'PodDisruptionBudget', true], ['v1', 'ServiceAccount', true],
    ['v1', 'Secret', true], ['v1', 'ConfigMap', true], ['storage.k8s.io/v1', 'StorageClass', false], ['v1', 'PersistentVolume', false],
    ['v1', 'PersistentVolumeClaim', true], ['rbac.authorization.k8s.io/v1', 'ClusterRole', false], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false],
    ['rbac.authorization.k8s.io/v1', 'Role', true], ['rbac.authorization.k8s.io/v1', 'RoleBinding', true], ['v1', 'Service', true],
    ['apps/v1', 'DaemonSet', true], ['v1', 'Pod', true], ['apps/v1', 'ReplicaSet', true], ['apps/v1', 'Deployment', true],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', true], ['apps/v1', 'StatefulSet', true], ['batch/v1', 'Job', true], ['batch/v1', 'CronJob', true],
    ['networking.k8s.io/v1', 'IngressClass', false], ['networking.k8s.io/v1', 'Ingress', true], ['apiregistration.k8s.io/v1', 'APIService', false],
    ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', false], ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', false],
  ];

  test('sorts every kind the engine knows in helm\'s order within a phase, and kinds it does not know after them in tree order', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'ns-demo', ns('demo'));
    // Added in reverse, with two built-in kinds the order does not list first.
    new ApiObject(chart, 'lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'demo' } });
    new ApiObject(chart, 'slice', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e', namespace: 'demo' } });
    for (const [apiVersion, kind, namespaced] of [...KINDS].reverse()) {
      if (kind === 'Namespace') continue;
      const o = new ApiObject(chart, kind, { apiVersion, kind, metadata: { name: kind.toLowerCase(), ...(namespaced ? { namespace: 'demo' } : {}) } });
      if (kind !== 'CustomResourceDefinition') assignPhaseOf(o);
    }
    const order = collectManifests(app).filter((m) => m.phase === Phase.APPS).map((m) => m.object.kind);
    expect(order).toEqual([...KINDS.map(([, k]) => k).filter((k) => k !== 'Namespace' && k !== 'CustomResourceDefinition'), 'Lease', 'EndpointSlice']);
  });

  test('puts phases in order whatever the tree order', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } });
    new ApiObject(chart, 'ns', ns('demo'));
    expect(summary(collectManifests(app))).toEqual(['1 Namespace -/demo', '4 ConfigMap demo/c']);
  });
});

function assignPhaseOf(o: ApiObject): void {
  assignPhase(o, Phase.APPS);
}
