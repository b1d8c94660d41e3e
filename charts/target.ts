import { RenderTarget } from '../lib';

/**
 * The cluster the charts are rendered for: a current k3s, as `k3d cluster create` starts it.
 * The API versions are the built-in groups Kubernetes 1.33 serves, plus k3s's own.
 */
export const K3S_TARGET: RenderTarget = {
  kubeVersion: 'v1.33.5+k3s1',
  apiVersions: [
    'v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'policy/v1/PodDisruptionBudget',
    'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'admissionregistration.k8s.io/v1',
    'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'scheduling.k8s.io/v1', 'node.k8s.io/v1',
    'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'certificates.k8s.io/v1',
    'flowcontrol.apiserver.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1',
    'helm.cattle.io/v1', 'k3s.cattle.io/v1',
  ],
};
