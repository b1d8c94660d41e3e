// `npm run -s jupyterhub:admin-password [dist-secrets]`: prints the hub admin's password from the last synth,
// read from the secrets folder of CDK8S_OUTDIR (dist-secrets/ by default) or the folder given, once what an
// interrupted synth left there is finished.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { pathsFrom } from '../config';
import { PHASE_FILES, recoverOutput, runCommand } from '../lib';

/** The admin password in the hub Secret of a secrets folder. */
export function adminPassword(dir: string): string {
  const files = Object.values(PHASE_FILES).filter((f) => fs.existsSync(path.join(dir, f)));
  const docs = files.flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')));
  const hub = docs.find((d: any) => d?.kind === 'Secret' && d.metadata?.name === 'hub' && d.data?.['values.yaml']) as any;
  if (!hub) throw new Error(`no JupyterHub Secret "hub" in ${dir}: run npm run synth first`);
  const values = yaml.load(Buffer.from(hub.data['values.yaml'], 'base64').toString('utf8')) as any;
  const password = values?.hub?.config?.SharedPasswordAuthenticator?.admin_password;
  if (!password) throw new Error(`the hub Secret in ${dir} sets no admin password`);
  return password;
}

runCommand(module, {
  name: 'npm run -s jupyterhub:admin-password',
  summary: 'Prints the JupyterHub admin\'s password from the hub Secret of the last synth.',
  options: {},
  positionals: { usage: '[DIR]', max: 1, description: 'the secrets folder to read (default: <CDK8S_OUTDIR>-secrets, dist-secrets/)' },
  environment: [['CDK8S_OUTDIR', 'the output folder whose secrets folder is read (default dist/)']],
}, async (_options, positionals) => {
  const { secretsDir } = pathsFrom(process.env);
  const dir = path.resolve(positionals[0] ?? secretsDir);
  // The folder given is a secrets folder; its output folder is the same path without -secrets, as synth names them.
  if (dir.endsWith('-secrets')) await recoverOutput({ outdir: dir.slice(0, -'-secrets'.length), secretsDir: dir }, { command: 'npm run jupyterhub:admin-password' });
  process.stdout.write(`${adminPassword(dir)}\n`);
});
