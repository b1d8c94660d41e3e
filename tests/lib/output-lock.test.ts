import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
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
});
