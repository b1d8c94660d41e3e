import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onInterrupt } from '../../../lib/helm/interrupt';
import { ROOT, tmpDir } from '../../helpers';

/** Runs a script using onInterrupt in a process of its own; `signal` is sent once it is ready. */
async function runScript(body: string, signal?: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; code: number | null; log: string }> {
  const dir = tmpDir();
  const log = path.join(dir, 'log');
  const script = path.join(dir, 'script.ts');
  fs.writeFileSync(script, [
    'import * as fs from \'fs\';',
    `import { onInterrupt } from ${JSON.stringify(path.join(ROOT, 'lib/helm/interrupt'))};`,
    `const log = (line: string) => fs.appendFileSync(${JSON.stringify(log)}, line + '\\n');`,
    'void onInterrupt;',
    body,
  ].join('\n'));
  // node itself, not the tsx CLI, which relays signals to a child and exits with a code instead.
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'ignore' });
  if (signal) {
    while (!(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('ready'))) await new Promise((r) => setTimeout(r, 50));
    child.kill(signal);
  }
  const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
  return { code, signal: sig, log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '' };
}

describe('onInterrupt, its handlers called in this process as a signal or exit would call them', () => {
  type Listener = (...args: unknown[]) => void;
  /** Takes the listeners of `event` away for the test, so that only what the test installs is there. */
  function withoutListeners<T>(event: 'SIGINT' | 'SIGTERM' | 'exit', body: () => T): T {
    const emitter: NodeJS.EventEmitter = process;
    const others = emitter.listeners(event) as Listener[];
    for (const l of others) emitter.removeListener(event, l);
    try {
      return body();
    } finally {
      for (const l of emitter.listeners(event) as Listener[]) emitter.removeListener(event, l);
      for (const l of others) emitter.on(event, l);
    }
  }
  afterEach(() => jest.restoreAllMocks());

  test.each(['SIGINT', 'SIGTERM'] as const)('on %s runs every cleanup once, newest first, even past one that throws; then raises the signal again, nobody else listening', (signal) => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    const ran: string[] = [];
    withoutListeners(signal, () => withoutListeners('exit', () => {
      // GIVEN three cleanups, one released twice (which must not release another) and one that throws
      onInterrupt(() => ran.push('first'));
      const released = onInterrupt(() => ran.push('released'));
      onInterrupt(() => {
        ran.push('throws');
        throw new Error('cleanup failed');
      });
      onInterrupt(() => ran.push('last'));
      released();
      released();
      // WHEN
      expect(process.listenerCount(signal)).toBe(1);
      (process.listeners(signal)[0] as Listener)(signal);
      // THEN
      expect(ran).toEqual(['last', 'throws', 'first']);
      expect(kill.mock.calls).toEqual([[process.pid, signal]]);
      expect([process.listenerCount(signal), process.listenerCount('exit')]).toEqual([0, 0]);
      // and a later cleanup installs the handlers again, alone
      const later = onInterrupt(() => ran.push('later'));
      (process.listeners('exit')[0] as Listener)(0);
      expect(ran).toEqual(['last', 'throws', 'first', 'later']);
      later();
    }));
  });

  test('does not raise the signal again when another listener has taken charge of it', () => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    const ran: string[] = [];
    withoutListeners('SIGTERM', () => withoutListeners('exit', () => {
      const theirs = () => undefined;
      process.on('SIGTERM', theirs);
      onInterrupt(() => ran.push('cleanup'));
      const [ours] = (process.listeners('SIGTERM') as Listener[]).filter((l) => l !== theirs);
      ours('SIGTERM');
      expect(ran).toEqual(['cleanup']);
      expect(kill).not.toHaveBeenCalled();
      expect(process.listeners('SIGTERM')).toEqual([theirs]);
    }));
  });

  test('on exit runs the cleanups still registered, once', () => {
    const ran: string[] = [];
    withoutListeners('exit', () => {
      onInterrupt(() => ran.push('pending'));
      const release = onInterrupt(() => ran.push('released'));
      release();
      const [onExit] = process.listeners('exit') as Listener[];
      onExit(0);
      onExit(0);
      expect(ran).toEqual(['pending']);
    });
  });
});

// Last: these spawn a process and signal it; a mutant the in-process tests above kill never waits for them.
describe('onInterrupt', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('on %s runs the cleanups, newest first, then ends the process by that signal', async (signal) => {
    const res = await runScript(`
      onInterrupt(() => log('first'));
      onInterrupt(() => log('second'));
      log('ready');
      setInterval(() => undefined, 1000);
    `, signal);
    expect(res).toEqual({ code: null, signal, log: 'ready\nsecond\nfirst\n' });
  });

  test('runs the cleanups still registered when the process exits, and not the released ones', async () => {
    const res = await runScript(`
      const release = onInterrupt(() => log('released'));
      onInterrupt(() => log('pending'));
      release();
      process.exit(3);
    `);
    expect(res).toEqual({ code: 3, signal: null, log: 'pending\n' });
  });

  test('installs its handlers only while a cleanup is registered', () => {
    const count = () => process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') + process.listenerCount('exit');
    const before = count();
    const one = onInterrupt(() => undefined);
    const two = onInterrupt(() => undefined);
    expect(count()).toBe(before + 3);
    one();
    expect(count()).toBe(before + 3);
    two();
    two();
    expect(count()).toBe(before);
  });
});
