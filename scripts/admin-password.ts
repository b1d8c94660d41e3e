// `npm run -s jupyterhub:admin-password [dist-secrets]`: prints the hub admin's password from the last synth,
// read from the secrets folder of CDK8S_OUTDIR (dist-secrets/ by default) or the folder given, once what an
// interrupted synth left there is finished.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { recoverOutput, secretsDirOf } from '../lib';

/** The admin password in the hub Secret of a secrets folder. */
export function adminPassword(dir: string): string {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
  const docs = files.flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')));
  const hub = docs.find((d: any) => d?.kind === 'Secret' && d.metadata?.name === 'hub' && d.data?.['values.yaml']) as any;
  if (!hub) throw new Error(`no JupyterHub Secret "hub" in ${dir}: run npm run synth first`);
  const values = yaml.load(Buffer.from(hub.data['values.yaml'], 'base64').toString('utf8')) as any;
  const password = values?.hub?.config?.SharedPasswordAuthenticator?.admin_password;
  if (!password) throw new Error(`the hub Secret in ${dir} sets no admin password`);
  return password;
}

async function main(argv: string[]): Promise<void> {
  const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(__dirname, '..', 'dist'));
  const dir = path.resolve(argv[0] ?? secretsDirOf({ outdir }));
  // The folder given is a secrets folder; its output folder is the same path without -secrets, as synth names them.
  if (dir.endsWith('-secrets')) await recoverOutput({ outdir: dir.slice(0, -'-secrets'.length), secretsDir: dir }, { command: 'npm run jupyterhub:admin-password' });
  process.stdout.write(`${adminPassword(dir)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
}
