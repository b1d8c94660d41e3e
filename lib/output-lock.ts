// One synth at a time per output: a lock file beside the output folder, created exclusively, holding the
// holder's PID and start time. A lock whose holder is gone is taken over.
import * as os from 'os';
import * as path from 'path';
import { describedFs, nodeOutputFs, OutputFs, OutputFsError } from './output-fs';
import { shorten } from './output-guard';

export interface LockOptions {
  /** How long to wait for another holder. @default 10000 */
  readonly timeoutMs?: number;
  /** Between looks at the lock. @default 100 */
  readonly pollMs?: number;
  /** What takes the lock, for the messages of those who wait: "synth", "deploy". @default "synth" */
  readonly command?: string;
  /** The PID written into the lock. @default - process.pid */
  readonly pid?: number;
  /** Where it says it took over a stale lock. @default - stderr */
  readonly log?: (line: string) => void;
  /** @default - node's fs */
  readonly fs?: OutputFs;
}

export interface OutputLock {
  readonly file: string;
  /** Until `release` is called. */
  readonly held: boolean;
  /** Removes the lock file, once: a second call does nothing (the file may be another holder's by then). */
  release(): void;
}

/** The lock file of an output folder: beside it, so it survives the folder's swap. */
export const lockFileOf = (outdir: string): string => path.join(path.dirname(path.resolve(outdir)), `.${path.basename(path.resolve(outdir))}.lock`);

/** Lock files this process holds: a lock with our own PID that is not one of them is a dead holder's whose PID we got again. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder { readonly pid?: number; readonly started?: string; readonly command?: string }

function parseHolder(text: string): Holder {
  const field = (key: string) => new RegExp(`^${key} (.+)$`, 'm').exec(text)?.[1];
  const pid = field('pid');
  return { pid: pid && /^[1-9][0-9]*$/.test(pid) ? Number(pid) : undefined, started: field('started'), command: field('command') };
}

/** A holder writes its PID in the call that creates the lock; one without a PID after this long was cut short by a crash. */
const NO_PID_GRACE_MS = 5000;

/** Gone: a dead PID, our own PID on a lock we do not hold, a start before the machine booted, or no PID for too long. */
function stale(file: string, holder: Holder, mtimeMs: number, ownPid: number): boolean {
  if (holder.pid === undefined) return Date.now() - mtimeMs > NO_PID_GRACE_MS;
  if (holder.pid === ownPid) return !held.has(file);
  const started = holder.started ? Date.parse(holder.started) : NaN;
  if (started < Date.now() - os.uptime() * 1000 - 60_000) return true;
  return !alive(holder.pid);
}

/**
 * Takes the lock of `outdir`, waiting up to `timeoutMs` for another holder; throws naming the holder's
 * PID when it is still held then.
 */
export async function acquireOutputLock(outdir: string, options: LockOptions = {}): Promise<OutputLock> {
  const io = describedFs(options.fs ?? nodeOutputFs);
  const file = lockFileOf(outdir);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pid = options.pid ?? process.pid;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const content = Buffer.from(`pid ${pid}\nstarted ${new Date().toISOString()}\ncommand ${options.command ?? 'synth'}\n`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      io.writeFile(file, content, 0o644);
      held.add(file);
      let released = false;
      return {
        file,
        get held() { return !released; },
        release: () => {
          if (released) return;
          released = true;
          held.delete(file);
          if (io.lstat(file)) io.unlink(file);
        },
      };
    } catch (e) {
      if (!(e instanceof OutputFsError)) throw e;
      if (e.code !== 'EEXIST') throw Object.assign(new Error(`cannot lock ${shorten(path.resolve(outdir))}: ${e.message}`), { code: e.code });
    }
    const st = io.lstat(file);
    if (!st) continue;
    const text = io.readFile(file).toString('utf8');
    const holder = parseHolder(text);
    if (stale(file, holder, st.mtimeMs, pid)) {
      // Look again just before removing: another waiter may have taken it over since.
      if (io.lstat(file) && io.readFile(file).toString('utf8') === text) {
        io.unlink(file);
        log(`took over the lock ${file}${holder.pid ? ` of PID ${holder.pid}, which is gone` : ', which holds no PID'}`);
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const details = [holder.command, holder.started && `since ${holder.started}`].filter(Boolean).join(', ');
      const who = holder.pid ? `PID ${holder.pid}${details ? ` (${details})` : ''}` : 'a process that has not written its PID yet';
      throw new Error(`output folder ${shorten(path.resolve(outdir))} is in use: ${who} holds the lock ${file}, still after ${timeoutMs / 1000} s; ` +
        `wait for it to finish and run this again${holder.pid ? `, or, if no synth or deploy is running, delete ${file}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now()))));
  }
}
