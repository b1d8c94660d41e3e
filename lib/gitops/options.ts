// What the GitOps objects are made from: the settings (platform.yaml's gitops section, as the engine
// takes them) and the paths they name.
import { ApiObject } from 'cdk8s';
import { Manifest } from '../manifests';
import { Phase, PHASE_FOLDERS } from '../phases';

/** The GitOps settings, as config/core.ts's schema gives them. */
export interface GitOpsOptions {
  /** `none` writes no GitOps objects. */
  readonly engine: 'none' | 'argocd' | 'flux';
  /** The repository the output folder is committed to. @default - none: required unless engine is none */
  readonly repoURL?: string;
  /** The branch or tag to deliver. */
  readonly revision: string;
  /** The output folder's path in that repository, `/`-separated; `.` for its root. */
  readonly path: string;
  readonly argocd: {
    readonly namespace: string;
    /** The AppProject and the root Application; the children are `<project>-<phase folder>`. */
    readonly project: string;
    /** @default - the cluster Argo CD runs in */
    readonly destination?: { readonly server?: string; readonly name?: string };
  };
  readonly flux: {
    readonly namespace: string;
    /** The GitRepository; the Kustomizations are `<gitRepository>-<phase folder>`. */
    readonly gitRepository: string;
    /** The Secret with the repository's credentials, in the Flux namespace. @default - none: a public repository */
    readonly secretRef?: string;
    readonly interval: string;
    readonly timeout: string;
  };
}

/** The folder of the output that holds the GitOps objects; no phase path holds it. */
export const GITOPS_FOLDER = 'gitops';

/** The cluster Argo CD runs in, as Argo CD names it by its API server's address. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** A folder of the output, as a path in the repository: `dist/02-controllers`, or `02-controllers` when the output is its root. */
export function repoPath(options: GitOpsOptions, folder: string): string {
  return options.path === '.' ? folder : `${options.path}/${folder}`;
}

/** The object name of a phase's Kustomization or Application: `<base>-02-controllers`. */
export const phaseObjectName = (base: string, phase: Phase) => `${base}-${PHASE_FOLDERS[phase]}`;

/** One phase of the committed output: what its Kustomization or Application applies. */
export interface PhaseManifests {
  readonly phase: Phase;
  readonly manifests: readonly Manifest[];
}

/** A GitOps object, the file under gitops/ it is written to, and what that file says of itself in its first lines. */
export interface PlacedObject {
  readonly file: string;
  readonly object: ApiObject;
  /** What the file holds, e.g. "Flux: the GitRepository and one Kustomization per phase". */
  readonly title: string;
  /** How to apply it, run from the repository's root. @default - nothing: a controller applies it */
  readonly usage?: string;
}
