// `npm run charts:pull`: downloads the archives helm-lock.yaml pins into the chart store.
import * as path from 'path';
import { ChartLock, ChartStore, findHelm, pullCharts } from '../lib';

const root = path.resolve(__dirname, '..');
const env = process.env;
try {
  const lock = ChartLock.load(path.resolve(env.CHART_LOCK ?? path.join(root, 'helm-lock.yaml')));
  const store = new ChartStore(path.resolve(env.CHART_STORE ?? path.join(root, '.chart-store')));
  const cacheDir = path.join(root, '.cache');
  const helm = findHelm({ explicit: env.HELM, searchPath: env.PATH, cacheDir });
  process.stderr.write(`helm ${helm.version} (${helm.path}); chart store ${store.dir}\n`);
  const result = pullCharts({ lock, store, helm, homeDir: path.join(cacheDir, 'helm-home') });
  if (result.recorded.length) {
    process.stderr.write(`recorded the digests of ${result.recorded.join(', ')} in ${lock.file}: review and commit it\n`);
  }
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
}
