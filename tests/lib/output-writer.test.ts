import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeOutputFs, OutputFs } from '../../lib/output-fs';
import { MARKER_FILE, withMarkers } from '../../lib/output-marker';
import { acquireOutputLock, lockFileOf } from '../../lib/output-lock';
import { journalOf } from '../../lib/output-swap';
import { recoverOutput, withOutput, writeOutput } from '../../lib/output-writer';
import { deadPid, readTree, ROOT, tmpDir } from '../helpers';

const quiet = { log: () => {} };
/** The pair synth writes in `parent`. */
const pairIn = (parent: string) => ({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') });

/** Generation `gen` of a synth-like output: large enough that a write takes a while, each file saying its generation. */
function generation(gen: number) {
  const big = (tag: string) => `# ${tag} ${gen}\n${`# ${'x'.repeat(99)}\n`.repeat(1500)}`;
  return {
    output: new Map([['01-a.yaml', big('a')], ['02-b.yaml', big('b')], ['k3d/cluster.yaml', `# k3d ${gen}\n`]]),
    secrets: new Map([['02-b.yaml', big('secret')]]),
  };
}

/** Which whole generation the pair holds; fails on anything else (a mix, a missing folder, a leftover beside it). */
function wholeGeneration(parent: string): number {
  expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
  const dist = readTree(path.join(parent, 'dist'));
  const gen = Number(/^# a (\d+)\n/.exec(dist['01-a.yaml'])![1]);
  const expected = withMarkers(generation(gen).output, generation(gen).secrets);
  expect(dist).toEqual(Object.fromEntries(expected.output));
  expect(readTree(path.join(parent, 'dist-secrets'))).toEqual(Object.fromEntries(expected.secrets));
  return gen;
}

/**
 * A node process that writes into `parent` as synth does: `loop` writes generation after generation
 * (synths one after the other); `once` renders for a random while (as helm does), writes generation 1
 * and stays until it is stopped.
 */
function writerProcess(parent: string, mode: 'loop' | 'once'): ChildProcess & { ready: Promise<void> } {
  const script = path.join(tmpDir('writer-'), 'writer.ts');
  fs.writeFileSync(script, `
    const { withOutput, writeOutput } = require(${JSON.stringify(path.join(ROOT, 'lib/output-writer.ts'))});
    const path = require('path');
    ${generation.toString()}
    const pair = { outdir: path.join(${JSON.stringify(parent)}, 'dist'), secretsDir: path.join(${JSON.stringify(parent)}, 'dist-secrets') };
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    (async () => {
      await sleep(10); // synth writes once its event loop runs
      process.stdout.write('ready\\n');
      if (${JSON.stringify(mode)} === 'loop') {
        for (let gen = 1; ; gen++) await writeOutput(pair, generation(gen), { log: () => {} });
      }
      await withOutput(pair, { log: () => {} }, async (output) => {
        await sleep(Math.random() * 100);
        output.write(generation(1).output, generation(1).secrets);
      });
      setTimeout(() => {}, 20000);
    })();
  `);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.assign(child, { ready: new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve())) });
}

const exited = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withOutput', () => {
  test('holds the lock while the work runs, so a second synth waits for it', async () => {
    const parent = tmpDir();
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    const order: string[] = [];
    await Promise.all([
      withOutput(pair, quiet, async (out) => { order.push('first starts'); await sleep(150); out.write(generation(1).output, generation(1).secrets); order.push('first ends'); }),
      sleep(20).then(() => withOutput(pair, { ...quiet, lockTimeoutMs: 5000 }, async (out) => { order.push('second starts'); out.write(generation(2).output, generation(2).secrets); })),
    ]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
    expect(wholeGeneration(parent)).toBe(2);
  });

  test('checks again before writing: a file dropped into the folder meanwhile stops the write', async () => {
    const parent = tmpDir();
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    await writeOutput(pair, generation(1), quiet);
    await expect(withOutput(pair, quiet, async (out) => {
      fs.writeFileSync(path.join(pair.outdir, 'notes.txt'), 'mine');
      out.write(generation(2).output, generation(2).secrets);
    })).rejects.toThrow(`output folder ${pair.outdir} holds files its ${MARKER_FILE} does not list: notes.txt`);
    expect(fs.readFileSync(path.join(pair.outdir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
  });

  test('leaves both folders as they were when the work fails, and releases the lock', async () => {
    const parent = tmpDir();
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    await writeOutput(pair, generation(1), quiet);
    await expect(withOutput(pair, quiet, async () => { throw new Error('helm failed'); })).rejects.toThrow('helm failed');
    await expect(writeOutput(pair, { output: new Map([['01-a.yaml', 'x'], ['../escape.yaml', 'y']]), secrets: new Map() }, quiet)).rejects.toThrow('output file name "../escape.yaml" is not allowed');
    expect(wholeGeneration(parent)).toBe(1);
    expect(fs.existsSync(lockFileOf(pair.outdir))).toBe(false);
  });
});

describe('recoverOutput', () => {
  test('does nothing where there is no output yet', async () => {
    const parent = path.join(tmpDir(), 'nothing-here');
    await recoverOutput({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') }, quiet);
    expect(fs.existsSync(parent)).toBe(false);
  });

  test('does nothing on a read-only file system when no swap is recorded, and fails naming the journal when one is', async () => {
    const parent = tmpDir();
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    await writeOutput(pair, generation(1), quiet);
    const readOnly = { ...nodeOutputFs, writeFile: (p: string) => { throw Object.assign(new Error(`EROFS: read-only file system, open '${p}'`), { code: 'EROFS' }); } };
    await recoverOutput(pair, { ...quiet, fs: readOnly });
    fs.writeFileSync(journalOf(pair.outdir), '{}');
    await expect(recoverOutput(pair, { ...quiet, fs: readOnly })).rejects.toThrow(new Error(
      `cannot lock ${pair.outdir}: cannot write ${lockFileOf(pair.outdir)} (EROFS: read-only file system): the file system is read-only: choose an output folder on a writable one; ` +
      `an interrupted swap is recorded in ${journalOf(pair.outdir)}, so run this as a user who may write there`));
  });
});

describe('withOutput under a signal', () => {
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let saved: Map<string, NodeJS.SignalsListener[]>;
  let kill: jest.SpyInstance;
  const realKill = process.kill.bind(process);

  // The signal is emitted in this process: the handler's last step, ending the process by it, is observed
  // through process.kill instead of ending jest's worker.
  beforeEach(() => {
    saved = new Map(SIGNALS.map((s) => [s, process.listeners(s) as NodeJS.SignalsListener[]]));
    for (const s of SIGNALS) process.removeAllListeners(s);
    kill = jest.spyOn(process, 'kill').mockImplementation(((pid: number, signal?: string | number) => (signal === 0 ? realKill(pid, 0) : true)) as typeof process.kill);
  });
  afterEach(() => {
    kill.mockRestore();
    for (const s of SIGNALS) {
      process.removeAllListeners(s);
      for (const l of saved.get(s)!) process.on(s, l);
    }
  });

  test.each(SIGNALS)('%s while the work runs removes what the run left, releases the lock and ends the process by the signal', async (signal) => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    await writeOutput(pair, generation(1), quiet);
    const log: string[] = [];
    await withOutput(pair, { log: (l) => log.push(l) }, async () => {
      fs.mkdirSync(path.join(parent, '.dist.new-1-0123abcd'));
      process.emit(signal, signal);
      expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
      expect(log).toEqual([`removed what an interrupted synth left beside ${pair.outdir}: .dist.new-1-0123abcd`]);
      expect(kill.mock.calls).toEqual([[process.pid, signal]]);
      expect(SIGNALS.map((s) => process.listenerCount(s))).toEqual([0, 0, 0]);
    });
    expect(wholeGeneration(parent)).toBe(1);
  });

  test('leaves ending the process to another handler of the signal, if there is one', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    const other = jest.fn();
    process.on('SIGTERM', other);
    await withOutput(pair, quiet, async () => {
      process.emit('SIGTERM', 'SIGTERM');
      expect(fs.existsSync(lockFileOf(pair.outdir))).toBe(false);
    });
    expect(other).toHaveBeenCalledTimes(1);
    expect(kill).not.toHaveBeenCalled();
    expect(process.listeners('SIGTERM')).toEqual([other]);
  });

  test('warns when cleaning up after the signal fails, and still ends the process by it', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    const log: string[] = [];
    await withOutput(pair, { log: (l) => log.push(l) }, async () => {
      fs.writeFileSync(journalOf(pair.outdir), '{');
      process.emit('SIGINT', 'SIGINT');
      fs.rmSync(journalOf(pair.outdir));
    });
    expect(log).toEqual([expect.stringMatching(new RegExp(`^warning: interrupted by SIGINT, and cleaning up failed: the swap journal ${journalOf(pair.outdir)} does not parse \\(.*\\); ` +
      'synth writes it whole, so it was changed by hand: .*; the next run cleans up$'))]);
    expect(kill.mock.calls).toEqual([[process.pid, 'SIGINT']]);
  });

  test('a signal before the lock is taken touches nothing of the output\'s, and ends the process', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    await writeOutput(pair, generation(1), quiet);
    fs.mkdirSync(path.join(parent, '.dist.new-1-0123abcd'));
    const log: string[] = [];
    let signalled = false;
    const signalFirst: OutputFs = { ...nodeOutputFs, writeFile: (p, data, mode) => {
      if (!signalled) { signalled = true; process.emit('SIGTERM', 'SIGTERM'); expect(fs.readdirSync(parent)).toContain('.dist.new-1-0123abcd'); }
      nodeOutputFs.writeFile(p, data, mode);
    } };
    await withOutput(pair, { log: (l) => log.push(l), fs: signalFirst }, async () => undefined);
    expect(signalled).toBe(true);
    expect(log).toEqual([`removed what an interrupted synth left beside ${pair.outdir}: .dist.new-1-0123abcd`]);
    expect(kill.mock.calls).toEqual([[process.pid, 'SIGTERM']]);
  });
});

describe('withOutput and its options', () => {
  test('takes the lock through the given fs, naming the given command, and waits as long as told', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    const seen: string[] = [];
    const recording: OutputFs = { ...nodeOutputFs, writeFile: (p, data, mode) => { seen.push(`${p}: ${data.toString('utf8').split('\n').find((l) => l.startsWith('command'))}`); nodeOutputFs.writeFile(p, data, mode); } };
    await withOutput(pair, { ...quiet, command: 'npm run deploy', fs: recording }, async () => undefined);
    expect(seen).toEqual([`${lockFileOf(pair.outdir)}: command npm run deploy`]);
    const held = await acquireOutputLock(pair.outdir, { command: 'deploy' });
    try {
      await expect(withOutput(pair, { ...quiet, lockTimeoutMs: 0 }, async () => undefined)).rejects.toThrow(new RegExp(
        `^output folder ${pair.outdir} is in use: PID ${process.pid} \\(deploy, since .*\\) holds the lock ${lockFileOf(pair.outdir)}, still after 0 s;`));
    } finally {
      held.release();
    }
  });

  test('reports the lock it took over, and what it repaired, to the given log', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    fs.writeFileSync(lockFileOf(pair.outdir), `pid ${deadPid()}\nstarted ${new Date().toISOString()}\ncommand synth\n`);
    fs.mkdirSync(path.join(parent, '.dist.old-1-0123abcd'));
    const log: string[] = [];
    await withOutput(pair, { log: (l) => log.push(l) }, async () => undefined);
    expect(log).toEqual([expect.stringMatching(/^took over the lock .* of PID \d+, which is gone$/), `removed what an interrupted synth left beside ${pair.outdir}: .dist.old-1-0123abcd`]);
  });

  test('warns, to stderr unless told otherwise, when the lock cannot be released, and keeps the result', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    const failingUnlink: OutputFs = { ...nodeOutputFs, unlink: (p) => { if (p === lockFileOf(pair.outdir)) throw Object.assign(new Error(`EIO: i/o error, unlink '${p}'`), { code: 'EIO' }); nodeOutputFs.unlink(p); } };
    const warning = `warning: cannot remove ${lockFileOf(pair.outdir)} (EIO: i/o error): the disk reports an I/O error: check it, then run it again; the next run takes the lock over`;
    const log: string[] = [];
    expect(await withOutput(pair, { log: (l) => log.push(l), fs: failingUnlink }, async () => 42)).toBe(42);
    expect(log).toEqual([warning]);
    fs.rmSync(lockFileOf(pair.outdir));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await withOutput(pair, { fs: failingUnlink }, async () => undefined);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`${warning}\n`]);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('recoverOutput and its options', () => {
  const refusing = (code: string): OutputFs => ({ ...nodeOutputFs, writeFile: (p) => { throw Object.assign(new Error(`${code}: refused, open '${p}'`), { code }); } });

  test('touches nothing for the root of the file system', async () => {
    const calls: string[] = [];
    // Every call is refused, so that a writer that did look at / could not change it.
    const refusing = Object.fromEntries(Object.keys(nodeOutputFs).map((op) => [op, (...args: any[]) => { calls.push(`${op} ${args[0]}`); throw new Error(`${op} refused`); }])) as unknown as OutputFs;
    await recoverOutput({ outdir: '/', secretsDir: '/-secrets' }, { ...quiet, fs: refusing });
    expect(calls).toEqual([]);
  });

  test.each(['ENOENT', 'EACCES', 'EPERM', 'EROFS'])('does nothing when the lock cannot be created (%s) and no swap is recorded', async (code) => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    fs.mkdirSync(path.join(parent, '.dist.new-1-0123abcd'));
    await recoverOutput(pair, { ...quiet, fs: refusing(code) });
    expect(fs.readdirSync(parent)).toEqual(['.dist.new-1-0123abcd']);
  });

  test('fails on other errors of the lock: one held by another process past the wait, or an I/O error', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    await expect(recoverOutput(pair, { ...quiet, fs: refusing('EIO') })).rejects.toThrow(new Error(
      `cannot lock ${pair.outdir}: cannot write ${lockFileOf(pair.outdir)} (EIO: refused): the disk reports an I/O error: check it, then run it again`));
    fs.writeFileSync(lockFileOf(pair.outdir), `pid ${process.ppid}\nstarted ${new Date().toISOString()}\ncommand synth\n`);
    await expect(recoverOutput(pair, { ...quiet, lockTimeoutMs: 0 })).rejects.toThrow(
      `output folder ${pair.outdir} is in use: PID ${process.ppid} (synth, since `);
  });

  test('holds the lock as "reader" unless told otherwise, and repairs through the given fs and log', async () => {
    const parent = tmpDir();
    const pair = pairIn(parent);
    await writeOutput(pair, generation(1), quiet);
    fs.mkdirSync(path.join(parent, '.dist.new-1-0123abcd'));
    const seen: string[] = [];
    const recording: OutputFs = { ...nodeOutputFs, writeFile: (p, data, mode) => { seen.push(`writeFile ${data.toString('utf8').split('\n').find((l) => l.startsWith('command'))}`); nodeOutputFs.writeFile(p, data, mode); },
      rmdir: (p) => { seen.push(`rmdir ${path.basename(p)}`); nodeOutputFs.rmdir(p); } };
    const log: string[] = [];
    await recoverOutput(pair, { log: (l) => log.push(l), fs: recording });
    expect(seen).toEqual(['writeFile command reader', 'rmdir .dist.new-1-0123abcd']);
    expect(log).toEqual([`removed what an interrupted synth left beside ${pair.outdir}: .dist.new-1-0123abcd`]);
    seen.length = 0;
    await recoverOutput(pair, { ...quiet, command: 'deploy', fs: recording });
    expect(seen).toEqual(['writeFile command deploy']);
  });
});

