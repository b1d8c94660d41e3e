import * as fs from 'fs';
import * as path from 'path';
import { deriveSecret, loadInstallationKey, peekInstallationKey } from '../../lib/secrets';
import { tmpDir } from '../helpers';

/** A key file of the test's own that does not exist: code that wrongly creates it (a mutant) writes there, not on the machine. */
const ABSENT_KEY = path.join(tmpDir(), 'absent', 'key');

describe('installation key', () => {
  test('is created once, private to the user, and read back after', () => {
    const file = path.join(tmpDir(), 'sub', '.platform-key');
    const first = loadInstallationKey({ file });
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadInstallationKey({ file })).toEqual({ key: first.key, source: file, created: false });
  });

  test('an explicit key wins over the file', () => {
    const file = path.join(tmpDir(), '.platform-key');
    expect(loadInstallationKey({ explicit: 'a'.repeat(64), explicitName: 'PLATFORM_KEY', file }).key).toBe('a'.repeat(64));
    expect(fs.existsSync(file)).toBe(false);
  });

  test('fails on an explicit key that is not 64 hex digits, naming the variable and the fix', () => {
    expect(() => loadInstallationKey({ explicit: 'secret', explicitName: 'PLATFORM_KEY', file: '/x' })).toThrow(
      'PLATFORM_KEY is not 64 lowercase hex digits: generate one with `openssl rand -hex 32`');
  });

  test('fails on a damaged key file instead of replacing it', () => {
    const file = path.join(tmpDir(), '.platform-key');
    fs.writeFileSync(file, 'oops');
    expect(() => loadInstallationKey({ file })).toThrow(`installation key file ${file} does not hold 64 lowercase hex digits`);
    expect(fs.readFileSync(file, 'utf8')).toBe('oops');
  });

  test('derived secrets are stable per purpose and key, and differ across purposes and keys', () => {
    const k = 'b'.repeat(64);
    expect(deriveSecret(k, 'a')).toBe(deriveSecret(k, 'a'));
    expect(deriveSecret(k, 'a')).not.toBe(deriveSecret(k, 'b'));
    expect(deriveSecret('c'.repeat(64), 'a')).not.toBe(deriveSecret(k, 'a'));
    expect(deriveSecret(k, 'a', 32)).toHaveLength(32);
  });
});

describe('installation key, the edges', () => {
  test('an empty explicit key counts as unset: the key file is used', () => {
    const file = path.join(tmpDir(), '.platform-key');
    fs.writeFileSync(file, `${'d'.repeat(64)}\n`);
    expect(loadInstallationKey({ explicit: '', explicitName: 'PLATFORM_KEY', file })).toEqual({ key: 'd'.repeat(64), source: file, created: false });
  });

  test.each([
    ['63 digits', 'a'.repeat(63)], ['65 digits', 'a'.repeat(65)], ['capitals', 'A'.repeat(64)], ['a digit too many after a newline', `${'a'.repeat(64)}\na`],
  ])('fails on an explicit key of %s', (_what, key) => {
    expect(() => loadInstallationKey({ explicit: key, explicitName: 'PLATFORM_KEY', file: ABSENT_KEY })).toThrow(
      new Error('PLATFORM_KEY is not 64 lowercase hex digits: generate one with `openssl rand -hex 32`'));
  });

  test('names "the installation key" when the caller gives no variable name', () => {
    expect(() => loadInstallationKey({ explicit: 'x', file: ABSENT_KEY })).toThrow(
      new Error('the installation key is not 64 lowercase hex digits: generate one with `openssl rand -hex 32`'));
    expect(loadInstallationKey({ explicit: 'e'.repeat(64), file: ABSENT_KEY }).source).toBe('explicit');
  });

  test('a key file with 65 digits is damaged, not cut to 64', () => {
    const file = path.join(tmpDir(), '.platform-key');
    fs.writeFileSync(file, 'a'.repeat(65));
    expect(() => loadInstallationKey({ file })).toThrow(`installation key file ${file} does not hold 64 lowercase hex digits`);
  });

  test('a key file that is a folder is refused by its path, and nothing is created', () => {
    const file = path.join(tmpDir(), '.platform-key');
    fs.mkdirSync(file);
    expect(() => loadInstallationKey({ file })).toThrow(new Error(
      `installation key file ${file} is a folder, not a regular file: restore the key file (64 hex digits) from your backup, or set PLATFORM_KEY`));
  });
});

