import * as fs from 'fs';
import * as path from 'path';
import { RunStopped, runBounded, runBoundedSync } from '../../../lib/helm/run';
import { fakeHelm, processGone, tmpDir } from '../../helpers';

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

  test('fails on a process that never returns, within the time limit, and kills its whole process group', async () => {
    // GIVEN a helm that starts a child, which holds stdout open, and waits for it
    const pidFile = path.join(tmpDir(), 'pid');
    const { path: bin } = fakeHelm(`sleep 600 & echo $! > ${pidFile}; wait`);
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

  test('fails on a flood on stdout as soon as it passes the limit', async () => {
    const { path: bin } = fakeHelm('exec yes');
    const started = Date.now();
    const e = await stopped(runBounded(bin, [], {}, { ...limits, timeoutSeconds: 60 }));
    expect(e.message).toBe('printed more than 1 MiB on stdout, so it was stopped');
    expect(Date.now() - started).toBeLessThan(10000);
  });

  test('fails on a flood on stderr', async () => {
    const { path: bin } = fakeHelm('exec yes >&2');
    expect((await stopped(runBounded(bin, [], {}, { ...limits, timeoutSeconds: 60 }))).message).toBe('printed more than 1 KiB on stderr, so it was stopped');
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
});

describe('runBoundedSync', () => {
  test('returns the output of a process that finishes', () => {
    const { path: bin } = fakeHelm('echo v3.17.0');
    expect(runBoundedSync(bin, [], {}, limits).stdout.toString()).toBe('v3.17.0\n');
  });

  test('fails on a process that never returns, within the time limit', () => {
    const { path: bin } = fakeHelm('exec sleep 600');
    const started = Date.now();
    expect(() => runBoundedSync(bin, [], {}, limits)).toThrow(new RunStopped('did not finish within 1 s, so it was stopped', 'time'));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('fails on a flood on stdout', () => {
    const { path: bin } = fakeHelm('exec yes');
    expect(() => runBoundedSync(bin, [], {}, { ...limits, timeoutSeconds: 60 })).toThrow('printed more than 1 MiB on stdout, so it was stopped');
  });
});
