import * as fs from 'fs';
import * as path from 'path';
import { settingName } from '../../config/checks';
import { loadConfig } from '../../config/load';
import { tmpDir } from '../helpers';

/** The problems loadConfig finds in a platform.yaml of `text`, one a line; none when it loads. */
function problems(text: string): string[] {
  const file = path.join(tmpDir(), 'platform.yaml');
  fs.writeFileSync(file, text);
  try {
    loadConfig(file);
    return [];
  } catch (e) {
    const [head, ...lines] = (e as Error).message.split('\n');
    expect(head).toBe(`${file} has invalid settings:`);
    return lines;
  }
}

describe('settingName', () => {
  test('names a setting by its path: keys joined by dots, list positions in brackets, long keys cut', () => {
    expect(settingName(['metallb', 'addresses'])).toBe('metallb.addresses');
    expect(settingName(['istio', 'ingressGateway', 0, 'port'])).toBe('istio.ingressGateway[0].port');
    expect(settingName([0])).toBe('[0]');
    expect(settingName([])).toBe('(the file)');
    expect(settingName(['x'.repeat(80)])).toBe('x'.repeat(80));
    expect(settingName(['a', 'x'.repeat(81)])).toBe(`a.${'x'.repeat(80)}… (81 characters)`);
  });
});

describe('configProblems, through loadConfig', () => {
  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('the cluster\'s own namespace %s is no component\'s', (ns) => {
    expect(problems(`metallb:\n  namespace: ${ns}\n`)).toEqual([
      `platform.yaml:2: metallb.namespace: "${ns}" is a namespace of the cluster itself; give the component its own`,
    ]);
  });

  test('a namespace is claimed once, the later claim named with the earlier', () => {
    expect(problems('metallb:\n  namespace: jupyterhub-system\n')).toEqual([
      'platform.yaml (the lab profile\'s default): jupyterhub.namespace: "jupyterhub-system" is already metallb.namespace\'s namespace; give each component its own',
    ]);
  });

  test('a hostname is a DNS name, not an IP address', () => {
    expect(problems('jupyterhub:\n  hostname: 10.0.0.1\n')).toEqual([
      'platform.yaml:2: jupyterhub.hostname: "10.0.0.1" is an IP address; an Ingress host must be a DNS name such as jupyterhub.example.it',
    ]);
  });

  test('the k3d cluster\'s name and ports are checked while k3d runs the cluster, and only then', () => {
    expect(problems('k3d:\n  name: K3D\n')).toEqual([
      'platform.yaml:2: k3d.name: "K3D" is not a k3d cluster name; use lowercase letters, digits and "-", at most 32 characters, e.g. k3s-default',
    ]);
    expect(problems(`k3d:\n  name: ${'k'.repeat(32)}\n`)).toEqual([]);
    expect(problems(`k3d:\n  name: ${'k'.repeat(33)}\n`)).toHaveLength(1);
    expect(problems('k3d:\n  httpPort: 6550\n  apiPort: 6550\n  httpsPort: 6550\n')).toEqual([
      'platform.yaml:2: k3d.httpPort: 6550 is already k3d.apiPort; each host port can be bound once',
      'platform.yaml:4: k3d.httpsPort: 6550 is already k3d.apiPort; each host port can be bound once',
    ]);
    expect(problems('k3d:\n  httpPort: 8443\n  httpsPort: 8443\n')).toEqual([
      'platform.yaml:3: k3d.httpsPort: 8443 is already k3d.httpPort; each host port can be bound once',
    ]);
    expect(problems('kubernetesVersion: v1.33.5\nk3d:\n  enabled: false\n  name: K3D\n  httpPort: 1\n  apiPort: 1\n')).toEqual([]);
  });

  test('hostnames are DNS names: digits at either end are fine, all digits and dots is an IP address', () => {
    expect(problems('jupyterhub:\n  hostname: 1password.example.it\nexamples:\n  nginx:\n    hostname: app.v2\n')).toEqual([]);
    expect(problems('jupyterhub:\n  hostname: Hub.example.it\n')).toEqual([
      'platform.yaml:2: jupyterhub.hostname: invalid hostname "Hub.example.it": use a lowercase DNS name such as jupyterhub.example.it',
    ]);
    expect(problems('jupyterhub:\n  hostname: nginx.example.it\nexamples:\n  nginx:\n    hostname: nginx.example.it\n')).toEqual([
      'platform.yaml:5: examples.nginx.hostname: "nginx.example.it" is already jupyterhub.hostname; each route needs its own hostname',
    ]);
  });

  test('a namespace is a DNS label', () => {
    expect(problems('metallb:\n  namespace: MetalLB\n')).toEqual([
      'platform.yaml:2: metallb.namespace: "MetalLB" is not a DNS label; use lowercase letters, digits and "-", at most 63 characters, e.g. metallb-system',
    ]);
  });

  test('a k3d cluster name of one character is a name', () => {
    expect(problems('k3d:\n  name: k\n')).toEqual([]);
  });

  test('the Kubernetes version, the docker subnet and the GitOps settings are checked, each named by its setting', () => {
    expect(problems('kubernetesVersion: v1.28.1+k3s1\n')).toEqual([
      'platform.yaml:1: kubernetesVersion: Kubernetes 1.28 is not supported: the charts and the schema validator support 1.29 to 1.33',
    ]);
    expect(problems('k3d:\n  dockerSubnet: 172.25.0.0/33\n')).toEqual([expect.stringMatching(/^platform\.yaml:2: k3d\.dockerSubnet: \S/)]);
    expect(problems('gitops:\n  engine: flux\n')).toEqual([expect.stringMatching(/^platform\.yaml(:\d+| \(.*\)): gitops\.repoURL: \S/)]);
  });

  test('a docker gateway needs its subnet', () => {
    expect(problems('k3d:\n  dockerGateway: 172.25.0.1\n')).toEqual([
      'platform.yaml:2: k3d.dockerGateway: is set without k3d.dockerSubnet; set both (npm run pool writes both)',
    ]);
    expect(problems('k3d:\n  dockerSubnet: 172.25.0.0/16\n  dockerGateway: 172.25.0.1\n')).toEqual([]);
  });

  test('the GitOps controller\'s namespace is none of the platform\'s, for Flux and for Argo CD', () => {
    expect(problems('gitops:\n  engine: flux\n  repoURL: https://git.example.com/x.git\n  flux:\n    namespace: seldon-system\n')).toEqual([
      'platform.yaml:5: gitops.flux.namespace: "seldon-system" is seldon.namespace\'s namespace, which the platform creates and prunes; ' +
        'give the Flux objects the controller\'s own namespace, e.g. flux-system',
    ]);
    expect(problems('gitops:\n  engine: argocd\n  repoURL: https://git.example.com/x.git\n  argocd:\n    namespace: istio-system\n')).toEqual([
      'platform.yaml:5: gitops.argocd.namespace: "istio-system" is istio.namespace\'s namespace, which the platform creates and prunes; ' +
        'give the Argo CD objects the controller\'s own namespace, e.g. argocd',
    ]);
    expect(problems('gitops:\n  engine: none\n  flux:\n    namespace: seldon-system\n')).toEqual([]);
  });
});
