import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ChartLock, LockedChart } from '../lib/helm/lock';
import { ChartStore } from '../lib/helm/store';
import { findHelm, HelmBinary, isolatedHelmEnv } from '../lib/helm/binary';
import { HelmRenderer } from '../lib/helm/renderer';
import { MARKER_FILE } from '../lib/output-marker';
import { K3S_TARGET } from '../config/kubernetes';
import { nodeOutputFs, OutputFs } from '../lib/output-fs';
import { writeCacheFile } from '../lib/cache-files';

export const ROOT = path.resolve(__dirname, '..');
/** A fixed installation key, so tests are reproducible. */
export const TEST_KEY = '5e'.repeat(32);

export const FIXTURES = path.join(__dirname, 'fixtures', 'charts');

/** The tests' configuration file: the lab profile with the repository's lock and values, never the user's platform.yaml. */
export const LAB_CONFIG = path.join(__dirname, 'fixtures', 'platform', 'lab.yaml');

let testCache: string | undefined;
/** Synth's cache folder for the commands this test file runs: never the user's .cache/. */
export function testSynthCache(): string {
  testCache ??= tmpDir('synth-cache-');
  return testCache;
}

/**
 * The environment for a command a test runs: PATH, the tests' configuration, key and cache folder, and
 * `extra`; nothing else of the user's environment (their CHART_STORE, CHART_LOCK, PLATFORM_CONFIG,
 * PLATFORM_KEY, HELM or SYNTH_CACHE).
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, PLATFORM_CONFIG: LAB_CONFIG, PLATFORM_KEY: TEST_KEY, CDK8S_CHECK_UPGRADE: 'false', SYNTH_CACHE: testSynthCache(), ...extra };
}

let helm: HelmBinary | undefined;
/** The helm the app would use here (PATH, else the bundled one). */
export function testHelm(): HelmBinary {
  helm ??= findHelm({ searchPath: process.env.PATH, cacheDir: path.join(ROOT, '.cache') });
  return helm;
}

/** The folders `tmpDir` made for this test file (each test file loads its own copy of this module). */
const made: string[] = [];
// Removed when the file's tests are done: a run of the suite, or thousands of them in a mutation run, leaves nothing behind.
if (typeof afterAll === 'function') afterAll(() => made.splice(0).forEach(removeTree));

/** Removes a test's folder, with any folder in it a test made unreadable or unwritable; what cannot go stays. */
function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    spawnSync('chmod', ['-R', 'u+rwx', dir], { stdio: 'ignore', timeout: 10_000 });
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // Left for the system's cleaning of its temporary folder: a test must not fail on another's leftovers.
    }
  }
}

export function tmpDir(prefix = 'platform-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Archives packageChart made, by what they were made from (the fixture's files, the name and version, the
 * helm version), kept as synth keeps its caches (writeCacheFile: a folder only this user can read, whole
 * files or none) and shared by every test file and run: `helm package` costs 150 to 600 ms, and a
 * mutation run loads test files that package charts thousands of times. helm stamps each file's time into
 * the archive, so the same fixture packaged twice differs byte for byte; from here it is the same archive.
 */
