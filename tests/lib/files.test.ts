import fs = require('fs');
import * as path from 'path';
import { fsyncDir, readStdin, readTextFile, writeFileAtomically } from '../../lib/files';
import { CHANGED_WHILE_READ_FIX } from '../../lib/helm/regular-file';
import { tmpDir } from '../helpers';

const OPTIONS = { maxBytes: 16, fix: 'write a shorter one' };

afterEach(() => jest.restoreAllMocks());

describe('readTextFile', () => {
  test('reads a regular file, or a link to one, up to the limit', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'x: ü\n');
    fs.symlinkSync('a.yaml', path.join(dir, 'link.yaml'));
    fs.writeFileSync(path.join(dir, 'full.yaml'), 'x'.repeat(16));
    expect(readTextFile(path.join(dir, 'a.yaml'), 'configuration file', OPTIONS)).toBe('x: ü\n');
    expect(readTextFile(path.join(dir, 'link.yaml'), 'configuration file', OPTIONS)).toBe('x: ü\n');
    expect(readTextFile(path.join(dir, 'full.yaml'), 'configuration file', OPTIONS)).toBe('x'.repeat(16));
  });

  test('names what the file is, the path, what is wrong and the fix', () => {
    const dir = tmpDir();
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, 'x'.repeat(17));
    expect(() => readTextFile(big, 'configuration file', OPTIONS)).toThrow(
      new Error(`configuration file ${big} is 17 bytes, more than the limit of 16 bytes: write a shorter one`));
    expect(() => readTextFile(dir, 'configuration file', OPTIONS)).toThrow(
      new Error(`configuration file ${dir} is a folder, not a regular file: write a shorter one`));
  });

  test('a file that changes while it is read gets the fix for that, not the caller\'s', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    const real = fs.fstatSync;
    jest.spyOn(fs, 'fstatSync').mockImplementation(((fd: number) => ({ ...real(fd), ino: -1, isFile: () => true })) as typeof fs.fstatSync);
    expect(() => readTextFile(file, 'configuration file', OPTIONS)).toThrow(
      new Error(`configuration file ${file} changed while it was read (now a regular file): ${CHANGED_WHILE_READ_FIX}`));
  });

  test('an error that is not a refusal passes through as it is', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'x: 1\n');
    const failure = new Error('disk on fire');
    jest.spyOn(fs, 'readSync').mockImplementation(() => { throw failure; });
    expect(() => readTextFile(file, 'configuration file', OPTIONS)).toThrow(failure);
  });
});

describe('writeFileAtomically', () => {
  test('creates a file with mode 0644, and replaces one keeping its mode; no temporary file is left', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'out.yaml');
    writeFileAtomically(file, 'one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('one\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o644 & ~process.umask());
    fs.chmodSync(file, 0o600);
    writeFileAtomically(file, 'two\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('two\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    writeFileAtomically(file, 'three\n', { mode: 0o640 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o640 & ~process.umask());
    expect(fs.readdirSync(dir)).toEqual(['out.yaml']);
  });

  test('with noClobber creates a file, and refuses one that exists, leaving it and nothing else', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'key');
    writeFileAtomically(file, 'first', { mode: 0o600, noClobber: true });
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(() => writeFileAtomically(file, 'second', { mode: 0o600, noClobber: true })).toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(fs.readdirSync(dir)).toEqual(['key']);
  });

  test('a failed rename leaves the old file and removes the temporary one', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'out.yaml');
    fs.writeFileSync(file, 'old\n');
    jest.spyOn(fs, 'renameSync').mockImplementation(() => { throw new Error('EXDEV: rename refused'); });
    expect(() => writeFileAtomically(file, 'new\n')).toThrow('EXDEV: rename refused');
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(fs.readdirSync(dir)).toEqual(['out.yaml']);
  });

  test('flushes the content before the rename, and the folder after it', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'out.yaml');
    const calls: string[] = [];
    const fsync = fs.fsyncSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => { calls.push('fsync'); fsync(fd); });
    const rename = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((a, b) => { calls.push('rename'); rename(a, b); });
    writeFileAtomically(file, 'x\n');
    expect(calls).toEqual(['fsync', 'rename', 'fsync']);
  });
});

