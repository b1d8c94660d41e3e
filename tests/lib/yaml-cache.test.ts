import fs = require('fs');
import * as path from 'path';
import { sha256Hex } from '../../lib/cache-files';
import { toYaml } from '../../lib/output';
import { YamlCache } from '../../lib/yaml-cache';
import { tmpDir } from '../helpers';

describe('YamlCache', () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'multi\nline', b: '0755', c: 'yes' } };
  const other = { ...configMap, metadata: { name: 'y' } };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'c2VjcmV0' } };
  const entryOf = (dir: string, object: unknown) => path.join(dir, `${sha256Hex(JSON.stringify(object))}.yaml`);

  /** A cache whose dumps are counted. */
  const counted = (dir: string) => {
    const calls: unknown[] = [];
    const cache = new YamlCache(dir, (o) => {
      calls.push(o);
      return toYaml(o);
    });
    return { cache, calls };
  };

  test('gives what toYaml gives, and the next run takes it from its private entry without dumping again', () => {
    const dir = path.join(tmpDir(), 'yaml', 'out');
    const first = counted(dir);
    expect(first.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(first.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(first.calls.length).toBe(1);
    first.cache.save();
    expect((fs.statSync(entryOf(dir, configMap)).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(dir).mode & 0o777).toString(8)).toBe('700');
    const second = counted(dir);
    expect(second.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(second.calls).toEqual([]);
    expect(second.cache.dump({ ...configMap, data: { a: 'other' } })).toBe(toYaml({ ...configMap, data: { a: 'other' } }));
    expect(second.calls.length).toBe(1);
  });

  test('writes only what a run dumped, and drops the entries no object of the run used', () => {
    const dir = path.join(tmpDir(), 'out');
    const first = counted(dir);
    first.cache.dump(configMap);
    first.cache.dump(other);
    first.cache.save();
    fs.utimesSync(entryOf(dir, configMap), new Date(0), new Date(0));
    const second = counted(dir);
    second.cache.dump(configMap);
    second.cache.dump({ ...other, data: {} });
    // Only the cache's own entries go: files named otherwise stay.
    const digest = sha256Hex('not an entry');
    const foreign = [`${digest}.yaml.bak`, `x${digest}.yaml`];
    for (const name of foreign) fs.writeFileSync(path.join(dir, name), 'mine');
    second.cache.save();
    expect(fs.statSync(entryOf(dir, configMap)).mtimeMs).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([...[entryOf(dir, configMap), entryOf(dir, { ...other, data: {} })].map((f) => path.basename(f)), ...foreign].sort());
  });

  test('never keeps a Secret, nor an object JSON would not give back exactly', () => {
    const dir = path.join(tmpDir(), 'out');
    const first = counted(dir);
    first.cache.dump(secret);
    first.cache.dump({ kind: 'X', at: new Date(0) });
    first.cache.dump(configMap);
    // A kind named Secret in another API group is no Secret.
    const other = { ...secret, apiVersion: 'example.com/v1' };
    first.cache.dump(other);
    first.cache.save();
    expect(fs.readdirSync(dir).sort()).toEqual([entryOf(dir, configMap), entryOf(dir, other)].map((f) => path.basename(f)).sort());
    const second = counted(dir);
    second.cache.dump(secret);
    expect(second.calls).toEqual([secret]);
  });

  test.each([
    ['cut short', (t: string) => t.slice(0, t.length - 5)],
    ['with another YAML for the same object', (t: string) => t.replace('name: x', 'name: y')],
    ['empty', () => ''],
  ])('takes an entry %s as missing', (_name, damage) => {
    const dir = path.join(tmpDir(), 'out');
    const first = counted(dir);
    first.cache.dump(configMap);
    first.cache.save();
    const file = entryOf(dir, configMap);
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    const second = counted(dir);
    expect(second.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(second.calls.length).toBe(1);
  });

  test('takes a whole entry filed under another object\'s name as missing', () => {
    const dir = path.join(tmpDir(), 'out');
    const first = counted(dir);
    first.cache.dump(configMap);
    first.cache.dump(other);
    first.cache.save();
    fs.copyFileSync(entryOf(dir, other), entryOf(dir, configMap));
    const second = counted(dir);
    expect(second.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(second.calls).toEqual([configMap]);
  });

  test('a save racing another (an entry or an old single file listed but already gone) still removes the rest', () => {
    const dir = path.join(tmpDir(), 'out');
    const parent = path.dirname(dir);
    const first = counted(dir);
    first.cache.dump(configMap);
    first.cache.dump(other);
    first.cache.save();
    const legacy = path.join(parent, `${sha256Hex('legacy')}.json`);
    fs.writeFileSync(legacy, '[]');
    // The listings name files another save removed after they were read, before the real ones.
    const readdir = fs.readdirSync;
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => {
      const names = readdir(p, o) as string[];
      if (p === dir) return [`${sha256Hex('gone')}.yaml`, ...names];
      if (p === parent) return [`${sha256Hex('gone')}.json`, ...names];
      return names;
    }) as typeof fs.readdirSync);
    try {
      const second = counted(dir);
      second.cache.dump(configMap);
      second.cache.save();
    } finally {
      spy.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual([path.basename(entryOf(dir, configMap))]);
    expect(fs.existsSync(legacy)).toBe(false);
  });

  test('keeps the folders of the 16 outputs written last, and removes the single files an earlier version kept', () => {
    const root = tmpDir();
    const folders = Array.from({ length: 17 }, (_, i) => path.join(root, sha256Hex(`output ${i}`)));
    const legacy = path.join(root, `${sha256Hex('legacy')}.json`);
    const unrelated = [path.join(root, 'notes.txt'), path.join(root, `${sha256Hex('x')}.json.bak`), path.join(root, `x${sha256Hex('y')}.json`)];
    const unrelatedFolders = [path.join(root, `${sha256Hex('z')}x`), path.join(root, `x${sha256Hex('z')}`)];
    fs.writeFileSync(legacy, '[]');
    for (const f of unrelated) fs.writeFileSync(f, 'mine');
    for (const d of unrelatedFolders) {
      fs.mkdirSync(d);
      fs.utimesSync(d, new Date(0), new Date(0));
    }
    folders.forEach((dir, i) => {
      const cache = new YamlCache(dir, toYaml);
      cache.dump({ ...configMap, metadata: { name: `c${i}` } });
      cache.save();
      fs.utimesSync(dir, new Date(1000 * (i + 1)), new Date(1000 * (i + 1)));
    });
    // The last save made its folder the newest; the oldest one went.
    expect(folders.map((f) => fs.existsSync(f))).toEqual([false, ...Array(16).fill(true)]);
    expect(fs.existsSync(legacy)).toBe(false);
    expect(unrelated.map((f) => fs.readFileSync(f, 'utf8'))).toEqual(['mine', 'mine', 'mine']);
    expect(unrelatedFolders.map((d) => fs.existsSync(d))).toEqual([true, true]);
  });
});
