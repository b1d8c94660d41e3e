// Private folders for what helm reads in one render (the checked archive, the values): one per render, so
// concurrent synths never share a file; mode 700; removed when the render ends or the process is
// interrupted, and, if a process died before that, at the next start.
import * as fs from 'fs';
import * as path from 'path';
import { onInterrupt } from './interrupt';

/** `run-<pid>-<6 random characters>`: mkdtemp's names, with the PID of the process that made them. */
const RUN_FOLDER = /^run-(\d+)-[A-Za-z0-9]{6}$/;

export interface RunFolder {
  readonly dir: string;
  /** Writes a file into the folder, readable by this user only; returns its path. */
  write(name: string, content: string | Buffer): string;
  /** Removes the folder and everything in it. */
  remove(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent died stays a zombie until init reaps it, which some containers' init
  // never does: it answers signal 0 but runs no more.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 1).trim()[0] !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Removes the run folders in `parent` whose process no longer runs (left by a crash or SIGKILL). Touches
 * nothing else: only folders named like the ones createRunFolder makes. Returns what it removed.
 */
export function removeStaleRunFolders(parent: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(parent, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const e of entries) {
    const m = RUN_FOLDER.exec(e.name);
    if (!m || !e.isDirectory()) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(parent, e.name), { recursive: true, force: true });
    removed.push(path.join(parent, e.name));
  }
  return removed;
}

/** Creates a private folder in `parent` (created if needed, mode 700), removed on SIGINT, SIGTERM or exit. */
export function createRunFolder(parent: string): RunFolder {
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(parent, `run-${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  const release = onInterrupt(removeDir);
  return {
    dir,
    write: (name, content) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
      return file;
    },
    remove: () => {
      try {
        removeDir();
      } finally {
        release();
      }
    },
  };
}
