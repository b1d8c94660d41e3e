import { App, Chart } from 'cdk8s';
import { ChartStore } from '../../../lib/helm/store';
import { HelmRelease, renderReleases } from '../../../lib/helm/release';
import { fixtureChart, fixtureStore, testRenderer } from '../../helpers';


describe('HelmRelease', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crd-in-template', 'crds-dir', 'broken');
  });

  test('renderReleases adds every release\'s objects to the tree, and runs patches on them', async () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const a = new HelmRelease(chart, 'a', { chart: fixtureChart('crd-in-template', '0.1.0'), releaseName: 'a', namespace: 'ns-a' });
    const b = new HelmRelease(chart, 'b', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'b', namespace: 'ns-b' });
    const seen: string[] = [];
    a.patch((objects) => seen.push(...objects.map((o) => o.kind)));
    await renderReleases(app, testRenderer(store));
    expect(a.apiObjects.map((o) => o.name)).toEqual(['a-config', 'widgets.fixtures.example.com', 'a-reader']);
    expect(b.apiObjects.map((o) => o.name)).toEqual(['gadgets.fixtures.example.com', 'b-gadget']);
    expect(seen).toEqual(['ConfigMap', 'CustomResourceDefinition', 'ClusterRole']);
  });

  test('fails listing every release that did not render', async () => {
    const app = new App();
    new HelmRelease(app, 'x', { chart: fixtureChart('broken', '0.1.0'), releaseName: 'x', namespace: 'n' });
    new HelmRelease(app, 'y', { chart: fixtureChart('missing', '1.0.0'), releaseName: 'y', namespace: 'n' });
    new HelmRelease(app, 'z', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'z', namespace: 'n' });
    const err = await renderReleases(app, testRenderer(store)).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/release "x" \(chart broken 0\.1\.0\) failed to render/);
    expect((err as Error).message).toMatch(/chart "missing" \(missing 1\.0\.0\): archive .* is not in the chart store/);
  });

  test('fails validation when a release was never rendered', () => {
    const app = new App();
    const r = new HelmRelease(app, 'x', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'x', namespace: 'n' });
    expect(r.node.validate()).toEqual(['helm release "x" was never rendered: call renderReleases() before synth']);
    expect(() => r.apiObjects).toThrow('is not rendered yet');
  });
});
