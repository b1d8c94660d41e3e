import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChartStore, LockedChart } from '../../../lib';
import { packageChart, RUNNING_AS_ROOT, tmpDir } from '../../helpers';

const chart = (sha256?: string, c: Partial<LockedChart> = {}): LockedChart => ({ key: 'demo', repo: 'https://charts.example.com', chart: 'demo', version: '1.2.3', sha256, ...c });
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const PULL = 'delete it and run `npm run charts:pull` to fetch the published archive';

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

  test('an archive matching the lock passes without a warning, with the bytes it checked', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart(sha256(file)))).toEqual({ file, sha256: sha256(file), content: fs.readFileSync(file) });
  });

  test('the lock\'s digest is compared without regard to case', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart(sha256(file).toUpperCase())).warning).toBeUndefined();
  });

  test('a symlink to an archive inside the store is followed', () => {
    fs.copyFileSync(archive, path.join(store.dir, 'real.tgz'));
    fs.symlinkSync('real.tgz', file);
    expect(store.check(chart(sha256(archive))).sha256).toBe(sha256(archive));
  });

  test('an archive the lock has no digest for passes with a warning that names it', () => {
    fs.copyFileSync(archive, file);
    expect(store.check(chart()).warning).toBe(`chart "demo" (demo 1.2.3): the lock records no digest for ${file} (sha256 ${sha256(file)}); ` +
      'run `npm run charts:pull` to verify it against the chart repository and record it');
  });

  test('fails on a missing archive, naming the chart, the file and the fix', () => {
    expect(() => store.check(chart())).toThrow(`chart "demo" (demo 1.2.3): archive ${file} is not in the chart store: run \`npm run charts:pull\`, or set CHART_STORE to a folder that holds it`);
  });

  test('fails on a missing store, saying it is the store that is missing', () => {
    const gone = new ChartStore(path.join(store.dir, 'nope'));
    expect(() => gone.check(chart())).toThrow(`chart "demo" (demo 1.2.3): the chart store ${gone.dir} does not exist: run \`npm run charts:pull\`, or set CHART_STORE to the folder that holds the archives`);
  });

  test('fails on a digest mismatch, naming both digests', () => {
    fs.copyFileSync(archive, file);
    expect(() => store.check(chart('0'.repeat(64)))).toThrow(`chart "demo" (demo 1.2.3): archive ${file} has sha256 ${sha256(file)}, the lock records ${'0'.repeat(64)}: ${PULL}`);
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
});
