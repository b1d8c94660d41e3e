#!/usr/bin/env node
// `npm run build` (npm ci runs it as `prepare`): bundles launcher.ts and main.ts with esbuild into build/,
// and records what the bundles were made from: each source's size, modification time and sha256, and the
// listing of each source folder. The packages synth always loads (cdk8s, cdk8s-plus-27, constructs, yaml,
// js-yaml) go into the bundle: resolving and loading their hundreds of files one by one cost about 50 ms of
// every synth. Those loaded only when needed, or from their own files, stay in node_modules (EXTERNAL); npm's
// record of the installed packages is among the sources, so installing another version rebuilds. bin/synth.js asks `staleness()`
// before every run and rebuilds when a source changed, so build/ is never older than the sources.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const INFO = path.join(BUILD, 'build-info.json');
const ENTRIES = ['launcher.ts', 'main.ts'];
/** Where the sources live: read before the bundle is made, so a file edited meanwhile is never recorded as built. */
const SOURCE_FOLDERS = ['charts', 'config', 'imports', 'lib'];
/** Files that change a bundle without being in it (npm's record of node_modules when there is one). */
const CONFIG = ['package.json', 'tsconfig.json', 'scripts/build.js', 'node_modules/.package-lock.json'];
/**
 * Packages left in node_modules: loaded lazily, by computed names or for the files beside them (kubernetes-models
 * by kind, ajv to word a failure, adm-zip to unpack helm, the layer's zip and esbuild itself).
 */
const EXTERNAL = ['kubernetes-models', 'kubernetes-models/*', '@kubernetes-models/*', 'ajv', 'ajv/*', 'adm-zip', '@aws-cdk/*', 'esbuild'];
/** Names a source folder may gain that change how an import resolves. */
const SOURCE = /\.(tsx?|jsx?|mts|cts|mjs|cjs|json)$/;
const FORMAT = 'build-info 1';

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const listing = (dir) => fs.readdirSync(path.join(ROOT, dir)).filter((n) => SOURCE.test(n)).sort();

/** Why build/ does not match the sources (a few words), or undefined when it does. Node's built-ins only. */
function staleness() {
  let info;
  try {
    info = JSON.parse(fs.readFileSync(INFO, 'utf8'));
  } catch {
    return 'there is no build yet';
  }
  if (info.format !== FORMAT) return 'it was made by another version of scripts/build.js';
  for (const [rel, was] of Object.entries(info.sources)) {
    const file = path.join(ROOT, rel);
    let st;
    try {
      st = fs.statSync(file);
    } catch {
      return `${rel} is gone`;
    }
    if (st.size === was.size && st.mtimeMs === was.mtimeMs) continue;
    if (!st.isFile() || sha256(fs.readFileSync(file)) !== was.sha256) return `${rel} changed`;
  }
  for (const [dir, names] of Object.entries(info.folders)) {
    let now;
    try {
      now = listing(dir);
    } catch {
      return `${dir}/ is gone`;
    }
    if (now.join('\n') !== names.join('\n')) return `the files in ${dir}/ changed`;
  }
  for (const [rel, digest] of Object.entries(info.outputs)) {
    let content;
    try {
      content = fs.readFileSync(path.join(ROOT, rel));
    } catch {
      return `${rel} is missing`;
    }
    if (sha256(content) !== digest) return `${rel} was changed by hand`;
  }
  return undefined;
}

/** Size, modification time and sha256 of a source, by its path from the repository. */
function sourceState(rel) {
  const file = path.join(ROOT, rel);
  const st = fs.statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(fs.readFileSync(file)) };
}

/** Every source file, taken before a build. */
function snapshot() {
  const states = new Map();
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && (rel || SOURCE_FOLDERS.includes(e.name))) walk(r);
      else if (e.isFile() && SOURCE.test(e.name)) states.set(r, sourceState(r));
    }
  };
  walk('');
  return states;
}

/** Bundles the entries into build/ (beside it first, then renamed into place) and records their sources. */
function build() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error('esbuild is not installed, so build/ cannot be made: run npm ci (it installs the devDependencies and builds)');
  }
  const before = snapshot();
  fs.mkdirSync(BUILD, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(BUILD, '.tmp-'));
  try {
    const result = esbuild.buildSync({
      absWorkingDir: ROOT, entryPoints: ENTRIES, outdir: tmp, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      external: EXTERNAL, metafile: true, logLevel: 'error', legalComments: 'none',
    });
    const inputs = [...Object.keys(result.metafile.inputs).filter((rel) => !rel.includes('node_modules/')), ...CONFIG.filter((rel) => fs.existsSync(path.join(ROOT, rel)))];
    const sources = {};
    for (const rel of [...new Set(inputs)].sort()) sources[rel] = before.get(rel) ?? sourceState(rel);
    const folders = {};
    for (const dir of [...new Set(Object.keys(sources).map((rel) => path.dirname(rel)))].sort()) folders[dir] = listing(dir);
    const outputs = {};
    for (const entry of ENTRIES) {
      const name = entry.replace(/\.ts$/, '.js');
      outputs[`build/${name}`] = sha256(fs.readFileSync(path.join(tmp, name)));
      fs.renameSync(path.join(tmp, name), path.join(BUILD, name));
      // V8's code cache of the bundle before (lib/code-cache.ts): the next synth makes one for this bundle.
      fs.rmSync(path.join(BUILD, `${name}.code-cache`), { force: true });
    }
    const infoTmp = path.join(tmp, 'build-info.json');
    fs.writeFileSync(infoTmp, `${JSON.stringify({ format: FORMAT, sources, folders, outputs }, null, 1)}\n`);
    fs.renameSync(infoTmp, INFO);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { build, staleness, BUILD };

if (require.main === module) {
  try {
    const start = process.hrtime.bigint();
    build();
    process.stderr.write(`built build/ (${ENTRIES.join(', ')}) in ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s\n`);
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 1;
  }
}
