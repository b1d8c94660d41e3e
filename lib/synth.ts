import { Construct } from 'constructs';
import { renderReleases } from './helm/release';
import { HelmRenderer } from './helm/renderer';
import { collectManifests, CollectOptions, Manifest } from './manifests';
import { carriesSecretData, Outputs, renderOutputs } from './output';
import { OutputOptions, withOutput } from './output-writer';
import { PHASE_FILES } from './phases';
import { validateManifests } from './validation';

export interface RenderOptions extends CollectOptions {
  readonly renderer: HelmRenderer;
  /** Other files for the output folder, by relative path (e.g. `k3d/cluster.yaml`). @default - none */
  readonly files?: ReadonlyMap<string, string>;
}

export interface SynthesizeOptions extends RenderOptions, OutputOptions {
  /** The output folder, replaced as a whole. */
  readonly outdir: string;
  /** Where Secrets that carry values go, replaced as a whole. @default - `<outdir>-secrets` */
  readonly secretsDir?: string;
}

/** The phase files synth writes and has written (`0N-*.yaml`), for output folders from before the marker. */
const PHASE_FILE_NAMES = /^0[0-9]-[^/]+\.yaml$/;

export interface Synthesis {
  readonly manifests: Manifest[];
  readonly outputs: Outputs;
}

/**
 * Renders every helm release in the tree (in parallel), collects and checks the objects, validates each
 * against its schema, and renders the files.
 */
export async function renderTree(root: Construct, options: RenderOptions): Promise<Synthesis> {
  await renderReleases(root, options.renderer);
  const manifests = collectManifests(root, options);
  validateManifests(manifests, (m) => `${carriesSecretData(m.object) ? '(secrets) ' : ''}${PHASE_FILES[m.phase]}`);
  const outputs = renderOutputs(manifests);
  for (const [name, content] of options.files ?? []) {
    if (outputs.manifests.has(name)) throw new Error(`the extra output file ${name} has the name of a phase file: give it another`);
    outputs.manifests.set(name, content);
  }
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
  const earlierOutputNames = [PHASE_FILE_NAMES, ...(options.files?.keys() ?? []), ...(options.earlierOutputNames ?? [])];
  return withOutput({ outdir: options.outdir, secretsDir: secretsDirOf(options) }, { ...options, earlierOutputNames }, async (output) => {
    const { manifests, outputs } = await renderTree(root, options);
    output.write(outputs.manifests, outputs.secrets);
    return manifests;
  });
}