const PACKAGED = path.join(os.tmpdir(), `ml-platform-test-charts-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);

/** The digest of what an archive is made from: the helm version, the name and version asked for, and each file of the fixture by relative name. */
function fixtureDigest(fixture: string, as: { name?: string; version?: string }): string {
  const hash = createHash('sha256').update(JSON.stringify([testHelm().version, as.name ?? null, as.version ?? null]));
  const dir = path.join(FIXTURES, fixture);
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) hash.update(`\0${f}\0`).update(fs.readFileSync(p));
  }
  return hash.digest('hex').slice(0, 32);
}

/** Packages a fixture chart folder into `storeDir`, optionally under another name and version. */
export function packageChart(fixture: string, storeDir: string, as: { name?: string; version?: string } = {}): string {
  const meta = yaml.load(fs.readFileSync(path.join(FIXTURES, fixture, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const target = path.join(storeDir, `${as.name ?? meta.name}-${as.version ?? meta.version}.tgz`);
  const cached = path.join(PACKAGED, `${fixtureDigest(fixture, as)}.tgz`);
  fs.mkdirSync(storeDir, { recursive: true });
  if (fs.existsSync(cached)) {
    fs.writeFileSync(target, fs.readFileSync(cached));
    return target;
  }
  const work = tmpDir('chart-src-');
  const src = path.join(work, as.name ?? path.basename(fixture));
  fs.cpSync(path.join(FIXTURES, fixture), src, { recursive: true });
  fs.writeFileSync(path.join(src, 'Chart.yaml'), yaml.dump({ ...meta, name: as.name ?? meta.name, version: as.version ?? meta.version }));
  execFileSync(testHelm().path, ['package', src, '--destination', storeDir], {
    env: isolatedHelmEnv(work),
    stdio: 'ignore',
  });
  fs.rmSync(work, { recursive: true, force: true });
  writeCacheFile(cached, fs.readFileSync(target));
  return target;
}

/** A lock entry for a fixture chart, with no digest. */
export function fixtureChart(chart: string, version: string): LockedChart {
  return { key: chart, repo: 'https://charts.example.com', chart, version };
}

/** A store with the named fixture charts packaged in it. */
export function fixtureStore(...fixtures: string[]): ChartStore {
  const store = new ChartStore(tmpDir());
  for (const f of fixtures) packageChart(f, store.dir);
  return store;
}

/** A lock file in `dir` with the given charts (no digests unless given). */
export function writeLock(dir: string, charts: Array<Omit<LockedChart, 'repo'> & { repo?: string }>): ChartLock {
  const file = path.join(dir, 'helm-lock.yaml');
  const body: Record<string, object> = {};
  for (const c of charts) {
    body[c.key] = { repo: c.repo ?? 'https://charts.example.com', chart: c.chart, version: c.version, ...(c.sha256 ? { sha256: c.sha256 } : {}) };
  }
  fs.writeFileSync(file, yaml.dump({ charts: body }));
  return ChartLock.load(file);
}

/**
 * The repository's lock with the digests of stand-in archives, and a store where the stand-in fixture chart
 * is packaged under every upstream chart's name and version: the whole platform, offline, verified.
 */
export function standInCharts(): { lock: ChartLock; store: ChartStore; dir: string } {
  const dir = tmpDir('stand-ins-');
  const real = ChartLock.load(path.join(ROOT, 'helm-lock.yaml'));
  const store = new ChartStore(path.join(dir, 'store'));
  const charts = real.charts.map(({ sha256: _, ...c }) => ({ ...c, sha256: sha256Of(packageChart('stand-in', store.dir, { name: c.chart, version: c.version })) }));
  return { lock: writeLock(dir, charts), store, dir };
}

/** The sha256 of a file, as the lock records it. */
export const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A renderer over `store` that keeps warnings in `warnings`. */
export function testRenderer(store: ChartStore, warnings: string[] = []): HelmRenderer {
  return new HelmRenderer({ helm: testHelm(), store, target: K3S_TARGET, homeDir: path.join(tmpDir('helm-home-')), warn: (m) => warnings.push(m) });
}

/** Every file of a folder, by relative name, with its content. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

export function loadAll(text: string): any[] {
  return yaml.loadAll(text).filter((d) => d !== null);
}

/** A shell script standing in for helm (a hang, a flood, silence), in a folder of its own. */
export function fakeHelm(script: string, version = 'v3.99.0'): HelmBinary {
  const bin = path.join(tmpDir('fake-helm-'), 'helm');
  fs.writeFileSync(bin, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return { path: bin, version, source: 'HELM' };
}

/**
 * A fake helm's script that floods stdout with `bytes`, then ends: a test of an output limit gives it more
 * than the limit, so code that lost the limit fails the test's assertion at once instead of hanging it.
 */
export function flood(bytes: number): string {
  return `yes | head -c ${bytes}`;
}

/** Whether the process has ended (gone, or a zombie nobody reaped yet). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
  } catch {
    return true;
  }
}

/** Root reads any file, whatever its mode: permission tests inject the error instead. */
export const RUNNING_AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A helm standing in for the chart repositories, offline: `helm pull CHART --version V --destination D`
 * copies `<published>/CHART-V.tgz` into D, or fails as helm does when the repository lacks it. `pulls()`
 * lists every pull as `CHART V`, with `HTTPS_PROXY=...` when helm got one. `helm version` answers.
 */
export function fakeRepositoryHelm(published: string): HelmBinary & { pulls(): string[] } {
  const log = path.join(tmpDir('fake-repository-'), 'pulls.log');
  const helm = fakeHelm([
    'if [ "$1" = version ]; then echo v3.99.0; exit 0; fi',
    '[ "$1" = pull ] || { echo "Error: the fake repository helm only pulls" >&2; exit 1; }',
    'chart="$2"; shift 2',
    'while [ $# -gt 0 ]; do case "$1" in --version) v="$2"; shift;; --destination) d="$2"; shift;; esac; shift; done',
    `echo "$chart $v\${HTTPS_PROXY:+ HTTPS_PROXY=$HTTPS_PROXY}" >> '${log}'`,
    `[ -f '${published}'/"$chart-$v.tgz" ] || { echo "Error: chart \\"$chart\\" version \\"$v\\" not found in https://charts.example.com repository" >&2; exit 1; }`,
    `cp '${published}'/"$chart-$v.tgz" "$d/"`,
  ].join('\n'));
  return { ...helm, pulls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

/** The output files of a folder, as readTree gives them, without synth's marker. */
export function readOutputTree(dir: string): Record<string, string> {
  const { [MARKER_FILE]: _, ...files } = readTree(dir);
  return files;
}

/** Every entry under `dir` (files by content, folders, links by target, modes), to show a folder is byte for byte as it was. */
export function treeState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[rel || '.'] = `link ${fs.readlinkSync(p)}`;
    else if (st.isDirectory()) {
      out[rel || '.'] = `folder ${mode}`;
      for (const name of fs.readdirSync(p).sort()) walk(rel ? path.join(rel, name) : name);
    } else out[rel || '.'] = `file ${mode} ${fs.readFileSync(p).toString('base64')}`;
  };
  walk('');
  return out;
}

/** The PID of a process that has ended, for locks whose holder is gone. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * node's fs without the flushes, which only a power cut could tell from no flush and which cost 30 ms a
 * write on a disk: the fault tests count and fail them, the crash tests check their order.
 */
export const unflushedFs: OutputFs = { ...nodeOutputFs, fsyncFile: () => {}, fsyncDir: () => {} };

/**
 * That fs, counting every call (`op path...`), failing at call `at` (or at the first call after one `after`
 * matches): once (an error the process survives) or from then on (a crash, kill -9: no cleanup runs).
 */
export function faultyFs(fault?: { at?: number; after?: (call: string) => boolean; code: string; crash?: boolean }): { io: OutputFs; calls: string[] } {
  const calls: string[] = [];
  let at = fault?.at ?? Infinity;
  const io = Object.fromEntries(Object.entries(unflushedFs).map(([op, fn]) => [op, (...args: any[]) => {
    const n = calls.length;
    calls.push(`${op} ${args.filter((a) => typeof a === 'string').join(' ')}`);
    if (fault && (fault.crash ? n >= at : n === at)) throw Object.assign(new Error(`${fault.code}: simulated, ${op} '${args[0]}'`), { code: fault.code });
    const result = (fn as (...a: any[]) => unknown)(...args);
    if (fault?.after?.(calls[n]) && at === Infinity) at = n + 1;
    return result;
  }])) as unknown as OutputFs;
  return { io, calls };
}

let sharedStandIns: ReturnType<typeof standInCharts> | undefined;

/**
 * The whole synth, as npm run synth does it, for a configuration file's text, on stand-in charts (packaged
 * once per test file), into `<a new folder>/dist`. Returns the folder, its files without the marker, the
 * Secrets of the secrets folder and what was printed.
 */
export async function synthConfig(configText: string): Promise<{ outdir: string; dist: Record<string, string>; secrets: any[]; printed: string[] }> {
  const { run } = await import('../main');
  sharedStandIns ??= standInCharts();
  const { lock, store } = sharedStandIns;
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'platform.yaml'), configText);
  fs.cpSync(path.join(ROOT, 'helm-values'), path.join(dir, 'helm-values'), { recursive: true });
  const outdir = path.join(dir, 'dist');
  const printed: string[] = [];
  await run([], { PATH: process.env.PATH, PLATFORM_CONFIG: path.join(dir, 'platform.yaml'), CHART_LOCK: lock.file, CHART_STORE: store.dir, CDK8S_OUTDIR: outdir, PLATFORM_KEY: TEST_KEY },
    ROOT, { log: () => {}, print: (l) => printed.push(l) });
  return { outdir, dist: readOutputTree(outdir), secrets: Object.values(readOutputTree(`${outdir}-secrets`)).flatMap(loadAll), printed };
}
