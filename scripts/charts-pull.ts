// `npm run charts:pull`: downloads the archives helm-lock.yaml pins into the chart store.
import * as path from 'path';
import { loadConfig } from '../charts';
import { pullCharts } from '../lib';
import { configFileFrom, engineSettings, helmFromEnv } from '../settings';

try {
  const root = path.resolve(__dirname, '..');
  const { lockFile } = loadConfig(configFileFrom(process.env, root));
  const settings = engineSettings(process.env, root, lockFile);
  const helm = helmFromEnv(process.env, settings);
  process.stderr.write(`chart store ${settings.store.dir}\n`);
  const { HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy } = process.env;
  const networkEnv = { HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy };
  const result = pullCharts({ lock: settings.lock, store: settings.store, helm, homeDir: settings.helmHome, networkEnv });
  if (result.recorded.length) {
    process.stderr.write(`recorded the digests of ${result.recorded.join(', ')} in ${settings.lock.file}: review and commit it\n`);
  }
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
}
