// The cluster the charts are rendered for: the Kubernetes versions the platform supports and what
// `.Capabilities` tells the templates.
import { BUILT_IN_SCHEMA_VERSION, RenderTarget, shown } from '../lib';

/**
 * The Kubernetes minors the platform renders for: from 1.29 (the API versions the render target lists,
 * flowcontrol v1 among them; JupyterHub 4.4 itself needs 1.28+) to the newest whose OpenAPI schema the
 * validator has (kubernetes-models 4.5: 1.33).
 */
export const SUPPORTED_KUBERNETES = { min: 29, max: Number(BUILT_IN_SCHEMA_VERSION.split('.')[1]) };

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

/**
 * Checks a Kubernetes version setting: a version such as `v1.33.5+k3s1` or `v1.33.5` in the supported
 * range, naming a k3s build when k3d is to run it. Throws with the fix.
 */
export function checkKubernetesVersion(version: string, needsK3sBuild: boolean): void {
  const m = /^v?1\.(\d+)\.(\d+)(\+k3s\d+)?$/.exec(version);
  const range = `1.${SUPPORTED_KUBERNETES.min} to 1.${SUPPORTED_KUBERNETES.max}`;
  if (!m) throw new Error(`${shown(version)} is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5`);
  const minor = Number(m[1]);
  if (minor < SUPPORTED_KUBERNETES.min || minor > SUPPORTED_KUBERNETES.max) {
    throw new Error(`Kubernetes 1.${minor} is not supported: the charts and the schema validator support ${range}`);
  }
  if (needsK3sBuild && !m[3]) throw new Error(`${shown(version)} names no k3s build, which k3d needs for its image; use one such as v1.33.5+k3s1`);
}
