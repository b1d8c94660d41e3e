import { App, Chart } from 'cdk8s';
import { ChartStore } from '../../../lib/helm/store';
import { HelmRelease, renderReleases } from '../../../lib/helm/release';
import { READY_BEFORE_NEXT_PHASE } from '../../../lib/phases';
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
    // A turn later, when the work would have run.
    await new Promise((resolve) => setImmediate(resolve));
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
    // One failure after the other, each from a line of its own.
    expect((err as Error).message).toMatch(/\nchart "missing" \(missing 1\.0\.0\): archive .* is not in the chart store/);
  });

  test('addRendered names each object by kind and name, and by namespace too when two share both', () => {
    const app = new App();
    const r = new HelmRelease(new Chart(app, 'c'), 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'n' });
    r.addRendered([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'b' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
    ]);
    expect(r.apiObjects.map((o) => o.node.id)).toEqual(['ConfigMap-x', 'ConfigMap-b-x', 'Secret-x']);
    expect(() => r.addRendered([])).toThrow('helm release "r" is already rendered');
  });

  test.each([
    ['without apiVersion', { kind: 'ConfigMap', metadata: { name: 'x' } }],
    ['without kind', { apiVersion: 'v1', metadata: { name: 'x' } }],
    ['without metadata', { apiVersion: 'v1', kind: 'ConfigMap' }],
    ['with a name that is not a string', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 1 } }],
  ])('fails on a rendered object %s, naming the release, the chart and the object', (_name, object) => {
    const r = new HelmRelease(new Chart(new App(), 'c'), 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'n' });
    expect(() => r.addRendered([object])).toThrow(new Error(`release "r": chart crds-dir rendered an object without apiVersion, kind or metadata.name: ${JSON.stringify(object)}`));
  });

  test('quotes at most 200 characters of a rendered object it refuses', () => {
    const r = new HelmRelease(new Chart(new App(), 'c'), 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'n' });
    const object = { kind: 'ConfigMap', data: { long: 'x'.repeat(300) } };
    expect(() => r.addRendered([object])).toThrow(new Error(`release "r": chart crds-dir rendered an object without apiVersion, kind or metadata.name: ${JSON.stringify(object).slice(0, 200)}`));
  });

  test('readyBeforeNextPhase marks the Deployments in the release\'s namespace (or none), not other kinds or namespaces', () => {
    const r = new HelmRelease(new Chart(new App(), 'c'), 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'n' });
    r.readyBeforeNextPhase();
    r.addRendered([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'own', namespace: 'n' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'unplaced' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'agent', namespace: 'kube-system' } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'n' } },
    ]);
    expect(r.apiObjects.map((o) => [o.name, o.toJson().metadata.annotations ?? {}])).toEqual([
      ['own', { [READY_BEFORE_NEXT_PHASE]: 'true' }], ['unplaced', { [READY_BEFORE_NEXT_PHASE]: 'true' }], ['agent', {}], ['db', {}],
    ]);
  });

  test('tells how long each render took', async () => {
    const app = new App();
    new HelmRelease(new Chart(app, 'c'), 'r', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'r', namespace: 'n' });
    const times: number[] = [];
    const before = performance.now();
    await renderReleases(app, testRenderer(store), (_r, _n, ms) => times.push(ms));
    expect(times.length).toBe(1);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times[0]).toBeLessThanOrEqual(performance.now() - before);
  });

  test('fails validation when a release was never rendered', () => {
    const app = new App();
    const r = new HelmRelease(app, 'x', { chart: fixtureChart('crds-dir', '0.2.0'), releaseName: 'x', namespace: 'n' });
    expect(r.node.validate()).toEqual(['helm release "x" was never rendered: call renderReleases() before synth']);
    expect(() => r.apiObjects).toThrow('is not rendered yet');
  });
});
