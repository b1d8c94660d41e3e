import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { assignPhase, Phase } from '../../lib/phases';
import { ChartStore } from '../../lib/helm/store';
import { HelmRelease, HelmReleaseProps, renderReleases } from '../../lib/helm/release';
import { Manifest, checkInvariants, collectManifests, describeObject, isCrd } from '../../lib/manifests';
import { fixtureChart, fixtureStore, testRenderer, tmpDir } from '../helpers';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const summary = (ms: Manifest[]) => ms.map((m) => `${m.phase} ${m.object.kind} ${m.object.metadata.namespace ?? '-'}/${m.object.metadata.name}`);

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

describe('isCrd and describeObject', () => {
  test('a CRD is the CustomResourceDefinition kind of apiextensions.k8s.io, whatever its version; not that kind of another group, nor another kind of that group', () => {
    expect(isCrd({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' })).toBe(true);
    expect(isCrd({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition' })).toBe(true);
    expect(isCrd({ apiVersion: 'example.com/v1', kind: 'CustomResourceDefinition' })).toBe(false);
    expect(isCrd({ apiVersion: 'v1', kind: 'CustomResourceDefinition' })).toBe(false);
    expect(isCrd({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList' })).toBe(false);
    expect(isCrd({ apiVersion: 'apiextensions.crossplane.io/v1', kind: 'CompositeResourceDefinition' })).toBe(false);
  });

  test('names an object by kind, namespace and name, with "?" for what it lacks', () => {
    expect(describeObject({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } })).toBe('ConfigMap demo/c');
    expect(describeObject({ kind: 'ClusterRole', metadata: { name: 'r' } })).toBe('ClusterRole r');
    expect(describeObject({ metadata: { name: 'x', namespace: 'demo' } })).toBe('? demo/x');
    expect(describeObject({ kind: 'ConfigMap' })).toBe('ConfigMap ?');
    expect(describeObject({})).toBe('? ?');
  });
});

describe('collectManifests, the edges', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crd-in-template', 'crds-dir');
  });

  test('within the first phase, kinds go in helm\'s order (Namespace, CustomResourceDefinition, NetworkPolicy, ResourceQuota, LimitRange, PodDisruptionBudget), whatever the tree order', () => {
    const chart = new Chart(new App(), 'c');
    const first: Array<[string, string]> = [['policy/v1', 'PodDisruptionBudget'], ['v1', 'LimitRange'], ['v1', 'ResourceQuota'], ['networking.k8s.io/v1', 'NetworkPolicy']];
    for (const [apiVersion, kind] of first) assignPhase(new ApiObject(chart, kind, { apiVersion, kind, metadata: { name: kind.toLowerCase(), namespace: 'demo' } }), Phase.FOUNDATIONS);
    new ApiObject(chart, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' }, spec: { group: 'example.com', names: { kind: 'Thing' }, scope: 'Namespaced' } });
    new ApiObject(chart, 'ns', ns('demo'));
    expect(summary(collectManifests(chart))).toEqual([
      '1 Namespace -/demo', '1 CustomResourceDefinition -/things.example.com', '1 NetworkPolicy demo/networkpolicy',
      '1 ResourceQuota demo/resourcequota', '1 LimitRange demo/limitrange', '1 PodDisruptionBudget demo/poddisruptionbudget',
    ]);
  });

  test('objects of the same phase and kind keep their tree order', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'ns', ns('demo'));
    const names = ['m', 'c', 'x', 'a', 'q', 'b', 'z', 'd', 'k', 'e', 'y', 'f'];
    for (const n of names) new ApiObject(chart, n, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'demo' } });
    expect(summary(collectManifests(chart))).toEqual(['1 Namespace -/demo', ...names.map((n) => `4 ConfigMap demo/${n}`)]);
  });

  test('writes each object\'s phase into the annotation asked for, keeping its other annotations; writes none when not asked', () => {
    const build = () => {
      const chart = new Chart(new App(), 'c');
      new ApiObject(chart, 'ns', ns('demo'));
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo', annotations: { team: 'data' } } });
      return chart;
    };
    expect(collectManifests(build(), { phaseAnnotation: 'argocd.argoproj.io/sync-wave' }).map((m) => m.object.metadata.annotations)).toEqual([
      { 'argocd.argoproj.io/sync-wave': '1' },
      { 'team': 'data', 'argocd.argoproj.io/sync-wave': '4' },
    ]);
    expect(collectManifests(build()).map((m) => m.object.metadata.annotations)).toEqual([undefined, { team: 'data' }]);
  });

  test('a Namespace kind of another group is a custom resource, not a Namespace: it goes after its CRD and creates no namespace', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'namespaces.example.com' }, spec: { group: 'example.com', names: { kind: 'Namespace' }, scope: 'Cluster' } });
    new ApiObject(chart, 'ns', { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'demo' } });
    expect(summary(collectManifests(chart))).toEqual(['1 CustomResourceDefinition -/namespaces.example.com', '3 Namespace -/demo']);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } });
    expect(() => collectManifests(chart)).toThrow(new Error(
      'the output is not consistent:\nConfigMap demo/c (c/cm): namespace "demo" is not created by the output: add a Namespace object'));
  });

  test('fails with every validation error of the tree, one a line', () => {
    const chart = new Chart(new App(), 'c');
    chart.node.addValidation({ validate: () => ['something is off', 'something else is off'] });
    const child = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
    child.node.addValidation({ validate: () => ['bad child'] });
    expect(() => collectManifests(chart)).toThrow(new Error('validation failed:\nc: something is off\nc: something else is off\nc/cm: bad child'));
  });

  test('fails with every inconsistency, one a line', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ghost' } });
    new ApiObject(chart, 'b', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' } });
    expect(() => collectManifests(chart)).toThrow(new Error([
      'the output is not consistent:',
      'Thing default/t (c/b): no CustomResourceDefinition for example.com/Thing in the output: add the chart or CRD that defines it',
      'ConfigMap ghost/x (c/a): namespace "ghost" is not created by the output: add a Namespace object',
    ].join('\n')));
  });

  test('a CRD given a namespace loses it', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com', namespace: 'demo' }, spec: { group: 'example.com', names: { kind: 'Thing' }, scope: 'Namespaced' } });
    const [crd] = collectManifests(chart);
    expect(crd.object.metadata).toEqual({ name: 'things.example.com' });
  });

  test('an object of a release inside another release gets the namespace of the innermost one', async () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'ns-outer', ns('outer'));
    new ApiObject(chart, 'ns-inner', ns('inner'));
    const outer = new HelmRelease(chart, 'outer', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'o', namespace: 'outer' });
    new HelmRelease(outer, 'inner', { chart: fixtureChart('crd-in-template', '0.1.0'), releaseName: 'i', namespace: 'inner' });
    await renderReleases(app, testRenderer(store));
    expect(summary(collectManifests(app))).toEqual([
      '1 Namespace -/outer',
      '1 Namespace -/inner',
      // The inner release is a child of the outer one, made before the outer one's objects.
      '1 CustomResourceDefinition -/widgets.fixtures.example.com',
      '1 CustomResourceDefinition -/gadgets.fixtures.example.com',
      '2 ConfigMap inner/i-config',
      '2 ClusterRole -/i-reader',
      '3 Gadget -/o-gadget',
    ]);
  });
});

