// The tutorial's `k3d cluster create`, as a k3d config file that synth writes beside the manifests.
import type { CoreSettings } from './core';

/** Where in the output folder the k3d config goes: a subfolder, which `kubectl apply -f dist/` does not read. */
export const K3D_CONFIG_FILE = 'k3d/cluster.yaml';

/** The rancher/k3s image of a k3s version: `v1.33.5+k3s1` → `rancher/k3s:v1.33.5-k3s1`. */
export function k3sImage(kubernetesVersion: string): string {
  return `rancher/k3s:${kubernetesVersion.startsWith('v') ? '' : 'v'}${kubernetesVersion.replace('+', '-')}`;
}

/**
 * `k3d cluster create --config` input (k3d.io/v1alpha5) for the configured cluster: one server, the API on
 * its port, HTTP and HTTPS on the load balancer, the servers' memory, the k3s image of the target version,
 * and k3s's Traefik and ServiceLB off (ServiceLB would take LoadBalancer Services before MetalLB can).
 * Undefined when the configuration has no k3d cluster.
 */
export function k3dClusterConfig(config: CoreSettings): Record<string, unknown> | undefined {
  const k = config.k3d;
  if (!k.enabled) return undefined;
  const onServers = (arg: string) => ({ arg, nodeFilters: ['server:*'] });
  return {
    apiVersion: 'k3d.io/v1alpha5',
    kind: 'Simple',
    metadata: { name: k.name },
    servers: 1,
    agents: 0,
    image: k3sImage(config.kubernetesVersion),
    ...(k.dockerSubnet ? { subnet: k.dockerSubnet } : {}),
    kubeAPI: { hostPort: String(k.apiPort) },
    ports: [
      { port: `${k.httpPort}:80`, nodeFilters: ['loadbalancer'] },
      { port: `${k.httpsPort}:443`, nodeFilters: ['loadbalancer'] },
    ],
    options: {
      k3s: { extraArgs: [onServers('--disable=traefik'), onServers('--disable=servicelb')] },
      runtime: { serversMemory: k.serversMemory },
    },
  };
}
