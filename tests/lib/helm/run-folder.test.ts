import { spawn, spawnSync } from 'child_process';
import fs = require('fs');
import * as path from 'path';
import { createRunFolder, removeStaleRunFolders } from '../../../lib/helm/run-folder';
import { tmpDir } from '../../helpers';

/** The PID of a process that has ended. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('createRunFolder', () => {
  test('makes a folder only this user can enter, named with this PID, with files only this user can read; remove takes it away', () => {
    const parent = path.join(tmpDir(), 'runs');
    const folder = createRunFolder(parent);
    expect(path.basename(folder.dir)).toMatch(new RegExp(`^run-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(fs.statSync(folder.dir).mode & 0o777).toBe(0o700);
    const file = folder.write('values.yaml', 'secret: 1\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    folder.remove();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  test('never writes over a file already there, and removing twice is no error', () => {
    const folder = createRunFolder(tmpDir());
    folder.write('values.yaml', 'a: 1\n');
    expect(() => folder.write('values.yaml', 'b: 2\n')).toThrow(/EEXIST/);
    expect(fs.readFileSync(path.join(folder.dir, 'values.yaml'), 'utf8')).toBe('a: 1\n');
    folder.remove();
    expect(() => folder.remove()).not.toThrow();
  });

  test('removes the folder on an interrupt while it lives, and lets go of the handlers once removed', () => {
    const count = () => process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') + process.listenerCount('exit');
    const before = count();
    const folder = createRunFolder(tmpDir());
    expect(count()).toBe(before + 3);
    folder.remove();
    expect(count()).toBe(before);
    expect(fs.existsSync(folder.dir)).toBe(false);
  });

  test('two folders in the same parent never share a name', () => {
    const parent = tmpDir();
    const [a, b] = [createRunFolder(parent), createRunFolder(parent)];
    expect(a.dir).not.toBe(b.dir);
    a.remove();
    b.remove();
  });
});

describe('removeStaleRunFolders', () => {
  test('removes the run folders of processes that ended, and nothing else', () => {
    const parent = tmpDir();
    const dead = path.join(parent, `run-${deadPid()}-AbC123`);
    const mine = path.join(parent, `run-${process.pid}-xyz789`);
    const alive = path.join(parent, `run-1-q1w2e3`);
    // folders named almost like a run folder, and a file named like one
    const near = ['notes', 'run-12345', 'run-abc-123456', `run-${deadPid()}-toolongname`, `old-run-${deadPid()}-AbC123`, `run-${deadPid()}-AbC12`];
    const file = `run-${deadPid()}-file00`;
    const others = [...near, file];
    for (const d of [dead, mine, alive, ...near.map((n) => path.join(parent, n))]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(dead, 'computed-values.yaml'), 'secret: 1\n');
    fs.writeFileSync(path.join(parent, file), '');
    expect(removeStaleRunFolders(parent)).toEqual([dead]);
    expect(fs.readdirSync(parent).sort()).toEqual([...others, path.basename(mine), path.basename(alive)].sort());
  });

  test('counts a zombie as ended: a killed synth whose parent died stays one where init does not reap', async () => {
    // GIVEN a zombie: a short sleep ends after its parent shell became `sleep 30`, which never waits for it
    // (the child outlives the exec, so the shell cannot reap it first)
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (b: Buffer) => r(b.toString()))));
    while (!/\) Z /.test(fs.readFileSync(`/proc/${zombie}/stat`, 'utf8'))) await new Promise((r) => setTimeout(r, 20));
    const runs = tmpDir();
    fs.mkdirSync(path.join(runs, `run-${zombie}-Zomb1e`));
    // WHEN / THEN
    expect(removeStaleRunFolders(runs)).toEqual([path.join(runs, `run-${zombie}-Zomb1e`)]);
    parent.kill('SIGKILL');
  });

  test('keeps the folder of a process it may not signal (EPERM: it runs as another user)', () => {
    const parent = tmpDir();
    const pid = deadPid();
    fs.mkdirSync(path.join(parent, `run-${pid}-AbC123`));
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    try {
      expect(removeStaleRunFolders(parent)).toEqual([]);
    } finally {
      kill.mockRestore();
    }
    expect(fs.readdirSync(parent)).toEqual([`run-${pid}-AbC123`]);
  });

  test('keeps the folder of a process that answers but whose state it cannot read', () => {
    const parent = tmpDir();
    fs.mkdirSync(path.join(parent, 'run-1-AbC123'));
    const read = fs.readFileSync;
    const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (String(file).startsWith('/proc/')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return (read as (...a: unknown[]) => unknown)(file, ...rest);
    }) as typeof fs.readFileSync);
    try {
      expect(removeStaleRunFolders(parent)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  test('does nothing when the parent does not exist', () => {
    expect(removeStaleRunFolders('/nonexistent/runs')).toEqual([]);
  });
});
