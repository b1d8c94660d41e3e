import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../lib/output';
import { writePair } from '../../lib/output-swap';
import { withMarkers } from '../../lib/output-marker';
import { writeOutput } from '../../lib/output-writer';
import { faultyFs, ROOT, tmpDir } from '../helpers';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/admin-password.ts', ...args], {
  cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: path.join(tmpDir(), 'no-output'), ...env },
});

/** The secrets folder's phase file with the hub Secret whose values set `password`. */
function hubSecret(password: string): string {
  const values = Buffer.from(toYaml({ hub: { config: { SharedPasswordAuthenticator: { admin_password: password } } } })).toString('base64');
  return `---\n${toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hub', namespace: 'jupyterhub-system' }, data: { 'values.yaml': values } })}`;
}
const output = (password: string) => ({ output: new Map([['01-a.yaml', 'kind: Namespace\n']]), secrets: new Map([['02-controllers/manifests.yaml', hubSecret(password)]]) });

describe('npm run jupyterhub:admin-password', () => {
  test('prints the admin password from the hub Secret in the folder given', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, '02-controllers'));
    fs.writeFileSync(path.join(dir, '02-controllers/manifests.yaml'), hubSecret('p'.repeat(40)));
    expect(run([dir])).toMatchObject({ status: 0, stdout: `${'p'.repeat(40)}\n` });
  });

  test('reads the secrets folder of CDK8S_OUTDIR, beside its marker', async () => {
    const outdir = path.join(tmpDir(), 'out');
    await writeOutput({ outdir, secretsDir: `${outdir}-secrets` }, output('q'.repeat(40)), { log: () => {} });
    expect(run([], { CDK8S_OUTDIR: outdir })).toMatchObject({ status: 0, stdout: `${'q'.repeat(40)}\n` });
  });

  test('finishes a swap an interrupted synth began before it reads, and removes what it left', async () => {
    const parent = tmpDir();
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    await writeOutput(pair, output('o'.repeat(40)), { log: () => {} });
    // kill -9 right after the journal is in place: both new folders are complete, no target is renamed yet.
    const crash = faultyFs({ after: (call) => call.startsWith('rename ') && call.endsWith('/.dist.swap'), code: 'ECRASH', crash: true });
    const { output: out, secrets } = output('n'.repeat(40));
    expect(() => writePair(pair, withMarkers(out, secrets), { fs: crash.io, log: () => {} })).toThrow(/ECRASH/);
    expect(fs.readdirSync(parent).length).toBeGreaterThan(2);
    const res = run([], { CDK8S_OUTDIR: pair.outdir });
    expect([res.status, res.stdout]).toEqual([0, `${'n'.repeat(40)}\n`]);
    expect(res.stderr).toBe(`finished the swap an interrupted synth began: ${pair.outdir} and ${pair.secretsDir} hold its output\n`);
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
  });

  test('fails naming the folder when there is no hub Secret', () => {
    const dir = tmpDir();
    expect(run([dir])).toMatchObject({ status: 1, stderr: `error: no JupyterHub Secret "hub" in ${dir}: run npm run synth first\n` });
    const outdir = path.join(tmpDir(), 'dist');
    expect(run([], { CDK8S_OUTDIR: outdir })).toMatchObject({ status: 1, stderr: `error: no JupyterHub Secret "hub" in ${outdir}-secrets: run npm run synth first\n` });
  });
});
