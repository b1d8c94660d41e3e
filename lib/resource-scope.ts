/** Built-in kinds that are cluster-scoped, as `group/Kind` (core group: empty). Everything else built in is namespaced. */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass', 'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR',
  'certificates.k8s.io/CertificateSigningRequest', 'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceSlice',
]);

/** Groups served by Kubernetes itself; a kind in them needs no CRD. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'scheduling.k8s.io', 'node.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
]);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function isBuiltIn(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.has(groupOf(apiVersion));
}

/** `group/Kind`, the key CRDs and scopes are looked up by. */
export function groupKind(apiVersion: string, kind: string): string {
  return `${groupOf(apiVersion)}/${kind}`;
}

/** Tells namespaced kinds from cluster-scoped ones: built-in kinds from the table, custom kinds from their CRD. */
export class ResourceScopes {
  private readonly custom = new Map<string, 'Namespaced' | 'Cluster'>();

  /** Learns the custom kind a CRD defines. */
  public addCrd(crd: any): void {
    const key = `${crd?.spec?.group}/${crd?.spec?.names?.kind}`;
    this.custom.set(key, crd?.spec?.scope === 'Cluster' ? 'Cluster' : 'Namespaced');
  }

  /** True for a custom kind whose CRD is known. */
  public hasCrd(apiVersion: string, kind: string): boolean {
    return this.custom.has(groupKind(apiVersion, kind));
  }

  /** Whether objects of this kind live in a namespace; undefined for a custom kind with no known CRD. */
  public isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    const key = groupKind(apiVersion, kind);
    if (isBuiltIn(apiVersion)) return !CLUSTER_SCOPED.has(key);
    const scope = this.custom.get(key);
    return scope === undefined ? undefined : scope === 'Namespaced';
  }
}
