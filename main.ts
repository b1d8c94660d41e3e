// Composition root: reads the environment, the arguments and platform.yaml once, builds the platform,
// synthesizes dist/.
//   npm run synth               writes dist/ (and dist-secrets/ for Secrets that carry values)
//   npm run synth -- --check    synthesizes twice, writes nothing, and fails if the two differ or differ from dist/
// `npm run synth` starts in launcher.ts, which stops early when nothing changed; `tsx main.ts` always synthesizes.
// PLATFORM_CONFIG names another configuration file; CHART_LOCK, CHART_STORE and HELM override the engine's;
// HELM_TIMEOUT is how many seconds helm may take for one release.
import * as fs from 'fs';
import { App } from 'cdk8s';
import { ADMIN_PASSWORD_OVERRIDE, hostsLines, Platform } from './charts';
import {
  cacheFolders, engineSettings, helmFromEnv, helmTimeoutFrom, K3D_CONFIG_FILE, k3dClusterConfig, loadConfig, outputSettings, pathsFrom, protectedPaths, renderTargetFor,
  type Paths, REPOSITORY_ROOT, shownFolder,
} from './config';
import {
  ARGO_CD_SYNC_WAVE, carriesSecretData, CheckedArchivesFile, checkSynthesis, CommandSpec, helpText, HelmRenderer, InputStates, loadInstallationKey, Manifest, parseCommandLine,
  PHASE_FOLDERS, fileForOutput, folderForOutput, RenderCache, saveRecord, startCommand, synthesize, toYaml,
} from './lib';

export const SYNTH_COMMAND = {
  name: 'npm run synth',
  summary: 'Renders the platform from platform.yaml and the chart store into dist/ (Secrets with values into dist-secrets/), offline.',
  options: {
    check: { type: 'boolean', description: 'synthesize twice and write nothing; fail if the two differ, or differ from dist/ (no caches)' },
    quiet: { type: 'boolean', description: 'print no step, only notices, errors, the closing summary and the hosts lines' },
    'no-cache': { type: 'boolean', description: 'render every release with helm and validate every object, neither reading nor writing the caches' },
  },
  environment: [
    ['PLATFORM_CONFIG', 'the configuration file (default platform.yaml)'],
    ['CHART_STORE', 'the folder of chart archives (default .chart-store/)'],
    ['CHART_LOCK', 'a chart lock that wins over the configuration\'s charts.lock'],
    ['HELM', 'the helm binary (default: helm on PATH, else the bundled one)'],
    ['CDK8S_OUTDIR', 'the output folder (default dist/; Secrets go to <it>-secrets/)'],
    ['PLATFORM_KEY', 'the installation key, 64 hex digits (default: .platform-key, created on first synth)'],
    ['JUPYTERHUB_ADMIN_PASSWORD', 'the hub admin\'s password, at least 32 characters (default: derived from the key)'],
    ['HELM_TIMEOUT', 'seconds helm may take to render one release (default 120)'],
    ['SYNTH_CACHE', 'the folder of synth\'s caches (default .cache/; delete it to empty them)'],
  ],
} as const satisfies CommandSpec<any>;

export interface RunOptions {
  /**
   * A digest of the running tool's code and dependencies (the launcher's): with it, synth records what it
   * read and wrote, so that the next `npm run synth` can tell nothing changed. @default - no record
   */
  readonly tool?: string;
}

type Out = { log(line: string): void; print(line: string): void };

/**
 * The configuration, the engine's settings and the installation key, with the state of each input taken
 * before it is read (so a file edited meanwhile is never recorded as unchanged).
 */
function readInputs(env: NodeJS.ProcessEnv, paths: Paths, out: Out) {
  const inputs = new InputStates().add('file', paths.configFile);
  const { config, lockFile, valuesDir } = loadConfig(paths.configFile);
  const missing = (setting: string, value: string, resolved: string, fix: string) =>
    new Error(`${paths.configFile}: ${setting} is "${value}", but ${resolved} does not exist; ${fix} (relative paths are read from the file's folder)`);
  if (!paths.lockOverride && !fs.existsSync(lockFile)) throw missing('charts.lock', config.charts.lock, lockFile, 'point it at the chart lock, the repository\'s helm-lock.yaml');
  if (!fs.existsSync(valuesDir)) throw missing('charts.values', config.charts.values, valuesDir, 'point it at the folder of <release>.yaml values files, the repository\'s helm-values');
  inputs.add('file', paths.lockOverride ?? lockFile);
  const settings = engineSettings(paths, lockFile);
  for (const chart of settings.lock.charts) inputs.add('file', settings.store.pathOf(chart));
  inputs.add('folder', valuesDir);
  const key = loadInstallationKey({ explicit: env.PLATFORM_KEY, explicitName: 'PLATFORM_KEY', file: paths.keyFile });
  if (key.created) out.log(`created the installation key ${key.source}: keep it (secrets derive from it) and out of git`);
  return { config, lockFile, valuesDir, settings, key, inputs };
}

/** The progress lines of a render: each release as it finishes, then the validation. */
function progress(step: (line: string) => void) {
  return {
    onRendered: (r: { releaseName: string; chart: { chart: string; version: string } }, objects: number, ms: number, cached: boolean) =>
      step(`${cached ? 'took' : 'rendered'} ${r.releaseName} (${r.chart.chart} ${r.chart.version}): ${objects} objects ${cached ? 'from the render cache ' : ''}in ${Math.round(ms)} ms`),
    onValidated: (report: { objects: number; passedBefore: number }, ms: number) =>
      step(`validated ${report.objects} objects in ${Math.round(ms)} ms${report.passedBefore ? ` (${report.passedBefore} unchanged since a run that checked them)` : ''}`),
  };
}

