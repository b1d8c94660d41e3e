// What `npm run synth` runs first (bin/synth.js starts it from build/launcher.js): when every input and
// the output are what the last synth read and wrote, it says so and stops before cdk8s, helm or the
// validators are loaded; otherwise it runs main.ts (build/main.js). Node's built-ins only: esbuild keeps
// every package a bundled module imports, so nothing here may import one.
import * as fs from 'fs';
import * as path from 'path';
import { cacheFolders, outputSettings, pathsFrom, shownFolder } from './config/paths';
import { fileForOutput, sha256Hex } from './lib/cache-files';
import { requireBundle } from './lib/code-cache';
import { peekInstallationKey } from './lib/secrets';
import { changeSince, readRecord } from './lib/synth-record';
import { locateTool } from './lib/tools';
import type { main as Main } from './main';

/** The bundle of the synth, and its bytes and sha256 (undefined when it cannot be read). */
function readBundle(): { file: string; source?: Buffer; digest: string } {
  const file = path.join(__dirname, 'main.js');
  try {
    const source = fs.readFileSync(file);
    return { file, source, digest: sha256Hex(source) };
  } catch {
    return { file, digest: 'missing' };
  }
}

/** A digest of what runs: both bundles (the synth's given by its digest), node, and the installed packages as npm recorded them. */
function toolDigest(root: string, bundleDigest: string): string {
  const read = (file: string) => {
    try {
      return sha256Hex(fs.readFileSync(file));
    } catch {
      return 'missing';
    }
  };
  const parts = [read(__filename), bundleDigest, ...[path.join(root, 'package-lock.json'), path.join(root, 'node_modules', '.package-lock.json')].map(read)];
  return sha256Hex([process.version, process.arch, ...parts].join('\n'));
}

/** Why this run must synthesize (a few words), or what to print again when the output is what the inputs give. */
export function whySynthesize(env: NodeJS.ProcessEnv, tool: string): { why: string } | { why: undefined; printed: readonly string[] } {
  const paths = pathsFrom(env);
  const key = peekInstallationKey({ explicit: env.PLATFORM_KEY, file: paths.keyFile });
  const helm = locateTool({ name: 'helm', explicit: env.HELM, searchPath: env.PATH, cacheDir: paths.cacheDir });
  if (!key || !helm) return { why: `no ${key ? 'helm' : 'installation key'} yet` };
  const record = readRecord(fileForOutput(cacheFolders(paths).records, paths.outdir));
  const why = changeSince(record, { tool, settings: outputSettings(env, paths, { key, helm }) });
  return why ? { why } : { why, printed: record!.printed };
}

/** Runs `npm run synth`: stops when nothing changed, else loads and runs the synth. */
export function launch(): void {
  const args = process.argv.slice(2);
  const bundle = readBundle();
  const tool = toolDigest(path.resolve(__dirname, '..'), bundle.digest);
  // Only a plain synth may stop early: --check, --no-cache and --help (and a bad argument) go to main.
  if (args.every((a) => a === '--quiet')) {
    const started = performance.now();
    const verdict = whySynthesize(process.env, tool);
    if (verdict.why === undefined) {
      const paths = pathsFrom(process.env);
      process.stderr.write(`nothing changed since the last synth: ${shownFolder(paths.outdir)} and ${shownFolder(paths.secretsDir)} are as it wrote them ` +
        `(every input and output file checked in ${Math.round(performance.now() - started)} ms)\n`);
      for (const line of verdict.printed) process.stdout.write(`${line}\n`);
      return;
    }
    if (!args.includes('--quiet')) process.stderr.write(`synthesizing: ${verdict.why}\n`);
  }
  // With V8's code cache of the bundle when there is one (lib/code-cache.ts); `require` says why there is no bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const synth = (bundle.source ? requireBundle(bundle.file, bundle.source, bundle.digest).exports : require(bundle.file)) as { main: typeof Main };
  synth.main({ tool });
}
