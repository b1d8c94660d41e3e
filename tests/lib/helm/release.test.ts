import { App, Chart } from 'cdk8s';
import { ChartStore } from '../../../lib/helm/store';
import { HelmRelease, renderReleases } from '../../../lib/helm/release';
import { K3S_TARGET } from '../../../config/kubernetes';
import { RenderCache } from '../../../lib/helm/render-cache';
import { HelmRenderer } from '../../../lib/helm/renderer';
import { fixtureChart, fixtureStore, testHelm, testRenderer, tmpDir } from '../../helpers';


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

  test('runs the work given for the wait once while helm renders a release the cache lacks, and never when the cache has them all', async () => {
    const cache = new RenderCache({ dir: tmpDir() });
    const renderer = new HelmRenderer({ helm: testHelm(), store, target: K3S_TARGET, homeDir: tmpDir('helm-home-'), warn: () => undefined, cache });
    const events: string[] = [];
    const tree = (names: string[]) => {
      const app = new App();
      const chart = new Chart(app, 'c');
      for (const name of names) new HelmRelease(chart, name, { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: name, namespace: 'n' });
      return app;
    };
    const render = (names: string[]) => renderReleases(tree(names), renderer, (r, _n, _ms, cached) => events.push(`${r.releaseName} ${cached ? 'from the cache' : 'rendered'}`), () => events.push(`waiting, ${renderer.running} helm running`));
    await render(['a']);
    expect(events).toEqual(['waiting, 1 helm running', 'a rendered']);
    events.length = 0;
    await render(['a', 'b']);
    expect(events).toEqual(['a from the cache', 'waiting, 1 helm running', 'b rendered']);
    events.length = 0;
    await render(['a', 'b']);
    expect(events).toEqual(['a from the cache', 'b from the cache']);
    expect(renderer.running).toBe(0);
    // Work that fails is only work not done ahead: the renders go on.
    await renderReleases(tree(['c']), renderer, undefined, () => {
      events.push('failed');
      throw new Error('preloading failed');
    });
    expect(events.slice(-1)).toEqual(['failed']);
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
