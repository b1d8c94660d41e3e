import { RenderTarget } from '../lib';

/** The built-in groups Kubernetes 1.29 to 1.33 serve (the range the configuration accepts; flowcontrol v1 is GA from 1.29), plus k3s's own. */
const API_VERSIONS = [
  'v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'scheduling.k8s.io/v1', 'node.k8s.io/v1',
  'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'certificates.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1',
  'helm.cattle.io/v1', 'k3s.cattle.io/v1',
];

/** The cluster the charts are rendered for, at a Kubernetes version such as `v1.33.5+k3s1`. */
export function renderTargetFor(kubernetesVersion: string): RenderTarget {
  return { kubeVersion: kubernetesVersion, apiVersions: API_VERSIONS };
}

/** A current k3s, as `k3d cluster create` starts it: the lab profile's target. */
export const K3S_TARGET: RenderTarget = renderTargetFor('v1.33.5+k3s1');
