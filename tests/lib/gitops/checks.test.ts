import { Manifest } from '../../../lib/manifests';
import { Phase, PHASE_FILES } from '../../../lib/phases';
import { GitOpsOptions, gitopsObjects } from '../../../lib/gitops';
import { consistencyProblems, WrittenObject } from '../../../lib/gitops/checks';
import { MANIFESTS, OPTIONS } from './fixtures';

const files = (objects: readonly WrittenObject[], extra: string[] = [], manifests: readonly Manifest[] = MANIFESTS) =>
  [...new Set([...manifests.map((m: Manifest) => PHASE_FILES[m.phase]), ...objects.map((o) => o.file), ...extra])];
/** The objects of `engine` (for `manifests`, with the options changed by `over`), with `change` made to the one named `Kind name`. */
function changed(engine: 'flux' | 'argocd', which: string, change: (o: any) => void, over: Partial<GitOpsOptions> = {}, manifests: readonly Manifest[] = MANIFESTS): WrittenObject[] {
  const objects = gitopsObjects(manifests, OPTIONS(engine, over)).map((o) => ({ file: o.file, object: JSON.parse(JSON.stringify(o.object)) }));
  change(objects.find((o) => `${o.object.kind} ${o.object.metadata.name}` === which)!.object);
  return objects;
}

