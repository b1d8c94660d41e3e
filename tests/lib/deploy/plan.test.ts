import * as fs from 'fs';
import * as path from 'path';
import { describePlan, planDeploy, planSecrets, readinessWaits } from '../../../lib/deploy/plan';
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

describe('planDeploy, the edges', () => {
  test('skips empty, null and scalar documents among the objects of a phase file', () => {
    const dir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(dir, '02-controllers'), { recursive: true });
    const file = path.join(dir, PHASE_FILES[Phase.CONTROLLERS]);
    fs.writeFileSync(file, `---\n---\nnull\n---\n42\n---\nplain text\n---\n${toYaml(deployment('ops', 'operator', true))}---\n~\n`);
    expect(planDeploy(dir, `${dir}-secrets`)).toEqual([
      { phase: Phase.CONTROLLERS, files: [file], waits: [{ type: 'rollout', workloads: [{ kind: 'Deployment', namespace: 'ops', name: 'operator' }] }] },
    ]);
  });

  test('fails on a phase file that does not parse with the whole message: the file, the parser\'s first line and the fix', () => {
    const dir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(dir, '01-crds-namespaces'), { recursive: true });
    const file = path.join(dir, PHASE_FILES[Phase.FOUNDATIONS]);
    fs.writeFileSync(file, 'a: [\n');
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(new Error(
      `${file} does not parse (unexpected end of the stream within a flow collection (2:1)): run npm run synth to write it again`));
  });

  test('names only the flat phase files of an earlier synth, in order, not the other files of the folder', () => {
    const dir = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(dir, 'k3d'), { recursive: true });
    for (const f of ['04-apps.yaml', 'notes.txt', '02-controllers.yaml', 'README.md', '01-crds-namespaces.yaml']) fs.writeFileSync(path.join(dir, f), 'kind: Namespace\n');
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(new Error(`${dir} holds phase files of an earlier synth (01-crds-namespaces.yaml, 02-controllers.yaml, 04-apps.yaml), ` +
      'which wrote one file per phase; each phase is a folder now: run npm run synth to write them so'));
  });

  test('plans an output folder whose only phase also has a Secrets file; refuses a Secrets folder without an output folder', () => {
    const root = tmpDir();
    const dir = path.join(root, 'dist');
    writePhases(dir, { [Phase.APPS]: [deployment('ops', 'web')] });
    writePhases(`${dir}-secrets`, { [Phase.APPS]: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ops' }, data: { a: 'Yg==' } }] });
    expect(planDeploy(dir, `${dir}-secrets`)).toEqual([
      { phase: Phase.APPS, files: [path.join(dir, PHASE_FILES[Phase.APPS]), path.join(`${dir}-secrets`, PHASE_FILES[Phase.APPS])], waits: [] },
    ]);
    const missing = path.join(root, 'elsewhere');
    expect(() => planDeploy(missing, `${dir}-secrets`)).toThrow(new Error(
      `no phase files (01-crds-namespaces/manifests.yaml, 02-controllers/manifests.yaml, 03-custom-resources/manifests.yaml, 04-apps/manifests.yaml) in ${missing}: run npm run synth first`));
  });
});

describe('readinessWaits', () => {
  const ready = { [READY_BEFORE_NEXT_PHASE]: 'true' };

  test('waits for marked Deployments, StatefulSets and DaemonSets alike, in their order, and for no unmarked or other kind', () => {
    expect(readinessWaits([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data', annotations: ready } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops', annotations: ready } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'operator', namespace: 'ops', annotations: ready } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', namespace: 'data' } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'off', namespace: 'data', annotations: { [READY_BEFORE_NEXT_PHASE]: 'false' } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ops', annotations: ready } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'ops', annotations: ready } },
    ], 'f')).toEqual([{ type: 'rollout', workloads: [
      { kind: 'StatefulSet', namespace: 'data', name: 'db' }, { kind: 'DaemonSet', namespace: 'ops', name: 'agent' }, { kind: 'Deployment', namespace: 'ops', name: 'operator' },
    ] }]);
  });

  test('a workload without metadata does not stop the plan: an unmarked workload is not waited for', () => {
    expect(readinessWaits([{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'n' } }], 'f')).toEqual([]);
  });

  test('fails on a CRD without a name, naming the file and the fix, rather than wait for crd/undefined', () => {
    for (const metadata of [undefined, {}]) {
      expect(() => readinessWaits([{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...(metadata ? { metadata } : {}) }], '/out/01-crds-namespaces/manifests.yaml'))
        .toThrow(new Error('/out/01-crds-namespaces/manifests.yaml: CustomResourceDefinition ? has no name: run npm run synth to write it again'));
    }
    expect(() => readinessWaits([{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: '' } }], 'f'))
      .toThrow(/^f: CustomResourceDefinition +has no name: run npm run synth to write it again$/);
  });

  test('waits for CRDs of apiextensions.k8s.io only', () => {
    expect(readinessWaits([
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a.example.com' } },
      { apiVersion: 'example.com/v1', kind: 'CustomResourceDefinition', metadata: { name: 'b.example.com' } },
      { apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition', metadata: { name: 'c.example.com' } },
    ], 'f')).toEqual([{ type: 'established', crds: ['a.example.com', 'c.example.com'] }]);
  });

  test.each(['Deployment', 'StatefulSet', 'DaemonSet'])('fails on a marked %s without a namespace, naming the file, the object and the fix', (kind) => {
    expect(() => readinessWaits([{ apiVersion: 'apps/v1', kind, metadata: { name: 'operator', annotations: ready } }], '/out/02-controllers/manifests.yaml')).toThrow(new Error(
      `/out/02-controllers/manifests.yaml: ${kind} operator has no namespace: run npm run synth to write it again`));
  });

  test('planDeploy refuses a marked workload without a namespace, naming the phase file', () => {
    const dir = path.join(tmpDir(), 'dist');
    writePhases(dir, { [Phase.CONTROLLERS]: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', annotations: ready } }] });
    expect(() => planDeploy(dir, `${dir}-secrets`)).toThrow(new Error(
      `${path.join(dir, PHASE_FILES[Phase.CONTROLLERS])}: StatefulSet db has no namespace: run npm run synth to write it again`));
  });
});

describe('describePlan, the paths', () => {
  const plan = (files: string[]) => [{ phase: Phase.APPS, files, waits: [] }];

  test('shows a file relative to the folder given, as "." when it is that folder, and as given without one', () => {
    expect(describePlan(plan(['/w/dist/04-apps/manifests.yaml', '/w']), { kubectl: 'kubectl', timeoutSeconds: 5, relativeTo: '/w' })).toBe([
      'phase 4 (04-apps)', '  apply: kubectl apply --server-side -f dist/04-apps/manifests.yaml -f .', 'kubectl: kubectl; each wait gives up after 5 s'].join('\n'));
    expect(describePlan(plan(['/w/dist/04-apps/manifests.yaml']), { kubectl: 'kubectl', timeoutSeconds: 5 })).toBe([
      'phase 4 (04-apps)', '  apply: kubectl apply --server-side -f /w/dist/04-apps/manifests.yaml', 'kubectl: kubectl; each wait gives up after 5 s'].join('\n'));
  });
});
