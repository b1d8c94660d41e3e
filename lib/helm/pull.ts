// The three ways to a verified chart store: download from the chart repositories (pullCharts), copy from a
// folder of archives (copyCharts), or pin the archives at hand, re-packaged ones too, in a lock of their own
// (writeMirrorLock). Each says per chart what it found and did, and ends in an error if a chart is not there,
// verified.
import * as fs from 'fs';
import * as path from 'path';
import { HelmBinary, isolatedHelmEnv } from './binary';
import { MiB } from './bytes';
import { ChartLock, LockedChart } from './lock';
import { CHANGED_WHILE_READ_FIX, FileRefused, readRegularFile } from './regular-file';
import { runBoundedSync, RunStopped } from './run';
import { createRunFolder, removeStaleRunFolders } from './run-folder';
import { ArchiveFixes, archiveName, ChartStore, exists, mirrorLockFile, mirrorRoute, readChartArchive, removeIfEmpty, StoredArchive } from './store';

/** What became of one chart: `ok` (there and verified), `downloaded`, `recorded` (downloaded, its digest recorded), `copied`, `pinned` (in a mirror lock), `mismatch` or `failed`. */
export type ChartStatus = 'ok' | 'downloaded' | 'recorded' | 'copied' | 'pinned' | 'mismatch' | 'failed';

export interface ChartOutcome {
  readonly key: string;
  readonly status: ChartStatus;
  /** What was found and done, and for a mismatch or a failure, what to do. */
  readonly detail: string;
}

/** Some charts are not in the store, verified; each one's line said why. */
export class ChartsNotReady extends Error {
  constructor(message: string, public readonly outcomes: readonly ChartOutcome[]) {
    super(message);
  }

  /** Whether an archive's sha256 differed from the lock's. */
  public get mismatch(): boolean {
    return this.outcomes.some((o) => o.status === 'mismatch');
  }
}

/** How one chart's outcome is printed: `downloaded  jupyterhub: ...`. */
export function outcomeLine(o: ChartOutcome): string {
  return `${o.status.padEnd(10)}  ${o.key}: ${o.detail}`;
}

interface RouteOptions {
  readonly lock: ChartLock;
  readonly store: ChartStore;
  /** Where each chart's line goes. @default - stderr */
  readonly log?: (line: string) => void;
}

export interface PullOptions extends RouteOptions {
  readonly helm: HelmBinary;
  /** Helm's private home (config, cache, data, repository index cache). */
  readonly homeDir: string;
  /** Network settings helm may need to reach the repositories (e.g. HTTPS_PROXY). @default - none */
  readonly networkEnv?: NodeJS.ProcessEnv;
  /** How long one `helm pull` may take, in seconds; then helm is killed. @default 300 */
  readonly timeoutSeconds?: number;
}

export interface PullResult {
  /** The lock with every digest this run recorded (already saved). */
  readonly lock: ChartLock;
  readonly outcomes: readonly ChartOutcome[];
}

/** Tracks the outcomes of a route, printing each as it comes. */
class Outcomes {
  public readonly list: ChartOutcome[] = [];
  private readonly log: (line: string) => void;

  constructor(log?: (line: string) => void) {
    this.log = log ?? ((l) => process.stderr.write(`${l}\n`));
  }

  public add(chart: LockedChart, status: ChartStatus, detail: string): void {
    const outcome = { key: chart.key, status, detail };
    this.list.push(outcome);
    this.log(outcomeLine(outcome));
  }

