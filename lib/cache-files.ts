// Files a later run may reuse (renders, compiled validators, what the last synth read and wrote): in
// folders only this user can read (some hold derived secrets), written whole or not at all, and read
// back only when intact. A cache that cannot be read or written costs the next run the work, never an error.
// Node's built-ins only: synth's "nothing changed" check uses it before anything else is loaded.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Creates `dir` and its missing parents, and makes `dir` readable by this user only (0700). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(dir).mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
}

/**
 * Writes `content` to `file` (0600) in a private folder: a temporary name, then a rename, so a reader sees
 * the old file or the new one. Returns false when it could not (a full disk, a read-only checkout).
 */
export function writeCacheFile(file: string, content: string | Buffer): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    makePrivateDir(path.dirname(file));
    fs.writeFileSync(tmp, content, { mode: 0o600 });
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp);
    } catch { /* nothing to remove: it failed before the file was made */ }
    return false;
  }
}

/** Writes `body` after a line holding its sha256, so a reader can tell a whole entry from a cut or damaged one. */
export function writeCheckedFile(file: string, body: string): boolean {
  return writeCacheFile(file, `${sha256Hex(body)}\n${body}`);
}

/** The body `writeCheckedFile` wrote, or undefined when the file is missing, unreadable, cut short or damaged. */
export function readCheckedFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline !== 64) return undefined;
  const body = text.slice(65);
  return sha256Hex(body) === text.slice(0, 64) ? body : undefined;
}

/** The sha256 of a file's bytes, or undefined when it cannot be read. */
export function fileDigest(file: string): string | undefined {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** True for what JSON gives back unchanged: no Date, Buffer, NaN, Infinity, -0 or undefined. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as object).every(isPlainJson);
}

/** The file in `dir` that belongs to one output folder: named by the digest of its path. */
export function fileForOutput(dir: string, outdir: string): string {
  return path.join(dir, `${sha256Hex(path.resolve(outdir))}.json`);
}

/** The folder in `dir` that belongs to one output folder: named by the digest of its path. */
export function folderForOutput(dir: string, outdir: string): string {
  return path.join(dir, sha256Hex(path.resolve(outdir)));
}

/**
 * Removes all but the `keep` most recently modified entries of `dir` named like fileForOutput's files
 * (or, given `names`, like those), folders with what they hold.
 */
export function keepNewest(dir: string, keep: number, names: RegExp = /^[0-9a-f]{64}\.json$/): void {
  try {
    const entries = fs.readdirSync(dir).filter((n) => names.test(n))
      .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { n } of entries.slice(keep)) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
  } catch { /* kept a little longer */ }
}
