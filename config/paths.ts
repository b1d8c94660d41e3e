// Where everything synth reads and writes lives, resolved from the environment. Node's built-ins only: the
// launcher of `npm run synth` resolves the same paths before anything else is loaded.
import * as path from 'path';

/** The repository: where the default configuration, lock, store, cache and output live. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..');

/** Every folder and file the entry points use, resolved from the environment. */
export interface Paths {
  /** The configuration file: `PLATFORM_CONFIG`, else `platform.yaml`. */
  readonly configFile: string;
  /** The output folder: `CDK8S_OUTDIR`, else `dist/`. */
  readonly outdir: string;
  /** Where Secrets that carry values go: `<outdir>-secrets`. */
  readonly secretsDir: string;
  /** Tools unpacked from their bundles, and helm's private home. */
  readonly cacheDir: string;
  /** Synth's caches (renders, validators, what the last synth read and wrote): `SYNTH_CACHE`, else `.cache/`. */
  readonly synthCacheDir: string;
  readonly helmHome: string;
  /** The per-installation key's file. */
  readonly keyFile: string;
  /** `CHART_STORE`, else `.chart-store/`. */
  readonly storeDir: string;
  /** `CHART_LOCK`, when set: it wins over the configuration's `charts.lock`. */
  readonly lockOverride?: string;
}

/** Resolves the paths from the environment, relative ones against the working directory. */
export function pathsFrom(env: NodeJS.ProcessEnv, root: string = REPOSITORY_ROOT): Paths {
  const outdir = path.resolve(env.CDK8S_OUTDIR ?? path.join(root, 'dist'));
  const cacheDir = path.join(root, '.cache');
  return {
    configFile: path.resolve(env.PLATFORM_CONFIG ?? path.join(root, 'platform.yaml')),
    outdir,
    secretsDir: `${outdir.replace(/[\\/]+$/, '')}-secrets`,
    cacheDir,
    synthCacheDir: env.SYNTH_CACHE ? path.resolve(env.SYNTH_CACHE) : cacheDir,
    helmHome: path.join(cacheDir, 'helm-home'),
    keyFile: path.join(root, '.platform-key'),
    storeDir: path.resolve(env.CHART_STORE ?? path.join(root, '.chart-store')),
    ...(env.CHART_LOCK ? { lockOverride: path.resolve(env.CHART_LOCK) } : {}),
  };
}

/**
 * The environment's part in what synth writes, resolved: every setting that selects an input or changes the
 * output, with the installation key and the helm binary as the run resolved them. Synth records it with
 * its output; the "nothing changed" check compares it.
 */
export function outputSettings(env: NodeJS.ProcessEnv, paths: Paths, resolved: { readonly key: string; readonly helm: string }): Record<string, unknown> {
  return {
    configFile: paths.configFile, outdir: paths.outdir, secretsDir: paths.secretsDir, storeDir: paths.storeDir,
    lockOverride: paths.lockOverride ?? null, helm: resolved.helm, key: resolved.key,
    adminPassword: env.JUPYTERHUB_ADMIN_PASSWORD || null,
  };
}

/** Synth's caches, all under `SYNTH_CACHE` (else `.cache/`): deleting that folder empties them. */
export function cacheFolders(paths: Paths): { render: string; validation: string; yaml: string; records: string; helmVersion: string; checkedArchives: string } {
  return {
    yaml: path.join(paths.synthCacheDir, 'yaml'),
    render: path.join(paths.synthCacheDir, 'render'),
    validation: path.join(paths.synthCacheDir, 'validation'),
    records: path.join(paths.synthCacheDir, 'synth'),
    helmVersion: path.join(paths.synthCacheDir, 'helm-version.json'),
    checkedArchives: path.join(paths.synthCacheDir, 'checked-archives.json'),
  };
}

/** A folder as messages show it: relative to the working directory, with a trailing `/`. */
export const shownFolder = (dir: string): string => `${path.relative(process.cwd(), dir) || '.'}/`;
