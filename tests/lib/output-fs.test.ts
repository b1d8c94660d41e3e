import fs = require('fs');
import * as path from 'path';
import { describedFs, makeFolders, nodeOutputFs, OutputFs, OutputFsError, removeTree } from '../../lib/output-fs';
import { tmpDir } from '../helpers';

afterEach(() => jest.restoreAllMocks());

/** node's fs, with every call recorded as `op path`. */
function recording(): { io: OutputFs; calls: string[] } {
  const calls: string[] = [];
  const io = Object.fromEntries(Object.entries(nodeOutputFs).map(([op, f]) => [op, (...args: any[]) => {
    calls.push(`${op} ${args.filter((a) => typeof a === 'string').join(' ')}`);
    return (f as (...a: any[]) => any)(...args);
  }])) as unknown as OutputFs;
  return { io, calls };
}

describe('nodeOutputFs', () => {
  test('lstat tells files, folders, symlinks and the rest apart, without following links; nothing there is undefined', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    fs.symlinkSync('f', path.join(dir, 'l'));
    expect(nodeOutputFs.lstat(path.join(dir, 'f'))).toMatchObject({ type: 'file', dev: fs.statSync(dir).dev });
    expect(nodeOutputFs.lstat(dir)?.type).toBe('directory');
    expect(nodeOutputFs.lstat(path.join(dir, 'l'))?.type).toBe('symlink');
    expect(nodeOutputFs.lstat('/dev/null')?.type).toBe('other');
    expect(nodeOutputFs.lstat(path.join(dir, 'f'))?.mtimeMs).toBe(fs.lstatSync(path.join(dir, 'f')).mtimeMs);
    expect(nodeOutputFs.lstat(path.join(dir, 'missing'))).toBeUndefined();
    expect(nodeOutputFs.lstat(path.join(dir, 'f', 'below-a-file'))).toBeUndefined();
    expect(() => nodeOutputFs.lstat(path.join(dir, 'x'.repeat(300)))).toThrow(/ENAMETOOLONG/);
  });

  test('writeFile creates a new file with all the data and the mode, and refuses one that exists', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'f');
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    nodeOutputFs.writeFile(file, data, 0o600);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(() => nodeOutputFs.writeFile(file, Buffer.from('other'), 0o600)).toThrow(/EEXIST/);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
  });

  test('writeFile writes on after a short write, and removes a file it could not finish', () => {
    const dir = tmpDir();
    const write = fs.writeSync;
    // A disk that takes at most 5 bytes a call.
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number) =>
      write(fd, buffer, offset, Math.min(length, 5))) as typeof fs.writeSync);
    nodeOutputFs.writeFile(path.join(dir, 'short'), Buffer.from('twelve bytes'), 0o644);
    expect(fs.readFileSync(path.join(dir, 'short'), 'utf8')).toBe('twelve bytes');
    jest.spyOn(fs, 'writeSync').mockImplementation(() => { throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); });
    expect(() => nodeOutputFs.writeFile(path.join(dir, 'full'), Buffer.from('data'), 0o644)).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual(['short']);
  });

  test('the other operations are node\'s', () => {
    const dir = tmpDir();
    nodeOutputFs.mkdir(path.join(dir, 'd'), 0o700);
    expect(fs.statSync(path.join(dir, 'd')).mode & 0o777).toBe(0o700);
    nodeOutputFs.writeFile(path.join(dir, 'd', 'f'), Buffer.from('x'), 0o644);
    fs.symlinkSync('d', path.join(dir, 'link'));
    expect(nodeOutputFs.realpath(path.join(dir, 'link', 'f'))).toBe(path.join(fs.realpathSync(dir), 'd', 'f'));
    expect(nodeOutputFs.readdir(path.join(dir, 'd'))).toEqual(['f']);
    expect(nodeOutputFs.readFile(path.join(dir, 'd', 'f')).toString()).toBe('x');
    expect(() => nodeOutputFs.fsyncFile(path.join(dir, 'd', 'f'))).not.toThrow();
    expect(() => nodeOutputFs.fsyncDir(path.join(dir, 'd'))).not.toThrow();
    expect(() => nodeOutputFs.fsyncDir(path.join(dir, 'missing'))).toThrow(/ENOENT/);
    nodeOutputFs.rename(path.join(dir, 'd', 'f'), path.join(dir, 'd', 'g'));
    expect(fs.readdirSync(path.join(dir, 'd'))).toEqual(['g']);
    expect(() => nodeOutputFs.rmdir(path.join(dir, 'd'))).toThrow(/ENOTEMPTY/);
    nodeOutputFs.unlink(path.join(dir, 'd', 'g'));
    nodeOutputFs.rmdir(path.join(dir, 'd'));
    expect(fs.readdirSync(dir)).toEqual(['link']);
  });

  test('fsyncFile closes the file when the flush fails', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'f'), 'x');
    const close = jest.spyOn(fs, 'closeSync');
    jest.spyOn(fs, 'fsyncSync').mockImplementation(() => { throw new Error('EIO'); });
    expect(() => nodeOutputFs.fsyncFile(path.join(dir, 'f'))).toThrow('EIO');
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('makeFolders and removeTree', () => {
  test('makeFolders creates each missing folder from the top, flushing its parent after each', () => {
    const dir = tmpDir();
    const { io, calls } = recording();
    makeFolders(io, path.join(dir, 'a', 'b'));
    expect(calls).toEqual([
      `lstat ${dir}/a/b`, `lstat ${dir}/a`, `lstat ${dir}`,
      `mkdir ${dir}/a`, `fsyncDir ${dir}`, `mkdir ${dir}/a/b`, `fsyncDir ${dir}/a`,
    ]);
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o755 & ~process.umask());
    calls.length = 0;
    makeFolders(io, path.join(dir, 'a', 'b'));
    expect(calls).toEqual([`lstat ${dir}/a/b`]);
  });

  test('removeTree removes a tree entry by entry, a link without what it points to, and nothing when absent', () => {
    const dir = tmpDir();
    const keep = path.join(tmpDir(), 'keep');
    fs.writeFileSync(keep, 'x');
    fs.mkdirSync(path.join(dir, 't', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 't', 'sub', 'f'), 'x');
    fs.symlinkSync(keep, path.join(dir, 't', 'link'));
    const { io, calls } = recording();
    removeTree(io, path.join(dir, 't'));
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.existsSync(keep)).toBe(true);
    expect(calls.filter((c) => !c.startsWith('lstat') && !c.startsWith('readdir')).sort()).toEqual([
      `rmdir ${dir}/t`, `rmdir ${dir}/t/sub`, `unlink ${dir}/t/link`, `unlink ${dir}/t/sub/f`,
    ]);
    calls.length = 0;
    removeTree(io, path.join(dir, 't'));
    expect(calls).toEqual([`lstat ${dir}/t`]);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    removeTree(io, path.join(dir, 'file'));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('OutputFsError and describedFs', () => {
  test.each([
    ['ENOSPC', 'free space on that disk and run it again'], ['EDQUOT', 'free space on that disk and run it again'],
    ['EACCES', 'give your user write access to that folder, or choose another output folder'],
    ['EPERM', 'give your user write access to that folder, or choose another output folder'],
    ['EROFS', 'the file system is read-only: choose an output folder on a writable one'],
    ['EBUSY', 'the folder is in use or a mount point: choose an output folder that is a plain folder on the same disk as its parent'],
    ['EXDEV', 'the output folder and its parent are on different disks: choose a plain folder'],
    ['EIO', 'the disk reports an I/O error: check it, then run it again'],
    ['ENOENT', 'check that path, then run it again'], [undefined, 'check that path, then run it again'],
  ])('the fix for %s: %s', (code, fix) => {
    expect(OutputFsError.fixFor(code)).toBe(fix);
  });

  test('says the operation, the path, the code and node\'s words without their repeats, and the fix', () => {
    const cause = new Error("EBUSY: resource busy or locked, rename '/a' -> '/b'");
    expect(new OutputFsError('rename', '/a to /b', 'EBUSY', cause).message).toBe(
      `cannot rename /a to /b (EBUSY: resource busy or locked): ${OutputFsError.fixFor('EBUSY')}`);
    expect(new OutputFsError('remove', '/x', 'EIO', new Error("EIO: i/o error, unlink '/x'")).message).toBe(
      `cannot remove /x (EIO: i/o error): ${OutputFsError.fixFor('EIO')}`);
    expect(new OutputFsError('read', '/x', undefined, new Error('torn')).message).toBe(`cannot read /x (torn): ${OutputFsError.fixFor(undefined)}`);
  });

  test('describedFs names each operation and its path, both paths of a rename, and passes results and its own errors through', () => {
    const dir = tmpDir();
    const io = describedFs(nodeOutputFs);
    const missing = path.join(dir, 'missing');
    const cases: Array<[string, () => unknown]> = [
      [`cannot list ${missing}`, () => io.readdir(missing)],
      [`cannot resolve ${missing}`, () => io.realpath(missing)],
      [`cannot read ${missing}`, () => io.readFile(missing)],
      [`cannot create the folder ${missing}/a`, () => io.mkdir(path.join(missing, 'a'), 0o755)],
      [`cannot write ${missing}/a`, () => io.writeFile(path.join(missing, 'a'), Buffer.from('x'), 0o644)],
      [`cannot flush ${missing}`, () => io.fsyncFile(missing)],
      [`cannot flush the folder ${missing}`, () => io.fsyncDir(missing)],
      [`cannot rename ${missing} to ${dir}/b`, () => io.rename(missing, path.join(dir, 'b'))],
      [`cannot remove ${missing}`, () => io.unlink(missing)],
      [`cannot remove the folder ${missing}`, () => io.rmdir(missing)],
      [`cannot look at ${dir}/${'x'.repeat(300)}`, () => io.lstat(path.join(dir, 'x'.repeat(300)))],
    ];
    for (const [start, call] of cases) {
      expect(call).toThrow(OutputFsError);
      expect(call).toThrow(start);
    }
    expect(() => io.readdir(missing)).toThrow(`cannot list ${missing} (ENOENT: no such file or directory): check that path, then run it again`);
    expect(io.readdir(dir)).toEqual([]);
    expect(io.lstat(missing)).toBeUndefined();
    expect(Object.keys(io).sort()).toEqual(Object.keys(nodeOutputFs).sort());
    const own = new OutputFsError('flush', '/x', 'EIO', new Error('EIO'));
    const inner = describedFs({ ...nodeOutputFs, fsyncDir: () => { throw own; } });
    expect(() => inner.fsyncDir('/x')).toThrow(own);
    expect(() => describedFs(inner).fsyncDir('/x')).toThrow(own);
  });
});
