import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../lib';
import { ROOT, tmpDir } from '../helpers';

const run = (dir: string) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/admin-password.ts', dir], { cwd: ROOT, encoding: 'utf8' });

describe('npm run jupyterhub:admin-password', () => {
  test('prints the admin password from the hub Secret in dist-secrets/', () => {
    const dir = tmpDir();
    const values = Buffer.from(toYaml({ hub: { config: { SharedPasswordAuthenticator: { admin_password: 'p'.repeat(40) } } } })).toString('base64');
    fs.writeFileSync(path.join(dir, '02-controllers.yaml'), `---\n${toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub', namespace: 'jupyterhub-system' }, data: { 'values.yaml': values } })}`);
    expect(run(dir)).toMatchObject({ status: 0, stdout: `${'p'.repeat(40)}\n` });
  });

  test('fails naming the folder when there is no hub Secret', () => {
    const dir = tmpDir();
    expect(run(dir)).toMatchObject({ status: 1, stderr: `error: no JupyterHub Secret "hub" in ${dir}: run npm run synth first\n` });
  });
});