describe('deriveSecret, the edges', () => {
  test('is HMAC-SHA256 of the purpose under the key, as hex (the key keys, the purpose is the message)', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expect(deriveSecret('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  test('takes 1 to 64 hex digits and refuses 0 and 65, naming the number', () => {
    expect(deriveSecret('k', 'p', 1)).toHaveLength(1);
    expect(deriveSecret('k', 'p', 64)).toHaveLength(64);
    expect(() => deriveSecret('k', 'p', 0)).toThrow(new Error('cannot derive 0 hex digits: use 1 to 64'));
    expect(() => deriveSecret('k', 'p', 65)).toThrow(new Error('cannot derive 65 hex digits: use 1 to 64'));
    expect(() => deriveSecret('k', 'p', 100)).toThrow(new Error('cannot derive 100 hex digits: use 1 to 64'));
  });
});

describe('peekInstallationKey', () => {
  test('gives the key loadInstallationKey would give, and nothing where it would create one or fail, creating nothing', () => {
    const dir = tmpDir();
    const file = path.join(dir, '.platform-key');
    expect(peekInstallationKey({ file })).toBeUndefined();
    expect(fs.existsSync(file)).toBe(false);
    expect(peekInstallationKey({ explicit: 'ab'.repeat(32), file })).toBe('ab'.repeat(32));
    expect(peekInstallationKey({ explicit: 'not a key', file })).toBeUndefined();
    const { key } = loadInstallationKey({ file });
    expect(peekInstallationKey({ file })).toBe(key);
    expect(peekInstallationKey({ explicit: '', file })).toBe(key);
    fs.writeFileSync(file, 'damaged\n');
    expect(peekInstallationKey({ file })).toBeUndefined();
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(peekInstallationKey({ file })).toBeUndefined();
  });
});

describe('installation key, what loadInstallationKey reports', () => {
  test('an explicit key is reported as given, by its variable, not created', () => {
    const file = path.join(tmpDir(), '.platform-key');
    expect(loadInstallationKey({ explicit: 'f'.repeat(64), explicitName: 'PLATFORM_KEY', file })).toEqual({ key: 'f'.repeat(64), source: 'PLATFORM_KEY', created: false });
    expect(loadInstallationKey({ explicit: 'f'.repeat(64), file })).toEqual({ key: 'f'.repeat(64), source: 'explicit', created: false });
  });

  test('a key file another process creates between the check and the write is never overwritten: its key is used, and no temporary file is left', () => {
    const dir = tmpDir();
    const file = path.join(dir, '.platform-key');
    const theirs = `${'c'.repeat(64)}\n`;
    fs.writeFileSync(file, theirs);
    // The other process's file appears just after this one looked for it.
    const existsSync = jest.spyOn(require('fs') as typeof fs, 'existsSync').mockImplementationOnce(() => false);
    try {
      expect(loadInstallationKey({ file })).toEqual({ key: 'c'.repeat(64), source: file, created: false });
    } finally {
      existsSync.mockRestore();
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
    expect(fs.readdirSync(dir)).toEqual(['.platform-key']);
  });
});

describe('installation key, a failed write', () => {
  test('another error than an existing file (a full disk) is reported as it is, not as a missing key file', () => {
    const file = path.join(tmpDir(), '.platform-key');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const write = jest.spyOn(require('../../lib/files') as typeof import('../../lib/files'), 'writeFileAtomically').mockImplementationOnce(() => {
      throw full;
    });
    try {
      expect(() => loadInstallationKey({ file })).toThrow(full);
    } finally {
      write.mockRestore();
    }
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('peekInstallationKey, the size limit', () => {
  // A key with trailing blanks: loadInstallationKey takes up to 1024 bytes and trims them.
  const keyFile = (bytes: number) => {
    const file = path.join(tmpDir(), '.platform-key');
    const key = '7'.repeat(64);
    fs.writeFileSync(file, `${key}\n${' '.repeat(bytes - 65)}`);
    expect(fs.statSync(file).size).toBe(bytes);
    return { file, key };
  };

  test('answers for a key file of exactly 1024 bytes, as loadInstallationKey reads it', () => {
    const { file, key } = keyFile(1024);
    expect(peekInstallationKey({ file })).toBe(key);
    expect(loadInstallationKey({ file })).toEqual({ key, source: file, created: false });
  });

  test('gives nothing for a key file of 1025 bytes, which loadInstallationKey refuses', () => {
    const { file } = keyFile(1025);
    expect(peekInstallationKey({ file })).toBeUndefined();
    expect(() => loadInstallationKey({ file })).toThrow(new Error(
      `installation key file ${file} is 1025 bytes, more than the limit of 1 KiB: restore the key file (64 hex digits) from your backup, or set PLATFORM_KEY`));
  });
});
