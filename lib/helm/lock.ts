import * as yaml from 'js-yaml';
import { writeFileAtomically } from '../files';
import { MiB } from './bytes';
import { CHANGED_WHILE_READ_FIX, FileRefused, readRegularFile } from './regular-file';
import { describeYamlError } from './yaml-error';

/** One pinned chart: where it comes from and, once pulled, the sha256 of its archive. */
export interface LockedChart {
  /** The key components use to name the chart, e.g. `istiod`. */
  readonly key: string;
  /** Chart repository URL. */
  readonly repo: string;
  /** Chart name in that repository. */
  readonly chart: string;
  readonly version: string;
  /** sha256 of the archive, lowercase hex. @default - not recorded yet: `charts:pull` records it */
  readonly sha256?: string;
}

const HEADER = `# Helm charts this app renders: repository, chart, version and the sha256 of the archive.
# Change a version here to upgrade; \`npm run charts:pull\` downloads the archive and records its digest.
# Only digests of archives pulled from the chart's repository belong here.
`;

/** Lowercase letters, digits and "-", starting and ending alphanumeric, at most 63: a DNS label, as helm wants chart names. */
const NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Semantic Versioning 2.0.0, the regular expression semver.org gives. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const FIELDS = ['repo', 'chart', 'version', 'sha256'];
const MAX_LOCK_BYTES = MiB;

/** A value as messages show it: JSON, cut to about 80 characters. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isRepoUrl(value: string): boolean {
  // The URL parser takes https:charts.example.com as https://charts.example.com; helm does not.
  if (/\s/.test(value) || !/^[a-z]+:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return ['https:', 'http:', 'oci:'].includes(url.protocol) && url.host !== '';
  } catch {
    return false;
  }
}

/** The problems of one entry of the lock, each naming the field, the bad value and the fix. */
function entryProblems(key: string, c: unknown): string[] {
  const problems: string[] = [];
  if (!NAME.test(key)) {
    problems.push(`the chart key ${shown(key)} is not a name: use lowercase letters, digits and "-" (at most 63, starting and ending with a letter or digit), such as the chart's name`);
  }
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    problems.push(`is ${shown(c)}, not a map: give it repo, chart, version and (once pulled) sha256`);
    return problems;
  }
  const e = c as Record<string, unknown>;
  for (const field of Object.keys(e).filter((f) => !FIELDS.includes(f))) {
    problems.push(`unknown field ${shown(field)}: the fields are ${FIELDS.join(', ')}`);
  }
  for (const field of ['repo', 'chart', 'version']) {
    if (e[field] === undefined || e[field] === null || e[field] === '') problems.push(`has no ${field}: add it`);
  }
  if (typeof e.repo === 'string' && e.repo !== '' && !isRepoUrl(e.repo)) {
    problems.push(`repo ${shown(e.repo)} is not an https://, http:// or oci:// URL: write the chart repository's URL, as helm repo add takes it`);
  } else if (e.repo !== undefined && e.repo !== null && typeof e.repo !== 'string') {
    problems.push(`repo ${shown(e.repo)} is not a URL: write the chart repository's URL, as helm repo add takes it`);
  }
  if (e.chart !== undefined && e.chart !== null && e.chart !== '' && (typeof e.chart !== 'string' || !NAME.test(e.chart))) {
    problems.push(`chart ${shown(e.chart)} is not a chart name: use the name in the chart's Chart.yaml (lowercase letters, digits and "-", at most 63)`);
  }
  if (e.version !== undefined && e.version !== null && e.version !== '' && (typeof e.version !== 'string' || !SEMVER.test(e.version))) {
    problems.push(`version ${shown(e.version)} is not a semantic version such as 1.2.3 (semver.org): use the version in the chart's Chart.yaml, quoted`);
  }
  if ('sha256' in e && (e.sha256 === null || e.sha256 === '')) {
    problems.push('sha256 is empty: remove the line to have `npm run charts:pull` record it, or write the archive\'s 64 hex digits');
  } else if (e.sha256 !== undefined && (typeof e.sha256 !== 'string' || !SHA256.test(e.sha256))) {
    problems.push(`sha256 ${shown(e.sha256)} is not 64 hex digits: remove it and run \`npm run charts:pull\` to record the archive's`);
  }
  return problems;
}

