import { checkKubernetesVersion, K3S_TARGET, renderTargetFor, SUPPORTED_KUBERNETES } from '../../config/kubernetes';
import { BUILT_IN_SCHEMA_VERSION } from '../../lib/validation';

describe('the Kubernetes versions the platform renders for', () => {
  test('run from 1.29 to the newest the schema validator has', () => {
    expect(BUILT_IN_SCHEMA_VERSION).toBe('1.33');
    expect(SUPPORTED_KUBERNETES).toEqual({ min: 29, max: 33 });
  });

  test('the lab target is a current k3s, with the API versions of 1.29 to 1.33 and k3s\'s own', () => {
    expect(K3S_TARGET.kubeVersion).toBe('v1.33.5+k3s1');
    expect(K3S_TARGET.apiVersions).toEqual([
      'v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'policy/v1/PodDisruptionBudget',
      'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'admissionregistration.k8s.io/v1',
      'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'scheduling.k8s.io/v1', 'node.k8s.io/v1',
      'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'certificates.k8s.io/v1',
      'flowcontrol.apiserver.k8s.io/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1',
      'helm.cattle.io/v1', 'k3s.cattle.io/v1',
    ]);
    expect(renderTargetFor('v1.30.2')).toEqual({ kubeVersion: 'v1.30.2', apiVersions: K3S_TARGET.apiVersions });
  });
});

describe('checkKubernetesVersion', () => {
  test.each([
    ['v1.33.5+k3s1', true], ['v1.29.0+k3s2', true], ['1.31.4+k3s1', true], ['v1.33.5', false], ['v1.29.0', false], ['1.30.1', false],
  ])('accepts %s (k3s build needed: %s)', (version, needsK3sBuild) => {
    expect(() => checkKubernetesVersion(version, needsK3sBuild)).not.toThrow();
  });

  test.each([
    ['v1.28.9+k3s1', 'Kubernetes 1.28 is not supported: the charts and the schema validator support 1.29 to 1.33'],
    ['v1.34.0', 'Kubernetes 1.34 is not supported: the charts and the schema validator support 1.29 to 1.33'],
    ['v1.33', '"v1.33" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['v2.33.1', '"v2.33.1" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['vv1.33.1', '"vv1.33.1" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['v1.33.1+k3s', '"v1.33.1+k3s" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['v1.33.1-rc.0', '"v1.33.1-rc.0" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['xv1.33.1', '"xv1.33.1" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
    ['v1.33.1x', '"v1.33.1x" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'],
  ])('refuses %s', (version, message) => {
    expect(() => checkKubernetesVersion(version, false)).toThrow(new Error(message));
  });

  test('refuses a version without a k3s build where k3d runs it, and only there', () => {
    expect(() => checkKubernetesVersion('v1.33.5', true)).toThrow(
      new Error('"v1.33.5" names no k3s build, which k3d needs for its image; use one such as v1.33.5+k3s1'));
    expect(() => checkKubernetesVersion('v1.33.5', false)).not.toThrow();
  });
});
