import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { sha256Hex } from '../cache-files';
import { HelmBinary, isolatedHelmEnv } from './binary';
import { MiB } from './bytes';
import { LockedChart } from './lock';
import { CheckedArchives } from './checked-archives';
import { RenderCache } from './render-cache';
import { RunResult, RunStopped, runBounded } from './run';
import { createRunFolder, removeStaleRunFolders } from './run-folder';
import { archiveName, ChartStore, unpinnedNotice } from './store';
import { parseValues, readValuesFile } from './values';
import { describeYamlError } from './yaml-error';

/** The cluster the charts are rendered for: what `.Capabilities` tells the templates. */
export interface RenderTarget {
  /** Kubernetes version, e.g. `1.33.5`. */
  readonly kubeVersion: string;
  /** API versions the cluster serves (`--api-versions`), e.g. `policy/v1/PodDisruptionBudget`. */
  readonly apiVersions: readonly string[];
}

/** Everything helm needs to render one release. */
export interface ReleaseRequest {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: LockedChart;
  /** Values files, in order (`-f`). */
  readonly valuesFiles: readonly string[];
  /** Computed values, applied after the files, so they win. */
  readonly values: Record<string, unknown>;
}

/** The files helm reads for one release: the private copies the renderer hands it. */
export interface HelmInputs {
  readonly archive: string;
  readonly valuesFiles: readonly string[];
  readonly computedValues: string;
}

/** How long `helm template` may run for one release unless told otherwise. */
export const DEFAULT_HELM_TIMEOUT_SECONDS = 120;

export interface HelmRendererOptions {
  readonly helm: HelmBinary;
  readonly store: ChartStore;
  readonly target: RenderTarget;
  /** Helm's private home: config, cache, data, and `runs/`, the private folder of each render. */
  readonly homeDir: string;
  /** Where `reportUnpinned` sends its notice. @default - stderr */
  readonly warn?: (message: string) => void;
  /** How long `helm template` may run for one release, in seconds; then helm and its process group are killed. @default 120 */
  readonly timeoutSeconds?: number;
  /** The most `helm template` may print on stdout for one release; beyond it helm is killed. @default 256 MiB */
  readonly maxOutputBytes?: number;
  /** The most `helm template` may print on stderr; beyond it helm is killed. @default 1 MiB */
  readonly maxErrorOutputBytes?: number;
  /** Values files larger than this are refused. @default 1 MiB */
  readonly maxValuesFileBytes?: number;
  /** Where renders are kept for the next run; a hit skips helm. @default - none: helm renders every release */
  readonly cache?: RenderCache;
  /** Archives found to be chart archives by an earlier run, not unpacked again. @default - every archive is unpacked */
  readonly checkedArchives?: CheckedArchives;
}

/** One release's objects, and whether they came from the render cache instead of helm. */
export interface Rendered {
  readonly objects: RenderedObject[];
  readonly cached: boolean;
}

/** The output of `helm template` for one release, one object per element. */
export type RenderedObject = Record<string, any>;

/** Where the renderer used to write computed values (`values/<release>-<16 hex>.yaml`), left behind by a kill. */
const LEGACY_VALUES_FILE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9a-f]{16}\.yaml$/;

/** Removes the computed values files an earlier version left in `<home>/values/` when it was killed; they may hold secrets. */
function removeLegacyValuesFiles(home: string): void {
  const dir = path.join(home, 'values');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => LEGACY_VALUES_FILE.test(n))) fs.rmSync(path.join(dir, name), { force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty: something else lives there; leave it.
  }
}

/**
 * Runs `helm template` from the local chart store only, with every input explicit and helm isolated from the
 * machine. Helm reads private copies of the checked archive and values, in a folder of its own per render,
 * and runs within a time limit and output limits.
 */
export class HelmRenderer {
  private readonly warn: (message: string) => void;
  private swept = false;
  /** The archives the lock pins no digest for, by file name, in the order the renders met them. */
  private readonly unpinned = new Set<string>();
  private readonly reported = new Set<string>();
  private helmRunning = 0;

