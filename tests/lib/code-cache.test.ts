import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sha256Hex } from '../../lib/cache-files';
import { codeCacheFile, readCodeCache, requireBundle, writeCodeCache } from '../../lib/code-cache';
import { ROOT, tmpDir } from '../helpers';

describe('requireBundle', () => {
  /** A bundle in a folder of its own that requires a file beside it, with the writes it asks for at exit. */
  const bundle = (answer: string) => {
    const dir = fs.realpathSync(tmpDir('bundle-'));
    fs.writeFileSync(path.join(dir, 'dep.js'), 'module.exports = 40;\n');
    const file = path.join(dir, 'main.js');
    fs.writeFileSync(file, `'use strict';\nconst dep = require('./dep.js');\nexports.answer = () => dep + ${answer};\nexports.where = [__filename, __dirname];\nexports.loaded = () => module.loaded;\n`);
    return file;
  };
  const load = (file: string) => {
    const writes: Array<() => void> = [];
    const source = fs.readFileSync(file);
    const loaded = requireBundle(file, source, sha256Hex(source), (write) => writes.push(write));
    return { ...loaded, exports: loaded.exports as { answer(): number; where: string[]; loaded(): boolean }, writes };
  };

  test('runs the bundle as require would, and keeps V8\'s code cache for the next run when the run is over', () => {
    const file = bundle('2');
    const first = load(file);
    expect([first.exports.answer(), first.exports.where, first.exports.loaded(), first.cached]).toEqual([42, [file, path.dirname(file)], true, false]);
    expect(fs.existsSync(codeCacheFile(file))).toBe(false);
    expect(first.writes.length).toBe(1);
    first.writes[0]();
    const second = load(file);
    expect([second.exports.answer(), second.cached, second.writes.length]).toEqual([42, true, 0]);
  });

  test('never takes the cache of another source, even one of the same length: it compiles the source and writes a cache for it', () => {
    const file = bundle('2');
    const first = load(file);
    first.writes.forEach((w) => w());
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('dep + 2', 'dep + 3'));
    const edited = load(file);
    expect([edited.exports.answer(), edited.cached, edited.writes.length]).toEqual([43, false, 1]);
    edited.writes[0]();
    expect(load(file).cached).toBe(true);
  });

  test.each([
    ['with a byte of its code changed', (content: Buffer) => { content[content.length - 10] ^= 1; }],
    ['cut short', (content: Buffer) => content.subarray(0, content.length - 100)],
    ['made by another node', (content: Buffer) => Buffer.from(content.toString('latin1').replace(process.version, 'v0.0.1'), 'latin1')],
    ['without a header', () => Buffer.from('no newline')],
  ])('compiles from source past a cache %s', (_name, damage) => {
    const file = bundle('2');
    load(file).writes.forEach((w) => w());
    const content = fs.readFileSync(codeCacheFile(file));
    fs.writeFileSync(codeCacheFile(file), damage(content) ?? content);
    const source = fs.readFileSync(file);
    expect(readCodeCache(codeCacheFile(file), sha256Hex(source))).toBeUndefined();
    const again = load(file);
    expect([again.exports.answer(), again.cached]).toEqual([42, false]);
  });

  test('compiles from source when V8 refuses a whole cache, and writes a good one', () => {
    const file = bundle('2');
    const source = fs.readFileSync(file);
    expect(writeCodeCache(codeCacheFile(file), sha256Hex(source), Buffer.from('not V8 code'))).toBe(true);
    expect(readCodeCache(codeCacheFile(file), sha256Hex(source))).toEqual(Buffer.from('not V8 code'));
    const refused = load(file);
    expect([refused.exports.answer(), refused.cached, refused.writes.length]).toEqual([42, false, 1]);
    refused.writes[0]();
    expect(load(file).cached).toBe(true);
  });

  test('by default, writes the cache when the process exits', () => {
    const file = bundle('2');
    const source = fs.readFileSync(file);
    const before = process.listeners('exit');
    const loaded = requireBundle(file, source, sha256Hex(source));
    const added = process.listeners('exit').filter((l) => !before.includes(l));
    for (const l of added) process.removeListener('exit', l);
    expect([(loaded.exports as { answer(): number }).answer(), loaded.cached, added.length]).toEqual([42, false, 1]);
    expect(fs.existsSync(codeCacheFile(file))).toBe(false);
    (added[0] as () => void)();
    expect(requireBundle(file, source, sha256Hex(source), () => {}).cached).toBe(true);
  });

  test('a cache file starts with a line naming its format, the source\'s sha256, node, the architecture and the sha256 of the rest', () => {
    const file = path.join(tmpDir(), 'main.js.code-cache');
    expect(writeCodeCache(file, 'a'.repeat(64), Buffer.from('payload'))).toBe(true);
    expect(fs.readFileSync(file, 'latin1')).toBe(`code-cache 1 ${'a'.repeat(64)} ${process.version} ${process.arch} ${sha256Hex('payload')}\npayload`);
    expect(readCodeCache(file, 'b'.repeat(64))).toBeUndefined();
  });

  test('does not read a cache file bigger than the bound', () => {
    const file = path.join(tmpDir(), 'main.js.code-cache');
    writeCodeCache(file, 'a'.repeat(64), Buffer.from('payload'));
    const size = fs.statSync(file).size;
    expect(readCodeCache(file, 'a'.repeat(64), size)).toEqual(Buffer.from('payload'));
    expect(readCodeCache(file, 'a'.repeat(64), size - 1)).toBeUndefined();
  });

  test('in a process of its own, the bundle counts as loaded and the cache is written when the process exits', () => {
    const file = bundle('2');
    const script = `const fs = require('fs');
const { requireBundle } = require(${JSON.stringify(path.join(ROOT, 'lib', 'code-cache.ts'))});
const source = fs.readFileSync(${JSON.stringify(file)});
const { exports, cached } = requireBundle(${JSON.stringify(file)}, source, require('crypto').createHash('sha256').update(source).digest('hex'));
console.log(JSON.stringify([exports.answer(), cached, require.cache[${JSON.stringify(file)}].loaded, fs.existsSync(${JSON.stringify(codeCacheFile(file))})]));`;
    const run = () => spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const first = run();
    expect([first.status, first.stderr, first.stdout.trim()]).toEqual([0, '', '[42,false,true,false]']);
    expect(fs.existsSync(codeCacheFile(file))).toBe(true);
    const second = run();
    expect(second.stdout.trim()).toBe('[42,true,true,true]');
  });

  test('reports a cache it cannot write as not written, and leaves no temporary file', () => {
    const dir = tmpDir('readonly-');
    const file = path.join(dir, 'missing-folder', 'main.js.code-cache');
    expect(writeCodeCache(file, 'digest', Buffer.from('x'))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
