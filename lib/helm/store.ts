import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LockedChart } from './lock';

/** The file helm itself gives a pulled chart: `<chart>-<version>.tgz`. */
export function archiveName(chart: LockedChart): string {
  return `${chart.chart}-${chart.version}.tgz`;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** What a check of one archive found. */
export interface ArchiveCheck {
  readonly file: string;
  readonly sha256: string;
  /** Set when the lock records no digest for this chart yet. */
  readonly warning?: string;
}

/**
 * A folder of chart archives, read-only at synth time: synth never downloads.
 * Archives are checked against the lock before helm sees them.
 */
export class ChartStore {
  constructor(public readonly dir: string) {}

  public pathOf(chart: LockedChart): string {
    return path.join(this.dir, archiveName(chart));
  }

  /** Checks that `chart`'s archive is here and matches the lock; throws with the fix otherwise. */
  public check(chart: LockedChart): ArchiveCheck {
    const file = this.pathOf(chart);
    if (!fs.existsSync(file)) {
      throw new Error(
        `chart "${chart.key}" (${chart.chart} ${chart.version}): archive ${file} is not in the chart store: ` +
        'run `npm run charts:pull`, or set CHART_STORE to a folder that holds it');
    }
    const sha256 = sha256File(file);
    if (!chart.sha256) {
      return {
        file, sha256,
        warning: `chart "${chart.key}" (${chart.chart} ${chart.version}): the lock records no digest for ${file} (sha256 ${sha256}); ` +
          'run `npm run charts:pull` to verify it against the chart repository and record it',
      };
    }
    if (sha256 !== chart.sha256) {
      throw new Error(
        `chart "${chart.key}" (${chart.chart} ${chart.version}): archive ${file} has sha256 ${sha256}, the lock records ${chart.sha256}: ` +
        `delete the file and run \`npm run charts:pull\` to fetch the published archive`);
    }
    return { file, sha256 };
  }
}