/** The comment lines `text` starts with, as they are; undefined when it starts with none. */
function leadingComment(text: string): string | undefined {
  const lines = text.split('\n');
  const n = lines.findIndex((l) => !l.startsWith('#'));
  const comment = lines.slice(0, n < 0 ? lines.length : n);
  return comment.length ? `${comment.join('\n')}\n` : undefined;
}

/** The chart lock, like Chart.lock or Tanka's chartfile: the one place chart coordinates live. */
export class ChartLock {
  /** Reads and checks a lock file; throws listing every problem. */
  public static load(file: string): ChartLock {
    let text: string;
    try {
      text = readRegularFile(file, { maxBytes: MAX_LOCK_BYTES }).toString('utf8');
    } catch (e) {
      if (!(e instanceof FileRefused)) throw e;
      if (e.reason === 'missing') throw new Error(`chart lock ${file} is missing: restore it from git`);
      throw new Error(`chart lock ${e.message}: ${e.reason === 'unreadable' ? 'make it readable by this user' : e.reason === 'changed' ? CHANGED_WHILE_READ_FIX : 'the lock is a small YAML file; restore it from git'}`);
    }
    let doc: any;
    try {
      doc = yaml.load(text);
    } catch (e) {
      const { reason, line, column } = describeYamlError(e);
      throw new Error(`chart lock ${file}${line ? `:${line}:${column}` : ''} is not valid YAML: ${reason}`);
    }
    const charts = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc.charts : undefined;
    if (charts === null || typeof charts !== 'object' || Array.isArray(charts)) {
      const what = charts === undefined ? 'has no "charts" map' : `has "charts" as ${Array.isArray(charts) ? 'a list' : shown(charts)}, not a map`;
      throw new Error(`chart lock ${file} ${what}: write charts: as a map from chart key to repo, chart, version and sha256 (restore it from git)`);
    }
    const problems = Object.entries<unknown>(charts).flatMap(([key, c]) => entryProblems(key, c).map((p) => `${file}: chart ${shown(key)}: ${p}`));
    if (problems.length) throw new Error(`chart lock ${file} is not usable:\n${problems.join('\n')}`);
    const locked: LockedChart[] = Object.entries<any>(charts).map(([key, c]) => ({
      key, repo: c.repo, chart: c.chart, version: c.version, ...(c.sha256 ? { sha256: c.sha256.toLowerCase() } : {}),
    }));
    return new ChartLock(file, locked, leadingComment(text));
  }

  /** `header`: the comment lines the file starts with, which a save keeps (a mirror lock stays one). */
  private constructor(public readonly file: string, public readonly charts: readonly LockedChart[], private readonly header?: string) {}

  /** The chart pinned under `key`; throws naming the keys that exist. */
  public get(key: string, formerKeys: readonly string[] = []): LockedChart {
    const found = this.charts.find((c) => c.key === key);
    if (!found) {
      const former = this.charts.find((c) => formerKeys.includes(c.key));
      if (former) throw new Error(`chart lock ${this.file} names the chart "${former.key}", which is now "${key}": rename the key`);
      throw new Error(`chart "${key}" is not in the chart lock ${this.file}: add it, or use one of ${this.charts.map((c) => c.key).join(', ')}`);
    }
    return found;
  }

  /** A copy with `key`'s digest set. */
  public withDigest(key: string, sha256: string): ChartLock {
    this.get(key);
    return new ChartLock(this.file, this.charts.map((c) => (c.key === key ? { ...c, sha256: sha256.toLowerCase() } : c)), this.header);
  }

  /** The lock as its file holds it: `header` (comment lines; the file's own, else the chart lock's), then the charts in their order, digests where known. */
  public text(header: string = this.header ?? HEADER): string {
    const charts: Record<string, object> = {};
    for (const c of this.charts) {
      charts[c.key] = { repo: c.repo, chart: c.chart, version: c.version, ...(c.sha256 ? { sha256: c.sha256 } : {}) };
    }
    return header + yaml.dump({ charts }, { lineWidth: -1, quotingType: '"' });
  }

  /** Writes the lock back under the comment it started with, atomically (a crash leaves the old lock or the new one). */
  public save(): void {
    writeFileAtomically(this.file, this.text());
  }

  /** Writes these charts as another lock, `file`, atomically, under `header`; returns that lock, read back and checked. */
  public saveAs(file: string, header: string): ChartLock {
    writeFileAtomically(file, this.text(header));
    return ChartLock.load(file);
  }
}
