import * as fs from 'fs';
import * as yaml from 'js-yaml';

/** One pinned chart: where it comes from and, once pulled, the sha256 of its archive. */
export interface LockedChart {
  /** The key components use to name the chart, e.g. `istiod`. */
  readonly key: string;
  /** Chart repository URL. */
  readonly repo: string;
  /** Chart name in that repository. */
  readonly chart: string;
  readonly version: string;
  /** sha256 of the archive, hex. @default - not recorded yet: `charts:pull` records it */
  readonly sha256?: string;
}

const HEADER = `# Helm charts this app renders: repository, chart, version and the sha256 of the archive.
# Change a version here to upgrade; \`npm run charts:pull\` downloads the archive and records its digest.
# Only digests of archives pulled from the chart's repository belong here.
`;

const SHA256 = /^[0-9a-f]{64}$/;

/** The chart lock, like Chart.lock or Tanka's chartfile: the one place chart coordinates live. */
export class ChartLock {
  /** Reads and checks a lock file. */
  public static load(file: string): ChartLock {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new Error(`chart lock ${file} is missing: restore it from git`);
    }
    let doc: any;
    try {
      doc = yaml.load(text);
    } catch (e) {
      throw new Error(`chart lock ${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (!doc || typeof doc.charts !== 'object' || Array.isArray(doc.charts)) {
      throw new Error(`chart lock ${file} has no "charts" map: restore it from git`);
    }
    const charts: LockedChart[] = Object.entries<any>(doc.charts).map(([key, c]) => {
      for (const field of ['repo', 'chart', 'version']) {
        if (typeof c?.[field] !== 'string' || c[field] === '') {
          throw new Error(`chart lock ${file}: chart "${key}" has no ${field}: add it as a string`);
        }
      }
      if (c.sha256 !== undefined && c.sha256 !== null && c.sha256 !== '' && !SHA256.test(c.sha256)) {
        throw new Error(`chart lock ${file}: chart "${key}" has sha256 "${c.sha256}", which is not 64 hex digits: remove it and run \`npm run charts:pull\``);
      }
      return { key, repo: c.repo, chart: c.chart, version: String(c.version), sha256: c.sha256 || undefined };
    });
    return new ChartLock(file, charts);
  }

  private constructor(public readonly file: string, public readonly charts: readonly LockedChart[]) {}

  /** The chart pinned under `key`; throws naming the keys that exist. */
  public get(key: string): LockedChart {
    const found = this.charts.find((c) => c.key === key);
    if (!found) {
      throw new Error(`chart "${key}" is not in the chart lock ${this.file}: add it, or use one of ${this.charts.map((c) => c.key).join(', ')}`);
    }
    return found;
  }

  /** A copy with `key`'s digest set. */
  public withDigest(key: string, sha256: string): ChartLock {
    this.get(key);
    return new ChartLock(this.file, this.charts.map((c) => (c.key === key ? { ...c, sha256 } : c)));
  }

  /** Writes the lock back, keys in their order, digests where known. */
  public save(): void {
    const charts: Record<string, object> = {};
    for (const c of this.charts) {
      charts[c.key] = { repo: c.repo, chart: c.chart, version: c.version, ...(c.sha256 ? { sha256: c.sha256 } : {}) };
    }
    fs.writeFileSync(this.file, HEADER + yaml.dump({ charts }, { lineWidth: -1, quotingType: '"' }));
  }
}
