import fs = require('fs');
import * as path from 'path';
import {
  fileDigest, fileForOutput, folderForOutput, isPlainJson, keepNewest, makePrivateDir, readCheckedFile, sha256Hex, writeCacheFile, writeCheckedFile,
} from '../../lib/cache-files';
import { tmpDir } from '../helpers';

afterEach(() => jest.restoreAllMocks());

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('sha256Hex', () => {
  test('is the hex sha256 of text and of bytes', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('makePrivateDir', () => {
  test('creates a folder and its parents readable by this user only, and closes an existing open one', () => {
    const dir = path.join(tmpDir(), 'a', 'b');
    makePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
    fs.chmodSync(dir, 0o755);
    makePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
  });
});

describe('writeCacheFile', () => {
  test('writes the content 0600 in a private folder, replacing what was there, and leaves nothing else', () => {
    const dir = path.join(tmpDir(), 'cache');
    const file = path.join(dir, 'entry');
    expect(writeCacheFile(file, 'one')).toBe(true);
    expect(writeCacheFile(file, Buffer.from('two'))).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(fs.readdirSync(dir)).toEqual(['entry']);
  });

  test('returns false when it cannot write, removing its temporary file, and never throws', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'entry');
    fs.writeFileSync(file, 'old');
    jest.spyOn(fs, 'renameSync').mockImplementation(() => { throw new Error('EROFS'); });
    expect(writeCacheFile(file, 'new')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['entry']);
    jest.spyOn(fs, 'rmSync').mockImplementation(() => { throw new Error('EROFS'); });
    expect(writeCacheFile(file, 'new')).toBe(false);
  });
});

describe('writeCheckedFile and readCheckedFile', () => {
  test('a body written whole reads back; the file starts with the body\'s digest on a line of its own', () => {
    const file = path.join(tmpDir(), 'entry');
    expect(writeCheckedFile(file, 'body\nwith lines\n')).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${sha256Hex('body\nwith lines\n')}\nbody\nwith lines\n`);
    expect(readCheckedFile(file)).toBe('body\nwith lines\n');
    writeCheckedFile(file, '');
    expect(readCheckedFile(file)).toBe('');
  });

  test('a missing, cut, damaged or foreign file reads as nothing', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'entry');
    expect(readCheckedFile(file)).toBeUndefined();
    expect(readCheckedFile(dir)).toBeUndefined();
    writeCheckedFile(file, 'a body of some length');
    const whole = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, whole.slice(0, -3));
    expect(readCheckedFile(file)).toBeUndefined();
    fs.writeFileSync(file, whole.replace('body', 'bodY'));
    expect(readCheckedFile(file)).toBeUndefined();
    fs.writeFileSync(file, `x${whole}`);
    expect(readCheckedFile(file)).toBeUndefined();
    fs.writeFileSync(file, whole.slice(1));
    expect(readCheckedFile(file)).toBeUndefined();
    fs.writeFileSync(file, 'no digest line');
    expect(readCheckedFile(file)).toBeUndefined();
    // The digest right, but not on a line of its own.
    fs.writeFileSync(file, `${sha256Hex('a body of some length')} a body of some length`);
    expect(readCheckedFile(file)).toBeUndefined();
  });
});

describe('fileDigest', () => {
  test('is the sha256 of the bytes, or undefined for what cannot be read', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'f'), 'abc');
    expect(fileDigest(path.join(dir, 'f'))).toBe(sha256Hex('abc'));
    expect(fileDigest(path.join(dir, 'missing'))).toBeUndefined();
    expect(fileDigest(dir)).toBeUndefined();
  });
});

describe('isPlainJson', () => {
  test.each([
    [null, true], ['s', true], [true, true], [false, true], [0, true], [1.5, true], [-3, true], [[1, 'a', [null]], true], [{ a: { b: [1] } }, true], [{}, true], [[], true],
    [undefined, false], [NaN, false], [Infinity, false], [-Infinity, false], [-0, false], [new Date(0), false], [Buffer.from('a'), false],
    [[1, undefined], false], [{ a: undefined }, false], [{ a: { b: NaN } }, false], [[{ a: -0 }], false], [Object.create(null), false], [() => 1, false],
    [Symbol('s'), false], [BigInt(1), false], [new Map(), false],
  ])('%p: %s', (value, plain) => {
    expect(isPlainJson(value)).toBe(plain);
  });
});

describe('the cache files of an output folder', () => {
  test('are named by the digest of its absolute path, whichever way it is written', () => {
    const dir = tmpDir();
    const outdir = path.join(tmpDir(), 'dist');
    const digest = sha256Hex(outdir);
    expect(fileForOutput(dir, outdir)).toBe(path.join(dir, `${digest}.json`));
    expect(folderForOutput(dir, outdir)).toBe(path.join(dir, digest));
    expect(fileForOutput(dir, `${outdir}/../dist/`)).toBe(path.join(dir, `${digest}.json`));
    expect(folderForOutput(dir, path.relative(process.cwd(), outdir))).toBe(path.join(dir, digest));
  });
});

describe('keepNewest', () => {
  const name = (c: string) => `${c.repeat(64)}.json`;

  test('keeps the newest entries named like the cache\'s, folders included, and leaves other names alone', () => {
    const dir = tmpDir();
    const names = ['a', 'b', 'c', 'd'].map(name);
    names.forEach((n, i) => {
      fs.writeFileSync(path.join(dir, n), '{}');
      fs.utimesSync(path.join(dir, n), 1000 + i, 1000 + i);
    });
    fs.writeFileSync(path.join(dir, 'notes.json'), '');
    fs.writeFileSync(path.join(dir, `${'a'.repeat(63)}.json`), '');
    fs.writeFileSync(path.join(dir, `${'a'.repeat(64)}.json.tmp`), '');
    fs.writeFileSync(path.join(dir, `backup-${'a'.repeat(64)}.json`), '');
    keepNewest(dir, 2);
    expect(fs.readdirSync(dir).sort()).toEqual([`${'a'.repeat(63)}.json`, `${'a'.repeat(64)}.json.tmp`, `backup-${'a'.repeat(64)}.json`, name('c'), name('d'), 'notes.json'].sort());
  });

  test('given a pattern, keeps by that, removing folders whole', () => {
    const dir = tmpDir();
    for (const [i, n] of ['x1', 'x2', 'x3', 'y'].entries()) {
      fs.mkdirSync(path.join(dir, n, 'inner'), { recursive: true });
      fs.utimesSync(path.join(dir, n), 1000 + i, 1000 + i);
    }
    keepNewest(dir, 1, /^x\d$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['x3', 'y']);
    keepNewest(dir, 0, /^x\d$/);
    expect(fs.readdirSync(dir)).toEqual(['y']);
  });

  test('a folder that cannot be listed is left as it is, without an error', () => {
    expect(() => keepNewest(path.join(tmpDir(), 'missing'), 1)).not.toThrow();
  });
});
