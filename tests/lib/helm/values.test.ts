import { execFileSync } from 'child_process';
import fs = require('fs');
import * as path from 'path';
import { checkValuesDir, keyPathsOf, parseValues, readValuesFile, valuesFileProblem } from '../../../lib/helm/values';
import { tmpDir } from '../../helpers';

function valuesDir(files: Record<string, string>): string {
  const dir = tmpDir();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Content that must never appear in a message: it stands for /etc/passwd or a file of secrets. */
const PRIVATE = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

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

  test('fails on values files that are a pipe, a folder, a link to a device or a dangling link, without blocking', () => {
    const dir = valuesDir({});
    execFileSync('mkfifo', [path.join(dir, 'a.yaml')]);
    fs.mkdirSync(path.join(dir, 'b.yaml'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'c.yaml'));
    fs.symlinkSync('gone.yaml', path.join(dir, 'd.yaml'));
    expect(() => checkValuesDir(dir, ['a', 'b', 'c', 'd'])).toThrow(new Error([
      `the helm values in ${dir} are not usable:`,
      `values file ${path.join(dir, 'a.yaml')} is a named pipe (FIFO), not a regular file: a values file is a YAML file; put one there`,
      `values file ${path.join(dir, 'b.yaml')} is a folder, not a regular file: a values file is a YAML file; put one there`,
      `values file ${path.join(dir, 'c.yaml')} is a symlink to /dev/zero, which is a character device, not a regular file: a values file is a YAML file; put one there`,
      `values file ${path.join(dir, 'd.yaml')} is a symlink to gone.yaml, which does not exist: create it or remove it from the release`,
    ].join('\n')));
  });

  test('fails on a folder that does not exist, naming the releases', () => {
    const dir = path.join(tmpDir(), 'no-values');
    expect(() => checkValuesDir(dir, ['a', 'b'])).toThrow(new Error(`no values folder ${dir}: it holds one <release>.yaml per helm release (a, b)`));
  });

  test('takes only files ending in .yaml or .yml as values: editor backups are not values', () => {
    expect(() => checkValuesDir(valuesDir({ 'a.yaml': 'x: 1\n', 'a.yaml.bak': '- not values', 'a.yaml~': '- not values' }), ['a'])).not.toThrow();
  });

  test('names the release a stray file stands for by its last extension only', () => {
    const dir = valuesDir({ 'a.yaml': 'x: 1\n', 'a.yml.yaml': 'x: 1\n' });
    expect(() => checkValuesDir(dir, ['a'])).toThrow(new Error([
      `the helm values in ${dir} are not usable:`,
      `${path.join(dir, 'a.yml.yaml')}: no helm release is named "a.yml", so nothing reads this file; the releases are a (rename or remove it)`,
    ].join('\n')));
  });

  test('lists the problems in the order of the file names, whatever order the folder lists them in', () => {
    const dir = valuesDir({ 'a.yaml': '- 1\n', 'b.yaml': '- 1\n', 'c.yaml': '- 1\n' });
    const readdirSync = fs.readdirSync;
    jest.spyOn(fs, 'readdirSync').mockImplementation(((folder: fs.PathLike) => (readdirSync as any)(folder).reverse()) as typeof fs.readdirSync);
    try {
      expect(() => checkValuesDir(dir, ['a', 'b', 'c'])).toThrow(new Error([
        `the helm values in ${dir} are not usable:`,
        ...['a', 'b', 'c'].map((r) => `${path.join(dir, `${r}.yaml`)}: holds a list, not values; helm takes a mapping such as "key: value" (or {} for none)`),
      ].join('\n')));
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('valuesFileProblem', () => {
  const cases: Array<[string, string, (f: string) => string]> = [
    ['a link to a file that is text, not values', PRIVATE, (f) => `${f}: holds a single string, not values; helm takes a mapping such as "key: value" (or {} for none)`],
    ['a number', '42\n', (f) => `${f}: holds a number, not values; helm takes a mapping such as "key: value" (or {} for none)`],
    ['YAML that does not parse', `key: [\n${PRIVATE}`, (f) => `${f}:3:1: the YAML does not parse: missed comma between flow collection entries`],
    ['a tab for indentation', `a:\n\t${PRIVATE}`, (f) => `${f}:2:1: the YAML does not parse: tab characters must not be used in indentation`],
    ['two documents (an error without a line)', `a: 1\n---\n${PRIVATE}`, (f) => `${f}: the YAML does not parse: expected a single document in the stream, but found more`],
  ];
  test.each(cases)('names the file and never prints its content: %s', (_name, content, message) => {
    const target = path.join(tmpDir(), 'passwd');
    fs.writeFileSync(target, content);
    const link = path.join(tmpDir(), 'release.yaml');
    fs.symlinkSync(target, link);
    const problem = valuesFileProblem(link);
    expect(problem).toBe(message(link));
    expect(problem).not.toContain('root:x');
  });
});

describe('readValuesFile', () => {
  afterEach(() => jest.restoreAllMocks());

  test('fails on a file it may not read, saying how to fix it (the error is injected: root reads anything)', () => {
    const file = path.join(tmpDir(), 'a.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
    jest.spyOn(fs, 'openSync').mockImplementationOnce(() => { throw denied; });
    expect(() => readValuesFile(file)).toThrow(new Error(`values file ${file} cannot be read: permission denied: make it readable by this user`));
  });

  test('fails on a file replaced while it is read, saying to run again', () => {
    const file = path.join(tmpDir(), 'a.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    const openSync = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementationOnce(((p: fs.PathLike, ...rest: any[]) => {
      fs.writeFileSync(`${p}.new`, 'a: 2\n');
      fs.renameSync(`${p}.new`, p);
      return (openSync as any)(p, ...rest);
    }) as typeof fs.openSync);
    expect(() => readValuesFile(file)).toThrow(new Error(`values file ${file} changed while it was read (now a regular file): run again`));
  });

  test('fails on a file over the limit, naming it', () => {
    const file = path.join(tmpDir(), 'big.yaml');
    fs.writeFileSync(file, `a: ${'x'.repeat(2000)}\n`);
    expect(() => readValuesFile(file, 1024)).toThrow(`values file ${file} is 2004 bytes, more than the limit of 1 KiB: helm values are a few KiB; check that it is the right file`);
  });
});

describe('parseValues', () => {
  test('takes a file that is empty, or holds only null, as no values', () => {
    expect(['', '~\n', 'null\n', '# only a comment\n'].map((text) => parseValues('v.yaml', text))).toEqual([{ values: {} }, { values: {} }, { values: {} }, { values: {} }]);
  });
});

describe('keyPathsOf', () => {
  test('finds every key path that holds the value, in maps and lists', () => {
    expect(keyPathsOf({ namespaceOverride: 'kube-system', a: { b: ['x', 'kube-system'], c: 'kube-system-2' }, n: 1 }, 'kube-system')).toEqual(['namespaceOverride', 'a.b[1]']);
  });
});
