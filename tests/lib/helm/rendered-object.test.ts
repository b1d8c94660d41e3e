import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { RenderedApiObject } from '../../../lib/helm/rendered-object';

/** A seeded generator of the data helm output parses to: maps in any key order, lists, nulls and scalars. */
function randomData(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const scalar = () => pick<unknown>([null, 'x', '', 'b: c', '0755', 0, 1.5, -3, true, false, 'zz', 'A', '_k']);
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.4) return scalar();
    if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--) o[pick(['z', 'a', 'B', 'spec', '10', '2', 'm-n', 'é', 'metadata'])] = value(depth + 1);
    return o;
  };
  return value;
}

/** The same object as cdk8s's ApiObject and as a RenderedApiObject, in one chart. */
function both(props: Record<string, any>, chartProps: { namespace?: string; labels?: Record<string, string> } = {}) {
  const chart = new Chart(new App(), 'chart', chartProps);
  const copy = () => JSON.parse(JSON.stringify(props));
  return { upstream: new ApiObject(chart, 'upstream', copy() as any), rendered: new RenderedApiObject(chart, 'rendered', copy() as any) };
}

/** toJson as text, so key order counts. */
const text = (o: ApiObject) => JSON.stringify(o.toJson());

describe('RenderedApiObject', () => {
  test('renders what ApiObject renders, key order included, for 300 generated objects', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = randomData(seed);
      const props = {
        spec: value(0), kind: 'Thing', data: value(0), apiVersion: 'example.com/v1', zeta: value(0),
        metadata: { name: `thing-${seed}`, labels: { b: '1', a: '2' }, annotations: { z: 'y' }, uid: value(3) },
      };
      const { upstream, rendered } = both(props, seed % 2 ? { namespace: 'ns', labels: { chart: 'label' } } : {});
      expect(text(rendered)).toBe(text(upstream));
    }
  });

  test('drops null values in maps and keeps nulls in lists as cdk8s does', () => {
    const { upstream, rendered } = both({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: null, b: 'x' }, list: [null, 1, { c: null }] });
    expect(rendered.toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: 'x' }, list: [undefined, 1, {}] });
    expect(rendered.toJson()).toStrictEqual(upstream.toJson());
  });

  test('applies JSON patches and metadata added after construction, like ApiObject', () => {
    const props = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'old' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c' }] } } } };
    const { upstream, rendered } = both(props);
    for (const o of [upstream, rendered]) {
      o.addJsonPatch(JsonPatch.remove('/metadata/namespace'), JsonPatch.replace('/spec/replicas', 3), JsonPatch.add('/spec/template/spec/containers/0/image', 'i:1'));
      o.metadata.addAnnotation('phase', '2');
      o.metadata.addLabel('app', 'd');
    }
    expect(rendered.toJson()).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { phase: '2' }, labels: { app: 'd' } },
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'i:1', name: 'c' }] } } },
    });
    expect(text(rendered)).toBe(text(upstream));
    // Rendering twice gives the same: the patches change copies, never the rendered data.
    expect(text(rendered)).toBe(text(upstream));
  });

  test('leaves out apiVersion, kind or metadata when a patch removes them, like ApiObject', () => {
    const { upstream, rendered } = both({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    for (const o of [upstream, rendered]) o.addJsonPatch(JsonPatch.remove('/metadata'), JsonPatch.remove('/kind'));
    expect(rendered.toJson()).toStrictEqual({ apiVersion: 'v1', data: { a: '1' } });
    expect(text(rendered)).toBe(text(upstream));
  });

  test('keeps the rendered key order when CDK8S_DISABLE_SORT is set, like ApiObject', () => {
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const { upstream, rendered } = both({ kind: 'ConfigMap', data: { z: '1', a: '2' }, apiVersion: 'v1', metadata: { name: 'c' }, binaryData: {} });
      expect(Object.keys(rendered.toJson().data)).toEqual(['z', 'a']);
      expect(text(rendered)).toBe(text(upstream));
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = before;
    }
  });

  test('fails on a value that is not plain data with the message ApiObject gives', () => {
    const { upstream, rendered } = both({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    for (const o of [upstream, rendered]) (o as any).props.data = { at: new Date(0) };
    expect(() => upstream.toJson()).toThrow("Failed serializing construct at path 'chart/upstream' with name 'c': Error: can't render non-simple object of type 'Date'");
    expect(() => rendered.toJson()).toThrow("Failed serializing construct at path 'chart/rendered' with name 'c': Error: can't render non-simple object of type 'Date'");
  });
});
