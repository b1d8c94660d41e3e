import * as fs from 'fs';
import * as path from 'path';
import { run } from '../main';
import { readTree, ROOT, standInCharts, TEST_KEY, tmpDir } from './helpers';

/**
 * Every mistake a user can make in platform.yaml or helm-values/ stops synth before anything is written,
 * with a message that names the setting (or file), the bad value and what would be accepted.
 */
interface BadInput {
  /** What the user got wrong. */
  readonly name: string;
  /** platform.yaml's text. */
  readonly config: string;
  /** Files to put into (or, with null, take out of) a copy of helm-values/. */
  readonly values?: Record<string, string | null>;
  /** Text the error must contain, each piece in turn. */
  readonly error: readonly (string | RegExp)[];
}

const CASES: BadInput[] = [
  // The file itself
  { name: 'YAML that does not parse, with its line', config: 'profile: lab\nmetallb:\n  addresses: [172.25.1.1-172.25.1.100\n', error: [/platform\.yaml:\d+:\d+: the YAML does not parse: /] },
  { name: 'a tab for indentation', config: 'profile: lab\nmetallb:\n\taddresses: []\n', error: [/platform\.yaml:3:\d+: the YAML does not parse/] },
  { name: 'a key given twice', config: 'profile: lab\nprofile: cluster\n', error: [/platform\.yaml:2:\d+: the YAML does not parse: Map keys must be unique/] },
  { name: 'a list instead of settings', config: '- profile: lab\n', error: ['platform.yaml: the file holds a list, not settings; write settings such as "profile: lab"'] },
  // Profile and unknown keys
  { name: 'an unknown profile', config: 'profile: prod\n', error: ['platform.yaml:1: profile is "prod", which is not one of "lab", "cluster"'] },
  { name: 'an unknown top-level key', config: 'profile: lab\nmetalb:\n  addresses: [172.25.1.1-172.25.1.100]\n', error: ['platform.yaml:2: unknown setting "metalb"; the top-level settings are profile, kubernetesVersion, charts, k3d, gitops, metallb,'] },
  { name: 'an unknown nested key', config: 'metallb:\n  adresses: [172.25.1.1-172.25.1.100]\n', error: ['platform.yaml:2: unknown setting "metallb.adresses"; the settings under metallb are namespace, addresses, resources'] },
  { name: 'an unknown resource name', config: 'seldon:\n  resources:\n    requests:\n      gpu: "1"\n', error: ['platform.yaml:4: unknown setting "seldon.resources.requests.gpu"; the settings under seldon.resources.requests are cpu, memory'] },
  // Types and ranges
  { name: 'a string where a number goes', config: 'istio:\n  istiod:\n    replicas: two\n', error: ['platform.yaml:3: istio.istiod.replicas is "two", which is not an integer'] },
  { name: 'zero replicas', config: 'istio:\n  ingressGateway:\n    replicas: 0\n', error: ['platform.yaml:3: istio.ingressGateway.replicas is 0; use a value of at least 1'] },
  { name: 'a string where a boolean goes', config: 'seldon:\n  usageMetrics: "yes"\n', error: ['platform.yaml:2: seldon.usageMetrics is "yes", which is not a boolean'] },
  { name: 'a single address instead of a list', config: 'metallb:\n  addresses: 172.25.1.1-172.25.1.100\n', error: ['platform.yaml:2: metallb.addresses is "172.25.1.1-172.25.1.100", which is not an array'] },
  { name: 'a malformed CPU quantity', config: 'metallb:\n  resources:\n    requests:\n      cpu: 1 core\n', error: ['platform.yaml:4: metallb.resources.requests.cpu is "1 core", which is not a Kubernetes quantity such as 500m, 2, 256Mi or 1Gi'] },
  { name: 'a malformed memory size for k3d', config: 'k3d:\n  serversMemory: 8 gigs\n', error: ['platform.yaml:2: k3d.serversMemory is "8 gigs", which is not a memory size such as 8G or 4096M'] },
  { name: 'a port out of range', config: 'k3d:\n  httpPort: 70000\n', error: ['platform.yaml:2: k3d.httpPort is 70000; use a value of at most 65535'] },
  { name: 'the same host port twice', config: 'k3d:\n  httpsPort: 8080\n', error: ['platform.yaml:2: k3d.httpsPort: 8080 is already k3d.httpPort; each host port can be bound once'] },
  // Addresses
  { name: 'a malformed address range', config: 'metallb:\n  addresses: [172.25.1.1-]\n', error: ['platform.yaml:2: metallb.addresses: invalid address range "172.25.1.1-": use "first-last" (e.g. 172.25.1.1-172.25.1.100) or a CIDR'] },
  { name: 'an address that is not IPv4', config: 'metallb:\n  addresses: [172.25.1.300-172.25.1.400]\n', error: ['invalid address range "172.25.1.300-172.25.1.400": not two IPv4 addresses'] },
  { name: 'a reversed address range', config: 'metallb:\n  addresses: [172.25.1.100-172.25.1.1]\n', error: ['invalid address range "172.25.1.100-172.25.1.1": start is after end; write it as "172.25.1.1-172.25.1.100"'] },
  { name: 'overlapping address ranges', config: 'metallb:\n  addresses: [172.25.1.1-172.25.1.100, 172.25.1.48/28]\n', error: ['invalid address pool: "172.25.1.1-172.25.1.100" and "172.25.1.48/28" overlap; make the ranges disjoint'] },
  { name: 'a CIDR that does not start its block', config: 'metallb:\n  addresses: [172.25.1.5/24]\n', error: ['invalid address range "172.25.1.5/24": 172.25.1.5 is not the first address of a /24'] },
  { name: 'an empty pool', config: 'metallb:\n  addresses: []\n', error: ['invalid address pool: no addresses; give at least one range'] },
  { name: 'every address there is', config: 'metallb:\n  addresses: [0.0.0.0/0]\n', error: ['platform.yaml:2: metallb.addresses: "0.0.0.0/0" holds 0.0.0.0, which is unspecified ("this network") (0.0.0.0/8), not an address a LoadBalancer can answer on'] },
  { name: 'a multicast pool', config: 'metallb:\n  addresses: [224.0.0.0/28]\n', error: ['platform.yaml:2: metallb.addresses: "224.0.0.0/28" holds 224.0.0.0, which is multicast (224.0.0.0/4)'] },
  { name: 'a loopback pool', config: 'metallb:\n  addresses: [127.0.0.10-127.0.0.20]\n', error: ['"127.0.0.10-127.0.0.20" holds 127.0.0.10, which is loopback (127.0.0.0/8)'] },
  { name: 'a pool holding the Docker network\'s gateway', config: 'k3d:\n  dockerSubnet: 192.168.97.0/24\n  dockerGateway: 192.168.97.1\nmetallb:\n  addresses: [192.168.97.1-192.168.97.50]\n', error: ['platform.yaml:5: metallb.addresses: "192.168.97.1-192.168.97.50" holds 192.168.97.1, the gateway of the Docker network 192.168.97.0/24'] },
  { name: 'a pool holding the Docker network\'s broadcast address', config: 'k3d:\n  dockerSubnet: 192.168.97.0/24\nmetallb:\n  addresses: [192.168.97.200-192.168.97.255]\n', error: ['"192.168.97.200-192.168.97.255" holds 192.168.97.255, the broadcast address of the Docker network 192.168.97.0/24'] },
  { name: 'a Docker gateway outside its subnet', config: 'k3d:\n  dockerSubnet: 192.168.97.0/24\n  dockerGateway: 10.1.1.1\nmetallb:\n  addresses: [192.168.97.100-192.168.97.150]\n', error: ['platform.yaml:3: k3d.dockerGateway: k3d.dockerGateway: "10.1.1.1" is not a host address of 192.168.97.0/24'] },
  { name: 'a runaway value, cut in the message', config: `jupyterhub:\n  hostname: ${'h'.repeat(200000)}\n`, error: [/jupyterhub\.hostname: invalid hostname "h{79}… \(200002 characters\): use a lowercase DNS name/] },
  { name: 'addresses outside the Docker subnet', config: 'k3d:\n  dockerSubnet: 192.168.97.0/24\n', error: ['metallb.addresses: "172.25.1.1-172.25.1.100" is outside the Docker network\'s subnet 192.168.97.0/24 (k3d.dockerSubnet)', 'use addresses from 192.168.97.1 to 192.168.97.254, or run npm run pool'] },
  { name: 'a Docker subnet that is not a CIDR', config: 'k3d:\n  dockerSubnet: 192.168.97.0/33\nmetallb:\n  addresses: [192.168.97.10-192.168.97.20]\n', error: ['platform.yaml:2: k3d.dockerSubnet: k3d.dockerSubnet: "192.168.97.0/33" is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16'] },
  // Hostnames
  { name: 'a hostname with an underscore', config: 'jupyterhub:\n  hostname: jupyter_hub.example.it\n', error: ['platform.yaml:2: jupyterhub.hostname: invalid hostname "jupyter_hub.example.it": use a lowercase DNS name such as jupyterhub.example.it'] },
  { name: 'a hostname in capitals', config: 'examples:\n  nginx:\n    hostname: NGINX.example.it\n', error: ['platform.yaml:3: examples.nginx.hostname: invalid hostname "NGINX.example.it"'] },
  { name: 'a wildcard hostname', config: 'jupyterhub:\n  hostname: "*.example.it"\n', error: ['jupyterhub.hostname: invalid hostname "*.example.it"'] },
  { name: 'an IP address as hostname', config: 'jupyterhub:\n  hostname: 172.25.1.1\n', error: ['jupyterhub.hostname: "172.25.1.1" is an IP address; an Ingress host must be a DNS name'] },
  { name: 'two routes on one hostname', config: 'examples:\n  nginx:\n    hostname: jupyterhub.example.it\n', error: ['platform.yaml:3: examples.nginx.hostname: "jupyterhub.example.it" is already jupyterhub.hostname; each route needs its own hostname'] },
  // Namespaces and names
  { name: 'a namespace with capitals', config: 'metallb:\n  namespace: MetalLB\n', error: ['platform.yaml:2: metallb.namespace: "MetalLB" is not a DNS label; use lowercase letters, digits and "-", at most 63 characters'] },
  { name: 'a namespace longer than 63 characters', config: `istio:\n  namespace: ${'a'.repeat(64)}\n`, error: [`istio.namespace: "${'a'.repeat(64)}" is not a DNS label`] },
  { name: 'two components in one namespace', config: 'jupyterhub:\n  namespace: seldon-system\n', error: ['platform.yaml:2: jupyterhub.namespace: "seldon-system" is already seldon.namespace\'s namespace; give each component its own'] },
  { name: 'a namespace of the cluster itself', config: 'seldon:\n  namespace: kube-system\n', error: ['seldon.namespace: "kube-system" is a namespace of the cluster itself; give the component its own'] },
  { name: 'a k3d cluster name with spaces', config: 'k3d:\n  name: ML Platform\n', error: ['platform.yaml:2: k3d.name: "ML Platform" is not a k3d cluster name; use lowercase letters, digits and "-", at most 32 characters'] },
  { name: 'a storage class that is not a name', config: 'jupyterhub:\n  storageClass: Fast SSD\n', error: ['jupyterhub.storageClass: "Fast SSD" is not a StorageClass name'] },
  // Kubernetes version
  { name: 'a Kubernetes version the charts do not support', config: 'kubernetesVersion: v1.20.4+k3s1\n', error: ['platform.yaml:1: kubernetesVersion: Kubernetes 1.20 is not supported: the charts and the schema validator support 1.29 to 1.33'] },
  { name: 'a Kubernetes version newer than the schemas', config: 'kubernetesVersion: v1.35.0+k3s1\n', error: ['Kubernetes 1.35 is not supported'] },
  { name: 'a Kubernetes version that is not one', config: 'kubernetesVersion: latest\n', error: ['kubernetesVersion: "latest" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5'] },
  { name: 'a version without a k3s build while k3d is on', config: 'kubernetesVersion: v1.33.5\n', error: ['kubernetesVersion: "v1.33.5" names no k3s build, which k3d needs for its image'] },
  // Profile combinations
  { name: 'disruption budgets on a single replica', config: 'profile: cluster\nistio:\n  istiod:\n    replicas: 1\n', error: ['platform.yaml:4: istio.istiod.replicas: 1 replica with istio.podDisruptionBudgets on would block every node drain'] },
  // GitOps delivery
  { name: 'an unknown GitOps engine', config: 'gitops:\n  engine: argo\n', error: ['platform.yaml:2: gitops.engine is "argo", which is not one of "none", "argocd", "flux"'] },
  { name: 'a GitOps engine without a repository', config: 'gitops:\n  engine: flux\n', error: ['platform.yaml:2: gitops.repoURL: is required with gitops.engine "flux": set the URL of the repository dist/ is committed to'] },
  { name: 'a repository over plain HTTP', config: 'gitops:\n  engine: argocd\n  repoURL: http://git.example.com/fleet.git\n', error: ['platform.yaml:3: gitops.repoURL: "http://git.example.com/fleet.git" is plain HTTP; use https:// (or ssh://)'] },
  { name: 'an scp-like repository address for Flux', config: 'gitops:\n  engine: flux\n  repoURL: git@github.com:acme/fleet.git\n', error: ['platform.yaml:3: gitops.repoURL: "git@github.com:acme/fleet.git" is an scp-like address, which Flux\'s GitRepository does not take; write it as ssh://git@github.com/acme/fleet.git'] },
  { name: 'credentials in the repository URL, not shown', config: 'gitops:\n  engine: argocd\n  repoURL: https://bot:s3cret@git.example.com/fleet.git\n', error: ['platform.yaml:3: gitops.repoURL: "https://…@git.example.com/fleet.git" holds credentials, which do not belong in platform.yaml'] },
  { name: 'a repository that is not a URL', config: 'gitops:\n  engine: argocd\n  repoURL: fleet\n', error: ['gitops.repoURL: "fleet" is not a Git URL; use https://host/path.git, ssh://git@host/path.git or git@host:path.git'] },
  { name: 'a revision with a space', config: 'gitops:\n  revision: feature branch\n', error: ['platform.yaml:2: gitops.revision: "feature branch" is not a branch or tag name: it holds a space; use one such as main or v1.4.0'] },
  { name: 'a revision with ".."', config: 'gitops:\n  revision: release..2\n', error: ['gitops.revision: "release..2" is not a branch or tag name: it holds ".."'] },
  { name: 'a revision starting with "-"', config: 'gitops:\n  revision: -main\n', error: ['gitops.revision: "-main" is not a branch or tag name: it starts with "-"'] },
  { name: 'an absolute path in the repository', config: 'gitops:\n  path: /srv/fleet/dist\n', error: ['platform.yaml:2: gitops.path: "/srv/fleet/dist" is not a path inside the repository: give it relative'] },
  { name: 'a path that leaves the repository', config: 'gitops:\n  path: ../dist\n', error: ['gitops.path: "../dist" is not a path inside the repository', 'e.g. "dist"'] },
  { name: 'an Argo CD destination with both server and name', config: 'gitops:\n  argocd:\n    destination: { server: https://10.0.0.1:6443, name: prod }\n', error: ['platform.yaml:3: gitops.argocd.destination: gives both server and name; give one'] },
  { name: 'an Argo CD destination server that is not a URL', config: 'gitops:\n  argocd:\n    destination: { server: 10.0.0.1:6443 }\n', error: ['gitops.argocd.destination.server: "10.0.0.1:6443" is not a cluster\'s API URL; use one such as https://kubernetes.default.svc'] },
  { name: 'an Argo CD project in capitals', config: 'gitops:\n  argocd:\n    project: ML-Platform\n', error: ['platform.yaml:3: gitops.argocd.project: "ML-Platform" is not a name the phases can extend: use lowercase letters, digits and "-", at most 43 characters'] },
  { name: 'a GitRepository name too long for its phases', config: `gitops:\n  flux:\n    gitRepository: ${'r'.repeat(44)}\n`, error: [`gitops.flux.gitRepository: "${'r'.repeat(44)}" is not a name the phases can extend`] },
  { name: 'a Flux interval in words', config: 'gitops:\n  flux:\n    interval: 10 minutes\n', error: ['platform.yaml:3: gitops.flux.interval is "10 minutes", which is not a duration such as 10m, 90s or 1h30m'] },
  { name: 'a Flux timeout of zero', config: 'gitops:\n  flux:\n    timeout: 0s\n', error: ['platform.yaml:3: gitops.flux.timeout: "0s" is shorter than a second; use one such as 10m'] },
  { name: 'the Flux objects in a namespace the platform creates', config: 'gitops:\n  engine: flux\n  repoURL: https://git.example.com/fleet.git\n  flux:\n    namespace: istio-system\n', error: ['platform.yaml:5: gitops.flux.namespace: "istio-system" is istio.namespace\'s namespace, which the platform creates and prunes'] },
  { name: 'a Flux secretRef that is not a Secret name', config: 'gitops:\n  flux:\n    secretRef: Git Credentials\n', error: ['platform.yaml:3: gitops.flux.secretRef: "Git Credentials" is not a Secret name; use lowercase letters, digits, "-" and ".", e.g. flux-git-auth'] },
  { name: 'an Argo CD namespace that is not a DNS label', config: 'gitops:\n  argocd:\n    namespace: Argo_CD\n', error: ['gitops.argocd.namespace: "Argo_CD" is not a DNS label'] },
  // Chart lock and values
  { name: 'a chart lock that does not exist', config: 'charts:\n  lock: no-such-lock.yaml\n', error: [/platform\.yaml: charts\.lock is "no-such-lock\.yaml", but .*no-such-lock\.yaml does not exist; point it at the chart lock/] },
  { name: 'a values folder that does not exist', config: 'charts:\n  values: no-such-values\n', error: [/platform\.yaml: charts\.values is "no-such-values", but .*no-such-values does not exist; point it at the folder of <release>\.yaml values files/] },
  { name: 'a values file for a release that does not exist', config: '', values: { 'metalb.yaml': 'speaker:\n  enabled: true\n' }, error: [/metalb\.yaml: no helm release is named "metalb", so nothing reads this file; the releases are metallb, istio-base, istiod, istio-ingressgateway, /] },
  { name: 'a values file that does not parse, with its line', config: '', values: { 'istiod.yaml': 'global:\n  hub: [docker.io\n' }, error: [/istiod\.yaml:\d+:\d+: the YAML does not parse: /] },
  { name: 'a values file that is a list', config: '', values: { 'jupyterhub.yaml': '- singleuser\n' }, error: [/jupyterhub\.yaml: holds a list, not values; helm takes a mapping/] },
  { name: 'a release without its values file', config: '', values: { 'seldon-core-operator.yaml': null }, error: [/seldon-core-operator\.yaml: missing; release "seldon-core-operator" reads its values from it/] },
];

describe('bad input stops synth with its own message, and dist/ is untouched', () => {
  const { lock, store } = standInCharts();
  const root = tmpDir('bad-input-');
  const outdir = path.join(root, 'dist');
  const before = { '01-crds-namespaces.yaml': 'previous\n', 'k3d/cluster.yaml': 'previous\n' };
  for (const [f, c] of Object.entries(before)) {
    fs.mkdirSync(path.dirname(path.join(outdir, f)), { recursive: true });
    fs.writeFileSync(path.join(outdir, f), c);
  }

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = tmpDir('case-');
    const valuesDir = path.join(dir, 'helm-values');
    fs.cpSync(path.join(ROOT, 'helm-values'), valuesDir, { recursive: true });
    for (const [f, content] of Object.entries(c.values ?? {})) {
      if (content === null) fs.rmSync(path.join(valuesDir, f));
      else fs.writeFileSync(path.join(valuesDir, f), content);
    }
    const configFile = path.join(dir, 'platform.yaml');
    fs.writeFileSync(configFile, c.config);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, PLATFORM_CONFIG: configFile, CDK8S_OUTDIR: outdir, CHART_STORE: store.dir, PLATFORM_KEY: TEST_KEY,
      // The lock comes from the configuration unless a case is about it; the values folder sits beside the file.
      ...(c.config.includes('lock:') ? {} : { CHART_LOCK: lock.file }),
    };
    const printed: string[] = [];
    const error = await run([], env, ROOT, { log: () => {}, print: (l) => printed.push(l) }).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    let rest = error!.message;
    for (const piece of c.error) {
      const at = typeof piece === 'string' ? rest.indexOf(piece) : rest.search(piece);
      if (at < 0) throw new Error(`the message lacks ${String(piece)}:\n${error!.message}`);
      rest = rest.slice(at);
    }
    expect(printed).toEqual([]);
    expect(readTree(outdir)).toEqual(before);
  });
});
