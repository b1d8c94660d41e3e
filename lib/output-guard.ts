// What synth refuses to replace: its output folders are its own, and nothing else is lost when it
// replaces them. Checked before anything is written.
import * as os from 'os';
import * as path from 'path';
import { describedFs, nodeOutputFs, OutputFs } from './output-fs';
import { MARKER_FILE, parseMarker } from './output-marker';

/** A path synth must never replace: its output folder may be neither this path nor a folder holding it. */
export interface ProtectedPath {
  readonly path: string;
  /** What it is, for messages: "the repository", "the configuration file". */
  readonly what: string;
  /** The output folder may not be inside it either (a values folder, a chart store). @default false - it may (a repository holds dist/) */
  readonly containsNoOutput?: boolean;
}

/** The two output folders synth replaces as a pair. */
export interface OutputPair {
  /** What may be committed. */
  readonly outdir: string;
  /** The Secrets that carry values. */
  readonly secretsDir: string;
}

export interface GuardOptions {
  /** @default - none */
  readonly protectedPaths?: readonly ProtectedPath[];
  /** Refused, as is every folder holding it. @default - os.homedir() */
  readonly homeDir?: string;
  /**
   * Files an earlier synth wrote before folders carried a marker (relative paths, `/`-separated): a
   * folder without a marker that holds only these counts as synth's. @default - none
   */
  readonly earlierOutputNames?: readonly (string | RegExp)[];
  /** @default - node's fs */
  readonly fs?: OutputFs;
}

const FIX = 'point CDK8S_OUTDIR at a folder of its own (one that holds nothing but synth\'s output)';

/** A value shortened to a readable length, its start and end kept. */
export function shorten(value: string, max = 160): string {
  return value.length <= max ? value : `${value.slice(0, max / 2 - 1)}…${value.slice(-(max / 2 - 1))}`;
}

/** The absolute path with symlinks resolved in the part that exists, so `..`, `.` and links compare equal. */
function canonical(io: OutputFs, p: string): string {
  const rest: string[] = [];
  for (let head = path.resolve(p); ; head = path.dirname(head)) {
    if (io.lstat(head)) return path.join(io.realpath(head), ...rest);
    if (path.dirname(head) === head) return path.resolve(p);
    rest.unshift(path.basename(head));
  }
}

/** The folder itself, canonical: its parent resolved, but the folder not followed if it is a link. */
const canonicalFolder = (io: OutputFs, dir: string) => path.join(canonical(io, path.dirname(path.resolve(dir))), path.basename(path.resolve(dir)));

const within = (child: string, parent: string) => child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/**
 * Throws unless both folders are places synth may replace by renaming: not the file-system root, not the
 * home folder or any folder holding it, not a protected path or a folder holding one, not inside a
 * protected folder that may hold no output; not a file, a symlink or a mount point; apart from each other.
 * Looks at the paths only, not at what the folders hold (see `checkOwnership`).
 */
