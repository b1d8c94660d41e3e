// Reading an input file the way the engine trusts it: a regular file (a symlink only to one), no larger
// than a limit, optionally inside a folder. A pipe, a device or a folder is refused before it is opened,
// so nothing blocks on a FIFO or streams /dev/zero into memory.
import * as fs from 'fs';
import * as path from 'path';
import { formatBytes } from './bytes';

/** Why a file was refused, for callers that suggest a different fix for each. */
export type FileRefusal = 'missing' | 'unreadable' | 'not-a-file' | 'outside' | 'too-large' | 'changed';

/** A refused file; the message starts with the file's path. */
/** The fix for a file that changed while it was read (reason 'changed'). */
export const CHANGED_WHILE_READ_FIX = 'run again, with nothing writing to it';

export class FileRefused extends Error {
  constructor(message: string, public readonly reason: FileRefusal) {
    super(message);
  }
}

export interface ReadRegularFileOptions {
  /** Files larger than this are refused. */
  readonly maxBytes: number;
  /** A folder the file must resolve inside, symlinks followed. @default - anywhere */
  readonly within?: string;
}

/** What a file is, in words: `a named pipe (FIFO)`, `a folder`, ... */
export function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function refusedByErrno(e: unknown, subject: string): FileRefused {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileRefused(`${subject} does not exist`, 'missing');
  if (code === 'EACCES' || code === 'EPERM') return new FileRefused(`${subject} cannot be read: permission denied`, 'unreadable');
  if (code === 'ELOOP') return new FileRefused(`${subject} is a symlink that loops`, 'not-a-file');
  return new FileRefused(`${subject} cannot be read (${(e as Error).message})`, 'unreadable');
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/** Where a path leads (symlinks followed) and what is there, refused unless it lies inside `within` when given. */
function resolveInput(file: string, within: string | undefined): { real: string; st: fs.Stats; subject: string } {
  if (within !== undefined && !isInside(path.resolve(file), path.resolve(within))) {
    throw new FileRefused(`${file} is outside ${within}`, 'outside');
  }
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw refusedByErrno(e, file);
  }
  const link = st.isSymbolicLink();
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    let target = '?';
    try { target = fs.readlinkSync(file); } catch { /* not a link, or gone */ }
    throw refusedByErrno(e, link ? `${file} is a symlink to ${target}, which` : file);
  }
  if (within !== undefined) {
    let root: string;
    try {
      root = fs.realpathSync(within);
    } catch (e) {
      throw refusedByErrno(e, within);
    }
    if (!isInside(real, root)) throw new FileRefused(`${file} leads to ${real}, outside ${within}`, 'outside');
  }
  const subject = link ? `${file} is a symlink to ${real}, which` : file;
  if (link) {
    try {
      st = fs.statSync(real);
    } catch (e) {
      throw refusedByErrno(e, subject);
    }
  }
  return { real, st, subject };
}

/** Reads an open file, never more than `maxBytes + 1` bytes, refusing one that grew past the limit. */
function readBounded(fd: number, file: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 16, maxBytes + 1 - total));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) throw new FileRefused(`${file} grew past the limit of ${formatBytes(maxBytes)} while it was read`, 'too-large');
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads `file`: it must be a regular file, or a symlink to one, of at most `maxBytes`, and resolve inside
 * `within` when given. Never reads more than `maxBytes + 1` bytes. Throws FileRefused naming the file and,
 * for a symlink, where it leads.
 */
export function readRegularFile(file: string, options: ReadRegularFileOptions): Buffer {
  const { real, st, subject } = resolveInput(file, options.within);
  const is = `${subject} is`;
  if (!st.isFile()) throw new FileRefused(`${is} ${kindOf(st)}, not a regular file`, 'not-a-file');
  if (st.size > options.maxBytes) throw new FileRefused(`${is} ${st.size} bytes, more than the limit of ${formatBytes(options.maxBytes)}`, 'too-large');
  let fd: number;
  try {
    // O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a symlink or a pipe since the checks above,
    // the open fails or returns at once instead of following it or blocking.
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw refusedByErrno(e, file);
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) {
      throw new FileRefused(`${file} changed while it was read (now ${kindOf(opened)})`, 'changed');
    }
    if (opened.size > options.maxBytes) throw new FileRefused(`${is} ${opened.size} bytes, more than the limit of ${formatBytes(options.maxBytes)}`, 'too-large');
    return readBounded(fd, file, options.maxBytes);
  } finally {
    fs.closeSync(fd);
  }
}
