// `npm run bench [-- RUNS]`: times the whole `npm run synth` command in scratch copies of the repository
// (node_modules linked, chart store and lock as synth would use them): cold (empty caches, no output),
// warm (nothing changed) and after one input changed (the hub's hostname), for the configuration and
// for it with 16 more JupyterHub releases. Each run is printed as it finishes, then the median, min and
// max of the wall time and of the peak memory of the synth process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { pathsFrom, REPOSITORY_ROOT } from '../config';
import { CommandSpec, findTool, positiveInteger, runCommand, UsageError } from '../lib';
import { benchHubName } from './bench-hubs';

export const BENCH_COMMAND = {
  name: 'npm run bench',
  summary: 'Times npm run synth cold (empty caches), warm (nothing changed) and after a hostname edit, for the configuration and with more JupyterHub releases.',
  options: {
    'extra-releases': { type: 'string', value: 'N', description: 'how many JupyterHub releases the second configuration adds (default 16)' },
    'no-extra': { type: 'boolean', description: 'time the configuration only' },
  },
  positionals: { usage: '[RUNS]', max: 1, description: 'how many runs of each kind (default 5)' },
  environment: [
    ['PLATFORM_CONFIG', 'the configuration to time (default platform.yaml)'],
    ['CHART_STORE, CHART_LOCK', 'the chart archives and their lock, as synth uses them'],
    ['PLATFORM_KEY', 'the installation key (default: a key of the scratch copy, made by its first synth)'],
    ['HELM', 'the helm binary (default: the one synth finds)'],
  ],
} as const satisfies CommandSpec<any>;

/** What the scratch copy holds of the repository (node_modules is linked). */
const COPIED = ['main.ts', 'launcher.ts', 'bin', 'scripts', 'charts', 'config', 'lib', 'imports', 'helm-values', 'helm-lock.yaml', 'package.json', 'package-lock.json', 'tsconfig.json'];
const KINDS = ['cold', 'warm', 'one change'] as const;
type Kind = typeof KINDS[number];

interface Sample {
  readonly seconds: number;
  /** Peak resident memory of the synth process, in MiB. */
  readonly mib: number;
}

/** Records each node process's peak memory when it exits (loaded with NODE_OPTIONS=--require). */
const RSS_PRELOAD = `process.on('exit', () => { try { require('fs').appendFileSync(process.env.BENCH_RSS_FILE, process.argv[1] + '\\t' + process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`;

