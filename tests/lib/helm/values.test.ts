import * as fs from 'fs';
import * as path from 'path';
import { checkValuesDir } from '../../../lib';
import { tmpDir } from '../../helpers';

function valuesDir(files: Record<string, string>): string {
  const dir = tmpDir();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('checkValuesDir', () => {
  test('passes with one mapping (or an empty file) per release; other files are not values', () => {
    expect(() => checkValuesDir(valuesDir({ 'a.yaml': 'x: 1\n', 'b.yaml': '', 'README.md': '# notes' }), ['a', 'b'])).not.toThrow();
  });

  test('lists every problem: a stray file, a parse error with its line, a list, a missing file', () => {
    const dir = valuesDir({ 'a.yaml': 'x: [1\n', 'c.yaml': '- 1\n', 'z.yml': 'x: 1\n' });
    expect(() => checkValuesDir(dir, ['a', 'b', 'c'])).toThrow([
      `the helm values in ${dir} are not usable:`,
      `${path.join(dir, 'a.yaml')}:2:1: the YAML does not parse: unexpected end of the stream within a flow collection`,
      `${path.join(dir, 'c.yaml')}: holds a list, not values; helm takes a mapping such as "key: value" (or {} for none)`,
      `${path.join(dir, 'z.yml')}: no helm release is named "z", so nothing reads this file; the releases are a, b, c (rename or remove it)`,
      `${path.join(dir, 'b.yaml')}: missing; release "b" reads its values from it (write {} for none)`,
    ].join('\n'));
  });

  test('fails on a folder that does not exist, naming the releases', () => {
    expect(() => checkValuesDir('/no/values', ['a'])).toThrow('no values folder /no/values: it holds one <release>.yaml per helm release (a)');
  });
});
