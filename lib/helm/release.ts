import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assignPhase, Phase, READY_BEFORE_NEXT_PHASE } from '../phases';
import { LockedChart } from './lock';
import { RenderedApiObject } from './rendered-object';
import { HelmRenderer, ReleaseRequest, RenderedObject } from './renderer';
import { keyPathsOf, parseValues, readValuesFile } from './values';

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
  /**
   * Namespaces besides `namespace` that the chart puts objects in on purpose, such as an agent in
   * `kube-system`. A namespaced object in any other namespace stops the synth, naming the value that put it
   * there; so does a values file that sends objects to one of these (namespaces come from the code).
   * @default - none: every namespaced object is in `namespace`
   */
  readonly extraNamespaces?: readonly string[];
}

/** Where a rendered namespaced object ended up. */
export interface PlacedObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

const RELEASE = Symbol.for('ml-platform.helm-release');

/** A values key that holds some value, in a values file or (no file) in the computed values. */
interface ValueSetting {
  readonly key: string;
  readonly file?: string;
}

function describe(settings: readonly ValueSetting[]): string {
  return settings.map((s) => `${s.key} in ${s.file ?? 'the computed values'}`).join(', ');
}

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
  /** Namespaces besides `namespace` the release may put objects in. */
  public readonly extraNamespaces: readonly string[];
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
    this.extraNamespaces = props.extraNamespaces ?? [];
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

  /**
   * The objects of this release outside its namespace that it may not put there, one problem per namespace:
   * in a namespace it does not declare (naming the value that names the namespace, else the chart), or in
   * a declared one that a values file chooses too (a values file does not choose namespaces: computed ones win).
   */
  public misplaced(objects: readonly PlacedObject[]): string[] {
    const byNamespace = new Map<string, PlacedObject[]>();
    for (const o of objects.filter((x) => x.namespace !== this.namespace)) {
      if (!byNamespace.has(o.namespace)) byNamespace.set(o.namespace, []);
      byNamespace.get(o.namespace)!.push(o);
    }
    const problems: string[] = [];
    for (const [ns, placed] of byNamespace) {
      const quoted = JSON.stringify(ns);
      const settings = this.valuesNaming(ns);
      const head = `release "${this.releaseName}" (chart ${this.chart.chart} ${this.chart.version}) puts ${placed.length} object(s) in namespace ${quoted}`;
      const remove = 'remove it (the release\'s namespace comes from the code that creates the release)';
      let lines: string[];
      if (this.extraNamespaces.includes(ns)) {
        // Declared for the chart's own objects there; a values file that sends more objects there is the mistake.
        const chosen = settings.filter((s) => s.file && /namespace/i.test(s.key.split(/[.[]/).pop() ?? ''));
        if (!chosen.length) continue;
        lines = [`${head}, which it declares, but a values file sends objects there too:`, `${describe(chosen)} sets ${quoted}: ${remove}`];
      } else {
        const fix = `declare ${quoted} in the release's extraNamespaces`;
        lines = [
          `${head}, outside its namespace ${JSON.stringify(this.namespace)}:`,
          settings.length
            ? `${describe(settings)} sets ${quoted}: ${remove}, or, if the objects belong there, ${fix}`
            : `no value of the release names ${quoted}, so the chart itself puts them there: if they belong there, ${fix}`,
        ];
      }
      problems.push([lines[0], ...placed.map((o) => `  ${o.kind} ${o.namespace}/${o.name}`), `  ${lines[1]}`].join('\n'));
    }
    return problems;
  }

  /** Where the release's values hold `value`: key paths in the values files, then in the computed values. */
  private valuesNaming(value: string): ValueSetting[] {
    const found: ValueSetting[] = [];
    for (const file of this.props.valuesFiles ?? []) {
      let parsed;
      try {
        parsed = parseValues(file, readValuesFile(file));
      } catch {
        continue;
      }
      if ('values' in parsed) found.push(...keyPathsOf(parsed.values, value).map((key) => ({ key, file })));
    }
    found.push(...keyPathsOf(this.props.values ?? {}, value).map((key) => ({ key })));
    return found;
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
      return new RenderedApiObject(this, id, o as any);
    });
    for (const patch of this.patches) patch(this.rendered);
  }
}

/** Hears of a release as it finishes rendering. */
export type ReleaseListener = (release: HelmRelease, objects: number, ms: number, cached: boolean) => void;

/**
 * Renders every release under `scope` in parallel; reports every release that failed, not just the first.
 * `onRendered` hears of each release as it finishes, with its object count, time and whether the render
 * cache had it. `whileHelmRuns` runs once, after helm started and the cache was read, if helm is still
 * running then: work for the main thread that would otherwise wait (an error in it is ignored).
 */
export async function renderReleases(scope: Construct, renderer: HelmRenderer, onRendered?: ReleaseListener, whileHelmRuns?: () => void): Promise<void> {
  const releases = scope.node.findAll().filter(HelmRelease.isHelmRelease);
  const settled = Promise.allSettled(releases.map(async (r) => {
    const start = performance.now();
    const { objects, cached } = await renderer.renderRelease(r.request);
    onRendered?.(r, objects.length, performance.now() - start, cached);
    return objects;
  }));
  // Queued after the reads of the render cache, which renderRelease queues the same way. It is work done
  // ahead: what fails in it fails again where it is needed, with that step's message.
  if (whileHelmRuns) {
    setImmediate(() => {
      try {
        if (renderer.running > 0) whileHelmRuns();
      } catch { /* see above */ }
    });
  }
  const results = await settled;
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new Error(failures.join('\n'));
  results.forEach((r, i) => releases[i].addRendered((r as PromiseFulfilledResult<RenderedObject[]>).value));
}
