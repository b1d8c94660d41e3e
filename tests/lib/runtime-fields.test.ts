import { ApiObject, App, Chart } from 'cdk8s';
import { declareRuntimeFields, jsonPointers, runtimeFieldsOf } from '../../lib/runtime-fields';
import { Phase } from '../../lib/phases';
import { collectManifests } from '../../lib/manifests';
import { renderFiles } from '../../lib/output';

const webhooks = (n: number) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'validator' },
  webhooks: Array.from({ length: n }, (_, i) => ({ name: `w${i}.example.com`, failurePolicy: 'Ignore', clientConfig: { service: { name: 's', namespace: 'ops' } } })),
});

describe('declareRuntimeFields', () => {
  test('keeps the declared paths on the object, once each, and collectManifests carries them but never writes them', () => {
    const app = new App();
    const object = new ApiObject(new Chart(app, 'c'), 'vwc', webhooks(1));
    declareRuntimeFields(object, ['.webhooks[]?.failurePolicy']);
    declareRuntimeFields(object, ['.webhooks[]?.failurePolicy', '.metadata.labels']);
    expect(runtimeFieldsOf(object)).toEqual(['.webhooks[]?.failurePolicy', '.metadata.labels']);
    const [manifest] = collectManifests(app);
    expect(manifest.runtimeFields).toEqual(['.webhooks[]?.failurePolicy', '.metadata.labels']);
    expect(manifest.object).toEqual(webhooks(1));
    expect(renderFiles([manifest]).get('04-apps/manifests.yaml')).not.toContain('.webhooks');
  });

  test('an object without declarations has none, and its manifest no runtimeFields', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'c'), 'vwc', webhooks(1));
    expect(collectManifests(app)).toEqual([{ phase: Phase.APPS, object: webhooks(1), path: 'c/vwc' }]);
  });

  test('fails on a path that is not a field path', () => {
    const object = new ApiObject(new Chart(new App(), 'c'), 'vwc', webhooks(1));
    expect(() => declareRuntimeFields(object, ['.webhooks[0].failurePolicy'])).toThrow(
      'runtime field ".webhooks[0].failurePolicy" of ValidatingWebhookConfiguration validator is not a path such as .spec.field or .webhooks[]?.field');
  });
});

describe('jsonPointers', () => {
  test('expands each array step to the elements the object has, and follows fields whether they are there or not', () => {
    expect(jsonPointers('.webhooks[]?.clientConfig.caBundle', webhooks(3))).toEqual([
      '/webhooks/0/clientConfig/caBundle', '/webhooks/1/clientConfig/caBundle', '/webhooks/2/clientConfig/caBundle',
    ]);
    expect(jsonPointers('.data', { kind: 'Secret' })).toEqual(['/data']);
    expect(jsonPointers('.webhooks[]?.failurePolicy', webhooks(0))).toEqual([]);
    expect(jsonPointers('.spec.items[].name', { spec: {} })).toEqual([]);
  });
});
