import * as fs from 'fs';
import * as path from 'path';
import { RunStopped, runBounded, runBoundedSync } from '../../../lib/helm/run';
import { fakeHelm, flood, processGone, tmpDir } from '../../helpers';

const limits = { timeoutSeconds: 1, maxStdoutBytes: 1 << 20, maxStderrBytes: 1 << 10 };

async function stopped(p: Promise<unknown>): Promise<RunStopped> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RunStopped);
  return e as RunStopped;
}

describe('runBounded', () => {
  test('collects stdout, stderr and the exit code', async () => {
    const { path: bin } = fakeHelm('echo out; echo err >&2; exit 3');
    const res = await runBounded(bin, [], {}, limits);
    expect({ code: res.code, stdout: res.stdout.toString(), stderr: res.stderr.toString() }).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  test('passes only the environment it is given', async () => {
    const { path: bin } = fakeHelm('echo "$ONLY:$HOME"');
    expect((await runBounded(bin, [], { ONLY: 'this' }, limits)).stdout.toString()).toBe('this:\n');
  });

  test('takes a time limit beyond what a node timer holds (24.8 days) as that long, not as none', async () => {
    const { path: bin } = fakeHelm('sleep 0.2; echo done');
    expect((await runBounded(bin, [], {}, { ...limits, timeoutSeconds: 1e7 })).stdout.toString()).toBe('done\n');
  });

  test('takes output of exactly the limits', async () => {
    const { path: bin } = fakeHelm('head -c 1048576 /dev/zero; head -c 1024 /dev/zero >&2');
    const res = await runBounded(bin, [], {}, limits);
    expect([res.code, res.stdout.length, res.stderr.length]).toEqual([0, 1 << 20, 1 << 10]);
  });

  test('gives helm no input: one that reads it finds it empty at once', async () => {
    const { path: bin } = fakeHelm('cat; echo done');
    expect((await runBounded(bin, [], {}, limits)).stdout.toString()).toBe('done\n');
  });

  test('on SIGTERM to this process stops helm and what it started', async () => {
    // GIVEN a run whose helm waits on a child
    const pidFile = path.join(tmpDir(), 'pid');
    const { path: bin } = fakeHelm(`sleep 5 & echo $! > ${pidFile}; wait`);
    const before = process.listeners('SIGTERM');
    const started = Date.now();
    const running = runBounded(bin, [], {}, { ...limits, timeoutSeconds: 10 });
    while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8')) await new Promise((r) => setTimeout(r, 20));
    // WHEN the handler it installed runs as the signal would run it (a listener of the test's own keeps the
    // handler from raising the signal again in the test's process)
    const keep = () => undefined;
    process.on('SIGTERM', keep);
    try {
      for (const handler of process.listeners('SIGTERM').filter((l) => !before.includes(l) && l !== keep)) (handler as (s: string) => void)('SIGTERM');
    } finally {
      process.removeListener('SIGTERM', keep);
    }
    // THEN helm ends, killed, well before its child would have
    const res = await running;
    expect([res.code, res.signal]).toEqual([null, 'SIGKILL']);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(processGone(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  test('fails on a flood on stdout as soon as it passes the limit', async () => {
    const { path: bin } = fakeHelm(flood(4 << 20));
    const started = Date.now();
    const e = await stopped(runBounded(bin, [], {}, { ...limits, timeoutSeconds: 10 }));
    expect(e.message).toBe('printed more than 1 MiB on stdout, so it was stopped');
    expect(Date.now() - started).toBeLessThan(10000);
  });

  test('fails on a flood on stderr', async () => {
    const { path: bin } = fakeHelm(`${flood(64 << 10)} >&2`);
    expect((await stopped(runBounded(bin, [], {}, { ...limits, timeoutSeconds: 10 }))).message).toBe('printed more than 1 KiB on stderr, so it was stopped');
  });

  test('fails on a binary that cannot start', async () => {
    const e = await stopped(runBounded('/nonexistent/helm', [], {}, limits));
    expect(e.message).toBe('could not be started (spawn /nonexistent/helm ENOENT)');
  });

  test('removes its signal handlers when the run ends', async () => {
    const before = process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
    const { path: bin } = fakeHelm('exit 0');
    const running = runBounded(bin, [], {}, limits);
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(before + 2);
    await running;
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(before);
  });

  test('fails on a process that outlasts the time limit, stopping it then, and kills its whole process group', async () => {
    // GIVEN a helm that starts a child, which holds stdout open, and waits for it
    const pidFile = path.join(tmpDir(), 'pid');
    const { path: bin } = fakeHelm(`sleep 5 & echo $! > ${pidFile}; wait`);
    const started = Date.now();
    // WHEN
    const e = await stopped(runBounded(bin, [], {}, limits));
    // THEN
    expect(e.message).toBe('did not finish within 1 s, so it was stopped');
    expect(e.limit).toBe('time');
    expect(Date.now() - started).toBeLessThan(5000);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(processGone(child)).toBe(true);
  });

  test('stops a helm that ignores SIGTERM, and what it started', async () => {
    const pidFile = path.join(tmpDir(), 'pid');
    const { path: bin } = fakeHelm(`trap '' TERM; sleep 5 & echo $! > ${pidFile}; wait`);
    const started = Date.now();
    expect((await stopped(runBounded(bin, [], {}, limits))).limit).toBe('time');
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(processGone(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(true);
  });
});

describe('runBoundedSync', () => {
  test('returns the output of a process that finishes', () => {
    const { path: bin } = fakeHelm('echo v3.17.0');
    expect(runBoundedSync(bin, [], {}, limits).stdout.toString()).toBe('v3.17.0\n');
  });

  test('takes output of exactly the limits, and a stdout far beyond the stderr limit', () => {
    const { path: bin } = fakeHelm('head -c 1048576 /dev/zero; head -c 1024 /dev/zero >&2');
    const res = runBoundedSync(bin, [], {}, limits);
    expect([res.code, res.stdout.length, res.stderr.length]).toEqual([0, 1 << 20, 1 << 10]);
  });

  test('fails on a flood on stderr', () => {
    const { path: bin } = fakeHelm(`${flood(64 << 10)} >&2`);
    expect(() => runBoundedSync(bin, [], {}, limits)).toThrow(new RunStopped('printed more than 1 KiB on stderr, so it was stopped', 'stderr'));
  });

  test('fails on a flood on stdout', () => {
    const { path: bin } = fakeHelm(flood(4 << 20));
    expect(() => runBoundedSync(bin, [], {}, { ...limits, timeoutSeconds: 10 })).toThrow('printed more than 1 MiB on stdout, so it was stopped');
  });

  test('fails on a process that outlasts the time limit, stopping it then', () => {
    const { path: bin } = fakeHelm('exec sleep 5');
    const started = Date.now();
    expect(() => runBoundedSync(bin, [], {}, limits)).toThrow(new RunStopped('did not finish within 1 s, so it was stopped', 'time'));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