describe('checkInvariants, what counts as a CRD or a Namespace', () => {
  const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });

  test('another kind named like a namespace does not create it', () => {
    expect(checkInvariants([{ phase: Phase.FOUNDATIONS, object: cm('demo', 'default'), path: 'named' }, { phase: Phase.APPS, object: cm('c', 'demo'), path: 'cm' }])).toEqual([
      'ConfigMap demo/c (cm): namespace "demo" is not created by the output: add a Namespace object']);
  });

  test('a Namespace kind of another group does not create the namespace', () => {
    expect(checkInvariants([
      { phase: Phase.FOUNDATIONS, object: { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'demo' } }, path: 'custom' },
      { phase: Phase.APPS, object: cm('c', 'demo'), path: 'cm' },
    ])).toEqual(['ConfigMap demo/c (cm): namespace "demo" is not created by the output: add a Namespace object']);
  });

  test('an object that describes a kind as a CRD does (a Crossplane CompositeResourceDefinition) defines no scope or phase rule for it', () => {
    const xrd = {
      apiVersion: 'apiextensions.crossplane.io/v1', kind: 'CompositeResourceDefinition', metadata: { name: 'xdatabases.example.org' },
      spec: { group: 'example.org', names: { kind: 'XDatabase', plural: 'xdatabases' } },
    };
    expect(checkInvariants([
      { phase: Phase.CUSTOM_RESOURCES, object: xrd, path: 'xrd' },
      { phase: Phase.CUSTOM_RESOURCES, object: { apiVersion: 'example.org/v1', kind: 'XDatabase', metadata: { name: 'db' } }, path: 'db' },
    ])).toEqual([]);
  });

  test('a CRD without names is checked without failing (the API server names what it lacks)', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'broken.example.com' }, spec: { group: 'example.com' } };
    expect(checkInvariants([{ phase: Phase.FOUNDATIONS, object: crd, path: 'crd' }])).toEqual([]);
  });

  test('an empty namespace is no namespace: two such objects of one kind and name are the same object', () => {
    expect(checkInvariants([
      { phase: Phase.APPS, object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } }, path: '1' },
      { phase: Phase.APPS, object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: '' } }, path: '2' },
    ])).toEqual(['ClusterRole r (2): the same object is also defined at 1: rename one']);
  });
});

// Last: these render fixture charts with helm; a mutant the in-memory tests above kill never waits for them.
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
    ['objects a values file and the computed values both send to another namespace, naming both', { extraNamespaces: ['kube-system'], valuesFile: 'namespaceOverride: kube-public\n', values: { namespaceOverride: 'kube-public' } }, () => [
      'release "r" (chart namespace-override 0.1.0) puts 2 object(s) in namespace "kube-public", outside its namespace "demo":',
      '  ServiceAccount kube-public/r-manager',
      '  ConfigMap kube-public/r-config',
      `  namespaceOverride in ${valuesPath}, namespaceOverride in the computed values sets "kube-public": remove it (the release's namespace comes from the code that creates the release), ` +
        'or, if the objects belong there, declare "kube-public" in the release\'s extraNamespaces',
    ]],
    ['objects a values file sends to a declared namespace that the computed values choose too, blaming only the file', { extraNamespaces: ['kube-system'], valuesFile: 'namespaceOverride: kube-system\n', values: { namespaceOverride: 'kube-system' } }, () => [
      'release "r" (chart namespace-override 0.1.0) puts 3 object(s) in namespace "kube-system", which it declares, but a values file sends objects there too:',
      '  ServiceAccount kube-system/r-manager',
      '  ServiceAccount kube-system/r-agent',
      '  ConfigMap kube-system/r-config',
      `  namespaceOverride in ${valuesPath} sets "kube-system": remove it (the release's namespace comes from the code that creates the release)`,
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
