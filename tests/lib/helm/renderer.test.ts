import * as fs from 'fs';
import * as path from 'path';
import { K3S_TARGET } from '../../../config';
import { ChartStore, HelmRenderer, LockedChart } from '../../../lib';
import { fixtureChart, fixtureStore, testHelm, testRenderer, tmpDir } from '../../helpers';


describe('HelmRenderer', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crd-in-template', 'crds-dir', 'broken');
  });

  const request = (chart: LockedChart, values: Record<string, unknown> = {}) => ({ releaseName: 'demo', namespace: 'demo-ns', chart, valuesFiles: [], values });

  test('passes every input explicitly: release, namespace, version, kube version and API versions', () => {
    const args = testRenderer(store).args(request(fixtureChart('crds-dir', '0.2.0')), '/store/crds-dir-0.2.0.tgz', '/tmp/values.yaml');
    expect(args.slice(0, 9)).toEqual(['template', 'demo', '/store/crds-dir-0.2.0.tgz', '--namespace', 'demo-ns', '--version', '0.2.0', '--kube-version', 'v1.33.5+k3s1']);
    expect(args).toContain('--include-crds');
    expect(args).toContain('--skip-tests');
    expect(args.slice(-2)).toEqual(['--values', '/tmp/values.yaml']);
  });

  test('renders CRDs from crds/ and tells the templates the target cluster', async () => {
    const objects = await testRenderer(store).render(request(fixtureChart('crds-dir', '0.2.0')));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['CustomResourceDefinition/gadgets.fixtures.example.com', 'Gadget/demo-gadget']);
    expect(objects[1].spec).toEqual({ kubeVersion: 'v1.33.5+k3s1', hasPdb: true, hasFixtureApi: false });
  });

  test('renders CRDs inside templates, computed values winning over the chart\'s, and drops helm test pods', async () => {
    const objects = await testRenderer(store).render(request(fixtureChart('crd-in-template', '0.1.0'), { greeting: 'hi' }));
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'CustomResourceDefinition', 'ClusterRole']);
    expect(objects[0].data).toEqual({ greeting: 'hi' });
  });

  test('leaves no computed values file behind (they may hold secrets)', async () => {
    const home = tmpDir();
    const renderer = new HelmRenderer({ helm: testHelm(), store, target: K3S_TARGET, homeDir: home, warn: () => undefined });
    await renderer.render(request(fixtureChart('crd-in-template', '0.1.0'), { greeting: 'secret-value' }));
    await expect(renderer.render(request(fixtureChart('broken', '0.1.0'), { greeting: 'secret-value' }))).rejects.toThrow();
    expect(fs.readdirSync(path.join(home, 'values'))).toEqual([]);
  });

  test('warns when the lock has no digest for the archive', async () => {
    const warnings: string[] = [];
    await testRenderer(store, warnings).render(request(fixtureChart('crds-dir', '0.2.0')));
    expect(warnings).toEqual([expect.stringContaining('the lock records no digest')]);
  });

  test('fails with helm\'s message when a chart does not render, naming the release and chart', async () => {
    await expect(testRenderer(store).render(request(fixtureChart('broken', '0.1.0')))).rejects.toThrow(
      /release "demo" \(chart broken 0\.1\.0\) failed to render: .*broken on purpose: set \.Values\.fixed/);
  });

  test('fails on a missing values file, naming it', async () => {
    const req = { ...request(fixtureChart('crds-dir', '0.2.0')), valuesFiles: ['/nonexistent/values.yaml'] };
    await expect(testRenderer(store).render(req)).rejects.toThrow('values file /nonexistent/values.yaml does not exist');
  });

  test('fails on a chart missing from the store before running helm', async () => {
    await expect(testRenderer(store).render(request(fixtureChart('absent', '9.9.9')))).rejects.toThrow('archive');
  });
});
