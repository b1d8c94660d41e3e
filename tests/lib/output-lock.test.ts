import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { nodeOutputFs, OutputFs } from '../../lib/output-fs';
import { acquireOutputLock, lockFileOf } from '../../lib/output-lock';
import { writeOutput } from '../../lib/output-writer';
import { deadPid, ROOT, tmpDir, treeState } from '../helpers';

const lockText = (pid: number | string, started = new Date().toISOString()) => `pid ${pid}\nstarted ${started}\ncommand synth\n`;

describe('the output lock', () => {
  test('is a file beside the output folder with the holder\'s PID, start and command, removed on release', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const lock = await acquireOutputLock(outdir, { command: 'npm run deploy' });
    expect(lock.file).toBe(path.join(path.dirname(outdir), '.dist.lock'));
    expect(fs.readFileSync(lock.file, 'utf8')).toMatch(new RegExp(`^pid ${process.pid}\\nstarted \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\ncommand npm run deploy\\n$`));
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  test('waits for the holder to release it, then takes it', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const first = await acquireOutputLock(outdir);
    const t0 = Date.now();
    setTimeout(() => first.release(), 200);
    const second = await acquireOutputLock(outdir, { timeoutMs: 5000, pollMs: 20 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(fs.readFileSync(second.file, 'utf8')).toContain(`pid ${process.pid}\n`);
    second.release();
  });

  test.each([
    ['a dead PID', (file: string, pid: number) => fs.writeFileSync(file, lockText(pid)), (pid: number) => `of PID ${pid}, which is gone`],
    ['our own PID, left by an earlier process that had it', (file: string) => fs.writeFileSync(file, lockText(process.pid)), () => `of PID ${process.pid}, which is gone`],
    ['a start before the machine booted', (file: string) => fs.writeFileSync(file, lockText(1, '2000-01-01T00:00:00.000Z')), () => 'of PID 1, which is gone'],
    ['no PID for more than 5 s', (file: string) => { fs.writeFileSync(file, ''); fs.utimesSync(file, new Date(0), new Date(0)); }, () => ', which holds no PID'],
  ])('takes over a lock whose holder is gone: %s', async (_name, leave, said) => {
    const outdir = path.join(tmpDir(), 'dist');
    const pid = deadPid();
    leave(lockFileOf(outdir), pid);
    const log: string[] = [];
    const lock = await acquireOutputLock(outdir, { timeoutMs: 1000, log: (l) => log.push(l) });
    expect(log).toEqual([`took over the lock ${lock.file} ${said(pid)}`.replace(' ,', ',')]);
    expect(fs.readFileSync(lock.file, 'utf8')).toContain(`pid ${process.pid}\n`);
    lock.release();
  });

  test('waits for a fresh lock that holds no PID yet (its holder is writing it), then fails saying so', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    fs.writeFileSync(lockFileOf(outdir), '');
    await expect(acquireOutputLock(outdir, { timeoutMs: 200 })).rejects.toThrow(
      `output folder ${outdir} is in use: a process that has not written its PID yet holds the lock ${lockFileOf(outdir)}, still after 0.2 s; wait for it to finish and run this again`);
  });

  test('fails naming the folder when the lock cannot be created', async () => {
    const outdir = path.join(tmpDir(), 'no-such-parent', 'dist');
    await expect(acquireOutputLock(outdir)).rejects.toThrow(
      `cannot lock ${outdir}: cannot write ${path.dirname(outdir)}/.dist.lock (ENOENT: no such file or directory): check that path, then run it again`);
  });

  test('fails after waiting, naming the PID of another process that holds it, and changes nothing', async () => {
    const parent = tmpDir();
    const outdir = path.join(parent, 'dist');
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e',
      `require(${JSON.stringify(path.join(ROOT, 'lib/output-lock.ts'))}).acquireOutputLock(${JSON.stringify(outdir)}).then(() => { console.log('locked'); setTimeout(() => {}, 20000); });`,
    ], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', (d) => String(d).includes('locked') && resolve()));
      const { started } = /started (?<started>.*)/.exec(fs.readFileSync(lockFileOf(outdir), 'utf8'))!.groups!;
      const before = treeState(parent);
      const t0 = Date.now();
      await expect(writeOutput({ outdir, secretsDir: `${outdir}-secrets` }, { output: new Map([['01-a.yaml', 'a']]), secrets: new Map() }, { lockTimeoutMs: 300, log: () => {} }))
        .rejects.toThrow(new Error(`output folder ${outdir} is in use: PID ${holder.pid} (synth, since ${started}) holds the lock ${parent}/.dist.lock, still after 0.3 s; ` +
          `wait for it to finish and run this again, or, if no synth or deploy is running, delete ${parent}/.dist.lock`));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(treeState(parent)).toEqual(before);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('the output lock, held and released', () => {
  test('says it is held until released; a second release leaves alone the lock another holder took since', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const first = await acquireOutputLock(outdir);
    expect(first.held).toBe(true);
    first.release();
    expect(first.held).toBe(false);
    const second = await acquireOutputLock(outdir, { command: 'deploy' });
    first.release();
    expect(fs.readFileSync(second.file, 'utf8')).toContain('command deploy\n');
    second.release();
  });

  test('releasing a lock whose file someone removed does not fail', async () => {
    const lock = await acquireOutputLock(path.join(tmpDir(), 'dist'));
    fs.rmSync(lock.file);
    expect(() => lock.release()).not.toThrow();
    expect(lock.held).toBe(false);
  });

  test('reports a lock it took over on stderr unless told otherwise', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const pid = deadPid();
    fs.writeFileSync(lockFileOf(outdir), lockText(pid));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      (await acquireOutputLock(outdir)).release();
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`took over the lock ${lockFileOf(outdir)} of PID ${pid}, which is gone\n`]);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('the output lock, with another holder', () => {
  // A live process that is not this one: the one that started this test process.
  const live = process.ppid;
  const inUse = (outdir: string, who: string, more = `, or, if no synth or deploy is running, delete ${lockFileOf(outdir)}`) =>
    new Error(`output folder ${outdir} is in use: ${who} holds the lock ${lockFileOf(outdir)}, still after 0 s; wait for it to finish and run this again${more}`);

  test.each([
    ['its PID only', `pid ${live}\n`, `PID ${live}`],
    ['its PID and command, no start', `pid ${live}\ncommand deploy\n`, `PID ${live} (deploy)`],
    ['its PID and start, no command', `pid ${live}\nstarted 2099-01-01T00:00:00.000Z\n`, `PID ${live} (since 2099-01-01T00:00:00.000Z)`],
  ])('names what the lock says of a live holder: %s', async (_name, text, who) => {
    const outdir = path.join(tmpDir(), 'dist');
    fs.writeFileSync(lockFileOf(outdir), text);
    await expect(acquireOutputLock(outdir, { timeoutMs: 0 })).rejects.toThrow(inUse(outdir, who));
  });

  test.each(['12x', 'x12', '0', '-3', ''])('reads "pid %s" as no PID yet: a fresh lock so written is waited for', async (pid) => {
    const outdir = path.join(tmpDir(), 'dist');
    fs.writeFileSync(lockFileOf(outdir), lockText(pid));
    await expect(acquireOutputLock(outdir, { timeoutMs: 0 })).rejects.toThrow(inUse(outdir, 'a process that has not written its PID yet', ''));
  });

  test('does not take over the lock of a live process of another user (signal 0 answers EPERM)', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const other = deadPid();
    const started = new Date().toISOString();
    fs.writeFileSync(lockFileOf(outdir), lockText(other, started));
    const realKill = process.kill.bind(process);
    const kill = jest.spyOn(process, 'kill').mockImplementation(((pid: number, signal?: string | number) => {
      if (pid === other) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      return realKill(pid, signal);
    }) as typeof process.kill);
    try {
      await expect(acquireOutputLock(outdir, { timeoutMs: 0 })).rejects.toThrow(inUse(outdir, `PID ${other} (synth, since ${started})`));
    } finally {
      kill.mockRestore();
    }
  });

  /** node's fs, where `meanwhile` changes the lock file just after its first read (another waiter acting between two looks). */
  const staleAtFirstRead = (file: string, meanwhile: () => void): OutputFs => {
    let reads = 0;
    return { ...nodeOutputFs, readFile: (p) => {
      const text = nodeOutputFs.readFile(p);
      if (p === file && reads++ === 0) meanwhile();
      return text;
    } };
  };

  test('looks again before removing a stale lock: one another waiter took over meanwhile is left alone', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const file = lockFileOf(outdir);
    fs.writeFileSync(file, lockText(deadPid()));
    const log: string[] = [];
    const takenMeanwhile = staleAtFirstRead(file, () => fs.writeFileSync(file, lockText(live, '2099-01-01T00:00:00.000Z')));
    await expect(acquireOutputLock(outdir, { timeoutMs: 0, fs: takenMeanwhile, log: (l) => log.push(l) })).rejects.toThrow(
      inUse(outdir, `PID ${live} (synth, since 2099-01-01T00:00:00.000Z)`));
    expect(log).toEqual([]);
  });

  test('looks again before removing a stale lock: one released meanwhile is simply taken', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const file = lockFileOf(outdir);
    fs.writeFileSync(file, lockText(deadPid()));
    const log: string[] = [];
    const lock = await acquireOutputLock(outdir, { timeoutMs: 0, fs: staleAtFirstRead(file, () => fs.rmSync(file)), log: (l) => log.push(l) });
    expect(fs.readFileSync(lock.file, 'utf8')).toContain(`pid ${process.pid}\n`);
    expect(log).toEqual([]);
    lock.release();
  });
});

describe('the output lock, on a fake clock', () => {
  const NOW = Date.parse('2026-06-01T12:00:00.000Z');
  const realOs: typeof import('os') = require('os');
  beforeEach(() => jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** node's fs, with the lock file's modification time set and its every look recorded, in ms from NOW. */
  const clocked = (file: string, mtimeMs = NOW) => {
    const looks: number[] = [];
    const io: OutputFs = {
      ...nodeOutputFs,
      lstat: (p) => { const st = nodeOutputFs.lstat(p); return st && p === file ? { ...st, mtimeMs } : st; },
      readFile: (p) => { if (p === file) looks.push(Date.now() - NOW); return nodeOutputFs.readFile(p); },
    };
    return { io, looks };
  };

  test('looks every pollMs and a last time at the deadline, not after it', async () => {
    const outdir = path.join(tmpDir(), 'dist');
    const file = lockFileOf(outdir);
    fs.writeFileSync(file, lockText(process.ppid, new Date(NOW).toISOString()));
    const { io, looks } = clocked(file);
    const result = acquireOutputLock(outdir, { timeoutMs: 250, pollMs: 100, fs: io }).then(() => 'taken', (e: Error) => e.message);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await result).toMatch(/ is in use: .* still after 0\.25 s;/);
    expect(looks).toEqual([0, 100, 200, 250]);
  });

  test.each([
    [5000, 'waits for'],
    [5001, 'takes over'],
  ])('a lock that holds no PID %i ms after it was written: it %s it', async (age, what) => {
    const outdir = path.join(tmpDir(), 'dist');
    const file = lockFileOf(outdir);
    fs.writeFileSync(file, '');
    const { io } = clocked(file, NOW - age);
    const log: string[] = [];
    const result = await acquireOutputLock(outdir, { timeoutMs: 0, fs: io, log: (l) => log.push(l) }).then((l) => { l.release(); return 'takes over'; }, (e: Error) => e.message);
    if (what === 'takes over') {
      expect(result).toBe('takes over');
      expect(log).toEqual([`took over the lock ${file}, which holds no PID`]);
    } else {
      expect(result).toBe(`output folder ${outdir} is in use: a process that has not written its PID yet holds the lock ${file}, still after 0 s; wait for it to finish and run this again`);
    }
  });

  test.each([
    [60_001, 'takes over'],
    [60_000, 'waits for'],
    [30_000, 'waits for'],
  ])('a live PID whose lock says it started %i ms before the machine booted: it %s it', async (before, what) => {
    const uptimeS = 1000;
    jest.spyOn(realOs, 'uptime').mockReturnValue(uptimeS);
    const outdir = path.join(tmpDir(), 'dist');
    const file = lockFileOf(outdir);
    const started = new Date(NOW - uptimeS * 1000 - before).toISOString();
    fs.writeFileSync(file, lockText(process.ppid, started));
    const log: string[] = [];
    const result = await acquireOutputLock(outdir, { timeoutMs: 0, log: (l) => log.push(l) }).then((l) => { l.release(); return 'takes over'; }, (e: Error) => e.message);
    if (what === 'takes over') {
      expect(result).toBe('takes over');
      expect(log).toEqual([`took over the lock ${file} of PID ${process.ppid}, which is gone`]);
    } else {
      expect(result).toMatch(new RegExp(`^output folder .* is in use: PID ${process.ppid} \\(synth, since ${started.replace(/\./g, '\\.')}\\) holds the lock`));
    }
  });
});
