import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ChartLock, HelmRelease, Phase, shown } from '../lib';
import { isDnsLabel } from '../config/hostnames';

export interface ComponentChartProps {
  /** The namespace the component's objects live in; the chart creates it. */
  readonly namespace: string;
}

/** What a component that installs helm charts needs. */
export interface HelmProps {
  /** The chart lock: chart coordinates and digests. */
  readonly lock: ChartLock;
  /** Folder of the per-release values files, `<release>.yaml`. @default - helm-values/ of this repository */
  readonly valuesDir?: string;
}

/** The repository's values folder. */
export const DEFAULT_VALUES_DIR = path.resolve(__dirname, '..', 'helm-values');

/** What differs between the releases of the stack. */
export interface ReleaseOptions {
  /** The release name; it is also the chart's key in the lock and names the values file `<releaseName>.yaml`. */
  readonly releaseName: string;
  /** Computed values; they win over the values file. @default - none */
  readonly values?: Record<string, unknown>;
  /** @default Phase.CONTROLLERS */
  readonly phase?: Phase;
  /**
   * The release's Deployments run an operator or webhook the next phase needs: a deploy waits for their
   * rollout before applying it. @default false
   */
  readonly readyBeforeNextPhase?: boolean;
  /** Namespaces other than the component's that the chart may put objects in. @default - none */
  readonly extraNamespaces?: readonly string[];
  /** Keys the chart had in the lock before, so a lock that still uses one gets told the new key. @default - none */
  readonly formerLockKeys?: readonly string[];
}

/**
 * A component's chart: a cdk8s Chart in the component's own namespace (objects without one get it), with
 * the Namespace object, and helm releases of locked charts in that namespace.
 */
export class ComponentChart extends Chart {
  declare public readonly namespace: string;
  public readonly namespaceObject: kplus.Namespace;

  constructor(scope: Construct, id: string, props: ComponentChartProps) {
    if (!isDnsLabel(props.namespace)) {
      throw new Error(`invalid namespace ${shown(props.namespace)}: use a DNS label (lowercase letters, digits and "-", at most 63 characters)`);
    }
    super(scope, id, { namespace: props.namespace });
    this.namespaceObject = new kplus.Namespace(this, 'namespace', { metadata: { name: props.namespace } });
  }

  /** A release of the chart the lock pins under `releaseName`, in this namespace, with its values file. */
  protected addRelease(helm: HelmProps, options: ReleaseOptions): HelmRelease {
    const release = new HelmRelease(this, options.releaseName, {
      chart: helm.lock.get(options.releaseName, options.formerLockKeys),
      releaseName: options.releaseName,
      namespace: this.namespace,
      valuesFiles: [path.join(helm.valuesDir ?? DEFAULT_VALUES_DIR, `${options.releaseName}.yaml`)],
      values: options.values,
      phase: options.phase,
      extraNamespaces: options.extraNamespaces,
    });
    if (options.readyBeforeNextPhase) release.readyBeforeNextPhase();
    return release;
  }
}
