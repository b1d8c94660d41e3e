import { loadAll, synthConfig } from './helpers';

/**
 * The shape of dist-secrets/: each phase file's Secrets by namespace and name, with their data keys, never
 * their values (those derive from the test key and change with it).
 */
const secretsShape = (secrets: any[]) => secrets.map((s) => ({
  kind: s.kind, namespace: s.metadata.namespace, name: s.metadata.name, type: s.type, keys: Object.keys({ ...s.data, ...s.stringData }).sort(),
}));

/** The values a stand-in release got, from the Secret the stand-in chart keeps them in. */
const valuesOf = (secrets: any[], release: string) =>
  JSON.parse(Buffer.from(secrets.find((s) => s.metadata.name === release).data['values.json'], 'base64').toString());

describe('profile lab', () => {
  let out: Awaited<ReturnType<typeof synthConfig>>;
  beforeAll(async () => { out = await synthConfig('profile: lab\n'); });

  test('dist/ matches the snapshot, the k3d config included', () => {
    expect(Object.keys(out.dist).sort()).toEqual(['01-crds-namespaces/manifests.yaml', '02-controllers/manifests.yaml', '03-custom-resources/manifests.yaml', '04-apps/manifests.yaml', 'k3d/cluster.yaml']);
    expect(out.dist).toMatchSnapshot();
  });

  test('dist-secrets/ holds the Secrets that carry values: their names and keys match the snapshot', () => {
    expect(secretsShape(out.secrets)).toMatchSnapshot();
  });

  test('prints the tutorial\'s hosts line, and the ingress gateway asks MetalLB for that address', () => {
    expect(out.printed[1]).toBe('172.25.1.1 jupyterhub.example.it nginx.example.it');
    expect(valuesOf(out.secrets, 'istio-ingressgateway').service).toEqual({ annotations: { 'metallb.io/loadBalancerIPs': '172.25.1.1' } });
  });
});

describe('profile cluster', () => {
  let out: Awaited<ReturnType<typeof synthConfig>>;
  let objects: any[];
  beforeAll(async () => {
    out = await synthConfig('profile: cluster\nmetallb:\n  addresses: [10.20.0.100-10.20.0.120]\njupyterhub:\n  storageClass: fast-ssd\n');
    objects = Object.values(out.dist).flatMap(loadAll);
  });

  test('dist/ matches the snapshot', () => {
    expect(out.dist).toMatchSnapshot();
  });

  test('dist-secrets/ holds the Secrets that carry values: their names and keys match the snapshot', () => {
    expect(secretsShape(out.secrets)).toMatchSnapshot();
  });

  test('synthesizes and validates with no k3d config and no demo workloads', () => {
    expect(Object.keys(out.dist).sort()).toEqual(['01-crds-namespaces/manifests.yaml', '02-controllers/manifests.yaml', '03-custom-resources/manifests.yaml', '04-apps/manifests.yaml']);
    expect(objects.filter((o) => o.kind === 'SeldonDeployment' || o.metadata.namespace === 'nginx' || o.metadata.name === 'seldon')).toEqual([]);
    expect(out.printed[1]).toBe('10.20.0.100 jupyterhub.example.it');
    expect(valuesOf(out.secrets, 'istio-ingressgateway').service).toEqual({ annotations: { 'metallb.io/loadBalancerIPs': '10.20.0.100' } });
  });

  test('istiod and the ingress gateway run 2 replicas with PodDisruptionBudgets', () => {
    expect(valuesOf(out.secrets, 'istiod')).toMatchObject({ replicaCount: 2, autoscaleMin: 2, global: { defaultPodDisruptionBudget: { enabled: true } } });
    expect(valuesOf(out.secrets, 'istio-ingressgateway')).toMatchObject({ replicaCount: 2, autoscaling: { minReplicas: 2 }, podDisruptionBudget: { minAvailable: 1 } });
  });

  test('every workload we control requests resources, and the users\' storage class is the setting', () => {
    const requests = { requests: { cpu: expect.any(String), memory: expect.any(String) } };
    expect(valuesOf(out.secrets, 'metallb')).toMatchObject({ controller: { resources: requests }, speaker: { resources: requests } });
    expect(valuesOf(out.secrets, 'istiod')).toMatchObject({ resources: requests });
    expect(valuesOf(out.secrets, 'istio-ingressgateway')).toMatchObject({ resources: requests });
    expect(valuesOf(out.secrets, 'seldon-core-operator').manager).toEqual({ cpuRequest: '100m', memoryRequest: '200Mi' });
    const hub = valuesOf(out.secrets, 'jupyterhub');
    expect(hub).toMatchObject({ hub: { resources: requests }, proxy: { chp: { resources: requests } }, singleuser: { storage: { dynamic: { storageClass: 'fast-ssd' } } } });
  });
});
