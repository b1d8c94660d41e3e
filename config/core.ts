// The platform's own settings, beside the components' slices: the profile, the Kubernetes target, the
// chart lock and values folder, and the local k3d cluster.
import type { FromSchema } from 'json-schema-to-ts';
import { PORT } from './schema-fragments';

/** The profiles: `lab` is the defaults (the tutorial); every other profile is its differences from them. */
export const PROFILE_NAMES = ['lab', 'cluster'] as const;
export type ProfileName = typeof PROFILE_NAMES[number];

export const CORE_SCHEMA = {
  type: 'object', additionalProperties: false,
  required: ['profile', 'kubernetesVersion', 'charts', 'k3d'],
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
};

/** What each profile changes in the platform's own settings. */
export const CORE_PROFILES: { readonly [P in ProfileName]?: object } = {
  cluster: { k3d: { enabled: false } },
};
