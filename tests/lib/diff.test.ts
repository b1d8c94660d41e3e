import * as fs from 'fs';
import * as path from 'path';
import { diffOutputs, readOutputDir } from '../../lib/diff';
import { tmpDir } from '../helpers';

const doc = (port: number, extra = '') => `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: app\nspec:\n  ports:\n    - port: ${port}\n${extra}`;

describe('diffOutputs', () => {
  test('nothing for identical outputs', () => {
    expect(diffOutputs(new Map([['a.yaml', doc(80)]]), new Map([['a.yaml', doc(80)]]))).toEqual([]);
  });

  test('names the file, the object and the field that changed', () => {
    expect(diffOutputs(new Map([['a.yaml', doc(81)]]), new Map([['a.yaml', doc(80)]]))).toEqual(['a.yaml: Service app/web: .spec.ports[0].port: 81 → 80']);
  });

  test('names files and objects that are missing or extra', () => {
    const cm = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: app\n';
    expect(diffOutputs(new Map([['a.yaml', doc(80)], ['b.yaml', cm]]), new Map([['a.yaml', doc(80) + cm], ['c.yaml', cm]]))).toEqual([
      'a.yaml: ConfigMap app/c: not expected',
      'b.yaml: expected, but not written',
      'c.yaml: not expected, but written',
    ]);
  });

  test('says when only the bytes differ', () => {
    expect(diffOutputs(new Map([['a.yaml', `# edited\n${doc(80)}`]]), new Map([['a.yaml', doc(80)]]))).toEqual(['a.yaml: same objects, different bytes (order, comments or formatting)']);
  });

  test('names the lines at which a file that is not YAML differs, such as synth\'s marker', () => {
    const marker = (sha: string) => `# synth-manifest 1\n${sha}  01-a.yaml\n${'b'.repeat(64)}  02-b.yaml\n`;
    expect(diffOutputs(new Map([['.synth-manifest', marker('a'.repeat(64))]]), new Map([['.synth-manifest', marker('c'.repeat(64))]]))).toEqual([
      `.synth-manifest: line 2: "${'a'.repeat(64)}  01-a.yaml" → "${'c'.repeat(64)}  01-a.yaml"`,
    ]);
    expect(diffOutputs(new Map([['notes', 'a\n']]), new Map([['notes', 'a\nb\n']]))).toEqual(['notes: line 2: "" → "b"', 'notes: line 3: (absent) → ""']);
  });

  test('reads an output folder, and nothing for one that does not exist', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, '01-a.yaml'), 'x');
    expect(readOutputDir(dir)).toEqual(new Map([['01-a.yaml', 'x']]));
    expect(readOutputDir(path.join(dir, 'nope'))).toEqual(new Map());
  });
});
