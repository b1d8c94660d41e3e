import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HelmRelease, PlacedObject } from './helm/release';
import { assignedPhase, Phase } from './phases';
import { runtimeFieldsOf } from './runtime-fields';
import { groupKind, groupOf, ResourceScopes } from './resource-scope';

/** One object of the output and where it stands in the apply order. */
export interface Manifest {
  readonly phase: Phase;
  readonly object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: any }; [k: string]: any };
  /** The construct path it came from, for messages. */
  readonly path: string;
  /** Fields a controller sets at run time, as jq paths (see declareRuntimeFields); never written to the output. @default - none */
  readonly runtimeFields?: readonly string[];
}

export interface CollectOptions {
  /** Namespaces every cluster has, so the output need not create them. @default default, kube-system, kube-public, kube-node-lease */
  readonly preexistingNamespaces?: readonly string[];
  /** An annotation that carries each object's phase number, e.g. Argo CD's sync wave. @default - none */
  readonly phaseAnnotation?: string;
}

const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Within a phase, the order helm itself installs kinds in; other kinds follow, in tree order. */
const KIND_ORDER = [
  'Namespace', 'CustomResourceDefinition', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'DaemonSet', 'Pod', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** A CustomResourceDefinition. */
export const isCrd = (o: { apiVersion: string; kind: string }) => groupOf(o.apiVersion) === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition';
const isNamespace = (o: { apiVersion: string; kind: string }) => o.apiVersion === 'v1' && o.kind === 'Namespace';

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object: how messages name an object. */
export function describeObject(o: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  return `${o.kind ?? '?'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;
}

function releaseOf(c: IConstruct): HelmRelease | undefined {
  return c.node.scopes.slice().reverse().find(HelmRelease.isHelmRelease);
}

/** Runs the tree's validations and throws them all at once. */
function validateTree(root: IConstruct): void {
  const errors = root.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length) throw new Error(`validation failed:\n${errors.join('\n')}`);
}

/** The CRDs of the tree as JSON (each rendered once: some are 1 MB), without a namespace, and the scopes they define. */
function renderCrds(apiObjects: readonly ApiObject[]): { crds: Map<ApiObject, Manifest['object']>; scopes: ResourceScopes } {
  const scopes = new ResourceScopes();
  const crds = new Map<ApiObject, Manifest['object']>();
  for (const o of apiObjects.filter(isCrd)) {
    if (o.metadata.namespace) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    const json = o.toJson();
    crds.set(o, json);
    scopes.addCrd(json);
  }
  return { crds, scopes };
}

/**
 * An object that is not a CRD as JSON: a namespaced one without a namespace gets its release's, a
 * cluster-scoped one loses the one it has. Returns a problem instead when its kind is unknown, or it is
 * namespaced with no namespace and no release.
 */
function placeObject(o: ApiObject, scopes: ResourceScopes): { object: Manifest['object']; release?: HelmRelease } | { problem: string } {
  const namespaced = scopes.isNamespaced(o.apiVersion, o.kind);
  const where = `${describeObject({ kind: o.kind, metadata: { name: o.name, namespace: o.metadata.namespace } })} (${o.node.path})`;
  if (namespaced === undefined) {
    return { problem: `${where}: no CustomResourceDefinition for ${groupKind(o.apiVersion, o.kind)} in the output: add the chart or CRD that defines it` };
  }
  const release = namespaced ? releaseOf(o) : undefined;
  if (namespaced && !o.metadata.namespace) {
    if (!release) return { problem: `${where}: namespaced object without a namespace: set metadata.namespace or the chart's namespace` };
    o.addJsonPatch(JsonPatch.add('/metadata/namespace', release.namespace));
  } else if (!namespaced && o.metadata.namespace) {
    o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return { object: o.toJson() as Manifest['object'], release };
}

/** CRDs and Namespaces first; custom resources no earlier than phase 3; the rest where their scope puts them, else with the apps. */
function phaseOf(o: ApiObject, scopes: ResourceScopes): Phase {
  if (isCrd(o) || isNamespace(o)) return Phase.FOUNDATIONS;
  if (scopes.hasCrd(o.apiVersion, o.kind)) return Math.max(assignedPhase(o) ?? Phase.CUSTOM_RESOURCES, Phase.CUSTOM_RESOURCES);
  return assignedPhase(o) ?? Phase.APPS;
}

/**
 * Turns a finished construct tree into ordered manifests: validates it, gives namespaced objects their
 * namespace (from their helm release) and takes it off cluster-scoped ones, refuses a release's objects in
 * namespaces it does not declare, assigns phases, checks the cross-object invariants and sorts.
 */
export function collectManifests(root: IConstruct, options: CollectOptions = {}): Manifest[] {
  validateTree(root);
  const apiObjects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  // CRDs first, since every other object's scope may come from one.
  const { crds, scopes } = renderCrds(apiObjects);
  const errors: string[] = [];
  const manifests: Manifest[] = [];
  // Where each release's namespaced objects end up, to refuse those outside the namespaces it declares.
  const placed = new Map<HelmRelease, PlacedObject[]>();
  for (const o of apiObjects) {
    let object = crds.get(o);
    if (!object) {
      const result = placeObject(o, scopes);
      if ('problem' in result) {
        errors.push(result.problem);
        continue;
      }
      object = result.object;
      if (result.release) {
        if (!placed.has(result.release)) placed.set(result.release, []);
        placed.get(result.release)!.push({ kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace ?? '' });
      }
    }
    const phase = phaseOf(o, scopes);
    if (options.phaseAnnotation) {
      object.metadata.annotations = { ...object.metadata.annotations, [options.phaseAnnotation]: String(phase) };
    }
    const runtimeFields = runtimeFieldsOf(o);
    manifests.push({ phase, object, path: o.node.path, ...(runtimeFields.length ? { runtimeFields } : {}) });
  }
  for (const [release, objects] of placed) errors.push(...release.misplaced(objects));
  errors.push(...checkInvariants(manifests, options));
  if (errors.length) throw new Error(`the output is not consistent:\n${errors.join('\n')}`);

  return manifests
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.phase - b.m.phase || kindRank(a.m.object.kind) - kindRank(b.m.object.kind) || a.i - b.i)
    .map(({ m }) => m);
}

