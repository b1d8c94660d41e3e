import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { toYaml } from '../../lib/output';
import { MARKER_FILE, renderMarker } from '../../lib/output-marker';
import { UsageError, usageLine } from '../../lib/cli';
import { DEPLOY_COMMAND, parseArgs } from '../../scripts/deploy';
import { childEnv, ROOT, standInCharts, tmpDir } from '../helpers';

const tsx = path.join(ROOT, 'node_modules/.bin/tsx');

/** A kubectl that logs its arguments and succeeds, except for `config current-context` when told. */
function fakeKubectl(dir: string, context = 'k3d-ml-platform'): { bin: string; log: string } {
  const bin = path.join(dir, 'kubectl');
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(bin, [
    '#!/bin/sh',
    `echo "$*" >> '${log}'`,
    `if [ "$1 $2" = "config current-context" ]; then ${context ? `echo ${context}` : 'echo "error: current-context is not set" >&2; exit 1'}; fi`,
    'exit 0',
  ].join('\n'), { mode: 0o755 });
  return { bin, log };
}

describe('npm run deploy', () => {
  const outdir = path.join(tmpDir(), 'dist');
  beforeAll(() => {
    const { lock, store } = standInCharts();
    const res = spawnSync(tsx, ['main.ts'], {
      cwd: ROOT, encoding: 'utf8', env: childEnv({ CHART_STORE: store.dir, CHART_LOCK: lock.file, CDK8S_OUTDIR: outdir }),
    });
    expect([res.status, res.stderr.split('\n').find((l) => l.startsWith('wrote '))]).toEqual([0, expect.stringMatching(/^wrote \d+ objects to .*dist\/ \(01-crds-namespaces: \d+, 02-controllers: \d+, 03-custom-resources: \d+, 04-apps: \d+\)/)]);
    expect(fs.readdirSync(outdir).sort()).toEqual(['.synth-manifest', '01-crds-namespaces', '02-controllers', '03-custom-resources', '04-apps', 'k3d']);
  });
  const deploy = (args: string[], kubectl: string, cwd = ROOT) => spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), ...args], {
    cwd, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: outdir, KUBECTL: kubectl }),
  });

  test('--dry-run prints the phases with their waits and touches no cluster', () => {
    const { bin, log } = fakeKubectl(tmpDir());
    const res = deploy(['--dry-run', '--timeout', '120'], bin, path.dirname(outdir));
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('phase 1 (01-crds-namespaces)\n  apply: kubectl apply --server-side -f dist/01-crds-namespaces/manifests.yaml\n');
    expect(res.stdout).toContain('CRD(s) Established\n         kubectl wait --for=condition=Established --timeout=120s crd/ipaddresspools.metallb.io');
    expect(res.stdout).toContain('  wait:  rolled out: Deployment metallb-system/metallb, Deployment istio-system/istiod, Deployment seldon-system/seldon-core-operator\n');
    expect(res.stdout).toContain('  apply: kubectl apply --server-side -f dist/02-controllers/manifests.yaml -f dist-secrets/02-controllers/manifests.yaml\n');
    expect(res.stdout).toContain('phase 4 (04-apps)\n  apply: kubectl apply --server-side -f dist/04-apps/manifests.yaml -f dist-secrets/04-apps/manifests.yaml\n');
    expect(res.stdout).toContain(`kubectl: ${bin} (KUBECTL); each wait gives up after 120 s`);
    expect(fs.existsSync(log)).toBe(false);
  });

  test('applies every phase in order with its waits, on the current context', () => {
    const { bin, log } = fakeKubectl(tmpDir());
    const res = deploy([], bin);
    expect([res.status, res.stderr]).toEqual([0, expect.stringContaining('to context k3d-ml-platform')]);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.replaceAll(path.dirname(outdir) + path.sep, ''));
    expect(calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
      'config current-context',
      'apply --server-side', 'wait --for=condition=Established', 'apply --server-side',
      'apply --server-side', 'rollout status', 'rollout status', 'rollout status', 'apply --server-side',
      'apply --server-side', 'apply --server-side',
      'apply --server-side',
    ]);
    expect(calls.filter((c) => !c.includes('--dry-run') && c.startsWith('apply'))).toEqual([
      'apply --server-side -f dist/01-crds-namespaces/manifests.yaml',
      'apply --server-side -f dist/02-controllers/manifests.yaml -f dist-secrets/02-controllers/manifests.yaml',
      'apply --server-side -f dist/03-custom-resources/manifests.yaml',
      'apply --server-side -f dist/04-apps/manifests.yaml -f dist-secrets/04-apps/manifests.yaml',
    ]);
  });

  test('--secrets-only applies only the secrets folder\'s phases, in order, with no waits; --dry-run shows it', () => {
    const { bin, log } = fakeKubectl(tmpDir());
    const dry = deploy(['--secrets-only', '--dry-run'], bin, path.dirname(outdir));
    expect([dry.status, dry.stdout]).toEqual([0, [
      'phase 2 (02-controllers)', '  apply: kubectl apply --server-side -f dist-secrets/02-controllers/manifests.yaml',
      'phase 4 (04-apps)', '  apply: kubectl apply --server-side -f dist-secrets/04-apps/manifests.yaml',
      `kubectl: ${bin} (KUBECTL); each wait gives up after 300 s`, '',
    ].join('\n')]);
    expect(fs.existsSync(log)).toBe(false);
    const res = deploy(['--secrets-only'], bin);
    expect([res.status, res.stderr]).toEqual([0, expect.stringContaining(`deploying the Secrets of ${path.relative(ROOT, `${outdir}-secrets`)}/ to context k3d-ml-platform`)]);
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.replaceAll(path.dirname(outdir) + path.sep, ''));
    expect(calls).toEqual([
      'config current-context',
      'apply --server-side -f dist-secrets/02-controllers/manifests.yaml',
      'apply --server-side -f dist-secrets/04-apps/manifests.yaml',
    ]);
  });

  test('--secrets-only fails without a secrets folder, and on one from another synth, before any kubectl', () => {
    const { bin, log } = fakeKubectl(tmpDir());
    const dist = copy(false);
    const none = spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), '--secrets-only'], { cwd: ROOT, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: dist, KUBECTL: bin }) });
    expect([none.status, none.stderr]).toEqual([1, `error: ${dist}-secrets does not exist, so there are no Secrets to apply: run npm run synth (with the key the output was built with) first\n`]);
    const other = copy();
    fs.writeFileSync(path.join(other, MARKER_FILE), renderMarker(new Map([['01-crds-namespaces/manifests.yaml', 'another synth']])));
    const res = spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), '--secrets-only'], { cwd: ROOT, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: other, KUBECTL: bin }) });
    expect([res.status, res.stderr]).toEqual([1, expect.stringMatching(new RegExp(`^error: ${other} and ${other}-secrets come from different synths: `))]);
    expect(fs.existsSync(log)).toBe(false);
  });

  test('fails without a current context, saying to create the cluster', () => {
    const { bin } = fakeKubectl(tmpDir(), '');
    const res = deploy([], bin);
    expect([res.status, res.stderr.trim()]).toEqual([1, 'error: kubectl has no current context: create the cluster first (k3d cluster create), or pass --context NAME']);
  });

  /** A copy of the synthesized pair (or of dist/ alone) to change. */
  const copy = (withSecrets = true) => {
    const parent = tmpDir();
    fs.cpSync(outdir, path.join(parent, 'dist'), { recursive: true });
    if (withSecrets) fs.cpSync(`${outdir}-secrets`, path.join(parent, 'dist-secrets'), { recursive: true });
    return path.join(parent, 'dist');
  };
  const dryRun = (dist: string) => spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), '--dry-run'], {
    cwd: path.dirname(dist), encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: dist, KUBECTL: fakeKubectl(tmpDir()).bin },
  });

  test('--dry-run of a dist/ without dist-secrets/ says no Secrets will be applied, and plans dist/ alone', () => {
    const dist = copy(false);
    const res = dryRun(dist);
    expect([res.status, res.stderr]).toEqual([0, `no Secrets will be applied: ${dist}-secrets does not exist (synth writes it beside dist/; deliver them another way if this output came from git)\n`]);
    expect(res.stdout).toContain('  apply: kubectl apply --server-side -f dist/02-controllers/manifests.yaml\n');
  });

  test('fails on a dist-secrets/ from another synth than dist/', () => {
    const dist = copy();
    fs.writeFileSync(path.join(dist, MARKER_FILE), renderMarker(new Map([['01-crds-namespaces/manifests.yaml', 'another synth']])));
    const res = dryRun(dist);
    expect([res.status, res.stdout]).toEqual([1, '']);
    expect(res.stderr).toMatch(new RegExp(`^error: ${dist} and ${dist}-secrets come from different synths: `));
  });

  test('fails on a dist/ that holds a Secret with data, naming the file and the object', () => {
    const dist = copy();
    fs.appendFileSync(path.join(dist, '02-controllers/manifests.yaml'), `---\n${toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'nginx' }, stringData: { token: 'x' } })}`);
    const res = dryRun(dist);
    expect([res.status, res.stderr]).toEqual([1, `error: ${dist}/02-controllers/manifests.yaml: Secret nginx/leak carries data, but Secrets with values belong in ${dist}-secrets, ` +
      `not in ${dist}, which may be committed: run npm run synth to move it, and change the values if this folder was pushed anywhere\n`]);
  });

  test('removes what an interrupted synth left before it plans', () => {
    const dist = copy();
    const staging = path.join(path.dirname(dist), '.dist-secrets.new-77-0123abcd');
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, '02-controllers.yaml'), 'kind: Secret\n');
    const res = dryRun(dist);
    expect([res.status, res.stderr]).toEqual([0, `removed what an interrupted synth left beside ${dist}-secrets: .dist-secrets.new-77-0123abcd\n`]);
    expect(fs.readdirSync(path.dirname(dist)).sort()).toEqual(['dist', 'dist-secrets']);
  });

  test('fails without a synthesized dist/, saying to synth first', () => {
    const { bin } = fakeKubectl(tmpDir());
    const empty = path.join(tmpDir(), 'dist');
    const res = spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), '--dry-run'], { cwd: ROOT, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: empty, KUBECTL: bin }) });
    expect([res.status, res.stderr]).toEqual([1, `error: no phase files (01-crds-namespaces/manifests.yaml, 02-controllers/manifests.yaml, 03-custom-resources/manifests.yaml, 04-apps/manifests.yaml) in ${empty}: run npm run synth first\n`]);
  });
});

describe('deploy arguments', () => {
  test('reads --dry-run, --timeout and --context', () => {
    expect(parseArgs([])).toEqual({ dryRun: false, secretsOnly: false, timeoutSeconds: 300 });
    expect(parseArgs(['--dry-run', '--secrets-only', '--timeout', '600', '--context', 'k3d-lab'])).toEqual({ dryRun: true, secretsOnly: true, timeoutSeconds: 600, context: 'k3d-lab' });
  });

  test('fails on an unknown argument, a bad timeout and a missing value', () => {
    expect(() => parseArgs(['--dryrun'])).toThrow(new UsageError('Unknown option \'--dryrun\''));
    expect(() => parseArgs(['--timeout', '5m'])).toThrow(new UsageError('--timeout "5m" is not a whole number of seconds: use e.g. --timeout 600'));
    expect(() => parseArgs(['--context'])).toThrow(new UsageError('Option \'--context <value>\' argument missing'));
    expect(usageLine(DEPLOY_COMMAND)).toBe('usage: npm run deploy -- [--dry-run] [--secrets-only] [--timeout SECONDS] [--context NAME]');
  });
});
