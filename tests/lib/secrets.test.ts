import * as fs from 'fs';
import * as path from 'path';
import { deriveSecret, loadInstallationKey } from '../../lib';
import { peekInstallationKey } from '../../lib/secrets';
import { tmpDir } from '../helpers';

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