  constructor(private readonly options: HelmRendererOptions) {
    this.warn = options.warn ?? ((m) => process.stderr.write(`${m}\n`));
    const t = options.timeoutSeconds;
    if (t !== undefined && !(Number.isFinite(t) && t > 0)) throw new Error(`invalid helm timeout ${t}: give a positive number of seconds, such as ${DEFAULT_HELM_TIMEOUT_SECONDS}`);
  }

  public get helm(): HelmBinary {
    return this.options.helm;
  }

  /** How many helm processes of this renderer are running now. */
  public get running(): number {
    return this.helmRunning;
  }

  /** The archives rendered so far that the lock pins no digest for (checked as chart archives only), by file name. */
  public get unpinnedArchives(): readonly string[] {
    return [...this.unpinned];
  }

  /**
   * Sends one notice line to `warn` naming the archives rendered without a digest that no earlier call
   * named, and returns it; undefined (and nothing sent) when there are none. Call it once a run has
   * rendered everything, so the run says it once, however many renders it made.
   */
  public reportUnpinned(): string | undefined {
    const fresh = [...this.unpinned].filter((a) => !this.reported.has(a));
    const notice = unpinnedNotice(fresh);
    if (notice) this.warn(notice);
    for (const a of fresh) this.reported.add(a);
    return notice;
  }

  /** The helm arguments for a release, reading `inputs`. */
  public args(request: ReleaseRequest, inputs: HelmInputs): string[] {
    const { target } = this.options;
    return [
      'template', request.releaseName, inputs.archive,
      '--namespace', request.namespace,
      '--version', request.chart.version,
      '--kube-version', target.kubeVersion,
      ...target.apiVersions.flatMap((v) => ['--api-versions', v]),
      '--include-crds',
      '--skip-tests',
      ...inputs.valuesFiles.flatMap((f) => ['--values', f]),
      '--values', inputs.computedValues,
    ];
  }

  /** Renders one release; rejects with helm's own message and the release named. */
  public async render(request: ReleaseRequest): Promise<RenderedObject[]> {
    return (await this.renderRelease(request)).objects;
  }

  /**
   * Renders one release, or takes an earlier run's render of exactly the same inputs from the cache. Helm
   * starts before the call returns; a render the cache holds is read on a later turn of the event loop, so
   * that when releases are rendered together, the ones helm renders start first and the cache is read
   * while helm runs.
   */
  public async renderRelease(request: ReleaseRequest): Promise<Rendered> {
    const archive = this.options.store.check(request.chart, this.options.checkedArchives);
    if (!archive.pinned) this.unpinned.add(archiveName(request.chart));
    const values = this.readValues(request);
    const computedValues = yaml.dump(request.values, { lineWidth: -1, noRefs: true });
    const { cache } = this.options;
    const key = cache && RenderCache.keyOf({
      helm: this.options.helm.version,
      args: this.args(request, { archive: '<archive>', valuesFiles: values.map((_, i) => `<values ${i + 1}>`), computedValues: '<computed values>' }),
      archive: archive.sha256,
      valuesFiles: values.map((v) => sha256Hex(v.content)),
      computedValues,
    });
    if (key && cache!.has(key)) {
      await new Promise((resolve) => setImmediate(resolve));
      const hit = cache!.get(key);
      if (hit && hit.length) return { objects: hit, cached: true };
    }
    const objects = await this.runHelm(request, archive, values, computedValues);
    if (key) cache!.put(key, objects);
    return { objects, cached: false };
  }

  /** The release's values files, each read with a bound and checked to be a mapping. */
  private readValues(request: ReleaseRequest): Array<{ file: string; content: Buffer }> {
    return request.valuesFiles.map((file) => {
      let content: Buffer;
      try {
        content = readValuesFile(file, this.options.maxValuesFileBytes);
      } catch (e) {
        throw new Error(`release "${request.releaseName}": ${(e as Error).message}`);
      }
      const parsed = parseValues(file, content);
      if ('problem' in parsed) throw new Error(`release "${request.releaseName}": ${parsed.problem}`);
      return { file, content };
    });
  }