// Last in the file: these spawn writers and kill them (seconds); a mutant the tests above kill never waits for them.
describe('the writer under real kills', () => {
  test('kill -9 at random moments of writes one after the other: once recovered, always one whole generation', async () => {
    const runs = await Promise.all([0, 1, 2, 3, 4].map(async () => {
      const parent = tmpDir('kill-');
      await writeOutput({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') }, generation(0), quiet);
      const child = writerProcess(parent, 'loop');
      await child.ready;
      const delay = Math.floor(Math.random() * 400);
      await sleep(delay);
      const signal = exited(child);
      child.kill('SIGKILL');
      expect(await signal).toBe('SIGKILL');
      return { parent, delay };
    }));
    for (const { parent, delay } of runs) {
      await recoverOutput({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') }, quiet);
      try {
        wholeGeneration(parent);
      } catch (e) {
        throw new Error(`after a kill -9 ${delay} ms into the writes: ${(e as Error).message}`);
      }
    }
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s while synth renders or writes ends it by the signal, leaving one whole generation, no lock and no staging folder', async (signalName) => {
    const runs = await Promise.all([0, 1, 2, 3].map(async () => {
      const parent = tmpDir('signal-');
      await writeOutput({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') }, generation(0), quiet);
      const child = writerProcess(parent, 'once');
      await child.ready;
      await sleep(Math.floor(Math.random() * 250));
      const signal = exited(child);
      child.kill(signalName);
      expect(await signal).toBe(signalName);
      return parent;
    }));
    // No recovery here: the handlers left nothing to recover.
    for (const parent of runs) expect([0, 1]).toContain(wholeGeneration(parent));
  });
});
