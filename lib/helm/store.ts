import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MiB } from './bytes';
import { chartArchiveProblem } from './chart-archive';
import { LockedChart } from './lock';
import { FileRefused, readRegularFile } from './regular-file';

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
  /** Set when the lock records no digest for this chart yet. */
  readonly warning?: string;
}

const PULL = 'delete it and run `npm run charts:pull` to fetch the published archive';

/**
 * Reads the archive `file` of `chart` and checks it: a regular file (or a symlink to one) inside `within`,
 * within the size limits, a gzip-compressed tar holding `<chart>/Chart.yaml` and nothing outside it.
 * The digest is of the same bytes that were checked. Throws naming the chart, the file and the fix.
 */
export function readChartArchive(file: string, chart: LockedChart, within: string, options: ChartStoreOptions = {}): { content: Buffer; sha256: string } {
  const what = `chart "${chart.key}" (${chart.chart} ${chart.version}): archive`;
  let content: Buffer;
  try {
    content = readRegularFile(file, { maxBytes: options.maxArchiveBytes ?? 64 * MiB, within });
  } catch (e) {
    if (!(e instanceof FileRefused)) throw e;
    const fixes: Record<FileRefused['reason'], string> = {
      'missing': `run \`npm run charts:pull\`, or set CHART_STORE to a folder that holds it`,
      'unreadable': 'make the chart store and the archive readable by this user',
      'not-a-file': `put the archive itself there: ${PULL}`,
      'outside': `the archives of the chart store stay in it: put the archive itself there (${PULL})`,
      'too-large': `chart archives are far smaller; ${PULL}`,
      'changed': 'run again, with nothing writing to the chart store',
    };
    throw new Error(`${what} ${e.message}: ${fixes[e.reason]}`);
  }
  const problem = chartArchiveProblem(content, chart.chart, options.maxUnpackedBytes ?? 100 * MiB);
  if (problem) throw new Error(`${what} ${file} is not a usable chart archive: ${problem}; ${PULL}`);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
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

  /** Checks that `chart`'s archive is here, is a chart archive and matches the lock; throws with the fix otherwise. */
  public check(chart: LockedChart): ArchiveCheck {
    const file = this.pathOf(chart);
    const what = `chart "${chart.key}" (${chart.chart} ${chart.version}):`;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new Error(`${what} the chart store ${this.dir} cannot be read: permission denied: make it readable by this user`);
      throw new Error(`${what} the chart store ${this.dir} does not exist: run \`npm run charts:pull\`, or set CHART_STORE to the folder that holds the archives`);
    }
    if (!st.isDirectory()) throw new Error(`${what} the chart store ${this.dir} is not a folder: set CHART_STORE to the folder that holds the archives`);
    const name = archiveName(chart);
    if (path.basename(name) !== name || name.includes('/') || name.includes(path.sep)) {
      throw new Error(`${what} archive name ${JSON.stringify(name)} is not a file name in the chart store ${this.dir}: fix the chart's name and version in the lock`);
    }
    if (!exists(file)) {
      throw new Error(`${what} archive ${file} is not in the chart store: run \`npm run charts:pull\`, or set CHART_STORE to a folder that holds it`);
    }
    const { content, sha256 } = readChartArchive(file, chart, this.dir, this.options);
    if (!chart.sha256) {
      return {
        file, sha256, content,
        warning: `${what} the lock records no digest for ${file} (sha256 ${sha256}); ` +
          'run `npm run charts:pull` to verify it against the chart repository and record it',
      };
    }
    if (sha256 !== chart.sha256.toLowerCase()) {
      throw new Error(`${what} archive ${file} has sha256 ${sha256}, the lock records ${chart.sha256}: ${PULL}`);
    }
    return { file, sha256, content };
  }
}

/** Whether anything, even a dangling symlink, is at `file`; permission problems are left to the read. */
function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
