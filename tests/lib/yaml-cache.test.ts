import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../lib/output';
import { YamlCache } from '../../lib/yaml-cache';
import { tmpDir } from '../helpers';

describe('YamlCache', () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'multi\nline', b: '0755', c: 'yes' } };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'c2VjcmV0' } };

  /** A cache whose dumps are counted. */
  const counted = (file: string) => {
    const calls: unknown[] = [];
    const cache = new YamlCache(file, (o) => {
      calls.push(o);
      return toYaml(o);
    });
    return { cache, calls };
  };

  test('gives what toYaml gives, and the next run takes it from the file without dumping again', () => {
    const file = path.join(tmpDir(), 'yaml', 'out.json');
    const first = counted(file);
    expect(first.cache.dump(configMap)).toBe(toYaml(configMap));
    first.cache.save();
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const second = counted(file);
    expect(second.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(second.calls).toEqual([]);
    expect(second.cache.dump({ ...configMap, data: { a: 'other' } })).toBe(toYaml({ ...configMap, data: { a: 'other' } }));
    expect(second.calls.length).toBe(1);
  });

  test('never keeps a Secret, nor an object JSON would not give back exactly', () => {
    const file = path.join(tmpDir(), 'out.json');
    const first = counted(file);
    first.cache.dump(secret);
    first.cache.dump({ kind: 'X', at: new Date(0) });
    first.cache.save();
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').not.toContain('c2VjcmV0');
    const second = counted(file);
    second.cache.dump(secret);
    expect(second.calls).toEqual([secret]);
  });

  test.each([
    ['cut short', (t: string) => t.slice(0, t.length - 5)],
    ['with another YAML for the same object', (t: string) => t.replace('name: x', 'name: y')],
    ['not JSON', () => 'garbage'],
  ])('takes a file %s as empty', (_name, damage) => {
    const file = path.join(tmpDir(), 'out.json');
    const first = counted(file);
    first.cache.dump(configMap);
    first.cache.save();
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    const second = counted(file);
    expect(second.cache.dump(configMap)).toBe(toYaml(configMap));
    expect(second.calls.length).toBe(1);
  });
});
