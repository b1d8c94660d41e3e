import { IConstruct } from 'constructs';

/** The apply order of the output: each phase needs the ones before it to be applied and running. */
export enum Phase {
  /** CustomResourceDefinitions and Namespaces. */
  FOUNDATIONS = 1,
  /** The controllers: each chart's other objects. */
  CONTROLLERS = 2,
  /** Custom resources that need a running controller or webhook. */
  CUSTOM_RESOURCES = 3,
  /** Apps and routes. */
  APPS = 4,
}

/**
 * One folder per phase, named so they sort in apply order: each is a path a GitOps controller (a Flux
 * Kustomization, an Argo CD Application) or `kubectl apply --server-side -f dist/<folder>/` can name alone.
 */
export const PHASE_FOLDERS: Readonly<Record<Phase, string>> = {
  [Phase.FOUNDATIONS]: '01-crds-namespaces',
  [Phase.CONTROLLERS]: '02-controllers',
  [Phase.CUSTOM_RESOURCES]: '03-custom-resources',
  [Phase.APPS]: '04-apps',
};

/** The one file of each phase folder, by its path in the output folder: `01-crds-namespaces/manifests.yaml`. */
export const PHASE_FILES: Readonly<Record<Phase, string>> = Object.fromEntries(
  Object.entries(PHASE_FOLDERS).map(([phase, folder]) => [phase, `${folder}/manifests.yaml`]),
) as Record<Phase, string>;

/** The name of a phase file from before phases were folders (`01-crds-namespaces.yaml`), one file per phase at the top. */
export const FLAT_PHASE_FILE = /^0[0-9]-[^/]+\.yaml$/;

/** The phases, in apply order: an object's integer keys enumerate in ascending order (ECMAScript's OrdinaryOwnPropertyKeys). */
export const PHASES: readonly Phase[] = Object.keys(PHASE_FOLDERS).map(Number) as Phase[];

/**
 * Where a scope keeps its phase: a symbol from the global registry, so that every copy of this library in an app
 * (two versions in node_modules, a bundle and its source) reads what another assigned.
 */
const ASSIGNED = Symbol.for('ml-platform.phase');

/** Puts every object under `scope` into `phase`, unless a scope nearer the object says otherwise. */
export function assignPhase(scope: IConstruct, phase: Phase): void {
  (scope as any)[ASSIGNED] = phase;
}

/** The phase assigned to the nearest scope of `construct`, if any. */
export function assignedPhase(construct: IConstruct): Phase | undefined {
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    const phase = (scope as any)[ASSIGNED];
    if (phase !== undefined) return phase;
  }
  return undefined;
}

/** Argo CD's sync-wave annotation: Argo CD applies (and waits for) the waves in order, as the phases must be. */
export const ARGO_CD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Marks a workload that must be rolled out before the next phase is applied: the operator that serves a
 * webhook or reconciles the next phase's custom resources. `npm run deploy` waits for each one.
 */
export const READY_BEFORE_NEXT_PHASE = 'phases/ready-before-next-phase';
