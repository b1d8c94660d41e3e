// Flux: a GitRepository for the repository the output is committed to, and one Kustomization per phase,
// each depending on the one before and waiting for the health of everything it applied.
import { Construct } from 'constructs';
import { GitRepository, GitRepositorySpecRef } from '../../imports/source.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecHealthChecks, KustomizationSpecIgnore, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { readinessWaits } from '../deploy/plan';
import { PHASE_FILES, PHASE_FOLDERS } from '../phases';
import { ignoredFields } from './ignore';
import { GITOPS_FOLDER, GitOpsOptions, PhaseManifests, phaseObjectName, PlacedObject, repoPath } from './options';

/** A version tag (v1.4.0, 1.4.0-rc.1): Flux checks it out as a tag; `refs/...` is a Git reference; anything else a branch. */
export function gitRef(revision: string): GitRepositorySpecRef {
  if (revision.startsWith('refs/')) return { name: revision };
  if (/^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$/.test(revision)) return { tag: revision };
  return { branch: revision };
}

/** What `npm run deploy` waits for after the phase, as Flux health checks: its CRDs, and its operators marked ready-before-next-phase. */
function healthChecks(p: PhaseManifests): KustomizationSpecHealthChecks[] {
  return readinessWaits(p.manifests.map((m) => m.object), PHASE_FILES[p.phase]).flatMap((w): KustomizationSpecHealthChecks[] => {
    if (w.type === 'established') return w.crds.map((name) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name }));
    if (w.type === 'rollout') return w.workloads.map((x) => ({ apiVersion: 'apps/v1', kind: x.kind, name: x.name, namespace: x.namespace }));
    return [];
  });
}

/** Flux matches a target's group, name and namespace as anchored regular expressions: these match exactly. */
const exactly = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The fields controllers set at run time, as drift-detection ignore rules of the phase's objects (JSON pointers). */
function ignoreRules(p: PhaseManifests): KustomizationSpecIgnore[] {
  return ignoredFields(p.manifests).filter((f) => f.jsonPointers.length).map((f) => ({
    paths: [...f.jsonPointers],
    target: { ...(f.group ? { group: exactly(f.group) } : {}), kind: f.kind, name: exactly(f.name), ...(f.namespace ? { namespace: exactly(f.namespace) } : {}) },
  }));
}

/** The GitRepository and one Kustomization per phase, all into `flux.yaml`. */
export function fluxObjects(scope: Construct, options: GitOpsOptions, phases: readonly PhaseManifests[]): PlacedObject[] {
  const { namespace, gitRepository, interval, timeout, secretRef } = options.flux;
  const source = new GitRepository(scope, 'git-repository', {
    metadata: { name: gitRepository, namespace },
    spec: { interval, url: options.repoURL!, ref: gitRef(options.revision), ...(secretRef ? { secretRef: { name: secretRef } } : {}) },
  });
  const kustomizations = phases.map((p, i) => {
    const health = healthChecks(p);
    const ignore = ignoreRules(p);
    return new Kustomization(scope, `kustomization-${p.phase}`, {
      metadata: { name: phaseObjectName(gitRepository, p.phase), namespace },
      spec: {
        interval, timeout, path: `./${repoPath(options, PHASE_FOLDERS[p.phase])}`,
        prune: true, force: false, wait: true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: gitRepository },
        ...(i > 0 ? { dependsOn: [{ name: phaseObjectName(gitRepository, phases[i - 1].phase) }] } : {}),
        ...(health.length ? { healthChecks: health } : {}),
        ...(ignore.length ? { ignore } : {}),
      },
    });
  });
  return [source, ...kustomizations].map((object) => ({
    file: 'flux.yaml', object, title: 'Flux: the GitRepository and one Kustomization per phase',
    usage: `apply once, and again when it changes: kubectl apply --server-side -f ${repoPath(options, `${GITOPS_FOLDER}/flux.yaml`)}`,
  }));
}
