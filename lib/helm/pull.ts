import * as fs from 'fs';
import * as path from 'path';
import { HelmBinary, isolatedHelmEnv } from './binary';
import { MiB } from './bytes';
import { onInterrupt } from './interrupt';
import { ChartLock } from './lock';
import { runBoundedSync, RunStopped } from './run';
import { archiveName, ChartStore, readChartArchive } from './store';

export interface PullOptions {
  readonly lock: ChartLock;
  readonly store: ChartStore;
  readonly helm: HelmBinary;
  /** Helm's private home (config, cache, data, repository index cache). */
  readonly homeDir: string;
  readonly log?: (message: string) => void;
  /** Network settings helm may need to reach the repositories (e.g. HTTPS_PROXY). @default - none */
  readonly networkEnv?: NodeJS.ProcessEnv;
  /** How long one `helm pull` may take, in seconds; then helm is killed. @default 300 */
  readonly timeoutSeconds?: number;
}

export interface PullResult {
  /** The lock with every digest this run recorded. */
  readonly lock: ChartLock;
  /** Keys of the charts whose digest this run recorded. */
  readonly recorded: readonly string[];
  /** Keys of the charts downloaded. */
  readonly pulled: readonly string[];
}

/**
 * Brings the store up to the lock: downloads each missing archive with `helm pull`, checks it against
 * the lock, and records the digest of any chart the lock has none for. Only this records digests, and
 * only of archives it downloaded itself from the chart's repository.
 */
export function pullCharts(options: PullOptions): PullResult {
  const log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
  let lock = options.lock;
  const recorded: string[] = [];
  const pulled: string[] = [];
  const failures: string[] = [];
  fs.mkdirSync(options.store.dir, { recursive: true });
  for (const chart of options.lock.charts) {
    const file = options.store.pathOf(chart);
    if (chart.sha256 && fs.existsSync(file)) {
      try {
        options.store.check(chart);
        log(`ok      ${chart.key}: ${archiveName(chart)}`);
      } catch (e) {
        failures.push((e as Error).message);
      }
      continue;
    }
    const tmp = fs.mkdtempSync(path.join(options.store.dir, '.pull-'));
    const release = onInterrupt(() => fs.rmSync(tmp, { recursive: true, force: true }));
    try {
      const pull = `helm pull ${chart.chart} ${chart.version} from ${chart.repo}`;
      const offline = `with no network, copy ${archiveName(chart)} from a machine that has it into ${options.store.dir}`;
      let res;
      try {
        res = runBoundedSync(options.helm.path, ['pull', chart.chart, '--repo', chart.repo, '--version', chart.version, '--destination', tmp],
          isolatedHelmEnv(options.homeDir, options.networkEnv),
          { timeoutSeconds: options.timeoutSeconds ?? 300, maxStdoutBytes: MiB, maxStderrBytes: MiB });
      } catch (e) {
        if (!(e instanceof RunStopped)) throw e;
        throw new Error(`chart "${chart.key}": ${pull}: helm ${e.message}\n${offline}`);
      }
      if (res.code !== 0) {
        throw new Error(`chart "${chart.key}": ${pull} failed: ${res.stderr.toString('utf8').trim() || `exit code ${res.code ?? res.signal}`}\n${offline}`);
      }
      const got = path.join(tmp, archiveName(chart));
      if (!fs.existsSync(got)) throw new Error(`chart "${chart.key}": helm pull did not produce ${archiveName(chart)} (got ${fs.readdirSync(tmp).join(', ') || 'nothing'})`);
      const { sha256 } = readChartArchive(got, chart, tmp);
      if (chart.sha256 && chart.sha256.toLowerCase() !== sha256) {
        throw new Error(`chart "${chart.key}": ${chart.repo} serves ${archiveName(chart)} with sha256 ${sha256}, the lock records ${chart.sha256}: ` +
          'the published archive changed; check why before you change the lock');
      }
      fs.renameSync(got, file);
      pulled.push(chart.key);
      if (!chart.sha256) {
        lock = lock.withDigest(chart.key, sha256);
        recorded.push(chart.key);
        log(`pulled  ${chart.key}: ${archiveName(chart)} (recorded sha256 ${sha256})`);
      } else {
        log(`pulled  ${chart.key}: ${archiveName(chart)} (sha256 matches the lock)`);
      }
    } catch (e) {
      failures.push((e as Error).message);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      release();
    }
  }
  if (recorded.length) lock.save();
  if (failures.length) {
    const kept = recorded.length ? ` (the digests of ${recorded.join(', ')} were recorded)` : '';
    throw new Error(`${failures.length} of ${options.lock.charts.length} charts could not be brought into ${options.store.dir}${kept}:\n${failures.join('\n')}`);
  }
  return { lock, recorded, pulled };
}
