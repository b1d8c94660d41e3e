import * as fs from 'fs';
import * as path from 'path';
import { PHASE_FILES, PHASES } from '../lib/phases';
import { loadAll, synthConfig } from './helpers';

/**
 * The GitOps objects of both engines and both profiles, synthesized end to end on stand-in charts, and
 * followed the way the controllers follow them: from the objects a user applies, through the paths they
 * name, into the written output folder.
 */
const PROFILES = {
  lab: 'profile: lab\n',
  cluster: 'profile: cluster\nmetallb:\n  addresses: [10.20.0.100-10.20.0.120]\n',
};
const GITOPS = {
  flux: 'gitops:\n  engine: flux\n  repoURL: ssh://git@git.example.com/platform/fleet.git\n  revision: v1.4.0\n  flux:\n    secretRef: fleet-deploy-key\n',
  argocd: 'gitops:\n  engine: argocd\n  repoURL: https://git.example.com/platform/fleet.git\n  argocd:\n    destination: { name: prod }\n',
};

type Synth = Awaited<ReturnType<typeof synthConfig>>;
const synths = new Map<string, Synth>();
beforeAll(async () => {
  for (const [profile, config] of Object.entries(PROFILES)) {
    synths.set(`${profile} none`, await synthConfig(config));
    for (const [engine, gitops] of Object.entries(GITOPS)) synths.set(`${profile} ${engine}`, await synthConfig(config + gitops));
  }
});

/** The objects of the YAML files a controller reads under `folder` of the output (recursively for Flux, not for Argo CD), in file order. */
function objectsUnder(outdir: string, folder: string, recursive: boolean): any[] {
  const dir = path.join(outdir, folder);
  const files = (fs.readdirSync(dir, { recursive }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.flatMap((f) => loadAll(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** The output's objects in phase order: what `npm run deploy` applies from dist/. */
const phaseObjects = (s: Synth) => PHASES.flatMap((p) => (s.dist[PHASE_FILES[p]] ? loadAll(s.dist[PHASE_FILES[p]]) : []));

/** `./dist/02-controllers` or `dist/02-controllers` → `02-controllers`: the paths are the repository's, and gitops.path is dist. */
const inOutput = (repoPath: string) => {
  expect(repoPath).toMatch(/^(\.\/)?dist\//);
  return repoPath.replace(/^(\.\/)?dist\//, '');
};

describe.each(Object.keys(PROFILES))('the %s profile', (profile) => {
  test('with no gitops section, writes no gitops/ and the same phase files as with one', () => {
    const none = synths.get(`${profile} none`)!;
    expect(Object.keys(none.dist).filter((f) => f.startsWith('gitops/'))).toEqual([]);
    for (const engine of Object.keys(GITOPS)) {
      const withGitOps = synths.get(`${profile} ${engine}`)!;
      expect(Object.fromEntries(Object.entries(withGitOps.dist).filter(([f]) => !f.startsWith('gitops/')))).toEqual(none.dist);
    }
  });

  test.each(Object.keys(GITOPS))('the %s objects match the snapshot', (engine) => {
    const files = synths.get(`${profile} ${engine}`)!.dist;
    expect(Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('gitops/')))).toMatchSnapshot();
  });

  test('Flux: the Kustomizations, followed along dependsOn from the GitRepository, reach exactly the output\'s objects in phase order', () => {
    const s = synths.get(`${profile} flux`)!;
    const objects = loadAll(s.dist['gitops/flux.yaml']);
    const [source, ...kustomizations] = objects;
    expect(source).toMatchObject({ kind: 'GitRepository', spec: { url: 'ssh://git@git.example.com/platform/fleet.git', ref: { tag: 'v1.4.0' }, secretRef: { name: 'fleet-deploy-key' } } });
    // The chain: the one that depends on nothing, then each one that depends on the one before.
    const chain: any[] = [kustomizations.find((k) => !k.spec.dependsOn)];
    for (let next; (next = kustomizations.find((k) => k.spec.dependsOn?.[0]?.name === chain[chain.length - 1].metadata.name));) chain.push(next);
    expect(chain.map((k) => k.metadata.name)).toEqual(['ml-platform-01-crds-namespaces', 'ml-platform-02-controllers', 'ml-platform-03-custom-resources', 'ml-platform-04-apps']);
    expect(chain.length).toBe(kustomizations.length);
    for (const k of chain) {
      expect(k.spec).toMatchObject({ sourceRef: { kind: 'GitRepository', name: source.metadata.name }, prune: true, force: false, wait: true, timeout: '10m' });
    }
    const folders = chain.map((k) => inOutput(k.spec.path));
    expect(folders.some((f) => f.startsWith('gitops') || f.startsWith('k3d'))).toBe(false);
    expect(folders.flatMap((f) => objectsUnder(s.outdir, f, true))).toEqual(phaseObjects(s));
  });

  test('Argo CD: the root\'s Applications, in sync-wave order, reach exactly the output\'s objects in phase order, and the project allows just them', () => {
    const s = synths.get(`${profile} argocd`)!;
    const [root] = loadAll(s.dist['gitops/root-application.yaml']);
    expect(root).toMatchObject({ kind: 'Application', spec: { project: 'default', destination: { namespace: 'argocd' } } });
    const synced = objectsUnder(s.outdir, inOutput(root.spec.source.path), false);
    const [project] = synced.filter((o) => o.kind === 'AppProject');
    const children = synced.filter((o) => o.kind === 'Application').sort((a, b) => Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']) - Number(b.metadata.annotations['argocd.argoproj.io/sync-wave']));
    expect(children.map((a) => a.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['1', '2', '3', '4']);
    for (const a of children) {
      expect(a.spec).toMatchObject({ project: project.metadata.name, destination: { name: 'prod' }, syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 5 } } });
      expect(a.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['ServerSideApply=true', 'CreateNamespace=false']));
    }
    const folders = children.map((a) => inOutput(a.spec.source.path));
    expect(folders.some((f) => f.startsWith('gitops') || f.startsWith('k3d'))).toBe(false);
    const reached = folders.flatMap((f) => objectsUnder(s.outdir, f, false));
    expect(reached).toEqual(phaseObjects(s));
    const namespaces = new Set(reached.flatMap((o) => [o.metadata.namespace, o.kind === 'Namespace' ? o.metadata.name : undefined]).filter(Boolean));
    expect(project.spec.destinations.map((d: any) => d.namespace).sort()).toEqual([...namespaces].sort());
    const clusterKinds = new Set(reached.filter((o) => !o.metadata.namespace).map((o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`));
    expect(project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`).sort()).toEqual([...clusterKinds].sort());
  });
});
