// Running helm with bounds: a time limit and a limit on what it may print, so a helm that hangs or floods
// its output stops the run with a message instead of hanging it or filling the memory.
import { spawn, spawnSync } from 'child_process';
import { formatBytes } from './bytes';
import { onInterrupt } from './interrupt';

export interface RunLimits {
  /** Wall-clock limit in seconds; then the process is killed. */
  readonly timeoutSeconds: number;
  /** The most it may print on stdout; beyond it the process is killed. */
  readonly maxStdoutBytes: number;
  /** The most it may print on stderr; beyond it the process is killed. */
  readonly maxStderrBytes: number;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Why a run was stopped; the message completes "helm ...", e.g. "did not finish within 120 s, so it was stopped". */
export class RunStopped extends Error {
  constructor(message: string, public readonly limit: 'time' | 'stdout' | 'stderr' | 'start') {
    super(message);
  }
}

const timedOut = (l: RunLimits) => new RunStopped(`did not finish within ${l.timeoutSeconds} s, so it was stopped`, 'time');
const overflowed = (stream: 'stdout' | 'stderr', max: number) =>
  new RunStopped(`printed more than ${formatBytes(max)} on ${stream}, so it was stopped`, stream);
const notStarted = (e: Error) => new RunStopped(`could not be started (${e.message})`, 'start');

/** Node's timers take at most 2^31-1 ms (about 24 days); a longer limit would fire at once. */
const timeoutMs = (l: RunLimits) => Math.min(l.timeoutSeconds * 1000, 2 ** 31 - 1);

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/**
 * Runs `bin` in its own process group and collects its output. On the time or an output limit, and on
 * SIGINT/SIGTERM of this process, it kills the whole group (helm and anything it started).
 * `env` undefined inherits this process's environment. Resolves with how it exited; rejects with RunStopped when it was stopped or could not start.
 */
export function runBounded(bin: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, limits: RunLimits): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const release = onInterrupt(() => killGroup(child.pid));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const size = { stdout: 0, stderr: 0 };
    let stopped: RunStopped | undefined;
    let settled = false;
    const stop = (reason: RunStopped) => {
      if (stopped) return;
      stopped = reason;
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop(timedOut(limits)), timeoutMs(limits));
    const collect = (stream: 'stdout' | 'stderr', chunks: Buffer[], max: number) => (b: Buffer) => {
      if (stopped) return;
      size[stream] += b.length;
      if (size[stream] > max) stop(overflowed(stream, max));
      else chunks.push(b);
    };
    child.stdout.on('data', collect('stdout', out, limits.maxStdoutBytes));
    child.stderr.on('data', collect('stderr', err, limits.maxStderrBytes));
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      release();
      outcome();
    };
    child.on('error', (e) => finish(() => reject(notStarted(e))));
    child.on('close', (code, signal) => finish(() => {
      if (stopped) reject(stopped);
      else resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    }));
  });
}

/**
 * The blocking form, for the calls that are synchronous (`helm version`, `helm pull`). The process stays in
 * this process's group, so Ctrl-C reaches it; on a limit only the process itself is killed.
 */
export function runBoundedSync(bin: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, limits: RunLimits): RunResult {
  const res = spawnSync(bin, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs(limits),
    killSignal: 'SIGKILL',
    // Node counts stdout and stderr together against maxBuffer and keeps the chunk that crossed it, so
    // when it trips, one of them is past its own limit, which the checks below report.
    maxBuffer: limits.maxStdoutBytes + limits.maxStderrBytes,
  });
  const code = (res.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') throw timedOut(limits);
  if (res.stdout && res.stdout.length > limits.maxStdoutBytes) throw overflowed('stdout', limits.maxStdoutBytes);
  if (res.stderr && res.stderr.length > limits.maxStderrBytes) throw overflowed('stderr', limits.maxStderrBytes);
  if (res.error) throw notStarted(res.error);
  return { code: res.status, signal: res.signal, stdout: res.stdout, stderr: res.stderr };
}
