import { execFileSync } from 'child_process';
import fs = require('fs');
import * as net from 'net';
import * as path from 'path';
import { FileRefused, kindOf, readRegularFile } from '../../../lib/helm/regular-file';
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

/** What readRegularFile throws for `file`, or undefined. */
function refusal(file: string, options: { maxBytes: number; within?: string }): { message: string; reason: string } | undefined {
  try {
    readRegularFile(file, options);
  } catch (e) {
    return { message: (e as FileRefused).message, reason: (e as FileRefused).reason };
  }
  return undefined;
}

/** The file descriptors this process holds open. */
const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('readRegularFile, more refusals', () => {
  afterEach(() => jest.restoreAllMocks());
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'inside');
  });

  test('fails on a path through a file, as a file that is not there', () => {
    const file = path.join(dir, 'ok.txt', 'x');
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} does not exist`, reason: 'missing' });
  });

  test('fails on a symlink that loops, naming where it leads', () => {
    fs.symlinkSync('b', path.join(dir, 'a'));
    fs.symlinkSync('a', path.join(dir, 'b'));
    const file = path.join(dir, 'a');
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} is a symlink to b, which is a symlink that loops`, reason: 'not-a-file' });
  });

  test('fails on a path the system cannot look up, with the system\'s words', () => {
    const file = path.join(dir, 'x'.repeat(300));
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} cannot be read (ENAMETOOLONG: name too long, lstat '${file}')`, reason: 'unreadable' });
  });

  test('fails on a file the system does not let it open (EPERM), saying permission denied', () => {
    const file = path.join(dir, 'ok.txt');
    const denied = Object.assign(new Error(`EPERM: operation not permitted, open '${file}'`), { code: 'EPERM' });
    jest.spyOn(fs, 'openSync').mockImplementationOnce(() => { throw denied; });
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} cannot be read: permission denied`, reason: 'unreadable' });
  });

  test('fails on the folder it must stay in, and on the folder above it, as outside', () => {
    const up = path.join(dir, '..');
    expect([refusal(dir, { maxBytes: 100, within: dir }), refusal(up, { maxBytes: 100, within: dir })]).toEqual([
      { message: `${dir} is outside ${dir}`, reason: 'outside' },
      { message: `${up} is outside ${dir}`, reason: 'outside' },
    ]);
  });

  test('fails on a symlink whose target goes away while it is checked, naming where it led', () => {
    const link = path.join(dir, 'link');
    fs.symlinkSync('ok.txt', link);
    const real = path.join(fs.realpathSync(dir), 'ok.txt');
    const statSync = fs.statSync;
    jest.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, ...rest: any[]) => {
      if (String(p) === real) fs.rmSync(real);
      return (statSync as any)(p, ...rest);
    }) as typeof fs.statSync);
    expect(refusal(link, { maxBytes: 100 })).toEqual({ message: `${link} is a symlink to ${real}, which does not exist`, reason: 'missing' });
  });

  /** Runs `change` on the file's real path just before readRegularFile opens it: another process at work. */
  const beforeOpen = (change: (real: string) => void) => {
    const openSync = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementationOnce(((p: fs.PathLike, ...rest: any[]) => {
      change(String(p));
      return (openSync as any)(p, ...rest);
    }) as typeof fs.openSync);
  };

  test('fails on a file replaced by another between the checks and the open, closing what it opened', () => {
    const file = path.join(dir, 'ok.txt');
    beforeOpen((real) => {
      fs.writeFileSync(`${real}.new`, 'replaced');
      fs.renameSync(`${real}.new`, real);
    });
    const fds = openFds();
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} changed while it was read (now a regular file)`, reason: 'changed' });
    expect(openFds()).toBe(fds);
  });

  test('fails on a file replaced by a named pipe between the checks and the open, without blocking', () => {
    const file = path.join(dir, 'ok.txt');
    beforeOpen((real) => {
      fs.rmSync(real);
      execFileSync('mkfifo', [real]);
    });
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} changed while it was read (now a named pipe (FIFO))`, reason: 'changed' });
  });

  test('fails on a file that grew past the limit between the checks and the open', () => {
    const file = path.join(dir, 'ok.txt');
    beforeOpen((real) => fs.appendFileSync(real, 'x'.repeat(200)));
    expect(refusal(file, { maxBytes: 100 })).toEqual({ message: `${file} is 206 bytes, more than the limit of 100 bytes`, reason: 'too-large' });
  });

  test('fails on a file that holds more than its size says (/proc), having read no more than the limit and one byte', () => {
    const readSync = fs.readSync;
    let read = 0;
    jest.spyOn(fs, 'readSync').mockImplementation(((...args: any[]) => {
      const n = (readSync as any)(...args);
      read += n;
      return n;
    }) as typeof fs.readSync);
    const fds = openFds();
    expect(refusal('/proc/self/status', { maxBytes: 100 })).toEqual({ message: '/proc/self/status grew past the limit of 100 bytes while it was read', reason: 'too-large' });
    expect(read).toBe(101);
    expect(openFds()).toBe(fds);
  });

  test('a file read whole leaves no file open', () => {
    const fds = openFds();
    expect(readRegularFile(path.join(dir, 'ok.txt'), { maxBytes: 100 }).toString()).toBe('inside');
    expect(openFds()).toBe(fds);
  });
});

describe('kindOf', () => {
  /** Stats that are only `kind`, as fs.lstatSync gives them for a kind no test can make (a block device). */
  const only = (kind?: string) => Object.fromEntries(['isFile', 'isDirectory', 'isFIFO', 'isCharacterDevice', 'isBlockDevice', 'isSocket', 'isSymbolicLink']
    .map((is) => [is, () => is === kind])) as unknown as fs.Stats;

  test('names each kind of file', async () => {
    const dir = tmpDir();
    const socket = path.join(dir, 'sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      fs.symlinkSync('sock', path.join(dir, 'link'));
      expect([
        kindOf(fs.statSync(socket)), kindOf(fs.lstatSync(path.join(dir, 'link'))), kindOf(fs.statSync('/dev/null')),
        kindOf(only('isBlockDevice')), kindOf(only()),
      ]).toEqual(['a socket', 'a symlink', 'a character device', 'a block device', 'not a regular file']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
