import fs = require('fs');
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

describe('diffOutputs, in detail', () => {
  const svc = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: app\nspec:\n${spec}`;

  test('lists files in name order, whatever order they were given in', () => {
    expect(diffOutputs(new Map([['b', 'x\n'], ['a', 'x\n']]), new Map())).toEqual(['a: expected, but not written', 'b: expected, but not written']);
  });

  test('names an object that was expected but is not written', () => {
    const cm = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    expect(diffOutputs(new Map([['a.yaml', doc(80) + cm]]), new Map([['a.yaml', doc(80)]]))).toEqual(['a.yaml: ConfigMap c: missing']);
  });

  test('a field absent on one side, a value cut at 80 characters, a value whose type changed', () => {
    const long = 'x'.repeat(100);
    expect(diffOutputs(
      new Map([['a.yaml', svc(`  a: 1\n  b: ${long}\n  c: null\n  d: "12"\n  e: [1]\n`)]]),
      new Map([['a.yaml', svc(`  b: y\n  c: {x: 1}\n  d: ["1", "2"]\n  e: {"0": 1}\n  f: 2\n`)]]),
    )).toEqual([
      'a.yaml: Service app/web: .spec.a: 1 → (absent)',
      `a.yaml: Service app/web: .spec.b: ${JSON.stringify(long).slice(0, 80)} → "y"`,
      'a.yaml: Service app/web: .spec.c: null → {"x":1}',
      'a.yaml: Service app/web: .spec.d: "12" → ["1","2"]',
      'a.yaml: Service app/web: .spec.e: [1] → {"0":1}',
    ]);
    expect(diffOutputs(new Map([['a.yaml', svc('  c: {x: 1}\n  d: ["1", "2"]\n  e: {"0": 1}\n')]]), new Map([['a.yaml', svc('  c: null\n  d: "12"\n  e: [1]\n  f: 2\n')]]))).toEqual([
      'a.yaml: Service app/web: .spec.c: {"x":1} → null',
      'a.yaml: Service app/web: .spec.d: ["1","2"] → "12"',
      'a.yaml: Service app/web: .spec.e: {"0":1} → [1]',
      'a.yaml: Service app/web: .spec.f: (absent) → 2',
    ]);
    expect(diffOutputs(new Map([['a.yaml', svc('  g: 1\n  h: {x: 1}\n')]]), new Map([['a.yaml', svc('  g: {x: 1}\n  h: 1\n')]]))).toEqual([
      'a.yaml: Service app/web: .spec.g: 1 → {"x":1}',
      'a.yaml: Service app/web: .spec.h: {"x":1} → 1',
    ]);
  });

  test('names at most 5 fields of one object', () => {
    const fields = (v: number) => [1, 2, 3, 4, 5, 6].map((i) => `  f${i}: ${v}\n`).join('');
    expect(diffOutputs(new Map([['a.yaml', svc(fields(1))]]), new Map([['a.yaml', svc(fields(2))]]))).toEqual(
      [1, 2, 3, 4, 5].map((i) => `a.yaml: Service app/web: .spec.f${i}: 1 → 2`));
  });

  test('a document that is not an object: its whole value', () => {
    expect(diffOutputs(new Map([['a.yaml', 'hello\n']]), new Map([['a.yaml', 'world\n']]))).toEqual(['a.yaml: ? ?: .: "hello" → "world"']);
  });

  test('an empty document is no object', () => {
    expect(diffOutputs(new Map([['a.yaml', `---\n${doc(80)}`]]), new Map([['a.yaml', `${doc(80)}---\n`]]))).toEqual(['a.yaml: same objects, different bytes (order, comments or formatting)']);
  });

  test('fails to compare a YAML file that does not parse, with the first line of the reason', () => {
    expect(diffOutputs(new Map([['a.yaml', 'a: 1\n']]), new Map([['a.yaml', 'a: [1\n']]))).toEqual([
      'a.yaml: does not parse (unexpected end of the stream within a flow collection (2:1))',
    ]);
  });

  test('.yml files are YAML; a name that only contains .yaml is not', () => {
    expect(diffOutputs(new Map([['a.yml', doc(81)], ['a.yaml.txt', 'a: 1\n']]), new Map([['a.yml', doc(80)], ['a.yaml.txt', 'a: 2\n']]))).toEqual([
      'a.yaml.txt: line 1: "a: 1" → "a: 2"',
      'a.yml: Service app/web: .spec.ports[0].port: 81 → 80',
    ]);
  });

  test('a line is shown up to 100 characters; a longer one is cut at 99 with an ellipsis', () => {
    const line = (n: number, c: string) => c.repeat(n);
    expect(diffOutputs(new Map([['notes', `${line(100, 'a')}\n${line(101, 'a')}\n`]]), new Map([['notes', `${line(100, 'b')}\n${line(101, 'b')}\n`]]))).toEqual([
      `notes: line 1: "${line(100, 'a')}" → "${line(100, 'b')}"`,
      `notes: line 2: "${line(99, 'a')}…" → "${line(99, 'b')}…"`,
    ]);
  });

  test('names at most 5 lines of one file', () => {
    const lines = (c: string) => [1, 2, 3, 4, 5, 6].map((i) => `${c}${i}\n`).join('');
    expect(diffOutputs(new Map([['notes', lines('a')]]), new Map([['notes', lines('b')]]))).toEqual(
      [1, 2, 3, 4, 5].map((i) => `notes: line ${i}: "a${i}" → "b${i}"`));
  });

  test('lists at most `limit` differences, and says how many more there are', () => {
    const files = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`f${i}`, 'x\n']));
    expect(diffOutputs(files(3), new Map(), 3)).toEqual(['f0: expected, but not written', 'f1: expected, but not written', 'f2: expected, but not written']);
    expect(diffOutputs(files(4), new Map(), 3)).toEqual(['f0: expected, but not written', 'f1: expected, but not written', 'f2: expected, but not written', '... and 1 more']);
    expect(diffOutputs(files(22), new Map())).toEqual([...[...files(22).keys()].sort().slice(0, 20).map((f) => `${f}: expected, but not written`), '... and 2 more']);
  });
});

describe('readOutputDir', () => {
  test('reads files in subfolders by /-separated path, in name order whatever order the system lists them in, and skips folders', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'k3d'));
    fs.writeFileSync(path.join(dir, 'k3d', 'cluster.yaml'), 'k');
    fs.writeFileSync(path.join(dir, '01-a.yaml'), 'a');
    fs.writeFileSync(path.join(dir, '02-b.yaml'), 'b');
    const realReaddir = fs.readdirSync;
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => (realReaddir(p, o) as unknown[]).reverse()) as typeof fs.readdirSync);
    try {
      expect([...readOutputDir(dir)]).toEqual([['01-a.yaml', 'a'], ['02-b.yaml', 'b'], ['k3d/cluster.yaml', 'k']]);
    } finally {
      spy.mockRestore();
    }
  });
});
