// `npm run charts:pull`: downloads the archives helm-lock.yaml pins into the chart store.
import { engineSettings, helmFromEnv, loadConfig, pathsFrom } from '../config';
import { pullCharts, runEntryPoint } from '../lib';

runEntryPoint(module, () => {
  const paths = pathsFrom(process.env);
  const { lockFile } = loadConfig(paths.configFile);
  const settings = engineSettings(paths, lockFile);
  const helm = helmFromEnv(process.env, settings.cacheDir);
  process.stderr.write(`chart store ${settings.store.dir}\n`);
  const { HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy } = process.env;
  const networkEnv = { HTTPS_PROXY, HTTP_PROXY, NO_PROXY, https_proxy, http_proxy, no_proxy };
  const result = pullCharts({ lock: settings.lock, store: settings.store, helm, homeDir: settings.helmHome, networkEnv });
  if (result.recorded.length) {
    process.stderr.write(`recorded the digests of ${result.recorded.join(', ')} in ${settings.lock.file}: review and commit it\n`);
  }
});
