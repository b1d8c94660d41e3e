import { gitopsObjects } from '../../../lib/gitops';
import { gitRef } from '../../../lib/gitops/flux';
import { MANIFESTS, OPTIONS } from './fixtures';

describe('the Flux objects', () => {
  const objects = gitopsObjects(MANIFESTS, OPTIONS('flux')).map((o) => o.object);
  const kustomization = (folder: string) => objects.find((o) => o.metadata.name === `lab-${folder}`)!;

  test('a GitRepository, and a Kustomization per phase in flux.yaml, in the engine\'s namespace, named from the settings', () => {
    expect(gitopsObjects(MANIFESTS, OPTIONS('flux')).map((o) => `${o.file} ${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`)).toEqual([
      'gitops/flux.yaml GitRepository flux-system/lab',
      'gitops/flux.yaml Kustomization flux-system/lab-01-crds-namespaces',
      'gitops/flux.yaml Kustomization flux-system/lab-02-controllers',
      'gitops/flux.yaml Kustomization flux-system/lab-03-custom-resources',
      'gitops/flux.yaml Kustomization flux-system/lab-04-apps',
    ]);
    expect(objects[0].spec).toEqual({ interval: '5m', url: 'https://git.example.com/fleet.git', ref: { branch: 'main' } });
  });

  test('each phase: its folder, the one before it, waiting for everything it applied, pruning, no force', () => {
    expect(kustomization('03-custom-resources').spec).toEqual({
      interval: '5m', timeout: '15m', path: './clusters/lab/03-custom-resources', prune: true, force: false, wait: true,
      sourceRef: { kind: 'GitRepository', name: 'lab' }, dependsOn: [{ name: 'lab-02-controllers' }],
    });
    expect(kustomization('01-crds-namespaces').spec.dependsOn).toBeUndefined();
  });

  test('health checks: phase 1\'s CRDs, and the operators marked ready-before-next-phase in their phase', () => {
    expect(kustomization('01-crds-namespaces').spec.healthChecks).toEqual([{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'widgets.example.com' }]);
    expect(kustomization('02-controllers').spec.healthChecks).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'op', namespace: 'ops' }]);
  });

  test('ignore rules: the fields controllers set, as JSON pointers on the objects matched exactly', () => {
    expect(kustomization('01-crds-namespaces').spec.ignore).toEqual([
      { paths: ['/spec/conversion/webhook/clientConfig/caBundle'], target: { group: 'apiextensions\\.k8s\\.io', kind: 'CustomResourceDefinition', name: 'widgets\\.example\\.com' } },
    ]);
    expect(kustomization('02-controllers').spec.ignore).toEqual([
      { paths: ['/data'], target: { kind: 'Secret', name: 'op-cert', namespace: 'ops' } },
      {
        paths: ['/webhooks/0/clientConfig/caBundle', '/webhooks/1/clientConfig/caBundle', '/webhooks/0/failurePolicy', '/webhooks/1/failurePolicy'],
        target: { group: 'admissionregistration\\.k8s\\.io', kind: 'ValidatingWebhookConfiguration', name: 'op\\.example\\.com' },
      },
    ]);
  });

  test('an output at the repository\'s root is at ./<phase folder>', () => {
    const root = gitopsObjects(MANIFESTS, OPTIONS('flux', { path: '.' })).map((o) => o.object.spec.path).filter(Boolean);
    expect(root).toEqual(['./01-crds-namespaces', './02-controllers', './03-custom-resources', './04-apps']);
  });
});

describe('gitRef', () => {
  test('a version is a tag, refs/... a reference, anything else a branch', () => {
    expect(['v1.4.0', '2.0.1-rc.1', 'refs/tags/release-7', 'main', 'release/1.4', 'v1.4'].map(gitRef)).toEqual([
      { tag: 'v1.4.0' }, { tag: '2.0.1-rc.1' }, { name: 'refs/tags/release-7' }, { branch: 'main' }, { branch: 'release/1.4' }, { branch: 'v1.4' },
    ]);
  });
});
