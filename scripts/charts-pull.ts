// `npm run charts:pull [-- --from DIR] [--mirror-lock FILE]`: brings the chart store up to the chart lock,
// every archive verified. Three routes: online (helm pull what is missing or fails its digest), offline from
// a folder of published archives (--from), or a mirror lock of its own for re-packaged archives (--mirror-lock).
import * as path from 'path';
import { engineSettings, helmFromEnv, helmTimeoutFrom, loadConfig, pathsFrom } from '../config';
import { ChartLock, ChartsNotReady, CommandSpec, copyCharts, ParsedOptions, pullCharts, runCommand, writeMirrorLock } from '../lib';

/** The exit code when an archive's sha256 differs from the lock. */
export const EXIT_MISMATCH = 3;

export const CHARTS_PULL_COMMAND = {
  name: 'npm run charts:pull',
  summary: 'Brings the chart store up to the chart lock, every archive checked and verified: downloads what is missing or fails its digest (helm pull), ' +
    'or copies it from a folder (--from), or pins the archives at hand in a mirror lock of their own (--mirror-lock).',
  options: {
    'from': { type: 'string', value: 'DIR', description: 'copy the archives from DIR (named <chart>-<version>.tgz) into the store instead of downloading; no network' },
    'mirror-lock': {
      type: 'string', value: 'FILE',
      description: 'write FILE, a lock with the charts of the configuration\'s lock and the sha256 of the archives in the store (or DIR): for re-packaged archives; never the chart lock itself',
    },
  },
  environment: [
    ['PLATFORM_CONFIG', 'the configuration file, whose charts.lock names the chart lock (default platform.yaml)'],
    ['CHART_LOCK', 'the lock to verify against instead of charts.lock (--mirror-lock reads charts.lock)'],
    ['CHART_STORE', 'the folder of chart archives (default .chart-store/)'],
    ['HELM', 'the helm binary (default: helm on PATH, else the bundled one); not used with --from or --mirror-lock'],
    ['HELM_TIMEOUT', 'seconds one helm pull may take (default 300)'],
    ['HTTPS_PROXY, HTTP_PROXY, NO_PROXY', 'passed to helm pull (also in lowercase)'],
  ],
  exitCodes: [[EXIT_MISMATCH, 'an archive\'s sha256 differs from the lock (nothing was stored for that chart)']],
} as const satisfies CommandSpec<any>;

type Options = ParsedOptions<typeof CHARTS_PULL_COMMAND.options>;

function main(options: Options, env: NodeJS.ProcessEnv): void {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const paths = pathsFrom(env);
  const { lockFile } = loadConfig(paths.configFile);
  for (const [option, value] of Object.entries(options)) {
    if (value === '') throw new Error(`--${option} is empty: give a path`);
  }

  if (options['mirror-lock'] !== undefined) {
    // The coordinates come from the configuration's lock, whatever CHART_LOCK says: a mirror lock is made from the chart lock.
    const { store } = engineSettings({ ...paths, lockOverride: undefined }, lockFile);
    log(`chart store ${store.dir}`);
    const { lock } = writeMirrorLock({ lock: ChartLock.load(lockFile), store, file: options['mirror-lock'], from: options.from, log });
    const storeSetting = env.CHART_STORE ? `CHART_STORE=${store.dir} ` : '';
    const fromConfig = path.relative(path.dirname(paths.configFile), lock.file);
    log(`wrote the mirror lock ${lock.file} (${lock.charts.length} charts); synthesize with it: ${storeSetting}CHART_LOCK=${lock.file} npm run synth, ` +
      `or charts.lock: ${fromConfig.startsWith('..') ? lock.file : fromConfig} in ${paths.configFile}`);
    return;
  }

  const { lock, store, cacheDir, helmHome } = engineSettings(paths, lockFile);
  if (options.from !== undefined) {
    log(`chart store ${store.dir}; copying from ${path.resolve(options.from)}, verified against ${lock.file}`);
    copyCharts({ lock, store, from: options.from, log });
    log(summary(lock, store.dir));
    return;
  }
  const timeoutSeconds = helmTimeoutFrom(env);
  const helm = helmFromEnv(env, cacheDir, log);
  log(`chart store ${store.dir}; verified against ${lock.file}`);
  const { HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy } = env;
  const networkEnv = Object.fromEntries(Object.entries({ HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy }).filter(([, v]) => v !== undefined));
  const result = pullCharts({ lock, store, helm, homeDir: helmHome, networkEnv, timeoutSeconds, log });
  log(summary(result.lock, store.dir));
  const recorded = result.outcomes.filter((o) => o.status === 'recorded').map((o) => o.key);
  if (recorded.length) log(`recorded the digests of ${recorded.join(', ')} in ${result.lock.file}: review and commit it`);
}

/** The last line of a route that succeeded: how many archives, and how many the lock's digest verified. */
function summary(lock: ChartLock, storeDir: string): string {
  const unpinned = lock.charts.filter((c) => !c.sha256).length;
  return `${storeDir} holds the ${lock.charts.length} archives of ${lock.file}, ` +
    (unpinned ? `${lock.charts.length - unpinned} verified by their digest, ${unpinned} checked as chart archives only (the lock pins no digest for them)` : 'each verified by its digest');
}

runCommand(module, CHARTS_PULL_COMMAND, (options) => {
  try {
    main(options, process.env);
  } catch (e) {
    if (!(e instanceof ChartsNotReady && e.mismatch)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = EXIT_MISMATCH;
  }
});
