import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeOutputFs } from '../../lib/output-fs';
import { MARKER_FILE, withMarkers } from '../../lib/output-marker';
import { lockFileOf } from '../../lib/output-lock';
import { journalOf } from '../../lib/output-swap';
import { recoverOutput, withOutput, writeOutput } from '../../lib/output-writer';
import { readTree, ROOT, tmpDir } from '../helpers';

const quiet = { log: () => {} };

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