/** The closing line of a synth: what went where, and how long it took. */
function summary(manifests: readonly Manifest[], paths: Paths, wrote: { k3d: boolean; gitops: string; started: number }): string {
  const [committable, secrets] = [manifests.filter((m) => !carriesSecretData(m.object)), manifests.filter((m) => carriesSecretData(m.object))];
  const out = shownFolder(paths.outdir);
  return `wrote ${committable.length} objects to ${out} (${countsByFile(committable)}), ` +
    `${secrets.length} Secret${secrets.length === 1 ? '' : 's'} with values to ${shownFolder(paths.secretsDir)}${secrets.length ? ` (${countsByFile(secrets)})` : ''}` +
    (wrote.k3d ? ` and the k3d cluster config to ${out}${K3D_CONFIG_FILE} (k3d cluster create --config ${out}${K3D_CONFIG_FILE})` : '') +
    (wrote.gitops !== 'none' ? `, the ${wrote.gitops === 'flux' ? 'Flux' : 'Argo CD'} objects to ${out}gitops/ (each file says how to apply it)` : '') +
    ` in ${((performance.now() - wrote.started) / 1000).toFixed(1)} s`;
}

/** One synth (or check): everything `npm run synth` does, with its inputs passed in. */
export async function run(args: readonly string[], env: NodeJS.ProcessEnv, root: string, out: Out, options: RunOptions = {}): Promise<void> {
  const started = performance.now();
  const { help, options: flags } = parseCommandLine(SYNTH_COMMAND, args);
  if (help) return out.print(helpText(SYNTH_COMMAND));
  const check = flags.check ?? false;
  const step = flags.quiet ? () => {} : out.log;
  const paths = pathsFrom(env, root);
  const caches = !check && !flags['no-cache'] ? cacheFolders(paths) : undefined;
  const { config, lockFile, valuesDir, settings, key, inputs } = readInputs(env, paths, out);
  const build = () => {
    const app = new App({ outdir: paths.outdir });
    const platform = new Platform(app, 'platform', {
      lock: settings.lock, config, valuesDir, installationKey: key.key,
      secretOverrides: { [ADMIN_PASSWORD_OVERRIDE]: env.JUPYTERHUB_ADMIN_PASSWORD || undefined },
    });
    return { app, platform };
  };
  // Every problem of the configuration and the values folder surfaces here, before helm is looked for.
  const first = build();
  const helm = helmFromEnv(env, settings.cacheDir, step, caches?.helmVersion);
  inputs.add('program', helm.path);
  const renderer = new HelmRenderer({
    helm, store: settings.store, target: renderTargetFor(config.kubernetesVersion), homeDir: settings.helmHome, timeoutSeconds: helmTimeoutFrom(env),
    warn: out.log, cache: caches && new RenderCache({ dir: caches.render }), checkedArchives: caches && new CheckedArchivesFile(caches.checkedArchives),
  });
  const k3d = k3dClusterConfig(config);
  const synthOptions = {
    renderer, phaseAnnotation: ARGO_CD_SYNC_WAVE, files: new Map(k3d ? [[K3D_CONFIG_FILE, toYaml(k3d)]] : []), validationCacheDir: caches?.validation,
    gitops: config.gitops, yamlCacheDir: caches && folderForOutput(caches.yaml, paths.outdir), ...progress(step),
  };
  if (check) {
    await checkSynthesis([first.app, build().app], { ...synthOptions, outdir: paths.outdir });
    renderer.reportUnpinned();
    out.log(`check passed: two synths are identical, and so is ${shownFolder(paths.outdir)}`);
    return;
  }
  const manifests = await synthesize(first.app, {
    ...synthOptions, outdir: paths.outdir, secretsDir: paths.secretsDir,
    protectedPaths: protectedPaths(paths, root, { lockFile, valuesDir }), earlierOutputNames: [K3D_CONFIG_FILE],
  });
  renderer.reportUnpinned();
  out.log(summary(manifests, paths, { k3d: Boolean(k3d), gitops: config.gitops.engine, started }));
  const hosts = hostsLines(first.platform);
  for (const line of hosts) out.print(line);
  if (options.tool && caches) {
    saveRecord(fileForOutput(caches.records, paths.outdir), {
      tool: options.tool, settings: outputSettings(env, paths, { key: key.key, helm: helm.path }), inputs, outputs: [paths.outdir, paths.secretsDir], printed: hosts,
    });
  }
}

/** `01-crds-namespaces: 31, 02-controllers: 74`: how many of the objects each phase folder holds. */
function countsByFile(manifests: readonly Manifest[]): string {
  return Object.entries(PHASE_FOLDERS).flatMap(([phase, folder]) => {
    const n = manifests.filter((m) => String(m.phase) === phase).length;
    return n ? [`${folder}: ${n}`] : [];
  }).join(', ');
}

/** Runs synth as the command line asks: `tsx main.ts` and `node build/main.js` start it here, the launcher with the tool's digest. */
export function main(options: RunOptions = {}): void {
  startCommand(SYNTH_COMMAND, () => run(process.argv.slice(2), process.env, REPOSITORY_ROOT, {
    log: (l) => process.stderr.write(`${l}\n`), print: (l) => process.stdout.write(`${l}\n`),
  }, options));
}

if (require.main === module) main();
