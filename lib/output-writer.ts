// The output writer: what synth and every reader of its output call. It checks the folders are synth's
// to replace, holds the output's lock, finishes what an interrupted run left, then writes both folders as one.
import * as path from 'path';
import { describedFs, makeFolders, nodeOutputFs, OutputFs } from './output-fs';
import { checkOutputLocations, checkOwnership, GuardOptions, OutputPair, shorten } from './output-guard';
import { acquireOutputLock, OutputLock } from './output-lock';
import { withMarkers } from './output-marker';
import { journalOf, recoverPair, writePair } from './output-swap';

export interface OutputOptions extends GuardOptions {
  /** How long to wait for another synth of the same output. @default 10000 */
  readonly lockTimeoutMs?: number;
  /** What holds the lock, for the messages of those who wait. @default "synth" */
  readonly command?: string;
  /** Where repairs and cleanup problems are reported. @default - stderr */
  readonly log?: (line: string) => void;
}

/** The output, locked, repaired and checked: the one place that replaces its folders. */
export interface OutputSession {
  /** Replaces both folders with exactly these files (and each folder's marker), as one. */
  write(output: ReadonlyMap<string, string>, secrets: ReadonlyMap<string, string>): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `fn` holding the output's lock, after refusing folders that are not synth's to replace and
 * finishing what an interrupted run left. On SIGINT, SIGTERM or SIGHUP meanwhile, what this run left is
 * removed and the lock released before the process ends by the signal.
 */
export async function withOutput<T>(pair: OutputPair, options: OutputOptions, fn: (output: OutputSession) => Promise<T>): Promise<T> {
  const io = options.fs ?? nodeOutputFs;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  checkOutputLocations(pair, options);
  makeFolders(describedFs(io), path.dirname(path.resolve(pair.outdir)));
  let lock: OutputLock | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    for (const s of SIGNALS) process.off(s, onSignal);
    if (lock?.held) {
      try {
        recoverPair(pair, { fs: io, log });
        lock.release();
      } catch (e) {
        log(`warning: interrupted by ${signal}, and cleaning up failed: ${(e as Error).message}; the next run cleans up`);
      }
    }
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  // Installed before the lock is taken, so no signal can end the process between taking and releasing it.
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    lock = await acquireOutputLock(pair.outdir, { timeoutMs: options.lockTimeoutMs, command: options.command, log: options.log, fs: io });
    recoverPair(pair, { fs: io, log: options.log });
    checkOwnership(pair, options);
    return await fn({
      write: (output, secrets) => {
        checkOwnership(pair, options);
        writePair(pair, withMarkers(output, secrets), { fs: io, log: options.log });
      },
    });
  } finally {
    try {
      lock?.release();
    } catch (e) {
      log(`warning: ${(e as Error).message}; the next run takes the lock over`);
    }
    // A signal that came during a synchronous write is delivered on the next turn of the event loop: let it
    // reach the handler, so the process still ends by it (the output is whole by then).
    await new Promise((resolve) => setImmediate(resolve));
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/** Replaces both folders of `pair` with exactly these files, as `withOutput` does. */
export async function writeOutput(pair: OutputPair, files: { output: ReadonlyMap<string, string>; secrets: ReadonlyMap<string, string> }, options: OutputOptions = {}): Promise<void> {
  await withOutput(pair, options, async (output) => output.write(files.output, files.secrets));
}

/**
 * What every reader of the output runs first: under the output's lock, finishes a swap a crash
 * interrupted and removes what interrupted runs left. Where the lock cannot be created (a read-only
 * checkout, no output yet) and no swap is recorded, there is nothing to do.
 */
export async function recoverOutput(pair: OutputPair, options: Omit<OutputOptions, keyof GuardOptions> & { fs?: OutputFs } = {}): Promise<void> {
  const io = describedFs(options.fs ?? nodeOutputFs);
  if (path.dirname(path.resolve(pair.outdir)) === path.resolve(pair.outdir)) return; // the root: nothing synth writes
  let lock;
  try {
    lock = await acquireOutputLock(pair.outdir, { timeoutMs: options.lockTimeoutMs, command: options.command ?? 'reader', log: options.log, fs: io });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code || !['ENOENT', 'EACCES', 'EPERM', 'EROFS'].includes(code)) throw e;
    if (!io.lstat(journalOf(pair.outdir))) return;
    throw new Error(`${(e as Error).message}; an interrupted swap is recorded in ${shorten(journalOf(pair.outdir))}, so run this as a user who may write there`);
  }
  try {
    recoverPair(pair, { fs: io, log: options.log });
  } finally {
    lock.release();
  }
}
