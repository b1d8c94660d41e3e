import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fsyncDir } from '../files';
import { MiB } from './bytes';
import { chartArchiveProblem } from './chart-archive';
import { CheckedArchives, checkKey } from './checked-archives';
import { LockedChart } from './lock';
import { FileRefusal, FileRefused, readRegularFile } from './regular-file';
import { createRunFolder, removeStaleRunFolders } from './run-folder';

/** The file helm itself gives a pulled chart: `<chart>-<version>.tgz`. */
export function archiveName(chart: LockedChart): string {
  return `${chart.chart}-${chart.version}.tgz`;
}

export interface ChartStoreOptions {
  /** Archives larger than this are refused before they are read. @default 64 MiB */
  readonly maxArchiveBytes?: number;
  /** Archives that unpack to more than this are refused (helm's own limit). @default 100 MiB */
  readonly maxUnpackedBytes?: number;
}

/** What a check of one archive found. */
export interface ArchiveCheck {
  readonly file: string;
  readonly sha256: string;
  /** The archive's bytes, as checked: hand helm these, not the file, which may change after the check. */
  readonly content: Buffer;
  /** Whether the lock pins a digest for this chart (which the archive matches); if not, it was checked as a chart archive only. */
  readonly pinned: boolean;
}

const PULL = 'delete it and run `npm run charts:pull` to fetch the published archive';

/** What the store holds for a chart, before it is judged against the lock. */
export type StoredArchive =
  | { readonly found: 'none' }
  | { readonly found: 'archive'; readonly sha256: string; readonly content: Buffer }
  | { readonly found: 'unusable'; readonly problem: string };

/** Where a copy of the archives comes from when the chart repositories are out of reach. */
const OFFLINE = 'offline, `npm run charts:pull -- --from DIR` copies them from a folder DIR';

/** The file a mirror lock gets when a message proposes one: beside the archives it pins. */
export function mirrorLockFile(storeDir: string): string {
  return path.join(storeDir, 'mirror-lock.yaml');
}

/**
 * The way out for re-packaged archives, as a message says it: the exact commands that pin the archives of
 * `storeDir` (copied from `from`, when given) in a lock of their own, and synthesize with it.
 */
export function mirrorRoute(storeDir: string, from?: string): string {
  const lock = mirrorLockFile(storeDir);
  return `\`CHART_STORE=${storeDir} npm run charts:pull -- --mirror-lock ${lock}${from ? ` --from ${from}` : ''}\`, ` +
    `then \`CHART_STORE=${storeDir} CHART_LOCK=${lock} npm run synth\``;
}

/** The one line a run prints about the archives the lock pins no digest for; undefined when there are none. */
export function unpinnedNotice(archives: readonly string[]): string | undefined {
  if (archives.length === 0) return undefined;
  return `notice: the lock pins no digest for ${archives.join(', ')}; \`npm run charts:pull\` records them when it downloads them`;
}

/** What a message tells the user to do about an archive that cannot be used, by why it was refused. */
export type ArchiveFixes = Readonly<Record<FileRefusal | 'unusable', string>>;

/** An archive refused by readChartArchive: the message has the fix, `problem` only what is wrong. */
export class ArchiveRefused extends Error {
  constructor(message: string, public readonly problem: string) {
    super(message);
  }
}

export interface ReadArchiveOptions extends ChartStoreOptions {
  /** The fixes messages give. @default - those for an archive in the chart store */
  readonly fixes?: ArchiveFixes;
  /** Archives found to be chart archives before, which need not be unpacked again; the archive is added when it passes. @default - every archive is unpacked */
  readonly checked?: CheckedArchives;
}

const STORE_FIXES: ArchiveFixes = {
  'missing': `run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to a folder that holds it`,
  'unreadable': 'make the chart store and the archive readable by this user',
  'not-a-file': `put the archive itself there: ${PULL}`,
  'outside': `the archives of the chart store stay in it: put the archive itself there (${PULL})`,
  'too-large': `chart archives are far smaller; ${PULL}`,
  'changed': 'run again, with nothing writing to the chart store',
  'unusable': PULL,
};

/**
 * Reads the archive `file` of `chart` and checks it: a regular file (or a symlink to one) inside `within`,
 * within the size limits, a gzip-compressed tar holding `<chart>/Chart.yaml` and nothing outside it.
 * The digest is of the same bytes that were checked. Throws naming the chart, the file and the fix.
 */
