import * as fs from 'fs';
import * as path from 'path';
import { describePlan, planDeploy, planSecrets } from '../../../lib/deploy/plan';
import { Phase, PHASE_FILES, READY_BEFORE_NEXT_PHASE } from '../../../lib/phases';
import { toYaml } from '../../../lib/output';
import { tmpDir } from '../../helpers';

const crd = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } });
const deployment = (namespace: string, name: string, ready = false) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace, ...(ready ? { annotations: { [READY_BEFORE_NEXT_PHASE]: 'true' } } : {}) },
});

function writePhases(dir: string, phases: Partial<Record<Phase, object[]>>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [phase, objects] of Object.entries(phases)) {
    const file = path.join(dir, PHASE_FILES[Number(phase) as Phase]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, objects!.map((o) => `---\n${toYaml(o)}`).join(''));
  }
}

describe('planDeploy', () => {
  const root = tmpDir();
  const outdir = path.join(root, 'dist');
  const secrets = path.join(root, 'dist-secrets');
  writePhases(outdir, {
    [Phase.FOUNDATIONS]: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } }, crd('widgets.example.com'), crd('gadgets.example.com')],
    [Phase.CONTROLLERS]: [deployment('ops', 'operator', true), deployment('ops', 'dashboard'), { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops', annotations: { [READY_BEFORE_NEXT_PHASE]: 'true' } } }],
    [Phase.CUSTOM_RESOURCES]: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ops' } }],
  });
  writePhases(secrets, { [Phase.CONTROLLERS]: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ops' }, data: { a: 'Yg==' } }] });
  fs.mkdirSync(path.join(outdir, 'k3d'));
  fs.writeFileSync(path.join(outdir, 'notes.txt'), 'not a phase');

  test('applies each phase\'s files, the Secrets after the objects, and waits for CRDs, marked workloads and the next phase\'s acceptance', () => {
    const f = (dir: string, p: Phase) => path.join(dir, PHASE_FILES[p]);
    expect(planDeploy(outdir, secrets)).toEqual([
      {
        phase: Phase.FOUNDATIONS, files: [f(outdir, 1)],
        waits: [
          { type: 'established', crds: ['widgets.example.com', 'gadgets.example.com'] },
          { type: 'accepted', phase: Phase.CONTROLLERS, files: [f(outdir, 2), f(secrets, 2)] },
        ],
      },
      {
        phase: Phase.CONTROLLERS, files: [f(outdir, 2), f(secrets, 2)],
        waits: [
          { type: 'rollout', workloads: [{ kind: 'Deployment', namespace: 'ops', name: 'operator' }, { kind: 'DaemonSet', namespace: 'ops', name: 'agent' }] },
          { type: 'accepted', phase: Phase.CUSTOM_RESOURCES, files: [f(outdir, 3)] },
        ],
      },
      { phase: Phase.CUSTOM_RESOURCES, files: [f(outdir, 3)], waits: [] },
    ]);
  });

  test('describes each phase with its kubectl commands and waits', () => {
    const text = describePlan(planDeploy(outdir, secrets), { kubectl: '/bin/kubectl (PATH)', timeoutSeconds: 60, relativeTo: root });
    expect(text).toBe([
      'phase 1 (01-crds-namespaces)',
      '  apply: kubectl apply --server-side -f dist/01-crds-namespaces/manifests.yaml',
      '  wait:  2 CRD(s) Established',
      '         kubectl wait --for=condition=Established --timeout=60s crd/widgets.example.com crd/gadgets.example.com',
      '  wait:  phase 2 accepted by the API server in a server-side dry run (its CRDs served, the webhooks it passes through answering)',
      '         kubectl apply --server-side --dry-run=server -f dist/02-controllers/manifests.yaml -f dist-secrets/02-controllers/manifests.yaml   (retried while it fails for a reason that passes)',
      'phase 2 (02-controllers)',
      '  apply: kubectl apply --server-side -f dist/02-controllers/manifests.yaml -f dist-secrets/02-controllers/manifests.yaml',
      '  wait:  rolled out: Deployment ops/operator, DaemonSet ops/agent',
      '         kubectl rollout status --timeout=60s -n ops deployment/operator',
      '         kubectl rollout status --timeout=60s -n ops daemonset/agent',
      '  wait:  phase 3 accepted by the API server in a server-side dry run (its CRDs served, the webhooks it passes through answering)',
      '         kubectl apply --server-side --dry-run=server -f dist/03-custom-resources/manifests.yaml   (retried while it fails for a reason that passes)',
      'phase 3 (03-custom-resources)',
      '  apply: kubectl apply --server-side -f dist/03-custom-resources/manifests.yaml',
      'kubectl: /bin/kubectl (PATH); each wait gives up after 60 s',
    ].join('\n'));
  });

  test('fails when the output folder has no phase files, saying to synth first', () => {
    const empty = path.join(tmpDir(), 'dist');
    expect(() => planDeploy(empty, `${empty}-secrets`)).toThrow(`no phase files (01-crds-namespaces/manifests.yaml, 02-controllers/manifests.yaml, 03-custom-resources/manifests.yaml, 04-apps/manifests.yaml) in ${empty}: run npm run synth first`);
  });

  test('fails on an output folder of an earlier synth\'s flat phase files, saying to synth again', () => {
    const dir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(dir);
    for (const f of ['01-crds-namespaces.yaml', '02-controllers.yaml']) fs.writeFileSync(path.join(dir, f), 'kind: Namespace\n');
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(`${dir} holds phase files of an earlier synth (01-crds-namespaces.yaml, 02-controllers.yaml), ` +
      'which wrote one file per phase; each phase is a folder now: run npm run synth to write them so');
  });

  test('fails on a phase file that does not parse, naming it', () => {
    const dir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(dir, '01-crds-namespaces'), { recursive: true });
    fs.writeFileSync(path.join(dir, PHASE_FILES[Phase.FOUNDATIONS]), 'a: [\n');
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(`${path.join(dir, '01-crds-namespaces/manifests.yaml')} does not parse`);
  });

  test.each([
    ['data', { data: { password: 'aHVudGVyMg==' } }],
    ['stringData', { stringData: { password: 'hunter2' } }],
  ])('fails on an output folder that holds a Secret carrying %s, naming the file and the object', (_field, values) => {
    const dir = path.join(tmpDir(), 'dist');
    writePhases(dir, { [Phase.CONTROLLERS]: [deployment('ops', 'operator'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'ops' }, ...values }] });
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(new Error(`${path.join(dir, '02-controllers/manifests.yaml')}: Secret ops/db carries data, but Secrets with values belong in ${dir}-secrets, ` +
      `not in ${dir}, which may be committed: run npm run synth to move it, and change the values if this folder was pushed anywhere`));
  });

  test('plans an output folder whose Secrets are empty placeholders a controller fills', () => {
    const dir = path.join(tmpDir(), 'dist');
    writePhases(dir, { [Phase.CONTROLLERS]: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'webhook-cert', namespace: 'ops' } }] });
    expect(planDeploy(dir, `${dir}-secrets`)).toEqual([{ phase: Phase.CONTROLLERS, files: [path.join(dir, '02-controllers/manifests.yaml')], waits: [] }]);
  });
});

describe('planSecrets', () => {
  test('applies each phase file of the secrets folder, in order, with no waits', () => {
    const dir = path.join(tmpDir(), 'dist-secrets');
    writePhases(dir, { [Phase.APPS]: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'ops' } }], [Phase.CONTROLLERS]: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'ops' } }] });
    expect(planSecrets(dir)).toEqual([
      { phase: Phase.CONTROLLERS, files: [path.join(dir, PHASE_FILES[Phase.CONTROLLERS])], waits: [] },
      { phase: Phase.APPS, files: [path.join(dir, PHASE_FILES[Phase.APPS])], waits: [] },
    ]);
  });

  test('fails on a secrets folder without phase files, saying to synth first', () => {
    const dir = tmpDir();
    expect(() => planSecrets(dir)).toThrow(`no Secrets to apply: ${dir} holds no phase files (01-crds-namespaces/manifests.yaml, 02-controllers/manifests.yaml, ` +
      '03-custom-resources/manifests.yaml, 04-apps/manifests.yaml): run npm run synth first');
  });
});
