// `npm run -s jupyterhub:admin-password [dist-secrets]`: prints the hub admin's password from the last synth.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist-secrets'));
const docs = fs.existsSync(dir) ? fs.readdirSync(dir).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8'))) : [];
const hub = docs.find((d: any) => d?.kind === 'Secret' && d.metadata?.name === 'hub' && d.data?.['values.yaml']) as any;
if (!hub) {
  process.stderr.write(`error: no JupyterHub Secret "hub" in ${dir}: run npm run synth first\n`);
  process.exit(1);
}
const values = yaml.load(Buffer.from(hub.data['values.yaml'], 'base64').toString('utf8')) as any;
const password = values?.hub?.config?.SharedPasswordAuthenticator?.admin_password;
if (!password) {
  process.stderr.write(`error: the hub Secret in ${dir} sets no admin password\n`);
  process.exit(1);
}
process.stdout.write(`${password}\n`);
