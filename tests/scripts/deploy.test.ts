import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from '../../scripts/deploy';
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
    expect(res.stderr).toContain('wrote');
  });
  const deploy = (args: string[], kubectl: string, cwd = ROOT) => spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), ...args], {
    cwd, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: outdir, KUBECTL: kubectl }),
  });

  test('--dry-run prints the phases with their waits and touches no cluster', () => {
    const { bin, log } = fakeKubectl(tmpDir());
    const res = deploy(['--dry-run', '--timeout', '120'], bin, path.dirname(outdir));
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('phase 1 (01-crds-namespaces.yaml)\n  apply: kubectl apply --server-side -f dist/01-crds-namespaces.yaml\n');
    expect(res.stdout).toContain('CRD(s) Established\n         kubectl wait --for=condition=Established --timeout=120s crd/ipaddresspools.metallb.io');
    expect(res.stdout).toContain('  wait:  rolled out: Deployment metallb-system/metallb, Deployment istio-system/istiod, Deployment seldon-system/seldon-core-operator\n');
    expect(res.stdout).toContain('  apply: kubectl apply --server-side -f dist/02-controllers.yaml -f dist-secrets/02-controllers.yaml\n');
    expect(res.stdout).toContain('phase 4 (04-apps.yaml)\n  apply: kubectl apply --server-side -f dist/04-apps.yaml -f dist-secrets/04-apps.yaml\n');
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
      'apply --server-side -f dist/01-crds-namespaces.yaml',
      'apply --server-side -f dist/02-controllers.yaml -f dist-secrets/02-controllers.yaml',
      'apply --server-side -f dist/03-custom-resources.yaml',
      'apply --server-side -f dist/04-apps.yaml -f dist-secrets/04-apps.yaml',
    ]);
  });

  test('fails without a current context, saying to create the cluster', () => {
    const { bin } = fakeKubectl(tmpDir(), '');
    const res = deploy([], bin);
    expect([res.status, res.stderr.trim()]).toEqual([1, 'error: kubectl has no current context: create the cluster first (k3d cluster create), or pass --context NAME']);
  });

  test('fails without a synthesized dist/, saying to synth first', () => {
    const { bin } = fakeKubectl(tmpDir());
    const empty = path.join(tmpDir(), 'dist');
    const res = spawnSync(tsx, [path.join(ROOT, 'scripts/deploy.ts'), '--dry-run'], { cwd: ROOT, encoding: 'utf8', env: childEnv({ CDK8S_OUTDIR: empty, KUBECTL: bin }) });
    expect([res.status, res.stderr]).toEqual([1, expect.stringContaining(`in ${empty}: run npm run synth first`)]);
  });
});

describe('deploy arguments', () => {
  test('reads --dry-run, --timeout and --context', () => {
    expect(parseArgs([])).toEqual({ dryRun: false, timeoutSeconds: 300 });
    expect(parseArgs(['--dry-run', '--timeout', '600', '--context', 'k3d-lab'])).toEqual({ dryRun: true, timeoutSeconds: 600, context: 'k3d-lab' });
  });

  test('fails on an unknown argument, a bad timeout and a missing value', () => {
    expect(() => parseArgs(['--dryrun'])).toThrow(/^Unknown option '--dryrun'.*: usage: npm run deploy \[-- --dry-run\] \[--timeout SECONDS\] \[--context NAME\]$/);
    expect(() => parseArgs(['--timeout', '5m'])).toThrow('--timeout "5m" is not a whole number of seconds: use e.g. --timeout 600');
    expect(() => parseArgs(['--context'])).toThrow("Option '--context <value>' argument missing: usage: npm run deploy");
  });
});