export function readChartArchive(file: string, chart: LockedChart, within: string, options: ReadArchiveOptions = {}): { content: Buffer; sha256: string } {
  const what = `chart "${chart.key}" (${chart.chart} ${chart.version}): archive`;
  const fixes = options.fixes ?? STORE_FIXES;
  let content: Buffer;
  try {
    content = readRegularFile(file, { maxBytes: options.maxArchiveBytes ?? 64 * MiB, within });
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e;
    throw new ArchiveRefused(`${what} ${e.message}: ${fixes[e.reason]}`, `${e.message}`);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const maxUnpackedBytes = options.maxUnpackedBytes ?? 100 * MiB;
  const key = checkKey(sha256, chart.chart, maxUnpackedBytes);
  if (!options.checked?.has(key)) {
    const problem = chartArchiveProblem(content, chart.chart, maxUnpackedBytes);
    if (problem) throw new ArchiveRefused(`${what} ${file} is not a usable chart archive: ${problem}; ${fixes.unusable}`, `it is not a usable chart archive: ${problem}`);
    options.checked?.add(key);
  }
  return { content, sha256 };
}

/**
 * A folder of chart archives, read-only at synth time: synth never downloads.
 * Archives are checked against the lock before helm sees them.
 */
export class ChartStore {
  constructor(public readonly dir: string, private readonly options: ChartStoreOptions = {}) {}

  public pathOf(chart: LockedChart): string {
    return path.join(this.dir, archiveName(chart));
  }

  /**
   * Checks that `chart`'s archive is here, is a chart archive and matches the lock; throws with the fix
   * otherwise. An archive `checked` holds is not unpacked again.
   */
  public check(chart: LockedChart, checked?: CheckedArchives): ArchiveCheck {
    const file = this.pathOf(chart);
    const what = `chart "${chart.key}" (${chart.chart} ${chart.version}):`;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new Error(`${what} the chart store ${this.dir} cannot be read: permission denied: make it readable by this user`);
      throw new Error(`${what} the chart store ${this.dir} does not exist: run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to the folder that holds the archives`);
    }
    if (!st.isDirectory()) throw new Error(`${what} the chart store ${this.dir} is not a folder: set CHART_STORE to the folder that holds the archives`);
    const name = archiveName(chart);
    if (path.basename(name) !== name || name.includes('/') || name.includes(path.sep)) {
      throw new Error(`${what} archive name ${JSON.stringify(name)} is not a file name in the chart store ${this.dir}: fix the chart's name and version in the lock`);
    }
    if (!exists(file)) {
      throw new Error(`${what} archive ${file} is not in the chart store: run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to a folder that holds it`);
    }
    const { content, sha256 } = readChartArchive(file, chart, this.dir, { ...this.options, checked });
    if (!chart.sha256) return { file, sha256, content, pinned: false };
    if (sha256 !== chart.sha256.toLowerCase()) {
      throw new Error(`${what} archive ${file} has sha256 ${sha256}, the lock records ${chart.sha256}: ` +
        `to use the published archive, run \`npm run charts:pull\`, which replaces this copy; if the store holds archives you re-packaged or mirrored, pin them in a lock of their own: ${mirrorRoute(this.dir)}`);
    }
    return { file, sha256, content, pinned: true };
  }

  /** What the store holds for `chart`: nothing, a chart archive (and its sha256), or something unusable (and why). */
  public find(chart: LockedChart): StoredArchive {
    if (!exists(this.pathOf(chart))) return { found: 'none' };
    try {
      return { found: 'archive', ...readChartArchive(this.pathOf(chart), chart, this.dir, this.options) };
    } catch (e) {
      if (!(e instanceof ArchiveRefused)) throw e;
      return { found: 'unusable', problem: e.problem };
    }
  }

  /**
   * Puts `content` into the store as `chart`'s archive, so that a crash or an interrupt leaves the old file
   * or the new one and nothing half-written: written in a private folder of the store, flushed, renamed
   * into place, the store flushed. The private folder goes on an interrupt, or at the next put if the
   * process was killed.
   */
  public put(chart: LockedChart, content: Buffer): string {
    const file = this.pathOf(chart);
    this.create();
    const incoming = this.incomingDir();
    removeStaleRunFolders(incoming);
    const folder = createRunFolder(incoming);
    try {
      const tmp = path.join(folder.dir, archiveName(chart));
      const fd = fs.openSync(tmp, 'wx', 0o644);
      try {
        for (let written = 0; written < content.length;) written += fs.writeSync(fd, content, written);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        fs.renameSync(tmp, file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw new Error(`chart "${chart.key}" (${chart.chart} ${chart.version}): the archive cannot be put at ${file} (${code}): ` +
          'that path must be free or hold an archive; move what is there out of the chart store');
      }
      fsyncDir(this.dir);
    } finally {
      folder.remove();
      removeIfEmpty(incoming);
    }
    return file;
  }

  /** Creates the store's folder if it is missing (an ordinary folder, as mkdir makes it); throws naming it if it cannot. */
  public create(): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new Error(`the chart store ${this.dir} cannot be created (${code}): set CHART_STORE to a folder this user may write, or to where it may create one`);
    }
  }

  /** Where downloads and copies are written before they are renamed into the store. */
  public incomingDir(): string {
    return path.join(this.dir, '.incoming');
  }
}

/** Removes `dir` if nothing is in it (another process may be using it). */
export function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty, or gone: either way it is not ours to remove.
  }
}

/** Whether anything, even a dangling symlink, is at `file`; permission problems are left to the read. */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
