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

  test('leaves webhooks that carry their CA, CRDs without a conversion webhook, Secrets with data, other objects and the same kinds in other groups alone', () => {
    const withCa = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ clientConfig: { caBundle: 'Q0E=' } }] };
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' }, spec: { conversion: { strategy: 'None' } } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ops' }, data: { a: 'Yg==' } };
    const noWebhooks = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'v' } };
    const sameKindElsewhere = { apiVersion: 'example.com/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'e', namespace: 'ops' }, webhooks: [{ name: 'a' }] };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ops' } };
    const noConversion = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'y.example.com' }, spec: { group: 'example.com' } };
    const secretElsewhere = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'e', namespace: 'ops' } };
    expect(ignoredFields([withCa, crd, secret, noWebhooks, sameKindElsewhere, configMap, noConversion, secretElsewhere].map((object) => ({ phase: 2, path: 'p', object })))).toEqual([]);
  });

  test('derives the CA of mutating webhooks, and of conversion webhooks that name no client config yet', () => {
    const mutating = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [{ name: 'a' }] };
    const crd = (name: string, conversion: object) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { conversion } });
    const bare = crd('bare.example.com', { strategy: 'Webhook' });
    const noClient = crd('noclient.example.com', { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } });
    const caBundle = '.spec.conversion.webhook.clientConfig.caBundle';
    expect(ignoredFields([mutating, bare, noClient].map((object) => ({ phase: 1, path: 'p', object })))).toEqual([
      {
        group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'm',
        jqPaths: ['.webhooks[]?.clientConfig.caBundle'], jsonPointers: ['/webhooks/0/clientConfig/caBundle'],
      },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'bare.example.com', jqPaths: [caBundle], jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'noclient.example.com', jqPaths: [caBundle], jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
    ]);
  });
});
