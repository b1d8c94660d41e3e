// Loading the synth's bundle with V8's code cache: compiling build/main.js (2 MB with the packages it holds)
// and the functions a synth runs costs about 40 ms of every synth; V8 can keep what it compiled and take it
// back, if given the same source. The cache is kept beside the bundle (build/main.js.code-cache), written
// by the first synth after a build once it has run (so it holds the functions a synth uses), and taken only
// when its header names this bundle's sha256, this node and this architecture, and its bytes are whole;
// anything else and the bundle is compiled from source, and the cache written anew. V8 checks the rest
// (its version and flags) itself. Node's built-ins only: the launcher uses it before anything is loaded.
import * as fs from 'fs';
import { createRequire, Module } from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { sha256Hex } from './cache-files';

const FORMAT = 'code-cache 1';
/** The most a cache file may take; a bigger one is not read. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The file beside `bundle` that holds its code cache. */
export const codeCacheFile = (bundle: string): string => `${bundle}.code-cache`;

function header(sourceDigest: string, payload: Buffer): string {
  return `${FORMAT} ${sourceDigest} ${process.version} ${process.arch} ${sha256Hex(payload)}\n`;
}

/** The cached data kept for the source with `sourceDigest`, or undefined when there is none, or it is for another source or node, damaged or bigger than `maxBytes`. */
export function readCodeCache(file: string, sourceDigest: string, maxBytes = MAX_BYTES): Buffer | undefined {
  let content: Buffer;
  try {
    if (fs.statSync(file).size > maxBytes) return undefined;
    content = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  // Without a newline, the header is empty and matches nothing.
  const newline = content.indexOf(0x0a);
  const payload = content.subarray(newline + 1);
  return content.subarray(0, newline + 1).toString('latin1') === header(sourceDigest, payload) ? payload : undefined;
}

/** Writes the cached data of the source with `sourceDigest` (a temporary name, then a rename); false when it could not. */
export function writeCodeCache(file: string, sourceDigest: string, payload: Buffer): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(header(sourceDigest, payload), 'latin1'), payload]));
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

/** How requireBundle has the cache written when the run is over. @default process.once('exit', write) */
export type AtExit = (write: () => void) => void;

/**
 * Runs the CommonJS bundle `file` (whose bytes are `source`, with sha256 `sourceDigest`) as `require` would,
 * compiled with its code cache when there is a good one. `cached` says whether V8 took one; when it did not,
 * the cache is written when the process exits (`atExit`), holding what the run compiled.
 */
export function requireBundle(file: string, source: Buffer, sourceDigest: string, atExit: AtExit = (write) => process.once('exit', write)): { exports: unknown; cached: boolean } {
  const cacheFile = codeCacheFile(file);
  const cachedData = readCodeCache(cacheFile, sourceDigest);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
  const mod = new Module(file, require.main);
  mod.filename = file;
  require.cache[file] = mod;
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  if (!cached) atExit(() => writeCodeCache(cacheFile, sourceDigest, script.createCachedData()));
  return { exports: mod.exports, cached };
}
