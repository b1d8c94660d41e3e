import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FileRefused, readRegularFile } from '../../../lib/helm/regular-file';
import { RUNNING_AS_ROOT, tmpDir } from '../../helpers';

describe('readRegularFile', () => {
  afterEach(() => jest.restoreAllMocks());
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = tmpDir();
    outside = tmpDir();
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'inside');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside');
  });

  test('reads a regular file, and a symlink to a regular file inside the folder', () => {
    fs.symlinkSync('ok.txt', path.join(dir, 'link.txt'));
    expect(readRegularFile(path.join(dir, 'ok.txt'), { maxBytes: 100, within: dir }).toString()).toBe('inside');
    expect(readRegularFile(path.join(dir, 'link.txt'), { maxBytes: 100, within: dir }).toString()).toBe('inside');
  });

  test('reads a file of exactly the limit', () => {
    fs.writeFileSync(path.join(dir, 'ten'), '0123456789');
    expect(readRegularFile(path.join(dir, 'ten'), { maxBytes: 10 }).length).toBe(10);
  });

  const cases: Array<[string, () => string, string | ((f: string) => string), FileRefused['reason']]> = [
    ['a named pipe', () => { const f = path.join(dir, 'fifo'); execFileSync('mkfifo', [f]); return f; }, (f) => `${f} is a named pipe (FIFO), not a regular file`, 'not-a-file'],
    ['a folder', () => { const f = path.join(dir, 'sub'); fs.mkdirSync(f); return f; }, (f) => `${f} is a folder, not a regular file`, 'not-a-file'],
    ['a symlink to /dev/zero', () => { const f = path.join(dir, 'zero'); fs.symlinkSync('/dev/zero', f); return f; }, (f) => `${f} is a symlink to /dev/zero, which is a character device, not a regular file`, 'not-a-file'],
    ['a symlink to a pipe', () => { execFileSync('mkfifo', [path.join(dir, 'p')]); const f = path.join(dir, 'l'); fs.symlinkSync('p', f); return f; }, (f) => `${f} is a symlink to ${path.join(fs.realpathSync(dir), 'p')}, which is a named pipe (FIFO), not a regular file`, 'not-a-file'],
    ['a symlink to nothing', () => { const f = path.join(dir, 'dangling'); fs.symlinkSync('gone.txt', f); return f; }, (f) => `${f} is a symlink to gone.txt, which does not exist`, 'missing'],
    ['a file that is not there', () => path.join(dir, 'absent'), (f) => `${f} does not exist`, 'missing'],
    ['a file over the limit', () => { const f = path.join(dir, 'big'); fs.writeFileSync(f, 'x'.repeat(11)); return f; }, (f) => `${f} is 11 bytes, more than the limit of 10 bytes`, 'too-large'],
  ];
  test.each(cases)('fails on %s, naming it', (_name, make, message, reason) => {
    const file = make();
    const started = Date.now();
    const e = (() => { try { readRegularFile(file, { maxBytes: 10 }); } catch (err) { return err as FileRefused; } return undefined; })();
    expect(e?.message).toBe(typeof message === 'string' ? message : message(file));
    expect(e?.reason).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('fails on a symlink that leads out of the folder it must stay in, naming where it leads', () => {
    const link = path.join(dir, 'escape.txt');
    fs.symlinkSync(path.join(outside, 'secret.txt'), link);
    expect(() => readRegularFile(link, { maxBytes: 100, within: dir })).toThrow(`${link} leads to ${path.join(fs.realpathSync(outside), 'secret.txt')}, outside ${dir}`);
  });

  test('fails on a path that climbs out of the folder with ../, before looking at it', () => {
    const file = path.join(dir, '..', path.basename(outside), 'secret.txt');
    expect(() => readRegularFile(file, { maxBytes: 100, within: dir })).toThrow(`${file} is outside ${dir}`);
  });

  test(`fails on a file it may not read, saying so${RUNNING_AS_ROOT ? ' (the error is injected: root reads anything)' : ''}`, () => {
    const file = path.join(dir, 'ok.txt');
    if (RUNNING_AS_ROOT) {
      const denied = Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
      // The module object itself: the namespace import is a read-only view of it.
      jest.spyOn(require('fs') as typeof fs, 'openSync').mockImplementationOnce(() => { throw denied; });
    } else {
      fs.chmodSync(file, 0);
    }
    expect(() => readRegularFile(file, { maxBytes: 100 })).toThrow(`${file} cannot be read: permission denied`);
  });
});
