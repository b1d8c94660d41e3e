import fs = require('fs');
import * as path from 'path';
import { createHash } from 'crypto';
import { K3S_TARGET } from '../../../config/kubernetes';
import { ChartStore } from '../../../lib/helm/store';
import { findHelm, HelmBinary } from '../../../lib/helm/binary';
import { HelmRenderer } from '../../../lib/helm/renderer';
import { RenderCache } from '../../../lib/helm/render-cache';
import { fakeHelm, fixtureChart, fixtureStore, RUNNING_AS_ROOT, tmpDir } from '../../helpers';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
const entries = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
/** An entry as the cache writes one: the body's sha256 on the first line, then the body. */
const checked = (body: string) => `${createHash('sha256').update(body).digest('hex')}\n${body}`;
/** The bytes the named files take together. */
const sizeOf = (dir: string, names: string[]) => names.reduce((sum, n) => sum + fs.statSync(path.join(dir, n)).size, 0);
/** Sets a file's access and modification time to `seconds` since the epoch. */
const touch = (file: string, seconds: number) => fs.utimesSync(file, new Date(seconds * 1000), new Date(seconds * 1000));

describe('RenderCache', () => {
  const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1', n: 2, t: true, z: null } }];

  test('gives back what was put under a key, in a folder only this user can read', () => {
    const dir = path.join(tmpDir(), 'render');
    const cache = new RenderCache({ dir });
    cache.put(RenderCache.keyOf({ release: 'a' }), objects);
    expect(cache.get(RenderCache.keyOf({ release: 'a' }))).toEqual(objects);
    expect(cache.get(RenderCache.keyOf({ release: 'b' }))).toBeUndefined();
    expect([cache.has(RenderCache.keyOf({ release: 'a' })), cache.has(RenderCache.keyOf({ release: 'b' }))]).toEqual([true, false]);
    expect(mode(dir)).toBe('700');
    expect(entries(dir).map((n) => mode(path.join(dir, n)))).toEqual(['600']);
  });

  test('makes an existing folder private', () => {
    const dir = tmpDir();
    fs.chmodSync(dir, 0o755);
    new RenderCache({ dir }).put(RenderCache.keyOf(1), objects);
    expect(mode(dir)).toBe('700');
  });

  test.each([
    ['cut short', (text: string) => text.slice(0, text.length - 10)],
    ['empty', () => ''],
    ['with a byte changed', (text: string) => text.replace('"x"', '"y"')],
    ['without its digest line', (text: string) => text.slice(65)],
    ['whole but not a list of objects', () => { const body = '{"not":"a list"}'; return `${require('crypto').createHash('sha256').update(body).digest('hex')}\n${body}`; }],
  ])('takes an entry %s as a miss, never an error', (_name, damage) => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const key = RenderCache.keyOf('k');
    cache.put(key, objects);
    const file = path.join(dir, `${key}.json`);
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    expect(cache.get(key)).toBeUndefined();
  });

  test.each([
    ['a null among the objects', '[{"kind":"X"},null]'],
    ['a number among the objects', '[{"kind":"X"},1]'],
    ['a string among the objects', '[{"kind":"X"},"x"]'],
    ['a list among the objects', '[{"kind":"X"},[]]'],
    ['a body that is not JSON', '[{"kind":'],
  ])('takes a whole entry with %s as a miss, never an error', (_name, body) => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const key = RenderCache.keyOf('k');
    fs.writeFileSync(path.join(dir, `${key}.json`), checked(body));
    expect(cache.get(key)).toBeUndefined();
    // The same entry holding only the object is a hit: the check is on each element.
    fs.writeFileSync(path.join(dir, `${key}.json`), checked('[{"kind":"X"}]'));
    expect(cache.get(key)).toEqual([{ kind: 'X' }]);
  });

  test('keeps nothing that JSON would not give back exactly (a date, a NaN)', () => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    cache.put(RenderCache.keyOf('date'), [{ kind: 'X', at: new Date(0) }]);
    cache.put(RenderCache.keyOf('nan'), [{ kind: 'X', n: NaN }]);
    expect(entries(dir)).toEqual([]);
  });

  test('stays within its bound, removing the least recently used entries first', () => {
    const dir = tmpDir();
    const big = (name: string) => [{ kind: 'ConfigMap', metadata: { name }, data: { x: 'x'.repeat(1000) } }];
    const cache = new RenderCache({ dir, maxBytes: 2500 });
    const [a, b, c] = ['a', 'b', 'c'].map((k) => RenderCache.keyOf(k));
    cache.put(a, big('a'));
    fs.utimesSync(path.join(dir, `${a}.json`), new Date(1000e3), new Date(1000e3));
    cache.put(b, big('b'));
    fs.utimesSync(path.join(dir, `${b}.json`), new Date(2000e3), new Date(2000e3));
    // a is used after b: b is now the least recently used
    expect(cache.get(a)).toEqual(big('a'));
    cache.put(c, big('c'));
    expect(cache.get(b)).toBeUndefined();
    expect(cache.get(a)).toEqual(big('a'));
    expect(cache.get(c)).toEqual(big('c'));
    expect(entries(dir).reduce((sum, n) => sum + fs.statSync(path.join(dir, n)).size, 0)).toBeLessThanOrEqual(2500);
  });

  test('keeps entries that fit the bound exactly, and removes the least recently used once they are one byte over', () => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const keys = ['a', 'b', 'c'].map((k) => RenderCache.keyOf(k));
    keys.forEach((key, i) => {
      cache.put(key, [{ kind: 'ConfigMap', metadata: { name: `n${i}` } }]);
      touch(path.join(dir, `${key}.json`), 1000 + i);
    });
    const total = sizeOf(dir, entries(dir));
    new RenderCache({ dir, maxBytes: total }).evict();
    expect(entries(dir)).toEqual(keys.map((k) => `${k}.json`).sort());
    new RenderCache({ dir, maxBytes: total - 1 }).evict();
    expect(entries(dir)).toEqual(keys.slice(1).map((k) => `${k}.json`).sort());
  });

  test.each([
    ['in the order of their names', (names: string[]) => names],
    ['in the order of their names, whatever order the folder lists them in', (names: string[]) => [...names].reverse()],
  ])('removes entries used at the same time %s', (_name, listing) => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => RenderCache.keyOf(k));
    for (const key of keys) {
      cache.put(key, [{ kind: 'ConfigMap', metadata: { name: 'same-size' } }]);
      touch(path.join(dir, `${key}.json`), 1000);
    }
    const byName = entries(dir);
    const readdirSync = fs.readdirSync;
    jest.spyOn(fs, 'readdirSync').mockImplementation(((folder: fs.PathLike) => listing((readdirSync as any)(folder))) as typeof fs.readdirSync);
    try {
      new RenderCache({ dir, maxBytes: sizeOf(dir, byName.slice(3)) }).evict();
    } finally {
      jest.restoreAllMocks();
    }
    expect(entries(dir)).toEqual(byName.slice(3));
  });

  test('counts and removes only its own entries: never another file in the folder, nor a writer\'s temporary file', () => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir, maxBytes: 2500 });
    const key = RenderCache.keyOf('k');
    const others = [`old-${key}.json`, `${key}.json.123.abc123.tmp`, 'notes.txt'];
    for (const name of others) {
      fs.writeFileSync(path.join(dir, name), 'x'.repeat(3000));
      touch(path.join(dir, name), 1000);
    }
    cache.put(key, objects);
    expect(cache.get(key)).toEqual(objects);
    expect(fs.readdirSync(dir).sort()).toEqual([...others, `${key}.json`].sort());
  });

  test('an entry that another run removes meanwhile is no error', () => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const [a, b] = ['a', 'b'].map((k) => RenderCache.keyOf(k));
    cache.put(a, objects);
    cache.put(b, objects);
    touch(path.join(dir, `${a}.json`), 1000);
    touch(path.join(dir, `${b}.json`), 2000);
    // Another run evicts a between this run's look at it and its removal.
    const statSync = fs.statSync;
    jest.spyOn(fs, 'statSync').mockImplementation(((file: fs.PathLike, ...rest: any[]) => {
      const st = (statSync as any)(file, ...rest);
      if (String(file).endsWith(`${a}.json`)) fs.unlinkSync(file);
      return st;
    }) as typeof fs.statSync);
    try {
      expect(() => new RenderCache({ dir, maxBytes: sizeOf(dir, [`${b}.json`]) }).evict()).not.toThrow();
    } finally {
      jest.restoreAllMocks();
    }
    expect(entries(dir)).toEqual([`${b}.json`]);
  });

  test('an entry that is gone by the time it is looked at is not counted, and no error', () => {
    const dir = tmpDir();
    const cache = new RenderCache({ dir });
    const [a, b] = ['a', 'b'].map((k) => RenderCache.keyOf(k));
    cache.put(b, objects);
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, `${a}.json`));
    expect(() => new RenderCache({ dir, maxBytes: sizeOf(dir, [`${b}.json`]) }).evict()).not.toThrow();
    expect(cache.get(b)).toEqual(objects);
  });

  test('a folder that is not there has nothing to evict, and no error', () => {
    expect(() => new RenderCache({ dir: path.join(tmpDir(), 'absent') }).evict()).not.toThrow();
  });

  test('a folder that cannot be made (a file is in its way) costs only the work', () => {
    const dir = path.join(tmpDir(), 'render');
    fs.writeFileSync(dir, 'in the way');
    const cache = new RenderCache({ dir });
    expect(() => cache.put(RenderCache.keyOf('k'), objects)).not.toThrow();
    expect(cache.get(RenderCache.keyOf('k'))).toBeUndefined();
    expect(fs.readFileSync(dir, 'utf8')).toBe('in the way');
  });

  (RUNNING_AS_ROOT ? test.skip : test)('a folder that cannot be written costs only the work', () => {
    const parent = tmpDir();
    fs.chmodSync(parent, 0o500);
    const cache = new RenderCache({ dir: path.join(parent, 'render') });
    expect(() => cache.put(RenderCache.keyOf('k'), objects)).not.toThrow();
    expect(cache.get(RenderCache.keyOf('k'))).toBeUndefined();
  });
});