export function checkOutputLocations(pair: OutputPair, options: GuardOptions = {}): void {
  const io = describedFs(options.fs ?? nodeOutputFs);
  const home = canonical(io, options.homeDir ?? os.homedir());
  const folders = [
    { label: 'output folder', dir: path.resolve(pair.outdir), fix: FIX, mountFix: 'use a plain folder inside the mount instead (point CDK8S_OUTDIR at it)' },
    {
      label: 'secrets folder', dir: path.resolve(pair.secretsDir), fix: `${FIX}; the secrets folder follows it as <it>-secrets`,
      mountFix: 'use plain folders inside the mount instead (point CDK8S_OUTDIR at one; the secrets folder follows it as <it>-secrets)',
    },
  ];
  for (const { label, dir, fix, mountFix } of folders) {
    const real = canonicalFolder(io, dir);
    const refuse = (problem: string, fixed = fix) => new Error(`${label} ${shorten(dir)} ${problem}: ${fixed}`);
    if (path.dirname(real) === real) throw refuse('is the root of the file system, which synth would replace as a whole');
    if (real === home) throw refuse('is your home folder, which synth would replace as a whole');
    if (within(home, real)) throw refuse(`holds your home folder ${shorten(home)}, which synth would replace with it`);
    for (const p of options.protectedPaths ?? []) {
      const at = canonical(io, p.path);
      if (real === at) throw refuse(`is ${p.what}, which synth would replace as a whole`);
      if (within(at, real)) throw refuse(`holds ${p.what} ${shorten(at)}, which synth would replace with it`);
      if (p.containsNoOutput && within(real, at)) throw refuse(`is inside ${p.what} ${shorten(at)}, which holds no output`);
    }
    const st = io.lstat(dir);
    if (!st) continue;
    if (st.type === 'symlink') {
      throw refuse(`is a symbolic link to ${shorten(canonical(io, dir))}: synth replaces its folder by renaming, which would replace the link, not the folder`,
        'point CDK8S_OUTDIR at the real folder, or remove the link');
    }
    if (st.type !== 'directory') throw refuse(`is a ${st.type === 'file' ? 'file' : 'special file'}, not a folder`);
    const parent = io.lstat(path.dirname(dir));
    if (parent && parent.dev !== st.dev) {
      throw refuse(`is a mount point (another file system than ${shorten(path.dirname(dir))}): synth replaces its folder by renaming, which a mount point refuses (EBUSY)`, mountFix);
    }
  }
  const [out, secrets] = folders.map((f) => canonicalFolder(io, f.dir));
  if (out === secrets) throw new Error(`secrets folder ${shorten(folders[1].dir)} is the output folder too: Secrets that carry values must stay out of the output; give them a folder of their own`);
  if (within(secrets, out)) throw new Error(`secrets folder ${shorten(folders[1].dir)} is inside the output folder ${shorten(folders[0].dir)}: each is replaced as a whole, so neither may hold the other; keep them apart`);
  if (within(out, secrets)) throw new Error(`output folder ${shorten(folders[0].dir)} is inside the secrets folder ${shorten(folders[1].dir)}: each is replaced as a whole, so neither may hold the other; keep them apart`);
}

const matches = (name: string, patterns: readonly (string | RegExp)[]) =>
  patterns.some((p) => (typeof p === 'string' ? p === name : p.test(name)));

/** The files (and links and other entries that are not folders) under `dir` that `owned` does not own, sorted, at most `limit`. */
function unowned(io: OutputFs, dir: string, owned: (name: string) => boolean, limit: number): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const name of io.readdir(path.join(dir, rel)).sort()) {
      if (found.length >= limit) return;
      const child = rel ? `${rel}/${name}` : name;
      if (child === MARKER_FILE) continue;
      const st = io.lstat(path.join(dir, child));
      if (st?.type === 'directory') walk(child);
      else if (!(st?.type === 'file' && owned(child))) found.push(st?.type === 'symlink' ? `${child} (a symbolic link)` : child);
    }
  };
  walk('');
  return found;
}

/**
 * Throws unless each existing folder is synth's: a valid marker and no file the marker does not list, or
 * (an earlier synth's output) no marker and only `earlierOutputNames`. An empty folder is anyone's.
 */
export function checkOwnership(pair: OutputPair, options: GuardOptions = {}): void {
  const io = describedFs(options.fs ?? nodeOutputFs);
  // Resolved as the swap resolves them: an empty path is the working folder, not a folder that is absent.
  for (const [label, dir] of [['output folder', path.resolve(pair.outdir)], ['secrets folder', path.resolve(pair.secretsDir)]] as const) {
    if (io.lstat(dir)?.type !== 'directory') continue;
    const markerFile = path.join(dir, MARKER_FILE);
    const markerStat = io.lstat(markerFile);
    let owned: (name: string) => boolean;
    let whose: string;
    if (markerStat) {
      const marker = markerStat.type === 'file' ? parseMarker(io.readFile(markerFile).toString('utf8')) : { error: 'it is not a file' };
      if ('error' in marker) {
        throw new Error(`${label} ${shorten(dir)} has a ${MARKER_FILE} synth did not write (${marker.error}), so synth cannot tell its files from yours: ` +
          `move your files out of the folder and delete it, or ${FIX}`);
      }
      owned = (name) => marker.files.has(name);
      whose = `its ${MARKER_FILE} does not list`;
    } else {
      owned = (name) => matches(name, options.earlierOutputNames ?? []);
      whose = `synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes)`;
    }
    const foreign = unowned(io, dir, owned, 4);
    if (foreign.length) {
      const names = foreign.slice(0, 3).map((n) => shorten(n, 80)).join(', ') + (foreign.length > 3 ? ' and more' : '');
      throw new Error(`${label} ${shorten(dir)} holds files ${whose}: ${names}; synth replaces the folder as a whole, so move them out, or ${FIX}`);
    }
  }
}
