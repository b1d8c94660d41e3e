// Reading a user's input file with a bound (a folder, a device, a pipe or a runaway file is refused with
// its path and what it is, before anything is read), and writing a file so a crash leaves all or nothing.
import * as fs from 'fs';
import * as path from 'path';
import { CHANGED_WHILE_READ_FIX, FileRefused, readRegularFile } from './helm/regular-file';

/**
 * The text of `file`, `what` it is named in messages (e.g. "configuration file"): a regular file (a symlink
 * to one is fine) of at most `maxBytes`, read with that bound. Throws naming what, the path, what is wrong
 * and `fix`.
 */
export function readTextFile(file: string, what: string, options: { maxBytes: number; fix: string }): string {
  try {
    return readRegularFile(file, { maxBytes: options.maxBytes }).toString('utf8');
  } catch (e) {
    if (e instanceof FileRefused) throw new Error(`${what} ${e.message}: ${e.reason === 'changed' ? CHANGED_WHILE_READ_FIX : options.fix}`);
    throw e;
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
  let written = false;
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    // A full disk must not leave a cut-short temporary file beside the real one.
    if (!written) fs.rmSync(tmp, { force: true });
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
