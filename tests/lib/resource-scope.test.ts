import { groupKind, groupOf, isBuiltIn, ResourceScopes } from '../../lib/resource-scope';

/** The cluster-scoped kinds Kubernetes 1.29 to 1.33 serve (`kubectl api-resources --namespaced=false`), as apiVersion and kind. */
const CLUSTER_SCOPED: Array<[string, string]> = [
  ['v1', 'Namespace'], ['v1', 'Node'], ['v1', 'PersistentVolume'], ['v1', 'ComponentStatus'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['apiregistration.k8s.io/v1', 'APIService'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'], ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'], ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding'],
  ['admissionregistration.k8s.io/v1alpha1', 'MutatingAdmissionPolicy'], ['admissionregistration.k8s.io/v1alpha1', 'MutatingAdmissionPolicyBinding'],
  ['storage.k8s.io/v1', 'StorageClass'], ['storage.k8s.io/v1', 'CSIDriver'], ['storage.k8s.io/v1', 'CSINode'],
  ['storage.k8s.io/v1', 'VolumeAttachment'], ['storage.k8s.io/v1beta1', 'VolumeAttributesClass'],
  ['scheduling.k8s.io/v1', 'PriorityClass'], ['node.k8s.io/v1', 'RuntimeClass'],
  ['networking.k8s.io/v1', 'IngressClass'], ['networking.k8s.io/v1beta1', 'IPAddress'], ['networking.k8s.io/v1beta1', 'ServiceCIDR'],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest'], ['certificates.k8s.io/v1alpha1', 'ClusterTrustBundle'],
  ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'], ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration'],
  ['resource.k8s.io/v1beta1', 'DeviceClass'], ['resource.k8s.io/v1beta1', 'ResourceSlice'],
];

/** The groups Kubernetes itself serves, with a namespaced kind of each. */
const BUILT_IN: Array<[string, string]> = [
  ['v1', 'ConfigMap'], ['apps/v1', 'Deployment'], ['batch/v1', 'Job'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'Ingress'], ['rbac.authorization.k8s.io/v1', 'Role'],
  ['storage.k8s.io/v1', 'CSIStorageCapacity'], ['admissionregistration.k8s.io/v1', 'NamespacedThing'],
  ['apiextensions.k8s.io/v1', 'NamespacedThing'], ['apiregistration.k8s.io/v1', 'NamespacedThing'],
  ['scheduling.k8s.io/v1', 'NamespacedThing'], ['node.k8s.io/v1', 'NamespacedThing'], ['coordination.k8s.io/v1', 'Lease'],
  ['discovery.k8s.io/v1', 'EndpointSlice'], ['events.k8s.io/v1', 'Event'], ['certificates.k8s.io/v1', 'NamespacedThing'],
  ['flowcontrol.apiserver.k8s.io/v1', 'NamespacedThing'], ['resource.k8s.io/v1beta1', 'ResourceClaim'],
  ['authentication.k8s.io/v1', 'TokenRequest'], ['authorization.k8s.io/v1', 'LocalSubjectAccessReview'],
];

describe('groupOf, groupKind and isBuiltIn', () => {
  test('the group is what comes before the slash; the core group (v1) is empty', () => {
    expect(groupOf('v1')).toBe('');
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('networking.istio.io/v1beta1')).toBe('networking.istio.io');
    expect(groupKind('v1', 'Namespace')).toBe('/Namespace');
    expect(groupKind('apps/v1', 'Deployment')).toBe('apps/Deployment');
  });

  test.each(BUILT_IN)('%s is built in (%s)', (apiVersion) => {
    expect(isBuiltIn(apiVersion)).toBe(true);
  });

  test.each([['networking.istio.io/v1'], ['metallb.io/v1beta1'], ['apps.example.com/v1'], ['k8s.io/v1']])('%s is not built in', (apiVersion) => {
    expect(isBuiltIn(apiVersion)).toBe(false);
  });
});

describe('ResourceScopes', () => {
  test.each(CLUSTER_SCOPED)('%s %s is cluster-scoped', (apiVersion, kind) => {
    expect(new ResourceScopes().isNamespaced(apiVersion, kind)).toBe(false);
  });

  test.each(BUILT_IN)('%s %s is namespaced', (apiVersion, kind) => {
    expect(new ResourceScopes().isNamespaced(apiVersion, kind)).toBe(true);
  });

  test('a kind of the same name in another group is not the built-in one', () => {
    // Namespace of the core group is cluster-scoped; a Namespace kind of apps, or a ClusterRole of the core group, is not listed.
    expect(new ResourceScopes().isNamespaced('apps/v1', 'Namespace')).toBe(true);
    expect(new ResourceScopes().isNamespaced('v1', 'ClusterRole')).toBe(true);
  });

  test('a custom kind takes the scope its CRD declares; without its CRD it is unknown', () => {
    const scopes = new ResourceScopes();
    expect(scopes.isNamespaced('metallb.io/v1beta1', 'IPAddressPool')).toBeUndefined();
    expect(scopes.hasCrd('metallb.io/v1beta1', 'IPAddressPool')).toBe(false);
    scopes.addCrd({ spec: { group: 'metallb.io', names: { kind: 'IPAddressPool' }, scope: 'Namespaced' } });
    scopes.addCrd({ spec: { group: 'example.com', names: { kind: 'Tenant' }, scope: 'Cluster' } });
    scopes.addCrd({ spec: { group: 'example.com', names: { kind: 'Widget' } } });
    expect(scopes.hasCrd('metallb.io/v1beta1', 'IPAddressPool')).toBe(true);
    expect(scopes.hasCrd('metallb.io/v1', 'IPAddressPool')).toBe(true);
    expect(scopes.isNamespaced('metallb.io/v1beta1', 'IPAddressPool')).toBe(true);
    expect(scopes.isNamespaced('example.com/v1', 'Tenant')).toBe(false);
    expect(scopes.isNamespaced('example.com/v1', 'Widget')).toBe(true);
    // The CRD names a kind in its group: another group's kind of that name stays unknown.
    expect(scopes.hasCrd('other.example.com/v1', 'Tenant')).toBe(false);
    expect(scopes.isNamespaced('other.example.com/v1', 'Tenant')).toBeUndefined();
    expect(scopes.hasCrd('example.com/v1', 'Gadget')).toBe(false);
  });

  test('a CRD for a built-in group does not change the built-in scope', () => {
    const scopes = new ResourceScopes();
    scopes.addCrd({ spec: { group: '', names: { kind: 'Namespace' }, scope: 'Namespaced' } });
    expect(scopes.isNamespaced('v1', 'Namespace')).toBe(false);
  });
});
