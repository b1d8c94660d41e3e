// The file-system operations the output writer uses, as one small interface: node's fs by default, and
// a layer the tests replace to crash or fail at any single operation.
import * as fs from 'fs';
import * as path from 'path';

export interface OutputStat {
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
  /** The device: it differs from the parent folder's at a mount point. */
  readonly dev: number;
  readonly mtimeMs: number;
}

/** Every call is synchronous, so a swap cannot interleave with signal handlers or other callbacks. */
export interface OutputFs {
  /** The entry itself (a symlink is not followed); undefined when nothing is there. */
  lstat(p: string): OutputStat | undefined;
  /** The names in a folder, in no particular order. */
  readdir(p: string): string[];
  /** The path with every symlink resolved; it must exist. */
  realpath(p: string): string;
  readFile(p: string): Buffer;
  /** Creates one folder (its parent must exist). */
  mkdir(p: string, mode: number): void;
  /** Creates a file that must not exist yet (O_CREAT | O_EXCL) and writes all of `data`. */
  writeFile(p: string, data: Buffer, mode: number): void;
  /** Flushes a file's content to the disk. */
  fsyncFile(p: string): void;
  /** Flushes a folder's entries (creations, renames, removals) to the disk. */
  fsyncDir(p: string): void;
  rename(from: string, to: string): void;
  unlink(p: string): void;
  /** Removes an empty folder. */
  rmdir(p: string): void;
}

function fsync(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** node's fs. */
export const nodeOutputFs: OutputFs = {
  lstat(p) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
    const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
    return { type, dev: st.dev, mtimeMs: st.mtimeMs };
  },
  readdir: (p) => fs.readdirSync(p),
  realpath: (p) => fs.realpathSync.native(p),
  readFile: (p) => fs.readFileSync(p),
  mkdir: (p, mode) => fs.mkdirSync(p, { mode }),
  writeFile(p, data, mode) {
    const fd = fs.openSync(p, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode);
    let written = false;
    try {
      for (let at = 0; at < data.length;) at += fs.writeSync(fd, data, at, data.length - at);
      written = true;
    } finally {
      fs.closeSync(fd);
      // The file is ours (O_EXCL): a cut-short copy must not stay behind.
      if (!written) fs.rmSync(p, { force: true });
    }
  },
  fsyncFile: fsync,
  // Windows cannot open a folder to flush it; NTFS journals its entries itself.
  fsyncDir: (p) => (process.platform === 'win32' ? undefined : fsync(p)),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (p) => fs.unlinkSync(p),
  rmdir: (p) => fs.rmdirSync(p),
};

/** Creates `dir` and any missing folders above it, flushing each new entry into its parent. */
export function makeFolders(io: OutputFs, dir: string): void {
  if (io.lstat(dir)) return;
  makeFolders(io, path.dirname(dir));
  io.mkdir(dir, 0o755);
  io.fsyncDir(path.dirname(dir));
}

/** Removes a file or a folder with everything in it, one entry at a time through `io`; nothing when absent. */
export function removeTree(io: OutputFs, p: string): void {
  const st = io.lstat(p);
  if (!st) return;
  if (st.type !== 'directory') {
    io.unlink(p);
    return;
  }
  for (const name of io.readdir(p)) removeTree(io, path.join(p, name));
  io.rmdir(p);
}

/** What went wrong with a file-system call, said with its path: `EBUSY` alone tells a user nothing. */
export class OutputFsError extends Error {
  constructor(readonly op: string, readonly target: string, readonly code: string | undefined, cause: Error) {
    const what = cause.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
    super(`cannot ${op} ${target} (${code ? `${code}: ` : ''}${what}): ${OutputFsError.fixFor(code)}`);
  }

  /** The fix for an error code, in words a user can act on. */
  static fixFor(code: string | undefined): string {
    switch (code) {
      case 'ENOSPC': case 'EDQUOT': return 'free space on that disk and run it again';
      case 'EACCES': case 'EPERM': return 'give your user write access to that folder, or choose another output folder';
      case 'EROFS': return 'the file system is read-only: choose an output folder on a writable one';
      case 'EBUSY': return 'the folder is in use or a mount point: choose an output folder that is a plain folder on the same disk as its parent';
      case 'EXDEV': return 'the output folder and its parent are on different disks: choose a plain folder';
      case 'EIO': return 'the disk reports an I/O error: check it, then run it again';
      default: return 'check that path, then run it again';
    }
  }
}

const DESCRIBED: Record<keyof OutputFs, string> = {
  lstat: 'look at', readdir: 'list', realpath: 'resolve', readFile: 'read', mkdir: 'create the folder', writeFile: 'write', fsyncFile: 'flush',
  fsyncDir: 'flush the folder', rename: 'rename', unlink: 'remove', rmdir: 'remove the folder',
};

/** `io` with every failure turned into an `OutputFsError` that names the operation and the path. */
export function describedFs(io: OutputFs): OutputFs {
  const wrap = <K extends keyof OutputFs>(op: K) => ((...args: any[]) => {
    try {
      return (io[op] as (...a: any[]) => any)(...args);
    } catch (e) {
      if (e instanceof OutputFsError) throw e;
      const target = op === 'rename' ? `${args[0]} to ${args[1]}` : String(args[0]);
      throw new OutputFsError(DESCRIBED[op], target, (e as NodeJS.ErrnoException).code, e as Error);
    }
  }) as OutputFs[K];
  return Object.fromEntries((Object.keys(DESCRIBED) as Array<keyof OutputFs>).map((op) => [op, wrap(op)])) as unknown as OutputFs;
}
