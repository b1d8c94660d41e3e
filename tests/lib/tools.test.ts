import * as fs from 'fs';
import * as path from 'path';
import { findTool, locateTool } from '../../lib/tools';
import { tmpDir } from '../helpers';

const fake = (dir: string, name: string) => {
  const bin = path.join(dir, name);
  fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
  return bin;
};
// A cache folder of the test's own that does not exist: code that wrongly unpacks the bundle (a mutant) writes
// there, never into a folder of the machine's.
const options = { name: 'kubectl' as const, envVar: 'KUBECTL', wanted: 'kubectl', cacheDir: path.join(tmpDir(), 'no-cache') };

describe('findTool', () => {
  test('the explicit binary wins over PATH, and PATH over the bundle', () => {
    const explicit = fake(tmpDir(), 'kubectl');
    const dir = tmpDir();
    const onPath = fake(dir, 'kubectl');
    expect(findTool({ ...options, explicit, searchPath: dir })).toEqual({ path: explicit, source: 'KUBECTL' });
    expect(findTool({ ...options, searchPath: `${path.join(dir, 'absent')}${path.delimiter}${dir}` })).toEqual({ path: onPath, source: 'PATH' });
  });

  test('skips a PATH entry that is not executable', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'kubectl'), 'not a program', { mode: 0o644 });
    const other = tmpDir();
    const bin = fake(other, 'kubectl');
    expect(findTool({ ...options, searchPath: [dir, other].join(path.delimiter) }).path).toBe(bin);
  });

  test('fails on an explicit binary that does not exist, naming the variable and the fix', () => {
    expect(() => findTool({ ...options, explicit: '/no/kubectl' })).toThrow('KUBECTL is "/no/kubectl", which does not exist: point it at a kubectl binary or unset it');
  });

  test('fails on a bundle without the tool, saying what to install', () => {
    const zip = path.join(tmpDir(), 'empty.zip');
    // An empty zip: just the end-of-central-directory record.
    fs.writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Array(18).fill(0)]));
    expect(() => findTool({ ...options, cacheDir: tmpDir(), bundleZip: zip })).toThrow(/no kubectl found: .*(has no kubectl\/kubectl|is for linux-x64).*install kubectl and put it on PATH or set KUBECTL/);
  });
});

describe('locateTool', () => {
  test('finds what findTool would (explicit, then PATH, then the unpacked bundle), without unpacking anything', () => {
    const dir = tmpDir();
    const onPath = fake(dir, 'kubectl');
    const cacheDir = tmpDir();
    expect(locateTool({ name: 'kubectl', explicit: onPath, cacheDir })).toBe(onPath);
    expect(locateTool({ name: 'kubectl', explicit: path.join(dir, 'missing'), cacheDir })).toBeUndefined();
    expect(locateTool({ name: 'kubectl', searchPath: dir, cacheDir })).toBe(findTool({ ...options, searchPath: dir, cacheDir }).path);
    expect(locateTool({ name: 'kubectl', searchPath: '', cacheDir })).toBeUndefined();
    expect(fs.readdirSync(cacheDir)).toEqual([]);
    const unpacked = fake(cacheDir, 'kubectl');
    expect(locateTool({ name: 'kubectl', searchPath: '', cacheDir })).toBe(unpacked);
  });
});
