// The one configuration of the platform: everything a user may change, read from platform.yaml and
// validated once, before anything is rendered. A YAML file with a JSON Schema (platform.schema.json,
// generated from CONFIG_SCHEMA below): editors complete and check it, GitOps repositories diff it, and
// nobody has to write TypeScript to change a hostname. Settings left out take the profile's defaults.
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { BUILT_IN_SCHEMA_VERSION } from '../lib';
import { formatIpv4, parseAddressRanges, parseSubnet } from './addresses';
import { checkHostname, isDnsLabel } from './hostnames';

const QUANTITY = {
  type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$',
  'x-accepts': 'a Kubernetes quantity such as 500m, 2, 256Mi or 1Gi',
} as const;
const RESOURCE_LIST = { type: 'object', additionalProperties: false, properties: { cpu: QUANTITY, memory: QUANTITY } } as const;
const RESOURCES = {
  type: 'object', additionalProperties: false, description: 'Requests and limits of the component\'s containers.',
  properties: { requests: RESOURCE_LIST, limits: RESOURCE_LIST },
} as const;
const NAMESPACE = { type: 'string', description: 'A DNS label: lowercase letters, digits and "-", at most 63 characters.' } as const;
const HOSTNAME = { type: 'string', description: 'A lowercase DNS name, e.g. jupyterhub.example.it.' } as const;
const PORT = { type: 'integer', minimum: 1, maximum: 65535 } as const;
const REPLICAS = { type: 'integer', minimum: 1, maximum: 100, description: 'Left out: the chart\'s default (1).' } as const;

/** The schema of a resolved configuration (every default filled in). The editor's schema drops `required`. */
export const CONFIG_SCHEMA = {
  title: 'ML-serving platform configuration (platform.yaml)',
  type: 'object', additionalProperties: false,
  required: ['profile', 'kubernetesVersion', 'charts', 'k3d', 'metallb', 'istio', 'seldon', 'jupyterhub', 'examples'],
  properties: {
    profile: { enum: ['lab', 'cluster'], description: 'lab: the tutorial on one k3d node. cluster: a real multi-node cluster.' },
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
      },
    },
    metallb: {
      type: 'object', additionalProperties: false, required: ['namespace', 'addresses'],
      properties: {
        namespace: NAMESPACE,
        addresses: { type: 'array', items: { type: 'string' }, description: 'The LoadBalancer addresses: ranges first-last or CIDRs.' },
        resources: RESOURCES,
      },
    },
    istio: {
      type: 'object', additionalProperties: false, required: ['namespace', 'podDisruptionBudgets', 'istiod', 'ingressGateway'],
      properties: {
        namespace: NAMESPACE,
        podDisruptionBudgets: {
          type: 'boolean',
          description: 'Give istiod and the ingress gateway a PodDisruptionBudget each (needs 2+ replicas). false: the charts\' defaults (istiod has one, the gateway none).',
        },
        istiod: { type: 'object', additionalProperties: false, properties: { replicas: REPLICAS, resources: RESOURCES } },
        ingressGateway: { type: 'object', additionalProperties: false, properties: { replicas: REPLICAS, resources: RESOURCES } },
      },
    },
    seldon: {
      type: 'object', additionalProperties: false, required: ['namespace', 'usageMetrics'],
      properties: {
        namespace: NAMESPACE,
        usageMetrics: { type: 'boolean', description: 'Send Seldon anonymous usage metrics, as the tutorial does.' },
        resources: RESOURCES,
      },
    },
    jupyterhub: {
      type: 'object', additionalProperties: false, required: ['namespace', 'hostname'],
      properties: {
        namespace: NAMESPACE,
        hostname: HOSTNAME,
        storageClass: { type: 'string', description: 'The StorageClass of the users\' volumes. Left out: the cluster\'s default.' },
        hub: { type: 'object', additionalProperties: false, properties: { resources: RESOURCES } },
        proxy: { type: 'object', additionalProperties: false, properties: { resources: RESOURCES } },
      },
    },
    examples: {
      type: 'object', additionalProperties: false, required: ['iris', 'nginx'],
      properties: {
        iris: {
          type: 'object', additionalProperties: false, required: ['enabled', 'namespace'],
          properties: { enabled: { type: 'boolean' }, namespace: NAMESPACE, resources: RESOURCES },
        },
        nginx: {
          type: 'object', additionalProperties: false, required: ['enabled', 'namespace', 'hostname'],
          properties: { enabled: { type: 'boolean' }, namespace: NAMESPACE, hostname: HOSTNAME },
        },
      },
    },
  },
} as const;

