// Argo CD: an app-of-apps. The root Application syncs gitops/apps/: an AppProject limited to what the
// output holds, and one Application per phase in sync-wave order, which the root waits for once argocd-cm
// has the health check of Applications (a ConfigMap patch the user applies once).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, ApplicationSpecIgnoreDifferences, ApplicationSpecSyncPolicy } from '../../imports/applications-argoproj.io';
import { AppProject } from '../../imports/appprojects-argoproj.io';
import { Manifest } from '../manifests';
import { ARGO_CD_SYNC_WAVE, PHASE_FOLDERS } from '../phases';
import { groupOf } from '../resource-scope';
import { ignoredFields } from './ignore';
import { GITOPS_FOLDER, GitOpsOptions, IN_CLUSTER, PhaseManifests, phaseObjectName, PlacedObject, repoPath } from './options';

/** The folder under gitops/ that the root Application syncs. */
export const ARGO_CD_APPS_FOLDER = 'apps';

/** Argo CD's app-of-apps health check (its documentation, "Argocd App"): an Application is as healthy as its status says. */
const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

const RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

/** The namespaces the output uses (objects' and Namespaces'), and the cluster-scoped kinds it holds: what the AppProject allows. */
export function projectScope(manifests: readonly Manifest[]): { namespaces: string[]; clusterKinds: Array<{ group: string; kind: string }> } {
  const namespaces = new Set<string>();
  const kinds = new Map<string, { group: string; kind: string }>();
  for (const { object } of manifests) {
    if (object.metadata.namespace) namespaces.add(object.metadata.namespace);
    else kinds.set(`${groupOf(object.apiVersion)}/${object.kind}`, { group: groupOf(object.apiVersion), kind: object.kind });
    if (object.apiVersion === 'v1' && object.kind === 'Namespace') namespaces.add(object.metadata.name);
  }
  return { namespaces: [...namespaces].sort(), clusterKinds: [...kinds.keys()].sort().map((k) => kinds.get(k)!) };
}

/** The fields controllers set at run time on the phase's objects, as ignoreDifferences (jq paths). */
function ignoreDifferences(p: PhaseManifests): ApplicationSpecIgnoreDifferences[] {
  return ignoredFields(p.manifests).map((f) => ({
    group: f.group, kind: f.kind, name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}), jqPathExpressions: [...f.jqPaths],
  }));
}

/** One Application per phase, in its sync wave, syncing the phase's folder with server-side apply. */
function phaseApplications(scope: Construct, options: GitOpsOptions, phases: readonly PhaseManifests[], namespace: string): PlacedObject[] {
  const { project, destination } = options.argocd;
  const syncPolicy: ApplicationSpecSyncPolicy = {
    automated: { prune: true, selfHeal: true },
    // RespectIgnoreDifferences: a sync leaves the ignored fields as the controllers set them (istiod's failurePolicy).
    syncOptions: ['ServerSideApply=true', 'CreateNamespace=false', 'RespectIgnoreDifferences=true'],
    retry: RETRY,
  };
  return phases.map((p) => {
    const ignore = ignoreDifferences(p);
    const object = new Application(scope, `application-${p.phase}`, {
      metadata: { name: phaseObjectName(project, p.phase), namespace: options.argocd.namespace, annotations: { [ARGO_CD_SYNC_WAVE]: String(p.phase) } },
      spec: {
        project,
        source: { repoUrl: options.repoURL!, targetRevision: options.revision, path: repoPath(options, PHASE_FOLDERS[p.phase]) },
        // Every object names its namespace; Argo CD still wants the destination to be one the project allows.
        destination: { ...(destination ?? { server: IN_CLUSTER }), namespace },
        syncPolicy,
        ...(ignore.length ? { ignoreDifferences: ignore } : {}),
      },
    });
    return { file: `${ARGO_CD_APPS_FOLDER}/${PHASE_FOLDERS[p.phase]}.yaml`, object, title: `Argo CD: the Application of phase ${p.phase}, synced by the root Application` };
  });
}

/** The root Application, the argocd-cm patch, the AppProject and one Application per phase. */
export function argoCdObjects(scope: Construct, options: GitOpsOptions, phases: readonly PhaseManifests[]): PlacedObject[] {
  const { namespace, project, destination } = options.argocd;
  const { namespaces, clusterKinds } = projectScope(phases.flatMap((p) => p.manifests));
  const root = new Application(scope, 'root', {
    metadata: { name: project, namespace },
    spec: {
      // The root creates the AppProject, so it cannot be in it; it writes Applications into Argo CD's own cluster.
      project: 'default',
      source: { repoUrl: options.repoURL!, targetRevision: options.revision, path: repoPath(options, `${GITOPS_FOLDER}/${ARGO_CD_APPS_FOLDER}`) },
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: RETRY },
    },
  });
  const health = new ApiObject(scope, 'argocd-cm', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace },
    data: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
  });
  const appProject = new AppProject(scope, 'project', {
    metadata: { name: project, namespace, annotations: { [ARGO_CD_SYNC_WAVE]: '0' } },
    spec: {
      sourceRepos: [options.repoURL!],
      destinations: namespaces.map((ns) => ({ ...(destination ?? { server: IN_CLUSTER }), namespace: ns })),
      clusterResourceWhitelist: clusterKinds,
    },
  });
  const at = (file: string) => repoPath(options, `${GITOPS_FOLDER}/${file}`);
  return [
    {
      file: 'root-application.yaml', object: root, title: 'Argo CD: the root Application, which syncs the AppProject and one Application per phase',
      usage: `apply once: kubectl apply --server-side -f ${at('root-application.yaml')}`,
    },
    {
      file: 'argocd-cm-app-health.yaml', object: health, title: 'Argo CD: the health check of Applications the root waits on, as a patch of argocd-cm',
      usage: `apply once: kubectl -n ${namespace} patch configmap argocd-cm --type merge --patch-file ${at('argocd-cm-app-health.yaml')}`,
    },
    { file: `${ARGO_CD_APPS_FOLDER}/project.yaml`, object: appProject, title: 'Argo CD: the AppProject of the phases, synced by the root Application' },
    ...phaseApplications(scope, options, phases, namespaces[0] ?? 'default'),
  ];
}
