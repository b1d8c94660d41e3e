// The platform's own settings, beside the components' slices: the profile, the Kubernetes target, the
// chart lock and values folder, the local k3d cluster, and delivery by a GitOps controller.
import type { FromSchema } from 'json-schema-to-ts';
import { PORT } from './schema-fragments';

/** The profiles: `lab` is the defaults (the tutorial); every other profile is its differences from them. */
export const PROFILE_NAMES = ['lab', 'cluster'] as const;
export type ProfileName = typeof PROFILE_NAMES[number];

/** A Go duration, as Flux takes them. */
const DURATION = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', 'x-accepts': 'a duration such as 10m, 90s or 1h30m' } as const;

/** The GitOps engines synth writes objects for. */
export const GITOPS_ENGINES = ['none', 'argocd', 'flux'] as const;

const GITOPS_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['engine', 'revision', 'path', 'argocd', 'flux'],
  description: 'Delivery of the committed dist/ by a GitOps controller: synth writes its objects to dist/gitops/.',
  properties: {
    engine: { enum: GITOPS_ENGINES, description: 'none: no GitOps objects. argocd: an AppProject and an app-of-apps. flux: a GitRepository and a Kustomization per phase.' },
    repoURL: { type: 'string', description: 'The repository dist/ is committed to: https://host/path, ssh://user@host/path or (Argo CD only) git@host:path. Required unless engine is none.' },
    revision: { type: 'string', description: 'The branch or tag to deliver. For Flux, a version such as v1.4.0 is a tag, refs/... a Git reference, anything else a branch.' },
    path: { type: 'string', description: 'The output folder\'s path inside that repository, "/"-separated, e.g. dist or clusters/lab/dist ("." for its root).' },
    argocd: {
      type: 'object', additionalProperties: false, required: ['namespace', 'project'],
      properties: {
        namespace: { type: 'string', description: 'Argo CD\'s namespace: the Applications and the AppProject go there.' },
        project: { type: 'string', description: 'The AppProject and the root Application; the children are <project>-01-crds-namespaces and so on.' },
        destination: {
          type: 'object', additionalProperties: false,
          description: 'The cluster the phases go to: server (its API URL) or name (as registered in Argo CD), not both. Left out: the cluster Argo CD runs in.',
          properties: { server: { type: 'string' }, name: { type: 'string' } },
        },
      },
    },
    flux: {
      type: 'object', additionalProperties: false, required: ['namespace', 'gitRepository', 'interval', 'timeout'],
      properties: {
        namespace: { type: 'string', description: 'Flux\'s namespace: the GitRepository and the Kustomizations go there.' },
        gitRepository: { type: 'string', description: 'The GitRepository; the Kustomizations are <gitRepository>-01-crds-namespaces and so on.' },
        secretRef: { type: 'string', description: 'The Secret in the Flux namespace with the credentials for the repository (flux create secret git). Left out: a public repository.' },
        interval: { ...DURATION, description: 'How often Flux fetches the repository and reconciles each phase.' },
        timeout: { ...DURATION, description: 'How long each phase may take to apply and become healthy.' },
      },
    },
  },
} as const;

export const CORE_SCHEMA = {
  type: 'object', additionalProperties: false,
  required: ['profile', 'kubernetesVersion', 'charts', 'k3d', 'gitops'],
  properties: {
    profile: { enum: PROFILE_NAMES, description: 'lab: the tutorial on one k3d node. cluster: a real multi-node cluster.' },
    kubernetesVersion: { type: 'string', description: 'The Kubernetes version the charts are rendered for, e.g. v1.33.5+k3s1.' },
    charts: {
      type: 'object', additionalProperties: false, required: ['lock', 'values'],
      properties: {
        lock: { type: 'string', description: 'The chart lock, relative to this file: every chart\'s version and digest.' },
        values: { type: 'string', description: 'The folder of per-release values files (<release>.yaml), relative to this file.' },
      },
    },
    k3d: {
      type: 'object', additionalProperties: false, required: ['enabled', 'name', 'apiPort', 'httpPort', 'httpsPort', 'serversMemory'],
      description: 'The local k3d cluster; synth writes its config to dist/k3d/cluster.yaml.',
      properties: {
        enabled: { type: 'boolean' },
        name: { type: 'string', description: 'The cluster name; its Docker network is k3d-<name>.' },
        apiPort: PORT,
        httpPort: PORT,
        httpsPort: PORT,
        serversMemory: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?[KMGkmg]?$', 'x-accepts': 'a memory size such as 8G or 4096M' },
        dockerSubnet: { type: 'string', description: 'The subnet of the cluster\'s Docker network (npm run pool writes it); the pool must lie inside.' },
        dockerGateway: { type: 'string', description: 'The gateway of that network (npm run pool writes it); the pool must not hold it. Left out: the subnet\'s first host address, Docker\'s choice.' },
      },
    },
    gitops: GITOPS_SCHEMA,
  },
} as const;

/** The platform's own settings, every default filled in. */
export type CoreSettings = FromSchema<typeof CORE_SCHEMA>;

/** The defaults: the tutorial's one-node k3d cluster on a current k3s. */
export const CORE_DEFAULTS: CoreSettings = {
  profile: 'lab',
  kubernetesVersion: 'v1.33.5+k3s1',
  charts: { lock: 'helm-lock.yaml', values: 'helm-values' },
  k3d: { enabled: true, name: 'k3s-default', apiPort: 6443, httpPort: 8080, httpsPort: 8443, serversMemory: '8G' },
  gitops: {
    engine: 'none', revision: 'main', path: 'dist',
    argocd: { namespace: 'argocd', project: 'ml-platform' },
    flux: { namespace: 'flux-system', gitRepository: 'ml-platform', interval: '10m', timeout: '10m' },
  },
};

/** What each profile changes in the platform's own settings. */
export const CORE_PROFILES: { readonly [P in ProfileName]?: object } = {
  cluster: { k3d: { enabled: false } },
};
