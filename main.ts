// Composition root: reads the environment and arguments once, builds the platform, synthesizes dist/.
//   npm run synth               writes dist/ (and dist-secrets/ for Secrets that carry values)
//   npm run synth -- --check    synthesizes twice, writes nothing, and fails if the two differ or differ from dist/
import * as path from 'path';
import { App } from 'cdk8s';
import { K3S_TARGET, Platform } from './charts';
import {
  ARGO_CD_SYNC_WAVE, diffOutputs, HelmRenderer, loadInstallationKey, PHASE_FILES, readOutputDir, renderTree, secretsDirOf, synthesize,
} from './lib';
import { engineSettings, helmFromEnv } from './settings';

async function main(args: string[]): Promise<void> {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length) throw new Error(`unknown argument "${unknown[0]}": the only option is --check`);
  const check = args.includes('--check');
  const env = process.env;
  const root = __dirname;
  const settings = engineSettings(env, root);
  const { lock, store } = settings;
  const outdir = path.resolve(env.CDK8S_OUTDIR ?? path.join(root, 'dist'));
  const key = loadInstallationKey({ explicit: env.PLATFORM_KEY, explicitName: 'PLATFORM_KEY', file: path.join(root, '.platform-key') });
  if (key.created) process.stderr.write(`created the installation key ${key.source}: keep it (secrets derive from it) and out of git\n`);

  const helm = helmFromEnv(env, settings);
  const renderer = new HelmRenderer({ helm, store, target: K3S_TARGET, homeDir: settings.helmHome });
  const build = () => {
    const app = new App({ outdir });
    new Platform(app, 'platform', { lock, installationKey: key.key, jupyterhubAdminPassword: env.JUPYTERHUB_ADMIN_PASSWORD || undefined });
    return app;
  };
  const options = { renderer, phaseAnnotation: ARGO_CD_SYNC_WAVE };

  if (check) {
    const first = await renderTree(build(), options);
    const second = await renderTree(build(), options);
    const unstable = [
      ...diffOutputs(first.outputs.manifests, second.outputs.manifests),
      ...diffOutputs(first.outputs.secrets, second.outputs.secrets).map((d) => `(secrets) ${d}`),
    ];
    if (unstable.length) throw new Error(`two synths from the same sources differ:\n${unstable.join('\n')}`);
    const stale = diffOutputs(readOutputDir(outdir), first.outputs.manifests);
    if (stale.length) throw new Error(`${outdir} differs from what the sources give (run npm run synth and review the diff):\n${stale.join('\n')}`);
    process.stderr.write(`check passed: two synths are identical, and so is ${path.relative(process.cwd(), outdir) || '.'}/\n`);
    return;
  }

  const manifests = await synthesize(build(), { ...options, outdir });
  const counts = Object.entries(PHASE_FILES).map(([phase, file]) => `${file}: ${manifests.filter((m) => String(m.phase) === phase).length}`);
  process.stderr.write(`wrote ${manifests.length} objects to ${path.relative(process.cwd(), outdir) || '.'}/ (${counts.join(', ')}); ` +
    `Secrets with values to ${path.relative(process.cwd(), secretsDirOf({ outdir })) || '.'}/\n`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
});
