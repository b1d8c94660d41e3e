import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ChartLock, HelmRelease, Phase } from '../lib';
import { isDnsLabel } from './hostnames';

/** Requests and limits of a container, as quantities (`500m`, `256Mi`). */
export interface ResourceRequirements {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** What every component that installs a helm chart needs. */
export interface HelmComponentProps {
  /** The chart lock: chart coordinates and digests. */
  readonly lock: ChartLock;
  /** Folder of the per-release values files. @default - helm-values/ of this repository */
  readonly valuesDir?: string;
}

export const DEFAULT_VALUES_DIR = path.resolve(__dirname, '..', 'helm-values');

/** The values file of a release, `helm-values/<release>.yaml`. */
export function valuesFile(props: HelmComponentProps, releaseName: string): string {
  return path.join(props.valuesDir ?? DEFAULT_VALUES_DIR, `${releaseName}.yaml`);
}

/** What differs between the releases of the stack. */
export interface ReleaseOptions {
  /** The chart's key in the lock. */
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** Computed values; they win over `helm-values/<releaseName>.yaml`. @default - none */
  readonly values?: Record<string, unknown>;
  /** @default Phase.CONTROLLERS */
  readonly phase?: Phase;
  /**
   * The release's Deployments run an operator or webhook the next phase needs: a deploy waits for their
   * rollout before applying it. @default false
   */
  readonly readyBeforeNextPhase?: boolean;
}

/** A release of a locked chart, with its values file `helm-values/<releaseName>.yaml`. */
export function lockedRelease(scope: Construct, id: string, props: HelmComponentProps, options: ReleaseOptions): HelmRelease {
  const release = new HelmRelease(scope, id, {
    chart: props.lock.get(options.chart),
    releaseName: options.releaseName,
    namespace: options.namespace,
    valuesFiles: [valuesFile(props, options.releaseName)],
    values: options.values,
    phase: options.phase,
  });
  if (options.readyBeforeNextPhase) release.readyBeforeNextPhase();
  return release;
}

/** Creates the Namespace object a component's objects live in. */
export function createNamespace(scope: Construct, name: string): kplus.Namespace {
  if (!isDnsLabel(name)) {
    throw new Error(`invalid namespace "${name}": use a DNS label (lowercase letters, digits and "-", at most 63 characters)`);
  }
  return new kplus.Namespace(scope, 'namespace', { metadata: { name } });
}