describe('fsyncDir', () => {
  test('flushes a folder, and does nothing where a folder cannot be opened', () => {
    const dir = tmpDir();
    const synced: number[] = [];
    const fsync = fs.fsyncSync;
    const close = jest.spyOn(fs, 'closeSync');
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => { synced.push(fd); fsync(fd); });
    fsyncDir(dir);
    expect(synced).toHaveLength(1);
    expect(close).toHaveBeenCalledWith(synced[0]);
    close.mockClear();
    expect(() => fsyncDir(path.join(dir, 'missing'))).not.toThrow();
    expect(synced).toHaveLength(1);
    expect(close).not.toHaveBeenCalled();
  });

  test('closes the folder when the flush fails', () => {
    const dir = tmpDir();
    const close = jest.spyOn(fs, 'closeSync');
    jest.spyOn(fs, 'fsyncSync').mockImplementation(() => { throw new Error('EINVAL'); });
    expect(() => fsyncDir(dir)).not.toThrow();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('readStdin', () => {
  const STDIN_OPTIONS = { maxBytes: 10, fix: 'pipe the file in' };
  /** fs.readSync on descriptor 0 giving `steps` in turn: a string is read, an error code is thrown. */
  function stdin(...steps: string[]): jest.SpyInstance {
    return jest.spyOn(fs, 'readSync').mockImplementation(((fd: number, buffer: Buffer) => {
      expect(fd).toBe(0);
      const step = steps.shift() ?? '';
      if (/^E[A-Z]+$/.test(step)) throw Object.assign(new Error(`${step}: failed`), { code: step });
      return buffer.write(step);
    }) as typeof fs.readSync);
  }

  test('reads every chunk until the end, retrying when no data is there yet, and stops at EOF', () => {
    stdin('abc', 'EAGAIN', 'déf', '');
    expect(readStdin('values', STDIN_OPTIONS)).toBe('abcdéf');
    stdin('abc', 'EOF', 'never read');
    expect(readStdin('values', STDIN_OPTIONS)).toBe('abc');
    stdin('');
    expect(readStdin('values', STDIN_OPTIONS)).toBe('');
  });

  test('takes up to the limit, and refuses more, naming what it reads and the fix', () => {
    stdin('12345', '67890', '');
    expect(readStdin('values', STDIN_OPTIONS)).toBe('1234567890');
    stdin('12345', '678901', '');
    expect(() => readStdin('values', STDIN_OPTIONS)).toThrow(
      new Error('values: standard input has more than the 10 bytes it may have: pipe the file in'));
  });

  test('an input that cannot be read is named with its code', () => {
    stdin('ab', 'EISDIR');
    expect(() => readStdin('values', STDIN_OPTIONS)).toThrow(
      new Error('values: standard input cannot be read (EISDIR): pipe the file in'));
    jest.spyOn(fs, 'readSync').mockImplementation(() => { throw new Error('closed'); });
    expect(() => readStdin('values', STDIN_OPTIONS)).toThrow(new Error('values: standard input cannot be read (closed): pipe the file in'));
  });
});

describe('writeFileAtomically, the descriptor', () => {
  test('is closed when the write fails, and the cut-short temporary file is removed', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'f'), 'old');
    const close = jest.spyOn(fs, 'closeSync');
    jest.spyOn(fs, 'writeSync').mockImplementationOnce(() => { throw new Error('ENOSPC'); });
    expect(() => writeFileAtomically(path.join(dir, 'f'), 'x')).toThrow('ENOSPC');
    expect(close).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(dir)).toEqual(['f']);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
  });
});