describe('consistencyProblems', () => {
  test('none for the objects of either engine, or for the phase folders alone', () => {
    for (const engine of ['flux', 'argocd'] as const) {
      const objects = gitopsObjects(MANIFESTS, OPTIONS(engine));
      expect(consistencyProblems(MANIFESTS, objects, files(objects, ['k3d/cluster.yaml']), 'clusters/lab')).toEqual([]);
    }
    expect(consistencyProblems(MANIFESTS, [], files([], ['k3d/cluster.yaml']), '.')).toEqual([]);
  });

  test('none for an output at the repository\'s root, or for an output without some phase', () => {
    for (const engine of ['flux', 'argocd'] as const) {
      const objects = gitopsObjects(MANIFESTS, OPTIONS(engine, { path: '.' }));
      expect(consistencyProblems(MANIFESTS, objects, files(objects, ['k3d/cluster.yaml']), '.')).toEqual([]);
    }
    const noCustomResources = MANIFESTS.filter((m) => m.phase !== Phase.CUSTOM_RESOURCES);
    expect(consistencyProblems(noCustomResources, [], files([], [], noCustomResources), '.')).toEqual([]);
  });

  test('none for a path written with a trailing slash', () => {
    const objects = changed('argocd', 'Application lab-04-apps', (a) => { a.spec.source.path = 'clusters/lab/04-apps/'; });
    expect(consistencyProblems(MANIFESTS, objects, files(objects), 'clusters/lab')).toEqual([]);
  });

  test('fails on a path the output does not have, or outside it, naming the object and the objects it leaves unapplied', () => {
    const objects = changed('flux', 'Kustomization lab-03-custom-resources', (k) => { k.spec.path = './clusters/lab/05-extras'; });
    expect(consistencyProblems(MANIFESTS, objects, files(objects), 'clusters/lab')).toEqual([
      'gitops/flux.yaml: Kustomization flux-system/lab-03-custom-resources: .spec.path "./clusters/lab/05-extras": the output has no objects under 05-extras/: ' +
        'name a phase folder (01-crds-namespaces, 02-controllers, 03-custom-resources, 04-apps)',
      '03-custom-resources/manifests.yaml: Widget ops/w: in no phase path: each object must be applied by exactly one',
    ]);
    const outside = changed('argocd', 'Application lab-04-apps', (a) => { a.spec.source.path = 'clusters/prod/04-apps'; });
    expect(consistencyProblems(MANIFESTS, outside, files(outside), 'clusters/lab')[0]).toBe(
      'gitops/apps/04-apps.yaml: Application argocd/lab-04-apps: .spec.source.path "clusters/prod/04-apps": the path is outside the output folder in the repository: ' +
      'name a phase folder (01-crds-namespaces, 02-controllers, 03-custom-resources, 04-apps)');
  });

  test('fails naming only the phase folders the output has', () => {
    const noCustomResources = MANIFESTS.filter((m) => m.phase !== Phase.CUSTOM_RESOURCES);
    const objects = changed('flux', 'Kustomization lab-04-apps', (k) => { k.spec.path = './clusters/lab/03-custom-resources'; }, {}, noCustomResources);
    expect(consistencyProblems(noCustomResources, objects, files(objects, [], noCustomResources), 'clusters/lab')).toEqual([
      'gitops/flux.yaml: Kustomization flux-system/lab-04-apps: .spec.path "./clusters/lab/03-custom-resources": the output has no objects under 03-custom-resources/: ' +
        'name a phase folder (01-crds-namespaces, 02-controllers, 04-apps)',
      '04-apps/manifests.yaml: ConfigMap kube-system/app: in no phase path: each object must be applied by exactly one',
    ]);
  });

  test('fails on a Kustomization or an Application that names no path: its phase\'s objects are applied by none', () => {
    const unapplied = (engine: 'flux' | 'argocd', which: string, change: (o: any) => void) => {
      const objects = changed(engine, which, change);
      return consistencyProblems(MANIFESTS, objects, files(objects), 'clusters/lab');
    };
    const widget = ['03-custom-resources/manifests.yaml: Widget ops/w: in no phase path: each object must be applied by exactly one'];
    expect(unapplied('flux', 'Kustomization lab-03-custom-resources', (k) => { delete k.spec; })).toEqual(widget);
    expect(unapplied('argocd', 'Application lab-03-custom-resources', (a) => { delete a.spec.source; })).toEqual(widget);
    expect(unapplied('argocd', 'Application lab-03-custom-resources', (a) => { delete a.spec; })).toEqual(widget);
  });

  test('fails on a path at the output\'s root, in the repository\'s root too: it holds every object and file of the output', () => {
    const objects = changed('flux', 'Kustomization lab-04-apps', (k) => { k.spec.path = '.'; }, { path: '.' });
    const problems = consistencyProblems(MANIFESTS, objects, files(objects), '.');
    const root = 'gitops/flux.yaml: Kustomization flux-system/lab-04-apps: .spec.path "."';
    expect(problems).toContain(`01-crds-namespaces/manifests.yaml: Namespace ops: in 2 phase paths (gitops/flux.yaml: Kustomization flux-system/lab-01-crds-namespaces: .spec.path "./01-crds-namespaces"; ${root}): each object must be applied by exactly one`);
    expect(problems).toContain(`gitops/flux.yaml: inside the phase path of ${root}, which would apply it: keep it out of the phase folders`);
    expect(consistencyProblems([], objects.filter((o) => o.object.metadata.name === 'lab-04-apps'), [], '.')).toEqual([
      `${root}: the output has no objects under its root/: name a phase folder ()`,
    ]);
  });

  test('fails on a path that holds the whole output: its objects in two paths, the GitOps files applied by it', () => {
    const objects = changed('flux', 'Kustomization lab-04-apps', (k) => { k.spec.path = './clusters/lab'; });
    const problems = consistencyProblems(MANIFESTS, objects, files(objects, ['k3d/cluster.yaml']), 'clusters/lab');
    expect(problems).toContain('01-crds-namespaces/manifests.yaml: Namespace ops: in 2 phase paths (gitops/flux.yaml: Kustomization flux-system/lab-01-crds-namespaces: ' +
      '.spec.path "./clusters/lab/01-crds-namespaces"; gitops/flux.yaml: Kustomization flux-system/lab-04-apps: .spec.path "./clusters/lab"): each object must be applied by exactly one');
    expect(problems).toContain('gitops/flux.yaml: inside the phase path of gitops/flux.yaml: Kustomization flux-system/lab-04-apps: .spec.path "./clusters/lab", which would apply it: keep it out of the phase folders');
    expect(problems).toContain('k3d/cluster.yaml: inside the phase path of gitops/flux.yaml: Kustomization flux-system/lab-04-apps: .spec.path "./clusters/lab", which would apply it: keep it out of the phase folders');
  });

  test('fails on another file in a phase folder, with no engine too', () => {
    expect(consistencyProblems(MANIFESTS, [], files([], ['02-controllers/notes.yaml']), '.')).toEqual([
      '02-controllers/notes.yaml: inside the phase path of phase 2, which would apply it: keep it out of the phase folders',
    ]);
  });

  test('fails on a root Application whose folder holds no GitOps objects', () => {
    const objects = changed('argocd', 'Application lab', (a) => { a.spec.source.path = 'clusters/lab/gitops/applications'; });
    expect(consistencyProblems(MANIFESTS, objects, files(objects), 'clusters/lab')).toEqual([
      'gitops/root-application.yaml: Application argocd/lab: .spec.source.path "clusters/lab/gitops/applications": the output has no objects under gitops/applications/: ' +
        'name a folder of gitops/ that holds GitOps objects',
    ]);
  });

  test('fails on an AppProject that allows nothing, naming every namespace and kind, a Namespace no object is in included', () => {
    const empty = { phase: Phase.FOUNDATIONS, path: 'p/e', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } } };
    const manifests = [...MANIFESTS, empty];
    const objects = changed('argocd', 'AppProject lab', (p) => { delete p.spec; }, {}, manifests);
    const at = 'gitops/apps/project.yaml: AppProject argocd/lab';
    expect(consistencyProblems(manifests, objects, files(objects), 'clusters/lab')).toEqual([
      `${at}: .spec.destinations lacks namespace "empty", which 01-crds-namespaces/manifests.yaml: Namespace empty uses`,
      `${at}: .spec.destinations lacks namespace "kube-system", which 04-apps/manifests.yaml: ConfigMap kube-system/app uses`,
      `${at}: .spec.destinations lacks namespace "ops", which 01-crds-namespaces/manifests.yaml: Namespace ops uses`,
      `${at}: .spec.clusterResourceWhitelist lacks Namespace (group ""), which 01-crds-namespaces/manifests.yaml: Namespace ops is`,
      `${at}: .spec.clusterResourceWhitelist lacks ValidatingWebhookConfiguration (group "admissionregistration.k8s.io"), which 02-controllers/manifests.yaml: ValidatingWebhookConfiguration op.example.com is`,
      `${at}: .spec.clusterResourceWhitelist lacks CustomResourceDefinition (group "apiextensions.k8s.io"), which 01-crds-namespaces/manifests.yaml: CustomResourceDefinition widgets.example.com is`,
    ]);
  });

  test('fails on an AppProject narrower or wider than the output, naming what is missing and who needs it', () => {
    const objects = changed('argocd', 'AppProject lab', (p) => {
      p.spec.destinations = [{ server: 'https://kubernetes.default.svc', namespace: 'ops' }, { server: 'https://kubernetes.default.svc', namespace: 'default' }];
      p.spec.clusterResourceWhitelist = p.spec.clusterResourceWhitelist.filter((k: any) => k.kind !== 'CustomResourceDefinition').concat([{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }]);
    });
    expect(consistencyProblems(MANIFESTS, objects, files(objects), 'clusters/lab')).toEqual([
      'gitops/apps/project.yaml: AppProject argocd/lab: .spec.destinations lacks namespace "kube-system", which 04-apps/manifests.yaml: ConfigMap kube-system/app uses',
      'gitops/apps/project.yaml: AppProject argocd/lab: .spec.destinations allows namespace "default", which no object of the output uses: allow only the output\'s',
      'gitops/apps/project.yaml: AppProject argocd/lab: .spec.clusterResourceWhitelist lacks CustomResourceDefinition (group "apiextensions.k8s.io"), ' +
        'which 01-crds-namespaces/manifests.yaml: CustomResourceDefinition widgets.example.com is',
      'gitops/apps/project.yaml: AppProject argocd/lab: .spec.clusterResourceWhitelist allows rbac.authorization.k8s.io/ClusterRole, which the output holds no object of: allow only the output\'s',
    ]);
  });
});
