import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChartStore, exists, mirrorRoute, readChartArchive, unpinnedNotice } from '../../../lib/helm/store';
import { LockedChart } from '../../../lib/helm/lock';
import { packageChart, RUNNING_AS_ROOT, tmpDir } from '../../helpers';

const chart = (sha256?: string, c: Partial<LockedChart> = {}): LockedChart => ({ key: 'demo', repo: 'https://charts.example.com', chart: 'demo', version: '1.2.3', sha256, ...c });
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const PULL = 'delete it and run `npm run charts:pull` to fetch the published archive';
const OFFLINE = 'offline, `npm run charts:pull -- --from DIR` copies them from a folder DIR';

describe('ChartStore', () => {
  afterEach(() => jest.restoreAllMocks());
  let store: ChartStore;
  let file: string;
  let archive: string;
  beforeAll(() => {
    archive = packageChart('crds-dir', tmpDir(), { name: 'demo', version: '1.2.3' });
  });
  beforeEach(() => {
    store = new ChartStore(tmpDir());
    file = path.join(store.dir, 'demo-1.2.3.tgz');
  });

  test('archives keep helm\'s own file names', () => {
    expect(store.pathOf(chart())).toBe(file);
  });

  test('an archive matching the lock passes, pinned, with the bytes it checked', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart(sha256(file)))).toEqual({ file, sha256: sha256(file), content: fs.readFileSync(file), pinned: true });
  });

  test('the lock\'s digest is compared without regard to case', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart(sha256(file).toUpperCase())).pinned).toBe(true);
  });

  test('a symlink to an archive inside the store is followed', () => {
    fs.copyFileSync(archive, path.join(store.dir, 'real.tgz'));
    fs.symlinkSync('real.tgz', file);
    expect(store.check(chart(sha256(archive))).sha256).toBe(sha256(archive));
  });

  test('an archive the lock has no digest for passes, not pinned, and says nothing itself', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart())).toEqual({ file, sha256: sha256(file), content: fs.readFileSync(file), pinned: false });
  });

  test('fails on a missing archive, naming the chart, the file and the fixes online and offline', () => {
    expect(() => store.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} is not in the chart store: ` +
      `run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to a folder that holds it`));
  });

  test('fails on a missing store, saying it is the store that is missing', () => {
    const gone = new ChartStore(path.join(store.dir, 'nope'));
    expect(() => gone.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): the chart store ${gone.dir} does not exist: ` +
      `run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to the folder that holds the archives`));
  });

  test('fails on a digest mismatch, naming both digests and both ways out: the published archive, or a mirror lock with its commands', () => {
    fs.copyFileSync(archive, file);
    const mirror = path.join(store.dir, 'mirror-lock.yaml');
    expect(() => store.check(chart('0'.repeat(64)))).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} has sha256 ${sha256(file)}, the lock records ${'0'.repeat(64)}: ` +
      'to use the published archive, run `npm run charts:pull`, which replaces this copy; if the store holds archives you re-packaged or mirrored, pin them in a lock of their own: ' +
      `\`CHART_STORE=${store.dir} npm run charts:pull -- --mirror-lock ${mirror}\`, then \`CHART_STORE=${store.dir} CHART_LOCK=${mirror} npm run synth\``));
  });

  test('the mirror route names the folder to copy from when there is one', () => {
    expect(mirrorRoute('/s', '/media/charts')).toBe(
      '`CHART_STORE=/s npm run charts:pull -- --mirror-lock /s/mirror-lock.yaml --from /media/charts`, then `CHART_STORE=/s CHART_LOCK=/s/mirror-lock.yaml npm run synth`');
  });

  test('find tells nothing, an archive with its digest, and an unusable file apart, without judging against the lock', () => {
    expect(store.find(chart('0'.repeat(64)))).toEqual({ found: 'none' });
    fs.copyFileSync(archive, file);
    expect(store.find(chart('0'.repeat(64)))).toEqual({ found: 'archive', sha256: sha256(archive), content: fs.readFileSync(archive) });
    fs.writeFileSync(file, '<html>rate limited</html>');
    expect(store.find(chart())).toEqual({ found: 'unusable', problem: 'it is not a usable chart archive: it is not gzip-compressed, so not a chart archive' });
  });

  test('an archive found to be a chart archive before is not unpacked again; one that passes is added, one that fails is not', () => {
    const checked = new Set<string>();
    const record = { has: (k: string) => checked.has(k), add: (k: string) => void checked.add(k) };
    fs.copyFileSync(archive, file);
    store.check(chart(sha256(archive)), record);
    expect([...checked]).toEqual([`${sha256(archive)} demo ${100 * 1024 * 1024}`]);
    // Bytes that are no chart archive: refused, and not added.
    fs.writeFileSync(file, '<html>rate limited</html>');
    const bad = sha256(file);
    expect(() => store.check(chart(), record)).toThrow('is not a usable chart archive: it is not gzip-compressed, so not a chart archive');
    expect(checked.size).toBe(1);
    // What the record holds passes as it is: the same bytes passed before.
    checked.add(`${bad} demo ${100 * 1024 * 1024}`);
    expect(store.check(chart(), record)).toMatchObject({ sha256: bad, pinned: false });
    // Held for another chart, or within another limit, it is unpacked again.
    fs.copyFileSync(file, path.join(store.dir, 'other-1.2.3.tgz'));
    expect(() => store.check(chart(undefined, { chart: 'other', key: 'other' }), record)).toThrow('is not a usable chart archive');
    expect(() => new ChartStore(store.dir, { maxUnpackedBytes: 1024 }).check(chart(), record)).toThrow('is not a usable chart archive');
  });

  test('put writes the archive in place with the usual mode, replacing what was there, and leaves nothing else in the store', () => {
    const fresh = new ChartStore(path.join(tmpDir(), 'new-store'));
    fs.mkdirSync(fresh.dir);
    fs.writeFileSync(fresh.pathOf(chart()), 'old and damaged');
    const content = fs.readFileSync(archive);
    expect(fresh.put(chart(), content)).toBe(fresh.pathOf(chart()));
    expect(fs.readFileSync(fresh.pathOf(chart()))).toEqual(content);
    expect(fs.statSync(fresh.pathOf(chart())).mode & 0o777).toBe(0o644);
    expect(fs.readdirSync(fresh.dir)).toEqual(['demo-1.2.3.tgz']);
  });

  test('put removes what a killed put left half-written in the store', () => {
    const dead = spawnSync('true').pid!;
    const left = path.join(store.dir, '.incoming', `run-${dead}-Ab12Cd`);
    fs.mkdirSync(left, { recursive: true });
    fs.writeFileSync(path.join(left, 'demo-1.2.3.tgz'), fs.readFileSync(archive).subarray(0, 100));
    store.put(chart(), fs.readFileSync(archive));
    expect(fs.readdirSync(store.dir)).toEqual(['demo-1.2.3.tgz']);
  });

  test('put creates a missing store as an ordinary folder, not a private one', () => {
    const fresh = new ChartStore(path.join(tmpDir(), 'a', 'store'));
    fresh.put(chart(), fs.readFileSync(archive));
    expect(fs.statSync(fresh.dir).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  test('fails to put an archive where a folder is, saying so, and leaves no partial copy', () => {
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'mine'), 'not the tool\'s');
    expect(() => store.put(chart(), fs.readFileSync(archive))).toThrow(new Error(`chart "demo" (demo 1.2.3): the archive cannot be put at ${file} (EISDIR): ` +
      'that path must be free or hold an archive; move what is there out of the chart store'));
    expect(fs.readdirSync(store.dir)).toEqual(['demo-1.2.3.tgz']);
    expect(fs.readdirSync(file)).toEqual(['mine']);
  });

  test('the notice names every archive without a digest in one line, and is nothing when there are none', () => {
    expect(unpinnedNotice(['base-1.30.3.tgz', 'istiod-1.30.3.tgz', 'gateway-1.30.3.tgz'])).toBe(
      'notice: the lock pins no digest for base-1.30.3.tgz, istiod-1.30.3.tgz, gateway-1.30.3.tgz; `npm run charts:pull` records them when it downloads them');
    expect(unpinnedNotice([])).toBeUndefined();
  });

  test(`fails on an archive it may not read, saying so${RUNNING_AS_ROOT ? ' (the error is injected: root reads anything)' : ''}`, () => {
    fs.copyFileSync(archive, file);
    if (RUNNING_AS_ROOT) {
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      jest.spyOn(require('fs') as typeof fs, 'openSync').mockImplementationOnce(() => { throw denied; });
    } else {
      fs.chmodSync(file, 0);
    }
    expect(() => store.check(chart())).toThrow(`chart "demo" (demo 1.2.3): archive ${file} cannot be read: permission denied: make the chart store and the archive readable by this user`);
  });

  test(`fails on a store it may not read, saying so${RUNNING_AS_ROOT ? ' (the error is injected: root reads anything)' : ''}`, () => {
    if (RUNNING_AS_ROOT) {
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      jest.spyOn(require('fs') as typeof fs, 'statSync').mockImplementationOnce(() => { throw denied; });
    } else {
      fs.chmodSync(store.dir, 0);
    }
    expect(() => store.check(chart())).toThrow(`chart "demo" (demo 1.2.3): the chart store ${store.dir} cannot be read: permission denied: make it readable by this user`);
  });

  const refused: Array<[string, (s: ChartStore, f: string) => LockedChart, (s: ChartStore, f: string) => string]> = [
    ['a named pipe', (_s, f) => { execFileSync('mkfifo', [f]); return chart(); },
      (_s, f) => `chart "demo" (demo 1.2.3): archive ${f} is a named pipe (FIFO), not a regular file: put the archive itself there: ${PULL}`],
    ['a folder', (_s, f) => { fs.mkdirSync(f); return chart(); },
      (_s, f) => `chart "demo" (demo 1.2.3): archive ${f} is a folder, not a regular file: put the archive itself there: ${PULL}`],
    ['a symlink to /dev/zero', (_s, f) => { fs.symlinkSync('/dev/zero', f); return chart(); },
      (s, f) => `chart "demo" (demo 1.2.3): archive ${f} leads to /dev/zero, outside ${s.dir}: the archives of the chart store stay in it: put the archive itself there (${PULL})`],
    ['a symlink out of the store', (_s, f) => { fs.symlinkSync(archive, f); return chart(); },
      (s, f) => `chart "demo" (demo 1.2.3): archive ${f} leads to ${fs.realpathSync(archive)}, outside ${s.dir}: the archives of the chart store stay in it: put the archive itself there (${PULL})`],
    ['a chart name with ../ (a lock that was not checked)', () => chart(undefined, { chart: '../outside/metallb' }),
      (s) => `chart "demo" (../outside/metallb 1.2.3): archive name "../outside/metallb-1.2.3.tgz" is not a file name in the chart store ${s.dir}: fix the chart's name and version in the lock`],
    ['a version with ../ (a lock that was not checked)', () => chart(undefined, { version: '1/../../x' }),
      (s) => `chart "demo" (demo 1/../../x): archive name "demo-1/../../x.tgz" is not a file name in the chart store ${s.dir}: fix the chart's name and version in the lock`],
    ['an archive larger than the limit', (_s, f) => { fs.writeFileSync(f, Buffer.alloc(2048)); return chart(); },
      (_s, f) => `chart "demo" (demo 1.2.3): archive ${f} is 2048 bytes, more than the limit of 1 KiB: chart archives are far smaller; ${PULL}`],
    ['an archive with one flipped byte and no digest in the lock', (_s, f) => {
      const bytes = fs.readFileSync(archive);
      bytes[bytes.length - 6] ^= 0x01;
      fs.writeFileSync(f, bytes);
      return chart();
    }, (_s, f) => `chart "demo" (demo 1.2.3): archive ${f} is not a usable chart archive: its gzip data is damaged (incorrect data check); ${PULL}`],
    ['an archive of another chart', (_s, f) => { fs.copyFileSync(packageChart('broken', tmpDir()), f); return chart(); },
      (_s, f) => `chart "demo" (demo 1.2.3): archive ${f} is not a usable chart archive: it holds no demo/Chart.yaml, so it is not the chart demo; ${PULL}`],
  ];
  test.each(refused)('fails on %s, before helm sees it', (_name, make, message) => {
    const small = new ChartStore(store.dir, { maxArchiveBytes: 1024 });
    const locked = make(small, file);
    const started = Date.now();
    expect(() => small.check(locked)).toThrow(new Error(message(small, file)));
    expect(Date.now() - started).toBeLessThan(1000);
  });
  test('fails on a dangling symlink where the archive should be, saying where it leads and how to get the archive', () => {
    fs.symlinkSync('gone.tgz', file);
    expect(() => store.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} is a symlink to gone.tgz, which does not exist: ` +
      `run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to a folder that holds it`));
  });

  test('fails on an archive that is swapped while it is read, saying to run again', () => {
    fs.copyFileSync(archive, file);
    const real = fs.fstatSync;
    jest.spyOn(require('fs') as typeof fs, 'fstatSync').mockImplementationOnce(((fd: number) => {
      const st = real(fd);
      return Object.assign(Object.create(Object.getPrototypeOf(st)), st, { ino: st.ino + 1 });
    }) as typeof fs.fstatSync);
    expect(() => store.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} changed while it was read (now a regular file): ` +
      'run again, with nothing writing to the chart store'));
  });

  test('readChartArchive gives each refusal its own fix: those of the chart store unless others are given', () => {
    const missing = path.join(store.dir, 'demo-9.9.9.tgz');
    expect(() => readChartArchive(missing, chart(), store.dir)).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${missing} does not exist: ` +
      `run \`npm run charts:pull\` (${OFFLINE}), or set CHART_STORE to a folder that holds it`));
    const fixes = { 'missing': 'M', 'unreadable': 'U', 'not-a-file': 'N', 'outside': 'O', 'too-large': 'T', 'changed': 'C', 'unusable': 'X' };
    expect(() => readChartArchive(missing, chart(), store.dir, { fixes })).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${missing} does not exist: M`));
    fs.mkdirSync(file);
    expect(() => readChartArchive(file, chart(), store.dir, { fixes })).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} is a folder, not a regular file: N`));
  });

  test('find tells what is wrong with a file it cannot use, without the fix', () => {
    fs.mkdirSync(file);
    expect(store.find(chart())).toEqual({ found: 'unusable', problem: `${file} is a folder, not a regular file` });
    fs.rmdirSync(file);
    fs.symlinkSync(archive, file);
    expect(store.find(chart())).toEqual({ found: 'unusable', problem: `${file} leads to ${fs.realpathSync(archive)}, outside ${store.dir}` });
  });

  test('fails on a store that is a file, not a folder, saying so', () => {
    const notDir = new ChartStore(path.join(store.dir, 'store.txt'));
    fs.writeFileSync(notDir.dir, 'a file');
    expect(() => notDir.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): the chart store ${notDir.dir} is not a folder: set CHART_STORE to the folder that holds the archives`));
  });

  test.each(['EACCES', 'EPERM'])('fails on a store whose folder cannot be looked at (%s), saying permission is denied', (code) => {
    const denied = Object.assign(new Error(`${code}: operation not permitted`), { code });
    jest.spyOn(require('fs') as typeof fs, 'statSync').mockImplementationOnce(() => { throw denied; });
    expect(() => store.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): the chart store ${store.dir} cannot be read: permission denied: make it readable by this user`));
  });

  test(`an archive the store's folder does not let it look at is unreadable, not missing${RUNNING_AS_ROOT ? ' (the error is injected: root reads anything)' : ''}`, () => {
    fs.copyFileSync(archive, file);
    if (RUNNING_AS_ROOT) {
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      const real = fs.lstatSync;
      jest.spyOn(require('fs') as typeof fs, 'lstatSync').mockImplementation(((p: string, ...rest: unknown[]) => {
        if (p === file) throw denied;
        return (real as (...a: unknown[]) => unknown)(p, ...rest);
      }) as typeof fs.lstatSync);
    } else {
      fs.chmodSync(store.dir, 0o600); // readable, not searchable: its entries cannot be looked at
    }
    try {
      expect(exists(file)).toBe(true);
      expect(() => store.check(chart())).toThrow(new Error(`chart "demo" (demo 1.2.3): archive ${file} cannot be read: permission denied: ` +
        'make the chart store and the archive readable by this user'));
    } finally {
      fs.chmodSync(store.dir, 0o700);
    }
  });

  test('exists tells a dangling symlink from nothing at all', () => {
    expect(exists(file)).toBe(false);
    fs.symlinkSync('gone.tgz', file);
    expect(exists(file)).toBe(true);
  });

  (fs.existsSync('/proc/self/fd') ? test : test.skip)('put leaves no file open behind it', () => {
    const open = () => fs.readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 3; i++) store.put(chart(), fs.readFileSync(archive));
    expect(open()).toBe(before);
  });
});
