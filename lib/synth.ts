import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { diffOutputs, readOutputDir } from './diff';
import { addGitOps, GitOpsOptions } from './gitops';
import { ReleaseListener, renderReleases } from './helm/release';
import { HelmRenderer } from './helm/renderer';
import { collectManifests, CollectOptions, Manifest } from './manifests';
import { carriesSecretData, Outputs, renderOutputs, toYaml } from './output';
import { withMarkers } from './output-marker';
import { OutputOptions, recoverOutput, withOutput } from './output-writer';
import { FLAT_PHASE_FILE, PHASE_FILES } from './phases';
import { preloadBuiltInModels, validateManifests, ValidationReport } from './validation';
import { YamlCache } from './yaml-cache';

export interface RenderOptions extends CollectOptions {
  readonly renderer: HelmRenderer;
  /** Other files for the output folder, by relative path (e.g. `k3d/cluster.yaml`). @default - none */
  readonly files?: ReadonlyMap<string, string>;
  /** Hears of each release as it finishes rendering. @default - nothing is told */
  readonly onRendered?: ReleaseListener;
  /** Hears of the validation once it passed, with its time. @default - nothing is told */
  readonly onValidated?: (report: ValidationReport, ms: number) => void;
  /** Where compiled validators and the digests of passing objects are kept for the next run. @default - none */
  readonly validationCacheDir?: string;
  /** Where the YAML of each object is kept for the next run (one folder per output, see folderForOutput). @default - none: every object is dumped */
  readonly yamlCacheDir?: string;
  /** The GitOps objects to write under gitops/ (Flux or Argo CD), checked against the output. @default - none */
  readonly gitops?: GitOpsOptions;
}

export interface SynthesizeOptions extends RenderOptions, OutputOptions {
  /** The output folder, replaced as a whole. */
  readonly outdir: string;
  /** Where Secrets that carry values go, replaced as a whole. @default - `<outdir>-secrets` */
  readonly secretsDir?: string;
}

export interface Synthesis {
  readonly manifests: Manifest[];
  readonly outputs: Outputs;
}

/**
 * Renders every helm release in the tree (in parallel), collects and checks the objects, validates each
 * against its schema, and renders the files.
 */
export async function renderTree(root: Construct, options: RenderOptions): Promise<Synthesis> {
  // While helm renders, the validators of the kinds the tree's own objects have are loaded (releases' kinds are mostly the same).
  await renderReleases(root, options.renderer, options.onRendered, () => preloadBuiltInModels(root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))));
  const manifests = collectManifests(root, options);
  const start = performance.now();
  const report = validateManifests(manifests, (m) => `${carriesSecretData(m.object) ? '(secrets) ' : ''}${PHASE_FILES[m.phase]}`, { cacheDir: options.validationCacheDir });
  options.onValidated?.(report, performance.now() - start);
  const yaml = options.yamlCacheDir ? new YamlCache(options.yamlCacheDir, toYaml) : undefined;
  const outputs = renderOutputs(manifests, yaml?.dump);
  yaml?.save();
  for (const [name, content] of options.files ?? []) {
    if (outputs.manifests.has(name)) throw new Error(`the extra output file ${name} has the name of a phase file: give it another`);
    outputs.manifests.set(name, content);
  }
  addGitOps(outputs, manifests, options.gitops, options.validationCacheDir);
  return { manifests, outputs };
}

export function secretsDirOf(options: { outdir: string; secretsDir?: string }): string {
  return options.secretsDir ?? `${options.outdir.replace(/[\\/]+$/, '')}-secrets`;
}

/**
 * Renders the tree and replaces the output folders, holding their lock throughout. Refuses folders that
 * are not synth's to replace before rendering; nothing is written unless every step succeeds.
 */
export async function synthesize(root: Construct, options: SynthesizeOptions): Promise<Manifest[]> {
  // The phase files synth writes and has written, for output folders from before the marker.
  const earlierOutputNames = [FLAT_PHASE_FILE, ...Object.values(PHASE_FILES), ...(options.files?.keys() ?? []), ...(options.earlierOutputNames ?? [])];
  return withOutput({ outdir: options.outdir, secretsDir: secretsDirOf(options) }, { ...options, earlierOutputNames }, async (output) => {
    const { manifests, outputs } = await renderTree(root, options);
    output.write(outputs.manifests, outputs.secrets);
    return manifests;
  });
}

/**
 * `synth --check`: renders the trees (two builds of the same sources), writes nothing, and throws when
 * they differ from each other or from what `outdir` holds, naming the file, the object and the field.
 */
export async function checkSynthesis(roots: readonly [Construct, Construct], options: SynthesizeOptions): Promise<void> {
  const pair = { outdir: options.outdir, secretsDir: secretsDirOf(options) };
  await recoverOutput(pair, { command: 'synth --check', lockTimeoutMs: options.lockTimeoutMs, log: options.log, fs: options.fs });
  const one = await renderTree(roots[0], options);
  const two = await renderTree(roots[1], options);
  const unstable = [
    ...diffOutputs(one.outputs.manifests, two.outputs.manifests),
    ...diffOutputs(one.outputs.secrets, two.outputs.secrets).map((d) => `(secrets) ${d}`),
  ];
  if (unstable.length) throw new Error(`two synths from the same sources differ:\n${unstable.join('\n')}`);
  const stale = diffOutputs(readOutputDir(options.outdir), withMarkers(one.outputs.manifests, one.outputs.secrets).output);
  if (stale.length) throw new Error(`${options.outdir} differs from what the sources give (run npm run synth and review the diff):\n${stale.join('\n')}`);
}