export type PlatformConfig = FromSchema<typeof CONFIG_SCHEMA>;
export type Resources = NonNullable<PlatformConfig['metallb']['resources']>;
export type Profile = PlatformConfig['profile'];

/** The tutorial, exactly: one k3d node, its addresses and hostnames, both examples. */
const LAB: PlatformConfig = {
  profile: 'lab',
  kubernetesVersion: 'v1.33.5+k3s1',
  charts: { lock: 'helm-lock.yaml', values: 'helm-values' },
  k3d: { enabled: true, name: 'k3s-default', apiPort: 6443, httpPort: 8080, httpsPort: 8443, serversMemory: '8G' },
  metallb: { namespace: 'metallb-system', addresses: ['172.25.1.1-172.25.1.100'] },
  istio: { namespace: 'istio-system', podDisruptionBudgets: false, istiod: {}, ingressGateway: {} },
  seldon: { namespace: 'seldon-system', usageMetrics: true },
  jupyterhub: { namespace: 'jupyterhub-system', hostname: 'jupyterhub.example.it' },
  examples: {
    iris: { enabled: true, namespace: 'seldon' },
    nginx: { enabled: true, namespace: 'nginx', hostname: 'nginx.example.it' },
  },
};

const requests = (cpu: string, memory: string): Resources => ({ requests: { cpu, memory } });

/** A real multi-node cluster: no k3d, the control plane and the way in replicated and guarded, requests on everything, no demos. */
const CLUSTER: PlatformConfig = {
  ...LAB,
  profile: 'cluster',
  k3d: { ...LAB.k3d, enabled: false },
  metallb: { ...LAB.metallb, resources: requests('100m', '128Mi') },
  istio: {
    namespace: 'istio-system', podDisruptionBudgets: true,
    istiod: { replicas: 2, resources: requests('500m', '2Gi') },
    ingressGateway: { replicas: 2, resources: requests('100m', '128Mi') },
  },
  seldon: { ...LAB.seldon, resources: requests('100m', '200Mi') },
  jupyterhub: { ...LAB.jupyterhub, hub: { resources: requests('200m', '512Mi') }, proxy: { resources: requests('100m', '128Mi') } },
  examples: { iris: { ...LAB.examples.iris, enabled: false, resources: requests('100m', '256Mi') }, nginx: { ...LAB.examples.nginx, enabled: false } },
};

export const PROFILES: Readonly<Record<Profile, PlatformConfig>> = { lab: LAB, cluster: CLUSTER };

/**
 * The Kubernetes minors the platform renders for: from 1.29 (the API versions the render target lists,
 * flowcontrol v1 among them; JupyterHub 4.4 itself needs 1.28+) to 1.33, the newest whose OpenAPI schema
 * the validator has (kubernetes-models 4.5).
 */
export const SUPPORTED_KUBERNETES = { min: 29, max: Number(BUILT_IN_SCHEMA_VERSION.split('.')[1]) };

/** The schema editors use: the same, with nothing required (left-out settings take the profile's defaults). */
export function editorSchema(): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'required').map(([k, v]) => [k, strip(v)]));
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(strip(CONFIG_SCHEMA) as object) };
}

/** Where in the file a setting is, for messages. */
type Locate = (settingPath: readonly (string | number)[]) => string;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `base` with `over` laid on top: objects merge key by key, anything else (arrays too) replaces. */
function overlay(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = overlay(base[k], v);
  return out;
}

const setting = (p: readonly (string | number)[]) => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('') || '(the file)';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile(CONFIG_SCHEMA);

