// Composition root: reads the environment, the arguments and platform.yaml once, builds the platform,
// synthesizes dist/.
//   npm run synth               writes dist/ (and dist-secrets/ for Secrets that carry values)
//   npm run synth -- --check    synthesizes twice, writes nothing, and fails if the two differ or differ from dist/
// PLATFORM_CONFIG names another configuration file; CHART_LOCK, CHART_STORE and HELM override the engine's;
// HELM_TIMEOUT is how many seconds helm may take for one release.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ADMIN_PASSWORD_OVERRIDE, hostsLines, Platform } from './charts';
import {
  engineSettings, helmFromEnv, helmTimeoutFrom, K3D_CONFIG_FILE, k3dClusterConfig, loadConfig, pathsFrom, protectedPaths, renderTargetFor, REPOSITORY_ROOT,
} from './config';
import {
  ARGO_CD_SYNC_WAVE, checkSynthesis, CommandSpec, helpText, HelmRenderer, loadInstallationKey, parseCommandLine, PHASE_FOLDERS, runCommand, synthesize, toYaml,
} from './lib';

export const SYNTH_COMMAND = {
  name: 'npm run synth',
  summary: 'Renders the platform from platform.yaml and the chart store into dist/ (Secrets with values into dist-secrets/), offline.',
  options: {
    check: { type: 'boolean', description: 'synthesize twice and write nothing; fail if the two differ, or differ from dist/' },
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
  ],
} as const satisfies CommandSpec<any>;

/** One synth (or check): everything `npm run synth` does, with its inputs passed in. */
export async function run(args: readonly string[], env: NodeJS.ProcessEnv, root: string, out: { log(line: string): void; print(line: string): void }): Promise<void> {
  const { help, options: flags } = parseCommandLine(SYNTH_COMMAND, args);
  if (help) return out.print(helpText(SYNTH_COMMAND));
  const check = flags.check ?? false;
  const paths = pathsFrom(env, root);
  const { config, lockFile, valuesDir } = loadConfig(paths.configFile);
  const missing = (setting: string, value: string, resolved: string, fix: string) =>
    new Error(`${paths.configFile}: ${setting} is "${value}", but ${resolved} does not exist; ${fix} (relative paths are read from the file's folder)`);
  if (!paths.lockOverride && !fs.existsSync(lockFile)) throw missing('charts.lock', config.charts.lock, lockFile, 'point it at the chart lock, the repository\'s helm-lock.yaml');
  if (!fs.existsSync(valuesDir)) throw missing('charts.values', config.charts.values, valuesDir, 'point it at the folder of <release>.yaml values files, the repository\'s helm-values');
  const settings = engineSettings(paths, lockFile);
  const helmTimeoutSeconds = helmTimeoutFrom(env);
  const key = loadInstallationKey({ explicit: env.PLATFORM_KEY, explicitName: 'PLATFORM_KEY', file: paths.keyFile });
  if (key.created) out.log(`created the installation key ${key.source}: keep it (secrets derive from it) and out of git`);

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
  const helm = helmFromEnv(env, settings.cacheDir, out.log);
  const renderer = new HelmRenderer({
    helm, store: settings.store, target: renderTargetFor(config.kubernetesVersion), homeDir: settings.helmHome, timeoutSeconds: helmTimeoutSeconds,
    warn: out.log,
  });
  const k3d = k3dClusterConfig(config);
  const options = { renderer, phaseAnnotation: ARGO_CD_SYNC_WAVE, files: new Map(k3d ? [[K3D_CONFIG_FILE, toYaml(k3d)]] : []), gitops: config.gitops };
  const rel = (d: string) => `${path.relative(process.cwd(), d) || '.'}/`;

  if (check) {
    await checkSynthesis([first.app, build().app], { ...options, outdir: paths.outdir });
    renderer.reportUnpinned();
    out.log(`check passed: two synths are identical, and so is ${rel(paths.outdir)}`);
    return;
  }

  const manifests = await synthesize(first.app, {
    ...options, outdir: paths.outdir, secretsDir: paths.secretsDir,
    protectedPaths: protectedPaths(paths, root, { lockFile, valuesDir }), earlierOutputNames: [K3D_CONFIG_FILE],
  });
  renderer.reportUnpinned();
  const counts = Object.entries(PHASE_FOLDERS).map(([phase, folder]) => `${folder}: ${manifests.filter((m) => String(m.phase) === phase).length}`);
  out.log(`wrote ${manifests.length} objects to ${rel(paths.outdir)} (${counts.join(', ')}); Secrets with values to ${rel(paths.secretsDir)}` +
    (k3d ? `; the k3d cluster config to ${rel(paths.outdir)}${K3D_CONFIG_FILE} (k3d cluster create --config ${rel(paths.outdir)}${K3D_CONFIG_FILE})` : '') +
    (config.gitops.engine !== 'none' ? `; the ${config.gitops.engine === 'flux' ? 'Flux' : 'Argo CD'} objects to ${rel(paths.outdir)}gitops/ (each file says how to apply it)` : ''));
  for (const line of hostsLines(first.platform)) out.print(line);
}

runCommand(module, SYNTH_COMMAND, () => run(process.argv.slice(2), process.env, REPOSITORY_ROOT, {
  log: (l) => process.stderr.write(`${l}\n`), print: (l) => process.stdout.write(`${l}\n`),
}));
