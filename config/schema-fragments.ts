// JSON Schema pieces the components' configuration slices are built from. `x-accepts` says, in an error
// message, what a pattern accepts.

export const QUANTITY = {
  type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$',
  'x-accepts': 'a Kubernetes quantity such as 500m, 2, 256Mi or 1Gi',
} as const;
const RESOURCE_LIST = { type: 'object', additionalProperties: false, properties: { cpu: QUANTITY, memory: QUANTITY } } as const;
export const RESOURCES = {
  type: 'object', additionalProperties: false, description: 'Requests and limits of the component\'s containers.',
  properties: { requests: RESOURCE_LIST, limits: RESOURCE_LIST },
} as const;
export const NAMESPACE = { type: 'string', description: 'A DNS label: lowercase letters, digits and "-", at most 63 characters.' } as const;
export const HOSTNAME = { type: 'string', description: 'A lowercase DNS name, e.g. jupyterhub.example.it.' } as const;
export const PORT = { type: 'integer', minimum: 1, maximum: 65535 } as const;
export const REPLICAS = { type: 'integer', minimum: 1, maximum: 100, description: 'Left out: the chart\'s default (1).' } as const;

/** Requests and limits of a container, as quantities (`500m`, `256Mi`): what RESOURCES holds. */
export interface ResourceRequirements {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Resource requests alone, as the cluster profile sets them. */
export const requests = (cpu: string, memory: string): ResourceRequirements => ({ requests: { cpu, memory } });