function schemaMessage(e: ErrorObject, locate: Locate): string {
  const at = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const value = JSON.stringify(e.data);
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as any)?.properties ?? {}).join(', ');
      return `${locate([...at, p.additionalProperty])}: unknown setting "${setting([...at, p.additionalProperty])}"; ${at.length ? `the settings under ${setting(at)}` : 'the top-level settings'} are ${known}`;
    }
    case 'enum':
      return `${locate(at)}: ${setting(at)} is ${value}, which is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${locate(at)}: ${setting(at)} is ${value}, which is not ${/^[aeiou]/.test(p.type) ? 'an' : 'a'} ${p.type}`;
    case 'pattern':
      return `${locate(at)}: ${setting(at)} is ${value}, which is not ${(e.parentSchema as any)['x-accepts'] ?? `matching ${p.pattern}`}`;
    case 'minimum': case 'maximum':
      return `${locate(at)}: ${setting(at)} is ${value}; use a value ${e.keyword === 'minimum' ? 'of at least' : 'of at most'} ${p.limit}`;
    default:
      return `${locate(at)}: ${setting(at)} ${e.message}`;
  }
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The checks a schema cannot express; every problem, not just the first. */
function semanticProblems(c: PlatformConfig, locate: Locate): string[] {
  const problems: string[] = [];
  const check = (at: (string | number)[], fn: () => void) => {
    try {
      fn();
    } catch (e) {
      problems.push(`${locate(at)}: ${setting(at)}: ${(e as Error).message}`);
    }
  };

  check(['kubernetesVersion'], () => {
    const m = /^v?1\.(\d+)\.(\d+)(\+k3s\d+)?$/.exec(c.kubernetesVersion);
    const range = `1.${SUPPORTED_KUBERNETES.min} to 1.${SUPPORTED_KUBERNETES.max}`;
    if (!m) throw new Error(`"${c.kubernetesVersion}" is not a Kubernetes version; use one such as v1.33.5+k3s1 (k3s) or v1.33.5`);
    const minor = Number(m[1]);
    if (minor < SUPPORTED_KUBERNETES.min || minor > SUPPORTED_KUBERNETES.max) {
      throw new Error(`Kubernetes 1.${minor} is not supported: the charts and the schema validator support ${range}`);
    }
    if (c.k3d.enabled && !m[3]) throw new Error(`"${c.kubernetesVersion}" names no k3s build, which k3d needs for its image; use one such as v1.33.5+k3s1`);
  });

  const namespaces: Array<[(string | number)[], string]> = [
    [['metallb', 'namespace'], c.metallb.namespace], [['istio', 'namespace'], c.istio.namespace], [['seldon', 'namespace'], c.seldon.namespace],
    [['jupyterhub', 'namespace'], c.jupyterhub.namespace],
    ...(c.examples.iris.enabled ? [[['examples', 'iris', 'namespace'], c.examples.iris.namespace] as [string[], string]] : []),
    ...(c.examples.nginx.enabled ? [[['examples', 'nginx', 'namespace'], c.examples.nginx.namespace] as [string[], string]] : []),
  ];
  const seenNamespaces = new Map<string, string>();
  for (const [at, ns] of namespaces) {
    check(at, () => {
      if (!isDnsLabel(ns)) throw new Error(`"${ns}" is not a DNS label; use lowercase letters, digits and "-", at most 63 characters, e.g. metallb-system`);
      if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns)) throw new Error(`"${ns}" is a namespace of the cluster itself; give the component its own`);
      const other = seenNamespaces.get(ns);
      if (other) throw new Error(`"${ns}" is already ${other}'s namespace; give each component its own`);
      seenNamespaces.set(ns, setting(at));
    });
  }

  const hostnames: Array<[(string | number)[], string]> = [
    [['jupyterhub', 'hostname'], c.jupyterhub.hostname],
    ...(c.examples.nginx.enabled ? [[['examples', 'nginx', 'hostname'], c.examples.nginx.hostname] as [string[], string]] : []),
  ];
  const seenHosts = new Map<string, string>();
  for (const [at, host] of hostnames) {
    check(at, () => {
      if (/^[0-9.]+$/.test(host)) throw new Error(`"${host}" is an IP address; an Ingress host must be a DNS name such as jupyterhub.example.it`);
      checkHostname(host, 'hostname');
      const other = seenHosts.get(host);
      if (other) throw new Error(`"${host}" is already ${other}; each route needs its own hostname`);
      seenHosts.set(host, setting(at));
    });
  }

  check(['metallb', 'addresses'], () => {
    const ranges = parseAddressRanges(c.metallb.addresses);
    if (c.k3d.dockerSubnet === undefined) return;
    const subnet = parseSubnet(c.k3d.dockerSubnet, 'k3d.dockerSubnet');
    for (const r of ranges) {
      if (r.first < subnet.first || r.last > subnet.last) {
        throw new Error(`"${r.text}" is outside the Docker network's subnet ${subnet.text} (k3d.dockerSubnet), so its addresses are unreachable; ` +
          `use addresses from ${formatIpv4(subnet.first)} to ${formatIpv4(subnet.last)}, or run npm run pool`);
      }
    }
  });
  if (c.k3d.dockerSubnet !== undefined) check(['k3d', 'dockerSubnet'], () => parseSubnet(c.k3d.dockerSubnet!, 'k3d.dockerSubnet'));

  if (c.k3d.enabled) {
    check(['k3d', 'name'], () => {
      if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(c.k3d.name)) {
        throw new Error(`"${c.k3d.name}" is not a k3d cluster name; use lowercase letters, digits and "-", at most 32 characters, e.g. k3s-default`);
      }
    });
    const ports: Array<[string, number]> = [['apiPort', c.k3d.apiPort], ['httpPort', c.k3d.httpPort], ['httpsPort', c.k3d.httpsPort]];
    ports.forEach(([name, port], i) => {
      const clash = ports.slice(0, i).find(([, p]) => p === port);
      if (clash) check(['k3d', name], () => { throw new Error(`${port} is already k3d.${clash[0]}; each host port can be bound once`); });
    });
  }

  if (c.jupyterhub.storageClass !== undefined) {
    check(['jupyterhub', 'storageClass'], () => {
      if (!DNS_SUBDOMAIN.test(c.jupyterhub.storageClass!)) throw new Error(`"${c.jupyterhub.storageClass}" is not a StorageClass name; use a lowercase DNS name such as fast-ssd`);
    });
  }
  if (c.istio.podDisruptionBudgets) {
    for (const part of ['istiod', 'ingressGateway'] as const) {
      check(['istio', part, 'replicas'], () => {
        if ((c.istio[part].replicas ?? 1) < 2) {
          throw new Error(`${c.istio[part].replicas ?? 'the chart\'s default of 1'} replica with istio.podDisruptionBudgets on would block every node drain; use 2 or more replicas, or set istio.podDisruptionBudgets to false`);
        }
      });
    }
  }
  return problems;
}