describe('HelmRenderer with a render cache', () => {
  let store: ChartStore;
  beforeAll(() => {
    store = fixtureStore('crds-dir');
  });
  const chart = fixtureChart('crds-dir', '0.2.0');

  /** A helm that prints one ConfigMap named after its run, and counts its runs. */
  function countingHelm(): HelmBinary & { runs(): number } {
    const log = path.join(tmpDir(), 'runs');
    const helm = fakeHelm(`echo run >> '${log}'; n=$(wc -l < '${log}'); printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: run-%s\\n" $n`);
    return { ...helm, runs: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0) };
  }

  test('a second render of the same inputs skips helm; any input that differs renders anew', async () => {
    const helm = countingHelm();
    const cache = new RenderCache({ dir: tmpDir() });
    const valuesFile = path.join(tmpDir(), 'values.yaml');
    fs.writeFileSync(valuesFile, 'a: 1\n');
    const renderer = (h: HelmBinary = helm, target = K3S_TARGET) => new HelmRenderer({ helm: h, store, target, homeDir: tmpDir('helm-home-'), warn: () => undefined, cache });
    const request = (over: object = {}) => ({ releaseName: 'demo', namespace: 'demo-ns', chart, valuesFiles: [valuesFile], values: { b: 2 }, ...over });

    const first = await renderer().renderRelease(request());
    expect([first.cached, first.objects[0].metadata.name, helm.runs()]).toEqual([false, 'run-1', 1]);
    const again = await renderer().renderRelease(request());
    expect([again.cached, again.objects, helm.runs()]).toEqual([true, first.objects, 1]);

    await renderer().renderRelease(request({ values: { b: 3 } }));
    await renderer().renderRelease(request({ releaseName: 'other' }));
    await renderer().renderRelease(request({ namespace: 'other-ns' }));
    await renderer({ ...helm, version: 'v3.99.1' }).renderRelease(request());
    await renderer(helm, { ...K3S_TARGET, kubeVersion: 'v1.32.0' }).renderRelease(request());
    fs.writeFileSync(valuesFile, 'a: 2\n');
    await renderer().renderRelease(request());
    expect(helm.runs()).toBe(7);
    // And each of those is a hit the next time.
    expect((await renderer().renderRelease(request())).cached).toBe(true);
    expect(helm.runs()).toBe(7);
  });

  test('renders together, helm starts for a release the cache lacks before the cache is read for the others', async () => {
    const helm = countingHelm();
    const events: string[] = [];
    class LoggedCache extends RenderCache {
      public get(key: string) {
        events.push('read the cache');
        return super.get(key);
      }
    }
    const cache = new LoggedCache({ dir: tmpDir() });
    const renderer = new HelmRenderer({ helm, store, target: K3S_TARGET, homeDir: tmpDir('helm-home-'), warn: () => undefined, cache });
    const request = (releaseName: string) => ({ releaseName, namespace: 'demo-ns', chart, valuesFiles: [], values: {} });
    await renderer.renderRelease(request('cached'));
    events.length = 0;
    const childProcess = require('child_process');
    const spawn = childProcess.spawn;
    jest.spyOn(childProcess, 'spawn').mockImplementation((...args: unknown[]) => {
      events.push('started helm');
      return spawn(...args);
    });
    try {
      const [cached, rendered] = await Promise.all([renderer.renderRelease(request('cached')), renderer.renderRelease(request('fresh'))]);
      expect([cached.cached, rendered.cached, helm.runs()]).toEqual([true, false, 2]);
    } finally {
      jest.restoreAllMocks();
    }
    expect(events).toEqual(['started helm', 'read the cache']);
  });

  test('an archive with other bytes renders anew', async () => {
    const helm = countingHelm();
    const cache = new RenderCache({ dir: tmpDir() });
    const own = new ChartStore(tmpDir());
    fs.copyFileSync(store.pathOf(chart), own.pathOf(chart));
    const render = () => new HelmRenderer({ helm, store: own, target: K3S_TARGET, homeDir: tmpDir('helm-home-'), warn: () => undefined, cache })
      .renderRelease({ releaseName: 'demo', namespace: 'demo-ns', chart, valuesFiles: [], values: {} });
    await render();
    await render();
    expect(helm.runs()).toBe(1);
    // The same chart in other bytes: gzip's header holds a time, which nothing checks.
    const other = fs.readFileSync(own.pathOf(chart));
    other[4] ^= 1;
    fs.writeFileSync(own.pathOf(chart), other);
    await render();
    expect(helm.runs()).toBe(2);
  });
});

describe('findHelm with a version cache', () => {
  test('asks helm its version once per binary: the same path, size, time and inode answer from the file', () => {
    const log = path.join(tmpDir(), 'asked');
    const helm = fakeHelm(`echo asked >> '${log}'; echo v3.99.0`);
    const versionCacheFile = path.join(tmpDir(), 'helm-version.json');
    const asked = () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    const find = () => findHelm({ explicit: helm.path, cacheDir: tmpDir(), versionCacheFile });
    expect(find().version).toBe('v3.99.0');
    expect(find().version).toBe('v3.99.0');
    expect(asked()).toBe(1);
    expect(mode(versionCacheFile)).toBe('600');
    fs.utimesSync(helm.path, new Date(), new Date(Date.now() + 5000));
    expect(find().version).toBe('v3.99.0');
    expect(asked()).toBe(2);
    fs.writeFileSync(versionCacheFile, 'damaged');
    expect(find().version).toBe('v3.99.0');
    expect(asked()).toBe(3);
  });
});