  /**
   * Runs helm template on private copies of exactly the bytes checked (never the store's file, which could
   * change in between) in a run folder that lives only while helm runs (the computed values may hold
   * derived secrets), and parses what it printed.
   */
  private async runHelm(
    request: ReleaseRequest, archive: { content: Buffer; file: string }, values: ReadonlyArray<{ file: string; content: Buffer }>, computedValues: string,
  ): Promise<RenderedObject[]> {
    const what = `release "${request.releaseName}" (chart ${request.chart.chart} ${request.chart.version})`;
    const runs = path.join(this.options.homeDir, 'runs');
    if (!this.swept) {
      this.swept = true;
      removeStaleRunFolders(runs);
      removeLegacyValuesFiles(this.options.homeDir);
    }
    const folder = createRunFolder(runs);
    const originals = new Map<string, string>();
    const copy = (name: string, content: string | Buffer, original: string) => {
      const file = folder.write(name, content);
      originals.set(file, original);
      return file;
    };
    let result: RunResult;
    this.helmRunning++;
    try {
      const inputs: HelmInputs = {
        archive: copy('chart.tgz', archive.content, archive.file),
        valuesFiles: values.map((v, i) => copy(`values-${i + 1}.yaml`, v.content, v.file)),
        computedValues: copy('computed-values.yaml', computedValues, 'the computed values'),
      };
      result = await runBounded(this.options.helm.path, this.args(request, inputs), isolatedHelmEnv(this.options.homeDir), {
        timeoutSeconds: this.options.timeoutSeconds ?? DEFAULT_HELM_TIMEOUT_SECONDS,
        maxStdoutBytes: this.options.maxOutputBytes ?? 256 * MiB,
        maxStderrBytes: this.options.maxErrorOutputBytes ?? MiB,
      });
    } catch (e) {
      if (e instanceof RunStopped) throw new Error(`${what}: helm ${e.message}: ${this.fixFor(e)}`);
      throw e;
    } finally {
      this.helmRunning--;
      folder.remove();
    }
    // Helm's messages name the files it read: name the originals instead of the private copies.
    const told = (text: string) => [...originals].reduce((t, [file, original]) => t.split(file).join(original), text.trim());
    return parseRender(what, result, told(result.stderr.toString('utf8')));
  }

  private fixFor(stopped: RunStopped): string {
    switch (stopped.limit) {
      case 'time': return `a chart renders in seconds, so check that helm at ${this.options.helm.path} works; if the chart is just slow here, raise HELM_TIMEOUT (seconds)`;
      case 'stdout': return 'a release renders far less; check the chart\'s templates and the values that size them';
      case 'stderr': return 'run helm template by hand to see why it prints so much';
      case 'start': return `set HELM to a working helm binary (this is ${this.options.helm.path})`;
    }
  }
}

/** The objects helm printed for a release; throws naming the release when it failed, printed what does not parse, or printed nothing. */
function parseRender(what: string, result: RunResult, stderr: string): RenderedObject[] {
  if (result.code !== 0) {
    throw new Error(`${what} failed to render: ${stderr || (result.signal ? `helm was killed by ${result.signal}` : `helm exited with code ${result.code}`)}`);
  }
  let docs: unknown[];
  try {
    docs = yaml.loadAll(result.stdout.toString('utf8'));
  } catch (e) {
    const { reason, line, column } = describeYamlError(e);
    throw new Error(`${what}: helm printed YAML that does not parse${line ? ` (line ${line}, column ${column})` : ''}: ${reason}`);
  }
  const objects = docs.filter((d): d is RenderedObject => d !== null && typeof d === 'object');
  if (objects.length === 0) {
    throw new Error(`${what}: helm rendered no objects${stderr ? ` (helm said: ${stderr.split('\n')[0]})` : ''}: ` +
      'check that the archive holds the chart you meant and that its values do not switch every template off');
  }
  return objects;
}
