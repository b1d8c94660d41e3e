import { ignoredFields } from '../../../lib/gitops/ignore';
import { MANIFESTS } from './fixtures';

describe('ignoredFields', () => {
  test('derives the CA of webhooks and conversion webhooks without one and the data of empty Secrets, and adds the declared fields', () => {
    expect(ignoredFields(MANIFESTS)).toEqual([
      {
        group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'widgets.example.com',
        jqPaths: ['.spec.conversion.webhook.clientConfig.caBundle'], jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'],
      },
      { group: '', kind: 'Secret', name: 'op-cert', namespace: 'ops', jqPaths: ['.data'], jsonPointers: ['/data'] },
      {
        group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'op.example.com',
        jqPaths: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
        jsonPointers: ['/webhooks/0/clientConfig/caBundle', '/webhooks/1/clientConfig/caBundle', '/webhooks/0/failurePolicy', '/webhooks/1/failurePolicy'],
      },
    ]);
  });

  test('leaves webhooks that carry their CA, conversions that are not webhooks and Secrets with data alone', () => {
    const withCa = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ clientConfig: { caBundle: 'Q0E=' } }] };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' }, spec: { conversion: { strategy: 'None' } } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ops' }, data: { a: 'Yg==' } };
    expect(ignoredFields([withCa, crd, secret].map((object) => ({ phase: 2, path: 'p', object })))).toEqual([]);
  });
});
