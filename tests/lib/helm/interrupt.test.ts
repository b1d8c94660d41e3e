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
