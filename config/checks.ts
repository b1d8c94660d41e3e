// The checks a schema cannot express: the platform's own settings, each component's own check, and what
// spans components (every namespace and hostname claimed once).
import { shown } from '../lib/messages';
import { COMPONENTS } from '../charts/registry';
import { ComponentDefinition, isEnabled, settingsOf, settingsPath } from '../charts/component';
import { dockerNetworkBounds, parseSubnet } from './addresses';
import { CoreSettings } from './core';
import { gitopsProblems } from './gitops';
import { checkHostname, isDnsLabel } from './hostnames';
import { checkKubernetesVersion } from './kubernetes';
import { ConfigProblem, problemList } from './problems';

export type { ConfigProblem } from './problems';

/** Namespaces every cluster has: no component may take one. */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** `metallb.addresses`, `examples.iris.namespace`, `istio.ingressGateway[0]`: how messages name a setting. */
export const settingName = (p: readonly (string | number)[]) =>
  p.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s.length > 80 ? `${s.slice(0, 80)}… (${s.length} characters)` : s}`)).join('') || '(the file)';

function coreProblems(c: CoreSettings): ConfigProblem[] {
  const { problems, check } = problemList();
  check(['kubernetesVersion'], () => checkKubernetesVersion(c.kubernetesVersion, c.k3d.enabled));
  if (c.k3d.dockerSubnet !== undefined) check(['k3d', 'dockerSubnet'], () => parseSubnet(c.k3d.dockerSubnet!, 'k3d.dockerSubnet'));
  if (c.k3d.dockerGateway !== undefined) {
    check(['k3d', 'dockerGateway'], () => {
      if (c.k3d.dockerSubnet === undefined) throw new Error('is set without k3d.dockerSubnet; set both (npm run pool writes both)');
      dockerNetworkBounds(c.k3d);
    });
  }
  if (c.k3d.enabled) {
    check(['k3d', 'name'], () => {
      if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(c.k3d.name)) {
        throw new Error(`${shown(c.k3d.name)} is not a k3d cluster name; use lowercase letters, digits and "-", at most 32 characters, e.g. k3s-default`);
      }
    });
    const ports: Array<[string, number]> = [['apiPort', c.k3d.apiPort], ['httpPort', c.k3d.httpPort], ['httpsPort', c.k3d.httpsPort]];
    ports.forEach(([name, port], i) => {
      const clash = ports.slice(0, i).find(([, p]) => p === port);
      if (clash) problems.push({ setting: ['k3d', name], message: `${port} is already k3d.${clash[0]}; each host port can be bound once` });
    });
  }
  problems.push(...gitopsProblems(c.gitops).map((p) => ({ setting: ['gitops', ...p.setting], message: p.message })));
  return problems;
}

/** The GitOps controller's namespace is its own: phase 1 creates the platform's namespaces, and a prune could take one with the controller's objects in it. */
function gitopsNamespaceProblems(config: CoreSettings, components: readonly ComponentDefinition[]): ConfigProblem[] {
  const engine = config.gitops.engine;
  if (engine === 'none') return [];
  const ns = config.gitops[engine].namespace;
  for (const c of components) {
    const claim = c.namespaces?.(settingsOf(config, c))?.find((x) => x.value === ns);
    if (claim) {
      return [{
        setting: ['gitops', engine, 'namespace'],
        message: `${shown(ns)} is ${settingName([...settingsPath(c), ...claim.setting])}'s namespace, which the platform creates and prunes; ` +
          `give the ${engine === 'flux' ? 'Flux' : 'Argo CD'} objects the controller's own namespace, e.g. ${engine === 'flux' ? 'flux-system' : 'argocd'}`,
      }];
    }
  }
  return [];
}

/** Each claimed value is valid and claimed once; `what` checks one and throws with the fix. */
function claimProblems(
  components: readonly ComponentDefinition[], config: Record<string, any>,
  claims: (c: ComponentDefinition, settings: any) => readonly { setting: readonly string[]; value: string }[] | undefined,
  check: (value: string, setting: string, other: string | undefined) => void,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const c of components) {
    for (const claim of claims(c, settingsOf(config, c)) ?? []) {
      const setting = [...settingsPath(c), ...claim.setting];
      try {
        check(claim.value, settingName(setting), seen.get(claim.value));
        seen.set(claim.value, settingName(setting));
      } catch (e) {
        problems.push({ setting, message: (e as Error).message });
      }
    }
  }
  return problems;
}

/** Every problem a schema cannot find in a configuration that passed the schema. */
export function configProblems(config: CoreSettings & Record<string, any>, components: readonly ComponentDefinition[] = COMPONENTS): ConfigProblem[] {
  const enabled = components.filter((c) => isEnabled(config, c));
  return [
    ...coreProblems(config),
    ...claimProblems(enabled, config, (c, s) => c.namespaces?.(s), (ns, _setting, other) => {
      if (!isDnsLabel(ns)) throw new Error(`${shown(ns)} is not a DNS label; use lowercase letters, digits and "-", at most 63 characters, e.g. metallb-system`);
      if (CLUSTER_NAMESPACES.includes(ns)) throw new Error(`${shown(ns)} is a namespace of the cluster itself; give the component its own`);
      if (other) throw new Error(`${shown(ns)} is already ${other}'s namespace; give each component its own`);
    }),
    ...claimProblems(enabled, config, (c, s) => c.hostnames?.(s), (host, _setting, other) => {
      if (/^[0-9.]+$/.test(host)) throw new Error(`${shown(host)} is an IP address; an Ingress host must be a DNS name such as jupyterhub.example.it`);
      checkHostname(host, 'hostname');
      if (other) throw new Error(`${shown(host)} is already ${other}; each route needs its own hostname`);
    }),
    ...enabled.flatMap((c) => (c.check?.(settingsOf(config, c), config) ?? []).map((p) => ({ setting: [...settingsPath(c), ...p.setting], message: p.message }))),
    ...gitopsNamespaceProblems(config, enabled),
  ];
}
