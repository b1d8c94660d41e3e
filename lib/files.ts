// Reading a user's input file with a bound: a folder, a device, a pipe or a runaway file is refused with
// its path and what it is, before anything is read.
import * as fs from 'fs';
import * as path from 'path';

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The text of `file`, `what` it is named in messages (e.g. "configuration file"): it must be a regular file
 * (a symlink to one is fine) of at most `maxBytes`. Throws naming the path, what is wrong and `fix`.
 */
export function readTextFile(file: string, what: string, options: { maxBytes: number; fix: string }): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new Error(`${what} ${file} ${why}: ${options.fix}`);
  }
  if (!stat.isFile()) throw new Error(`${what} ${file} is ${kindOf(stat)}, not a file: ${options.fix}`);
  if (stat.size > options.maxBytes) throw new Error(`${what} ${file} has ${stat.size} bytes, more than the ${options.maxBytes} it may have: ${options.fix}`);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const buffer = Buffer.alloc(options.maxBytes + 1);
    let length = 0;
    for (let n; length <= options.maxBytes && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > options.maxBytes) throw new Error(`${what} ${file} grew past the ${options.maxBytes} bytes it may have while it was read: ${options.fix}`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new Error(`${what} ${file} cannot be read (${code}): ${options.fix}`);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename or a new file in it) to disk; a no-op where folders cannot be opened. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a folder; the rename is then as durable as they make it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces (or, with `noClobber`, creates) `file` with `content` so that a crash leaves the old file or
 * the new one, never half of either: written beside it under a unique name, flushed, then renamed (or
 * hard-linked, which fails if the file exists) into place, and the folder flushed.
 */
export function writeFileAtomically(file: string, content: string, options: { mode?: number; noClobber?: boolean } = {}): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const mode = options.mode ?? (fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : 0o644);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (options.noClobber) {
      fs.linkSync(tmp, file);
      fs.rmSync(tmp);
    } else {
      fs.renameSync(tmp, file);
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** Standard input, at most `maxBytes`; throws naming `what` and `fix` past that. */
export function readStdin(what: string, options: { maxBytes: number; fix: string }): string {
  const chunks: Buffer[] = [];
  let length = 0;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw new Error(`${what}: standard input cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${options.fix}`);
    }
    if (n === 0) break;
    length += n;
    if (length > options.maxBytes) throw new Error(`${what}: standard input has more than the ${options.maxBytes} bytes it may have: ${options.fix}`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
