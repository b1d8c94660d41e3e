import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
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
    const others = ['notes.txt', 'run-12345', 'run-abc-123456', `run-${deadPid()}-toolongname`, `run-${deadPid()}-file00`];
    for (const d of [dead, mine, alive]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(dead, 'computed-values.yaml'), 'secret: 1\n');
    for (const o of others) fs.writeFileSync(path.join(parent, o), '');
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

  test('does nothing when the parent does not exist', () => {
    expect(removeStaleRunFolders('/nonexistent/runs')).toEqual([]);
  });
});
