// Composition root: reads the environment, the arguments and platform.yaml once, builds the platform,
// synthesizes dist/.
//   npm run synth               writes dist/ (and dist-secrets/ for Secrets that carry values)
//   npm run synth -- --check    synthesizes twice, writes nothing, and fails if the two differ or differ from dist/
// PLATFORM_CONFIG names another configuration file; CHART_LOCK, CHART_STORE and HELM override the engine's.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { hostsLines, K3D_CONFIG_FILE, k3dClusterConfig, loadConfig, Platform, renderTargetFor } from './charts';
import {
  ARGO_CD_SYNC_WAVE, diffOutputs, HelmRenderer, loadInstallationKey, PHASE_FILES, readOutputDir, recoverOutput, renderTree, secretsDirOf, synthesize, toYaml,
  withMarkers,
} from './lib';
import { configFileFrom, engineSettings, helmFromEnv } from './settings';

/** One synth (or check): everything `npm run synth` does, with its inputs passed in. */
export async function run(args: readonly string[], env: NodeJS.ProcessEnv, root: string, out: { log(line: string): void; print(line: string): void }): Promise<void> {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) throw new Error(`unknown argument "${unknown[0]}": the only option is --check`);
  const check = args.includes('--check');
  const configFile = configFileFrom(env, root);
  const { config, lockFile, valuesDir } = loadConfig(configFile);
  const missing = (setting: string, value: string, resolved: string, fix: string) =>
    new Error(`${configFile}: ${setting} is "${value}", but ${resolved} does not exist; ${fix} (relative paths are read from the file's folder)`);
  if (!env.CHART_LOCK && !fs.existsSync(lockFile)) throw missing('charts.lock', config.charts.lock, lockFile, 'point it at the chart lock, the repository\'s helm-lock.yaml');
  if (!fs.existsSync(valuesDir)) throw missing('charts.values', config.charts.values, valuesDir, 'point it at the folder of <release>.yaml values files, the repository\'s helm-values');
  const settings = engineSettings(env, root, lockFile);
  const { lock, store } = settings;
  const outdir = path.resolve(env.CDK8S_OUTDIR ?? path.join(root, 'dist'));
  const keyFile = path.join(root, '.platform-key');
  const key = loadInstallationKey({ explicit: env.PLATFORM_KEY, explicitName: 'PLATFORM_KEY', file: keyFile });
  if (key.created) out.log(`created the installation key ${key.source}: keep it (secrets derive from it) and out of git`);

  const build = () => {
    const app = new App({ outdir });
    const platform = new Platform(app, 'platform', { lock, config, valuesDir, installationKey: key.key, jupyterhubAdminPassword: env.JUPYTERHUB_ADMIN_PASSWORD || undefined });
    return { app, platform };
  };
  // Every problem of the configuration and the values folder surfaces here, before helm is looked for.
  const first = build();
  const helm = helmFromEnv(env, settings, out.log);
  const renderer = new HelmRenderer({ helm, store, target: renderTargetFor(config.kubernetesVersion), homeDir: settings.helmHome });
  const k3d = k3dClusterConfig(config);
  const options = { renderer, phaseAnnotation: ARGO_CD_SYNC_WAVE, files: new Map(k3d ? [[K3D_CONFIG_FILE, toYaml(k3d)]] : []) };

  if (check) {
    await recoverOutput({ outdir, secretsDir: secretsDirOf({ outdir }) }, { command: 'synth --check' });
    const one = await renderTree(first.app, options);
    const two = await renderTree(build().app, options);
    const unstable = [
      ...diffOutputs(one.outputs.manifests, two.outputs.manifests),
      ...diffOutputs(one.outputs.secrets, two.outputs.secrets).map((d) => `(secrets) ${d}`),
    ];
    if (unstable.length) throw new Error(`two synths from the same sources differ:\n${unstable.join('\n')}`);
    const stale = diffOutputs(readOutputDir(outdir), withMarkers(one.outputs.manifests, one.outputs.secrets).output);
    if (stale.length) throw new Error(`${outdir} differs from what the sources give (run npm run synth and review the diff):\n${stale.join('\n')}`);
    out.log(`check passed: two synths are identical, and so is ${path.relative(process.cwd(), outdir) || '.'}/`);
    return;
  }

  // Synth replaces its output folders as a whole: never these, nor a folder holding one.
  const protectedPaths = [
    { path: root, what: 'the repository' }, { path: configFile, what: 'the configuration file' },
    { path: valuesDir, what: 'the values folder', containsNoOutput: true }, { path: lock.file, what: 'the chart lock' },
    { path: store.dir, what: 'the chart store', containsNoOutput: true }, { path: keyFile, what: 'the installation key file' },
    { path: settings.cacheDir, what: 'the cache folder' },
  ];
  const manifests = await synthesize(first.app, { ...options, outdir, protectedPaths, earlierOutputNames: [K3D_CONFIG_FILE] });
  const counts = Object.entries(PHASE_FILES).map(([phase, file]) => `${file}: ${manifests.filter((m) => String(m.phase) === phase).length}`);
  const rel = (d: string) => `${path.relative(process.cwd(), d) || '.'}/`;
  out.log(`wrote ${manifests.length} objects to ${rel(outdir)} (${counts.join(', ')}); Secrets with values to ${rel(secretsDirOf({ outdir }))}` +
    (k3d ? `; the k3d cluster config to ${rel(outdir)}${K3D_CONFIG_FILE} (k3d cluster create --config ${rel(outdir)}${K3D_CONFIG_FILE})` : ''));
  for (const line of hostsLines(first.platform)) out.print(line);
}

if (require.main === module) {
  run(process.argv.slice(2), process.env, __dirname, { log: (l) => process.stderr.write(`${l}\n`), print: (l) => process.stdout.write(`${l}\n`) })
    .catch((e: Error) => {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(1);
    });
}