  /**
   * Throws if a chart is not there, verified, saying once what to do about archives that differ from the
   * lock (`mismatchFix`); the lines said the rest.
   */
  public finish(lock: ChartLock, storeDir: string, options: { mismatchFix?: string; nothingWritten?: boolean; missing?: string } = {}): void {
    const of = (status: ChartStatus) => this.list.filter((o) => o.status === status).map((o) => o.key);
    const [mismatched, failed] = [of('mismatch'), of('failed')];
    if (!mismatched.length && !failed.length) return;
    const parts = [
      ...(mismatched.length ? [`${mismatched.join(', ')} ${mismatched.length > 1 ? 'differ' : 'differs'} from the lock's digest${options.mismatchFix ? `: ${options.mismatchFix}` : ''}`] : []),
      ...(failed.length ? [`${failed.join(', ')} failed: the lines above say why and what to do`] : []),
    ];
    throw new ChartsNotReady(`${mismatched.length + failed.length} of ${lock.charts.length} charts of ${lock.file} ${options.missing ?? `are not in ${storeDir}, verified`}` +
      `${options.nothingWritten ? ' (nothing was written)' : ''}: ${parts.join('; ')}`, this.list);
  }
}

/** A message about `chart` without the `chart "key" (name version): ` it starts with: the line names the chart already. */
function withoutChart(message: string, chart: LockedChart): string {
  const prefix = `chart "${chart.key}" (${chart.chart} ${chart.version}): `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The same fix, whatever was wrong with the file. */
function everyFix(fix: string, overrides: Partial<ArchiveFixes> = {}): ArchiveFixes {
  return { 'missing': fix, 'unreadable': fix, 'not-a-file': fix, 'outside': fix, 'too-large': fix, 'changed': fix, 'unusable': fix, ...overrides };
}

/** The command that downloads a chart's published archive, for a message. */
function helmPullCommand(chart: LockedChart): string {
  return `helm pull ${chart.chart} --repo ${chart.repo} --version ${chart.version}`;
}

/** Whether the store's copy is there and as the lock wants it. */
function verified(stored: StoredArchive, chart: LockedChart): stored is StoredArchive & { found: 'archive' } {
  return stored.found === 'archive' && (!chart.sha256 || stored.sha256 === chart.sha256);
}

/** What a line says of a verified archive: matches the lock, or the lock pins none. */
function verdict(chart: LockedChart): string {
  return chart.sha256 ? 'matches the lock' : 'a usable chart archive; the lock pins no digest for it';
}

/** What a line says of the store's copy that was (or would have been) replaced. */
function storedCopy(stored: StoredArchive): string {
  if (stored.found === 'archive') return `the store's copy has sha256 ${stored.sha256}, which the lock does not pin`;
  if (stored.found === 'unusable') return `the store's copy is not usable (${stored.problem})`;
  return '';
}

/**
 * Online: brings the store up to the lock with `helm pull`. An archive that is there and verifies is kept;
 * one that is missing, unusable or fails its digest is downloaded, checked and put in place. The digest
 * of a chart the lock pins none for is recorded (and the lock saved) only when this run downloaded it.
 */
export function pullCharts(options: PullOptions): PullResult {
  const { store } = options;
  let lock = options.lock;
  const outcomes = new Outcomes(options.log);
  store.create();
  removeStaleRunFolders(store.incomingDir());
  for (const chart of options.lock.charts) {
    const name = archiveName(chart);
    const stored = store.find(chart);
    if (verified(stored, chart)) {
      outcomes.add(chart, 'ok', chart.sha256
        ? `${name} is in the store and matches the lock`
        : `${name} is in the store, a usable chart archive; the lock pins no digest for it (to record the published one, delete the archive and run \`npm run charts:pull\` again)`);
      continue;
    }
    const before = storedCopy(stored);
    const offline = `without network, copy the published archive into a folder DIR and run \`npm run charts:pull -- --from DIR\`` +
      (stored.found === 'archive' ? `; if the store holds archives you re-packaged, pin them in a lock of their own: ${mirrorRoute(store.dir)}` : '');
    const folder = createRunFolder(store.incomingDir());
    try {
      const pulled = download(chart, folder.dir, options);
      if ('failure' in pulled) {
        outcomes.add(chart, 'failed', `${pulled.failure}${before ? `; ${before}` : ''}; ${offline}`);
        continue;
      }
      if (chart.sha256 && pulled.sha256 !== chart.sha256) {
        outcomes.add(chart, 'mismatch', `${chart.repo} serves ${name} with sha256 ${pulled.sha256}, the lock pins ${chart.sha256}: nothing was stored${before ? ` (${before})` : ''}`);
        continue;
      }
      store.put(chart, pulled.content);
      const replaced = before ? `; it replaced the store's copy, which ${stored.found === 'archive' ? `had sha256 ${stored.sha256}` : 'was not usable'}` : '';
      if (chart.sha256) {
        outcomes.add(chart, 'downloaded', `${name} from ${chart.repo}, matches the lock${replaced}`);
      } else {
        lock = lock.withDigest(chart.key, pulled.sha256);
        lock.save();
        outcomes.add(chart, 'recorded', `${name} from ${chart.repo}; its sha256 ${pulled.sha256} is now in ${lock.file}${replaced}`);
      }
    } catch (e) {
      outcomes.add(chart, 'failed', withoutChart((e as Error).message, chart));
    } finally {
      folder.remove();
    }
  }
  removeIfEmpty(store.incomingDir());
  outcomes.finish(lock, store.dir, {
    mismatchFix: 'the repository serves other bytes than the lock pins: the published archive changed, or the repository is not the one the lock means; check why before you change the lock',
  });
  return { lock, outcomes: outcomes.list };
}

/** Runs `helm pull` for `chart` into `dir` and checks what it wrote; a failure is said, not thrown. */
function download(chart: LockedChart, dir: string, options: PullOptions): { content: Buffer; sha256: string } | { failure: string } {
  const pull = `helm pull ${chart.chart} ${chart.version} from ${chart.repo}`;
  let res;
  try {
    res = runBoundedSync(options.helm.path, ['pull', chart.chart, '--repo', chart.repo, '--version', chart.version, '--destination', dir],
      isolatedHelmEnv(options.homeDir, options.networkEnv),
      { timeoutSeconds: options.timeoutSeconds ?? 300, maxStdoutBytes: MiB, maxStderrBytes: MiB });
  } catch (e) {
    if (!(e instanceof RunStopped)) throw e;
    return { failure: `${pull}: helm ${e.message}` };
  }
  if (res.code !== 0) {
    const said = res.stderr.toString('utf8').trim().split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    return { failure: `${pull} failed: ${said ? (said.length > 500 ? `${said.slice(0, 497)}...` : said) : `exit code ${res.code ?? res.signal}`}` };
  }
  const got = path.join(dir, archiveName(chart));
  if (!fs.existsSync(got)) return { failure: `${pull} did not produce ${archiveName(chart)} (it wrote ${fs.readdirSync(dir).join(', ') || 'nothing'})` };
  try {
    return readChartArchive(got, chart, dir, { fixes: everyFix(`check that ${chart.repo} is the chart's repository and that nothing between (a proxy) answers in its place`) });
  } catch (e) {
    return { failure: `${pull}: ${withoutChart((e as Error).message, chart)}` };
  }
}

export interface CopyOptions extends RouteOptions {
  /** The folder of archives, with helm's file names (`<chart>-<version>.tgz`). */
  readonly from: string;
}

/**
 * Offline: copies each chart's archive from a folder into the store, checked as synth checks it and
 * verified against the lock; no network. An archive whose digest differs from the lock's is refused
 * (nothing copied); a chart the folder lacks is fine if the store's copy verifies.
 */
export function copyCharts(options: CopyOptions): readonly ChartOutcome[] {
  const { store, lock } = options;
  const from = path.resolve(options.from);
  checkFolder(from, '--from');
  store.create();
  const outcomes = new Outcomes(options.log);
  for (const chart of lock.charts) {
    const name = archiveName(chart);
    const source = path.join(from, name);
    const stored = store.find(chart);
    if (!exists(source)) {
      const fix = `copy the published archive into ${from} (${helmPullCommand(chart)}, where that repository is reachable), or run \`npm run charts:pull\` online`;
      if (verified(stored, chart)) {
        outcomes.add(chart, 'ok', `${name} is not in ${from}; the store's copy ${verdict(chart)}`);
      } else if (stored.found === 'archive') {
        outcomes.add(chart, 'mismatch', `${name} is not in ${from}, and the store's copy has sha256 ${stored.sha256}, the lock pins ${chart.sha256}`);
      } else if (stored.found === 'unusable') {
        outcomes.add(chart, 'failed', `${name} is not in ${from}, and the store's copy is not usable (${stored.problem}): ${fix}`);
      } else {
        outcomes.add(chart, 'failed', `${name} is in neither ${from} nor the store: ${fix}`);
      }
      continue;
    }
    let read;
    try {
      read = readChartArchive(source, chart, from, { fixes: folderFixes(chart, from) });
    } catch (e) {
      outcomes.add(chart, 'failed', `${withoutChart((e as Error).message, chart)}; nothing was copied`);
      continue;
    }
    if (chart.sha256 && read.sha256 !== chart.sha256) {
      outcomes.add(chart, 'mismatch', `${source} has sha256 ${read.sha256}, the lock pins ${chart.sha256}: it is not the published archive, so it was not copied`);
      continue;
    }
    if (stored.found === 'archive' && stored.sha256 === read.sha256) {
      outcomes.add(chart, 'ok', `${name} in the store is the same as in ${from}, ${verdict(chart)}`);
      continue;
    }
    try {
      store.put(chart, read.content);
    } catch (e) {
      outcomes.add(chart, 'failed', withoutChart((e as Error).message, chart));
      continue;
    }
    const before = storedCopy(stored);
    outcomes.add(chart, 'copied', `${name} from ${from}, ${verdict(chart)}${before ? `; it replaced the store's copy (${before})` : ''}`);
  }
  outcomes.finish(lock, store.dir, {
    mismatchFix: 'for the published archives, run `npm run charts:pull` where the chart repositories are reachable; ' +
      `if these are re-packaged copies, pin them in a lock of their own: ${mirrorRoute(store.dir, from)}`,
  });
  return outcomes.list;
}

/** The fixes for an archive in a folder the user named. */
function folderFixes(chart: LockedChart, dir: string): ArchiveFixes {
  return everyFix(`put the chart's published archive there (${helmPullCommand(chart)}, where that repository is reachable)`, {
    'missing': `copy the archive into ${dir}`,
    'unreadable': 'make it readable by this user',
    'outside': `copy the archive itself into ${dir}`,
    'changed': `run again, with nothing writing to ${dir}`,
  });
}

/** Refuses a folder option that is not a folder, naming the option and the value. */
function checkFolder(dir: string, option: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${option} ${dir} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}: give the folder that holds the chart archives`);
  }
  if (!st.isDirectory()) throw new Error(`${option} ${dir} is not a folder: give the folder that holds the chart archives, named as helm names them (<chart>-<version>.tgz)`);
}

/** How every mirror lock starts: what tells one apart from any other file that may be at its path. */
export const MIRROR_LOCK_MARK = '# A mirror lock';

export interface MirrorOptions extends RouteOptions {
  /** The mirror lock to write. */
  readonly file: string;
  /** A folder to copy the archives from into the store first, as `copyCharts` does. @default - the archives already in the store */
  readonly from?: string;
}

export interface MirrorResult {
  /** The mirror lock, as written and read back. */
  readonly lock: ChartLock;
  readonly outcomes: readonly ChartOutcome[];
}

/**
 * Pins the archives at hand, published or re-packaged, in a lock of their own: the lock's charts with the
 * sha256 of the archives in `from` (copied into the store) or in the store, each checked as a chart
 * archive first. All or nothing: if one archive is missing or unusable, nothing is copied or written. Never
 * writes over the lock it reads, nor over a file that is not a mirror lock; the file holds no date, so the
 * same archives give the same bytes.
 */
export function writeMirrorLock(options: MirrorOptions): MirrorResult {
  const { lock, store } = options;
  const file = path.resolve(options.file);
  const from = options.from === undefined ? undefined : path.resolve(options.from);
  checkMirrorTarget(file, lock, store);
  if (from !== undefined) checkFolder(from, '--from');
  const source = from ?? store.dir;
  const outcomes = new Outcomes(options.log);
  const read = lock.charts.map((chart) => {
    try {
      const fixes = from !== undefined ? folderFixes(chart, from)
        : everyFix(`put the archive in the chart store, or name the folder that holds the archives with --from DIR`, { unreadable: 'make it readable by this user' });
      return { chart, ...readChartArchive(path.join(source, archiveName(chart)), chart, source, { fixes }) };
    } catch (e) {
      outcomes.add(chart, 'failed', withoutChart((e as Error).message, chart));
      return undefined;
    }
  });
  outcomes.finish(lock, store.dir, { nothingWritten: true, missing: `have no usable archive in ${source}` });
  const base = path.basename(lock.file);
  let mirror = lock;
  const lines: Array<[LockedChart, string]> = [];
  for (const r of read as Array<NonNullable<(typeof read)[number]>>) {
    const { chart, sha256 } = r;
    let copied = '';
    if (from !== undefined) {
      const stored = store.find(chart);
      if (!(stored.found === 'archive' && stored.sha256 === sha256)) {
        store.put(chart, r.content);
        copied = `, copied from ${from} into the store`;
      }
    }
    const relation = !chart.sha256 ? `${base} pins none`
      : chart.sha256 === sha256 ? `the same as ${base}: the published archive`
        : `${base} pins ${chart.sha256}: not the published archive`;
    lines.push([chart, `${archiveName(chart)} sha256 ${sha256} (${relation})${copied}`]);
    mirror = mirror.withDigest(chart.key, sha256);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const written = mirror.saveAs(file, mirrorHeader(lock.file, source));
  for (const [chart, detail] of lines) outcomes.add(chart, 'pinned', detail);
  return { lock: written, outcomes: outcomes.list };
}

/** The comment a mirror lock starts with: what it is, where its digests came from, how it is used. No date: the same archives give the same file. */
function mirrorHeader(lockFile: string, source: string): string {
  const base = path.basename(lockFile);
  return [
    `${MIRROR_LOCK_MARK}, written by \`npm run charts:pull -- --mirror-lock\`: the charts of ${lockFile},`,
    `# with the sha256 of the archives in ${source}, which may be re-packaged copies, not the published ones.`,
    '# Synthesize with it: CHART_LOCK=<this file> npm run synth, or charts.lock: <this file> in platform.yaml.',
    `# Write it again the same way after a change to ${base}; never copy its digests into ${base}.`,
    '',
  ].join('\n');
}

/** Refuses to write the mirror lock over the lock it is made from, or over a file that is not a mirror lock. */
function checkMirrorTarget(file: string, lock: ChartLock, store: ChartStore): void {
  const elsewhere = `choose another file, such as ${mirrorLockFile(store.dir)}`;
  if (sameFile(file, lock.file)) {
    throw new Error(`--mirror-lock ${file} is the chart lock ${lock.file}: a mirror lock is a file of its own and the chart lock keeps the published digests; ${elsewhere}`);
  }
  if (!exists(file)) return;
  let head: string;
  try {
    head = readRegularFile(file, { maxBytes: MiB }).toString('utf8');
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e;
    throw new Error(`--mirror-lock ${e.message}: ${e.reason === 'changed' ? CHANGED_WHILE_READ_FIX : elsewhere}`);
  }
  if (!head.startsWith(MIRROR_LOCK_MARK)) {
    throw new Error(`--mirror-lock ${file} exists and is not a mirror lock (it does not start with "${MIRROR_LOCK_MARK}"), so it is not replaced: ${elsewhere}, or move it away`);
  }
}

/** Whether two paths name the same file (through symlinks and hard links too). */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
