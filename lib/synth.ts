import { Construct } from 'constructs';
import { renderReleases } from './helm/release';
import { HelmRenderer } from './helm/renderer';
import { collectManifests, CollectOptions, Manifest } from './manifests';
import { renderFiles, writeAtomically } from './output';

export interface SynthesizeOptions extends CollectOptions {
  /** The output folder, replaced as a whole. */
  readonly outdir: string;
  readonly renderer: HelmRenderer;
}

/**
 * Renders every helm release in the tree (in parallel), collects and checks the objects, and replaces
 * `outdir` with the phase files. Nothing is written unless every step succeeds.
 */
export async function synthesize(root: Construct, options: SynthesizeOptions): Promise<Manifest[]> {
  await renderReleases(root, options.renderer);
  const manifests = collectManifests(root, options);
  writeAtomically(options.outdir, renderFiles(manifests));
  return manifests;
}
