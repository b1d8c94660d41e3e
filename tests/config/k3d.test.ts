import { k3dClusterConfig, k3sImage } from '../../config/k3d';
import { PROFILES } from '../../config/profiles';

describe('k3dClusterConfig', () => {
  test('the tutorial\'s k3d cluster create, with ServiceLB off and the k3s image of the target version', () => {
    expect(k3dClusterConfig(PROFILES.lab)).toEqual({
      apiVersion: 'k3d.io/v1alpha5', kind: 'Simple',
      metadata: { name: 'k3s-default' },
      servers: 1, agents: 0,
      image: 'rancher/k3s:v1.33.5-k3s1',
      kubeAPI: { hostPort: '6443' },
      ports: [{ port: '8080:80', nodeFilters: ['loadbalancer'] }, { port: '8443:443', nodeFilters: ['loadbalancer'] }],
      options: {
        k3s: { extraArgs: [{ arg: '--disable=traefik', nodeFilters: ['server:*'] }, { arg: '--disable=servicelb', nodeFilters: ['server:*'] }] },
        runtime: { serversMemory: '8G' },
      },
    });
  });

  test('pins the Docker subnet when the configuration knows it, so the pool stays inside', () => {
    expect(k3dClusterConfig({ ...PROFILES.lab, k3d: { ...PROFILES.lab.k3d, dockerSubnet: '192.168.97.0/24' } })).toMatchObject({ subnet: '192.168.97.0/24' });
  });

  test('there is none for the cluster profile', () => {
    expect(k3dClusterConfig(PROFILES.cluster)).toBeUndefined();
  });

  test('k3s images use "-" where versions have "+"', () => {
    expect(k3sImage('v1.32.9+k3s1')).toBe('rancher/k3s:v1.32.9-k3s1');
  });
});