export interface LoadedConfig {
  readonly config: PlatformConfig;
  /** The file it came from. */
  readonly file: string;
  /** The chart lock, resolved against the file's folder. */
  readonly lockFile: string;
  /** The values folder, resolved against the file's folder. */
  readonly valuesDir: string;
}

/**
 * Reads a configuration file, lays it over its profile's defaults and validates the result. Every
 * problem is reported at once, each with the file, the line, the setting, the bad value and what
 * would be accepted.
 */
export function loadConfig(file: string): LoadedConfig {
  if (!fs.existsSync(file)) throw new Error(`no configuration file ${file}: create it (a file with "profile: lab" is the tutorial) or point PLATFORM_CONFIG at one`);
  const text = fs.readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const name = path.basename(file);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new Error(`${file}:${line}:${col}: the YAML does not parse: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const locate: Locate = (p) => {
    for (let n = p.length; n > 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      const pair = n === p.length && isMap(doc.getIn(p.slice(0, -1), true)) ? (doc.getIn(p.slice(0, -1), true) as any).items.find((i: any) => i.key?.value === p[p.length - 1]) : undefined;
      const range = pair?.key?.range ?? node?.range;
      if (range) return `${name}:${lineCounter.linePos(range[0]).line}`;
    }
    return `${name} (the ${String(raw?.profile ?? 'lab')} profile's default)`;
  };
  if (!isObject(raw)) throw new Error(`${name}: the file holds ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}, not settings; write settings such as "profile: lab"`);
  const profile = raw.profile ?? 'lab';
  if (typeof profile !== 'string' || !(profile in PROFILES)) {
    throw new Error(`${locate(['profile'])}: profile is ${JSON.stringify(profile)}, which is not one of ${Object.keys(PROFILES).map((p) => `"${p}"`).join(', ')}`);
  }
  const merged = overlay(PROFILES[profile as Profile], raw);
  if (!validateSchema(merged)) {
    throw new Error(`${file} has invalid settings:\n${(validateSchema.errors ?? []).map((e) => schemaMessage(e, locate)).join('\n')}`);
  }
  const config = merged as PlatformConfig;
  const problems = semanticProblems(config, locate);
  if (problems.length) throw new Error(`${file} has invalid settings:\n${problems.join('\n')}`);
  const dir = path.dirname(file);
  return { config, file, lockFile: path.resolve(dir, config.charts.lock), valuesDir: path.resolve(dir, config.charts.values) };
}