/** Copies what synth needs of the repository into `dir` (sources, values, lock, package files; no build/), linking node_modules. */
export function copyRepository(dir: string): void {
  for (const entry of COPIED) fs.cpSync(path.join(REPOSITORY_ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

/** A scratch copy of the repository that synthesizes `config`, with `extra` more JupyterHub releases. */
function scratchCopy(work: string, name: string, config: string, lock: string, extra: number): string {
  const dir = path.join(work, name);
  copyRepository(dir);
  const doc = yaml.load(fs.readFileSync(lock, 'utf8')) as { charts: Record<string, Record<string, unknown>> };
  if (extra) {
    const registry = path.join(dir, 'charts', 'registry.ts');
    fs.writeFileSync(registry, `${fs.readFileSync(registry, 'utf8').replace(/\] as const;/, ', benchHubs] as const;')}import { benchHubs } from '../scripts/bench-hubs';\n`);
    const hubs = path.join(dir, 'scripts', 'bench-hubs.ts');
    fs.writeFileSync(hubs, fs.readFileSync(hubs, 'utf8').replace(/BENCH_HUBS = \d+;/, `BENCH_HUBS = ${extra};`));
    for (let i = 1; i <= extra; i++) {
      doc.charts[benchHubName(i)] = { ...doc.charts.jupyterhub };
      fs.copyFileSync(path.join(dir, 'helm-values', 'jupyterhub.yaml'), path.join(dir, 'helm-values', `${benchHubName(i)}.yaml`));
    }
  }
  fs.writeFileSync(path.join(dir, 'bench-lock.yaml'), yaml.dump(doc));
  const settings = parseDocument(fs.readFileSync(config, 'utf8'));
  settings.setIn(['charts', 'lock'], 'bench-lock.yaml');
  settings.setIn(['charts', 'values'], 'helm-values');
  fs.writeFileSync(path.join(dir, 'platform.yaml'), settings.toString());
  const built = spawnSync(process.execPath, ['scripts/build.js'], { cwd: dir, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the scratch copy ${dir} does not build: ${built.stderr.trim()}`);
  return dir;
}

/** Sets the hub's hostname in the scratch copy's configuration. */
function setHostname(dir: string, hostname: string): void {
  const file = path.join(dir, 'platform.yaml');
  const settings = parseDocument(fs.readFileSync(file, 'utf8'));
  settings.setIn(['jupyterhub', 'hostname'], hostname);
  fs.writeFileSync(file, settings.toString());
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function bench(runs: number, extra: number, env: NodeJS.ProcessEnv): Promise<void> {
  const paths = pathsFrom(env);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const preload = path.join(work, 'rss.js');
  fs.writeFileSync(preload, RSS_PRELOAD);
  // One helm for every copy: the bundled one is unpacked once, in the repository's .cache/.
  const helm = findTool({ name: 'helm', envVar: 'HELM', explicit: env.HELM, searchPath: env.PATH, cacheDir: paths.cacheDir, wanted: 'helm 3.8+' }).path;
  const lock = paths.lockOverride ?? path.join(REPOSITORY_ROOT, 'helm-lock.yaml');
  const configurations: Array<[string, number]> = [['configuration', 0], ...(extra ? [[`+${extra} releases`, extra] as [string, number]] : [])];
  process.stdout.write(`npm run synth, ${runs} run(s) of each kind, on ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, helm ${helm}\n`);
  const results: Array<[string, Kind, Sample[]]> = [];
  try {
    for (const [name, count] of configurations) {
      const dir = scratchCopy(work, name.replace(/\W+/g, '-'), paths.configFile, lock, count);
      const { CHART_LOCK: _, ...rest } = env;
      const runEnv: NodeJS.ProcessEnv = {
        ...rest, HELM: helm, PLATFORM_CONFIG: path.join(dir, 'platform.yaml'), CDK8S_OUTDIR: path.join(dir, 'dist'),
        SYNTH_CACHE: path.join(dir, '.synth-cache'), NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${preload}`.trim(), CDK8S_CHECK_UPGRADE: 'false',
      };
      const samples = new Map<Kind, Sample[]>(KINDS.map((k) => [k, []]));
      const synth = (kind: Kind, run: number) => {
        const rssFile = path.join(work, `rss-${name.replace(/\W+/g, '-')}-${run}-${kind.replace(/\W+/g, '-')}`);
        const start = process.hrtime.bigint();
        const res = spawnSync('npm', ['run', '-s', 'synth'], { cwd: dir, encoding: 'utf8', env: { ...runEnv, BENCH_RSS_FILE: rssFile } });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (res.status !== 0) throw new Error(`npm run synth failed in ${dir}:\n${res.stderr.trim()}`);
        const rss = fs.readFileSync(rssFile, 'utf8').split('\n').filter((l) => l.split('\t')[0].endsWith(path.join('bin', 'synth.js')));
        const sample = { seconds, mib: Math.max(...rss.map((l) => Number(l.split('\t')[1]))) / 1024 };
        samples.get(kind)!.push(sample);
        const said = /checked in (\d+) ms/.exec(res.stderr);
        process.stdout.write(`${name}, ${kind}, run ${run}/${runs}: ${seconds.toFixed(2)} s, ${sample.mib.toFixed(0)} MiB` +
          `${said ? ` (the nothing-changed check: ${said[1]} ms)` : ''}\n`);
      };
      for (let run = 1; run <= runs; run++) {
        fs.rmSync(runEnv.SYNTH_CACHE!, { recursive: true, force: true });
        fs.rmSync(runEnv.CDK8S_OUTDIR!, { recursive: true, force: true });
        fs.rmSync(`${runEnv.CDK8S_OUTDIR!}-secrets`, { recursive: true, force: true });
        synth('cold', run);
        synth('warm', run);
        setHostname(dir, `bench-${run}.example.it`);
        synth('one change', run);
      }
      for (const kind of KINDS) results.push([name, kind, samples.get(kind)!]);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write('\n');
  for (const [name, kind, samples] of results) {
    const s = samples.map((x) => x.seconds);
    const m = samples.map((x) => x.mib);
    process.stdout.write(`${`${name}, ${kind}:`.padEnd(32)} median ${median(s).toFixed(2)} s (min ${Math.min(...s).toFixed(2)}, max ${Math.max(...s).toFixed(2)}), ` +
      `peak memory median ${median(m).toFixed(0)} MiB (min ${Math.min(...m).toFixed(0)}, max ${Math.max(...m).toFixed(0)})\n`);
  }
}

runCommand(module, BENCH_COMMAND, (options, positionals) => {
  if (positionals.length && !/^[1-9][0-9]{0,3}$/.test(positionals[0])) {
    throw new UsageError(`RUNS ${JSON.stringify(positionals[0].slice(0, 40))} is not a number of runs: use e.g. npm run bench -- 5`);
  }
  const runs = positionals.length ? Number(positionals[0]) : 5;
  const extra = options['no-extra'] ? 0 : options['extra-releases'] !== undefined
    ? positiveInteger('--extra-releases', options['extra-releases'], 'a number of releases', '16') : 16;
  return bench(runs, extra, process.env);
});