/**
 * The cross-object rules of an ordered output: names are unique, every custom resource comes in a later
 * phase than its CRD, and every namespaced object no earlier than its Namespace. Returns the problems found.
 */
export function checkInvariants(manifests: readonly Manifest[], options: CollectOptions = {}): string[] {
  const problems: string[] = [];
  const preexisting = new Set(options.preexistingNamespaces ?? DEFAULT_NAMESPACES);
  const scopes = new ResourceScopes();
  const crdPhase = new Map<string, number>();
  const nsPhase = new Map<string, number>();
  const seen = new Map<string, string>();
  for (const m of manifests) {
    if (isCrd(m.object)) {
      scopes.addCrd(m.object);
      crdPhase.set(`${m.object.spec?.group}/${m.object.spec?.names?.kind}`, m.phase);
    }
    if (isNamespace(m.object)) nsPhase.set(m.object.metadata.name, m.phase);
  }
  for (const m of manifests) {
    const { apiVersion, kind, metadata } = m.object;
    const key = `${groupKind(apiVersion, kind)}/${metadata.namespace ?? ''}/${metadata.name}`;
    const what = `${describeObject(m.object)} (${m.path})`;
    if (seen.has(key)) problems.push(`${what}: the same object is also defined at ${seen.get(key)}: rename one`);
    seen.set(key, m.path);
    const crd = crdPhase.get(groupKind(apiVersion, kind));
    if (crd !== undefined && crd >= m.phase) problems.push(`${what}: in phase ${m.phase}, not after its CRD (phase ${crd})`);
    const namespaced = scopes.isNamespaced(apiVersion, kind);
    if (namespaced && !metadata.namespace) problems.push(`${what}: namespaced object without a namespace`);
    if (namespaced === false && metadata.namespace) problems.push(`${what}: cluster-scoped object with namespace "${metadata.namespace}"`);
    if (namespaced && metadata.namespace && !preexisting.has(metadata.namespace)) {
      const ns = nsPhase.get(metadata.namespace);
      if (ns === undefined) problems.push(`${what}: namespace "${metadata.namespace}" is not created by the output: add a Namespace object`);
      else if (ns > m.phase) problems.push(`${what}: in phase ${m.phase}, before its Namespace (phase ${ns})`);
    }
  }
  return problems;
}
