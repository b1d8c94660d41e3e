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

/** File names sort in apply order, so `kubectl apply -f dist/` applies the phases one after the other. */
export const PHASE_FILES: Readonly<Record<Phase, string>> = {
  [Phase.FOUNDATIONS]: '01-crds-namespaces.yaml',
  [Phase.CONTROLLERS]: '02-controllers.yaml',
  [Phase.CUSTOM_RESOURCES]: '03-custom-resources.yaml',
  [Phase.APPS]: '04-apps.yaml',
};

const ASSIGNED = Symbol.for('ml-platform.phase');

/** Puts every object under `scope` into `phase`, unless a scope nearer the object says otherwise. */
export function assignPhase(scope: IConstruct, phase: Phase): void {
  (scope as any)[ASSIGNED] = phase;
}

/** The phase assigned to the nearest scope of `construct`, if any. */
export function assignedPhase(construct: IConstruct): Phase | undefined {
  for (const scope of construct.node.scopes.slice().reverse()) {
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
