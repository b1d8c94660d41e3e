import { Manifest } from '../../../lib/manifests';
import { Phase } from '../../../lib/phases';
import { GitOpsOptions } from '../../../lib/gitops';

/** A small output: a Namespace and a CRD, a controller with a webhook and a placeholder Secret, a custom resource, an app. */
export const MANIFESTS: Manifest[] = [
  { phase: Phase.FOUNDATIONS, path: 'p/ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } } },
  {
    phase: Phase.FOUNDATIONS, path: 'p/crd',
    object: {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'op', namespace: 'ops' } } } } },
    },
  },
  {
    phase: Phase.CONTROLLERS, path: 'p/op',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'op', namespace: 'ops', annotations: { 'phases/ready-before-next-phase': 'true' } } },
  },
  { phase: Phase.CONTROLLERS, path: 'p/cert', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'op-cert', namespace: 'ops' } } },
  {
    phase: Phase.CONTROLLERS, path: 'p/vwc', runtimeFields: ['.webhooks[]?.failurePolicy'],
    object: {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'op.example.com' },
      webhooks: [{ name: 'a.example.com', failurePolicy: 'Ignore' }, { name: 'b.example.com', clientConfig: { caBundle: 'Q0E=' } }],
    },
  },
  { phase: Phase.CUSTOM_RESOURCES, path: 'p/w', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ops' } } },
  { phase: Phase.APPS, path: 'p/cm', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'kube-system' } } },
];

export const OPTIONS = (engine: GitOpsOptions['engine'], over: Partial<GitOpsOptions> = {}): GitOpsOptions => ({
  engine, repoURL: 'https://git.example.com/fleet.git', revision: 'main', path: 'clusters/lab',
  argocd: { namespace: 'argocd', project: 'lab' }, flux: { namespace: 'flux-system', gitRepository: 'lab', interval: '5m', timeout: '15m' },
  ...over,
});
