import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assignPhase, Phase, READY_BEFORE_NEXT_PHASE } from '../phases';
import { LockedChart } from './lock';
import { HelmRenderer, ReleaseRequest, RenderedObject } from './renderer';

export interface HelmReleaseProps {
  /** The pinned chart. */
  readonly chart: LockedChart;
  /** Helm release name; object names derive from it. */
  readonly releaseName: string;
  /** Namespace of the release; namespaced objects the chart leaves without one get it. */
  readonly namespace: string;
  /** Values files, as a helm user would pass with `-f`. @default - none */
  readonly valuesFiles?: readonly string[];
  /** Computed values; they win over the files. @default - none */
  readonly values?: Record<string, unknown>;
  /** The phase of the rendered objects (CRDs and Namespaces always go first). @default Phase.CONTROLLERS */
  readonly phase?: Phase;
}

const RELEASE = Symbol.for('ml-platform.helm-release');

/**
 * A helm release rendered into the construct tree. Unlike cdk8s's `Helm`, it does not render in its
 * constructor: `renderReleases` renders every release of a tree in parallel, then adds the objects.
 */
export class HelmRelease extends Construct {
  public static isHelmRelease(x: unknown): x is HelmRelease {
    return x !== null && typeof x === 'object' && RELEASE in x;
  }

  public readonly releaseName: string;
  public readonly namespace: string;
  public readonly chart: LockedChart;
  private readonly props: HelmReleaseProps;
  private readonly patches: Array<(objects: readonly ApiObject[]) => void> = [];
  private rendered?: ApiObject[];

  constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    Object.defineProperty(this, RELEASE, { value: true });
    this.props = props;
    this.releaseName = props.releaseName;
    this.namespace = props.namespace;
    this.chart = props.chart;
    assignPhase(this, props.phase ?? Phase.CONTROLLERS);
    this.node.addValidation({ validate: () => (this.rendered ? [] : [`helm release "${this.releaseName}" was never rendered: call renderReleases() before synth`]) });
  }

  public get request(): ReleaseRequest {
    return {
      releaseName: this.releaseName,
      namespace: this.namespace,
      chart: this.chart,
      valuesFiles: this.props.valuesFiles ?? [],
      values: this.props.values ?? {},
    };
  }

  /** The rendered objects; throws before rendering. */
  public get apiObjects(): readonly ApiObject[] {
    if (!this.rendered) throw new Error(`helm release "${this.releaseName}" is not rendered yet`);
    return this.rendered;
  }

  /** Runs `patch` on the rendered objects once they exist (cdk8s JSON patches, metadata edits). */
  public patch(patch: (objects: readonly ApiObject[]) => void): void {
    this.patches.push(patch);
    if (this.rendered) patch(this.rendered);
  }

  /**
   * Marks the release's Deployments in its own namespace as ready-before-next-phase, so a deploy waits
   * for their rollout before it applies the next phase.
   */
  public readyBeforeNextPhase(): void {
    this.patch((objects) => {
      for (const o of objects) {
        if (o.kind === 'Deployment' && (o.metadata.namespace ?? this.namespace) === this.namespace) o.metadata.addAnnotation(READY_BEFORE_NEXT_PHASE, 'true');
      }
    });
  }

  /** Adds helm's output as ApiObjects under this release. */
  public addRendered(objects: readonly RenderedObject[]): void {
    if (this.rendered) throw new Error(`helm release "${this.releaseName}" is already rendered`);
    const seen = new Set<string>();
    this.rendered = objects.map((o) => {
      const name = o.metadata?.name;
      if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof name !== 'string') {
        throw new Error(`release "${this.releaseName}": chart ${this.chart.chart} rendered an object without apiVersion, kind or metadata.name: ${JSON.stringify(o).slice(0, 200)}`);
      }
      let id = `${o.kind}-${name}`;
      if (seen.has(id)) id = `${o.kind}-${o.metadata.namespace ?? ''}-${name}`;
      seen.add(id);
      return new ApiObject(this, id, o as any);
    });
    for (const patch of this.patches) patch(this.rendered);
  }
}

/** Renders every release under `scope` in parallel; reports every release that failed, not just the first. */
export async function renderReleases(scope: Construct, renderer: HelmRenderer): Promise<void> {
  const releases = scope.node.findAll().filter(HelmRelease.isHelmRelease);
  const results = await Promise.allSettled(releases.map((r) => renderer.render(r.request)));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new Error(failures.join('\n'));
  results.forEach((r, i) => releases[i].addRendered((r as PromiseFulfilledResult<RenderedObject[]>).value));
}
