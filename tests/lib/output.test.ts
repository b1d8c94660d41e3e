import * as fs from 'fs';
import * as path from 'path';
import { Phase, renderFiles, toYaml, writeAtomically } from '../../lib';
import { loadAll, readTree, tmpDir } from '../helpers';

describe('renderFiles', () => {
  test('writes one file per phase with objects, in apply order, one object per document', () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    const files = renderFiles([
      { phase: Phase.FOUNDATIONS, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, path: 'a' },
      { phase: Phase.APPS, object: cm('x'), path: 'b' },
      { phase: Phase.APPS, object: cm('y'), path: 'c' },
    ]);
    expect([...files.keys()]).toEqual(['01-crds-namespaces.yaml', '04-apps.yaml']);
    expect(loadAll(files.get('04-apps.yaml')!).map((o) => o.metadata.name)).toEqual(['x', 'y']);
    expect(files.get('04-apps.yaml')).toMatch(/^# Phase 4: apps and routes\./);
  });

  test('keeps the objects\' key order, quotes YAML 1.1 booleans and does not fold long lines', () => {
    const text = toYaml({ kind: 'K', apiVersion: 'v1', data: { a: 'yes', b: 'x'.repeat(200), c: 'line1\nline2\n' } });
    expect(text.split('\n')[0]).toBe('kind: K');
    expect(text).toContain('a: "yes"');
    expect(text).toContain(`b: ${'x'.repeat(200)}\n`);
    expect(text).toContain('c: |\n');
  });
});

describe('writeAtomically', () => {
  test('replaces the folder with exactly the new files, leaving nothing beside it', () => {
    const parent = tmpDir();
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'stale.yaml'), 'old');
    writeAtomically(out, new Map([['01-a.yaml', 'new']]));
    expect(readTree(out)).toEqual({ '01-a.yaml': 'new' });
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('leaves the folder exactly as it was when writing fails', () => {
    const parent = tmpDir();
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.yaml'), 'previous');
    // A file name that cannot be created (a path through a file) makes the write fail halfway.
    const files = new Map([['01-ok.yaml', 'x'], ['01-ok.yaml/under-a-file.yaml', 'y']]);
    expect(() => writeAtomically(out, files)).toThrow();
    expect(readTree(out)).toEqual({ 'keep.yaml': 'previous' });
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });
});
