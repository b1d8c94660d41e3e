import * as fs from 'fs';
import * as path from 'path';
import { ComponentDefinition } from '../../charts/component';
import { COMPONENTS } from '../../charts/registry';
import { configSchema } from '../../config/schema';
import { loadConfig } from '../../config/load';
import { PROFILES } from '../../config/profiles';
import { schemaText, SCHEMA_FILE } from '../../scripts/config-schema';
import { tmpDir } from '../helpers';

const write = (text: string) => {
  const file = path.join(tmpDir(), 'platform.yaml');
  fs.writeFileSync(file, text);
  return file;
};
const load = (text: string) => loadConfig(write(text));

/** The message loading `text` fails with, the file's own path written as FILE. */
function failure(text: string, components?: readonly ComponentDefinition[]): string {
  const file = write(text);
  try {
    loadConfig(file, components);
  } catch (e) {
    return (e as Error).message.split(file).join('FILE');
  }
  throw new Error(`${JSON.stringify(text)} loaded`);
}

/** A component whose slice has what the registry's slices lack: keys with "/", "~" and digits, a pattern with no wording, a keyword the messages do not word. */
const probe: ComponentDefinition = {
  key: 'v2',
  schema: {
    type: 'object', additionalProperties: false,
    properties: {
      'a/b~c': { type: 'object', additionalProperties: false, properties: { '2x': { type: 'integer' } } },
      code: { type: 'string', pattern: '^[a-z]+$' },
      label: { type: 'string', minLength: 2 },
      free: { type: 'object', additionalProperties: false },
    },
  },
  defaults: { 'a/b~c': { '2x': 1 }, code: 'abc', label: 'ab', free: {} },
  build: () => {
    throw new Error('not built in these tests');
  },
};

describe('loadConfig', () => {
  test('the lab profile is the tutorial, and the lock and values folder are read from the file\'s folder', () => {
    const { config, file, lockFile, valuesDir } = load('profile: lab\n');
    expect(config).toEqual(PROFILES.lab);
    expect([lockFile, valuesDir]).toEqual([path.join(path.dirname(file), 'helm-lock.yaml'), path.join(path.dirname(file), 'helm-values')]);
    expect(config.metallb.addresses).toEqual(['172.25.1.1-172.25.1.100']);
    expect([config.jupyterhub.hostname, config.examples.nginx.hostname]).toEqual(['jupyterhub.example.it', 'nginx.example.it']);
  });

  test('an empty file is the lab profile too', () => {
    expect(load('').config).toEqual(PROFILES.lab);
  });

  test('settings lay over the profile: objects merge, lists replace', () => {
    const { config } = load('profile: cluster\nmetallb:\n  addresses: [10.0.0.10-10.0.0.20]\nistio:\n  istiod:\n    replicas: 3\nexamples:\n  iris:\n    enabled: true\n');
    expect(config.metallb).toEqual({ ...PROFILES.cluster.metallb, addresses: ['10.0.0.10-10.0.0.20'] });
    expect(config.istio.istiod).toEqual({ ...PROFILES.cluster.istio.istiod, replicas: 3 });
    expect(config.examples).toEqual({ iris: { enabled: true, namespace: 'seldon', resources: { requests: { cpu: '100m', memory: '256Mi' } } }, nginx: PROFILES.cluster.examples.nginx });
  });

  test('the cluster profile: no k3d, istiod and the gateway on 2 replicas with disruption budgets, requests everywhere, no demos', () => {
    const { config } = load('profile: cluster\n');
    expect(config.k3d.enabled).toBe(false);
    expect(config.istio).toMatchObject({ podDisruptionBudgets: true, istiod: { replicas: 2 }, ingressGateway: { replicas: 2 } });
    for (const r of [config.metallb.resources, config.istio.istiod.resources, config.istio.ingressGateway.resources, config.seldon.resources,
      config.jupyterhub.hub?.resources, config.jupyterhub.proxy?.resources]) {
      expect(r?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
    expect([config.examples.iris.enabled, config.examples.nginx.enabled]).toEqual([false, false]);
    expect(load('profile: cluster\njupyterhub:\n  storageClass: fast-ssd\n').config.jupyterhub.storageClass).toBe('fast-ssd');
  });

  test('both profiles are valid configurations', () => {
    for (const profile of Object.keys(PROFILES)) expect(() => load(`profile: ${profile}\n`)).not.toThrow();
  });

  test('reports every problem at once, each with its line', () => {
    expect(() => load('profile: lab\nmetallb:\n  namespace: MetalLB\njupyterhub:\n  hostname: jupyter_hub\n')).toThrow(/platform\.yaml:3: metallb\.namespace: .*\nplatform\.yaml:5: jupyterhub\.hostname: /);
  });

  test('a clash with a default names the profile\'s default as the other side', () => {
    expect(() => load('jupyterhub:\n  hostname: nginx.example.it\n')).toThrow(
      'platform.yaml (the lab profile\'s default): examples.nginx.hostname: "nginx.example.it" is already jupyterhub.hostname');
  });

  test('a clash is no clash when the example is off', () => {
    expect(load('jupyterhub:\n  hostname: nginx.example.it\nexamples:\n  nginx:\n    enabled: false\n').config.jupyterhub.hostname).toBe('nginx.example.it');
  });
});

describe('loadConfig: the file itself', () => {
  test('fails on a file that is not there, a folder or one over 1 MiB, with the fix; a file of exactly 1 MiB is read', () => {
    const dir = tmpDir();
    const fix = 'point PLATFORM_CONFIG at the platform\'s configuration (a file with "profile: lab" is the tutorial)';
    expect(() => loadConfig(path.join(dir, 'none.yaml'))).toThrow(new Error(`configuration file ${path.join(dir, 'none.yaml')} does not exist: ${fix}`));
    expect(() => loadConfig(dir)).toThrow(new Error(`configuration file ${dir} is a folder, not a regular file: ${fix}`));
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, `#${'x'.repeat(1024 * 1024 - 1)}\n`);
    expect(() => loadConfig(big)).toThrow(new Error(`configuration file ${big} is 1048577 bytes, more than the limit of 1 MiB: ${fix}`));
    fs.writeFileSync(big, `#${'x'.repeat(1024 * 1024 - 2)}\n`);
    expect(loadConfig(big).config).toEqual(PROFILES.lab);
  });

  test('fails on YAML that does not parse, with the file, line and column and the parser\'s first line', () => {
    expect(failure('profile: lab\nmetallb:\n  addresses: [172.25.1.1-172.25.1.100\n')).toBe(
      'FILE:4:1: the YAML does not parse: Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(failure('profile: lab\nmetallb:\n\taddresses: []\n')).toBe('FILE:3:1: the YAML does not parse: Tabs are not allowed as indentation');
  });

  test('fails on a key given twice', () => {
    expect(failure('profile: lab\nprofile: cluster\n')).toBe('FILE:2:1: the YAML does not parse: Map keys must be unique');
  });

  test('fails on a file that holds a list or a single value instead of settings; "null" is an empty file', () => {
    expect(failure('- profile: lab\n')).toBe('platform.yaml: the file holds a list, not settings; write settings such as "profile: lab"');
    expect(failure('hello\n')).toBe('platform.yaml: the file holds "hello", not settings; write settings such as "profile: lab"');
    expect(failure('42\n')).toBe('platform.yaml: the file holds 42, not settings; write settings such as "profile: lab"');
    expect(load('null\n').config).toEqual(PROFILES.lab);
  });

  test('fails on a profile that is not one, at its line', () => {
    expect(failure('profile: prod\n')).toBe('platform.yaml:1: profile is "prod", which is not one of "lab", "cluster"');
    expect(failure('metallb: {}\nprofile:\n  - lab\n')).toBe('platform.yaml:2: profile is ["lab"], which is not one of "lab", "cluster"');
    expect(failure('profile: 3\n')).toBe('platform.yaml:1: profile is 3, which is not one of "lab", "cluster"');
  });

  test('resolves the lock and the values folder against the file\'s folder, an absolute path as it is', () => {
    const file = write('charts:\n  lock: locks/helm-lock.yaml\n  values: ../values\n');
    const dir = path.dirname(file);
    expect(loadConfig(file)).toEqual({ config: { ...PROFILES.lab, charts: { lock: 'locks/helm-lock.yaml', values: '../values' } }, file,
      lockFile: path.join(dir, 'locks', 'helm-lock.yaml'), valuesDir: path.join(path.dirname(dir), 'values') });
    expect(loadConfig(write('charts:\n  lock: /srv/lock.yaml\n')).lockFile).toBe('/srv/lock.yaml');
  });
});

describe('loadConfig: settings the schema refuses', () => {
  test('fails on an unknown setting, at its key\'s line, naming the settings there are', () => {
    expect(failure('profile: lab\nmetalb:\n  addresses: [172.25.1.1-172.25.1.100]\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:2: unknown setting "metalb"; the top-level settings are profile, kubernetesVersion, charts, k3d, gitops, metallb, istio, seldon, jupyterhub, examples');
    expect(failure('metallb:\n  adresses: [172.25.1.1-172.25.1.100]\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:2: unknown setting "metallb.adresses"; the settings under metallb are namespace, addresses, resources');
    expect(failure('seldon:\n  resources:\n    requests:\n      gpu: "1"\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:4: unknown setting "seldon.resources.requests.gpu"; the settings under seldon.resources.requests are cpu, memory');
  });

  test('fails on a value of the wrong type, saying "a" or "an" as the type needs', () => {
    expect(failure('istio:\n  istiod:\n    replicas: two\n')).toBe('FILE has invalid settings:\nplatform.yaml:3: istio.istiod.replicas is "two", which is not an integer');
    expect(failure('seldon:\n  usageMetrics: "yes"\n')).toBe('FILE has invalid settings:\nplatform.yaml:2: seldon.usageMetrics is "yes", which is not a boolean');
    expect(failure('metallb:\n  addresses: 172.25.1.1-172.25.1.100\n')).toBe(
      'FILE has invalid settings:\nplatform.yaml:2: metallb.addresses is "172.25.1.1-172.25.1.100", which is not an array');
    expect(failure('kubernetesVersion: 1\n')).toBe('FILE has invalid settings:\nplatform.yaml:1: kubernetesVersion is 1, which is not a string');
    expect(failure('k3d: 5\n')).toBe('FILE has invalid settings:\nplatform.yaml:1: k3d is 5, which is not an object');
  });

  test('names an item of a list by its index, two digits too', () => {
    expect(failure(`metallb:\n  addresses: [${'172.25.1.1-172.25.1.100, '.repeat(10)}1]\n`)).toBe(
      'FILE has invalid settings:\nplatform.yaml:2: metallb.addresses[10] is 1, which is not a string');
  });

  test('fails on a number out of range, both ends', () => {
    expect(failure('istio:\n  ingressGateway:\n    replicas: 0\n')).toBe('FILE has invalid settings:\nplatform.yaml:3: istio.ingressGateway.replicas is 0; use a value of at least 1');
    expect(failure('k3d:\n  httpPort: 70000\n')).toBe('FILE has invalid settings:\nplatform.yaml:2: k3d.httpPort is 70000; use a value of at most 65535');
  });

  test('fails on a value outside a list of choices, naming them', () => {
    expect(failure('gitops:\n  engine: argo\n')).toBe('FILE has invalid settings:\nplatform.yaml:2: gitops.engine is "argo", which is not one of "none", "argocd", "flux"');
  });

  test('fails on a malformed value, saying what would be accepted', () => {
    expect(failure('metallb:\n  resources:\n    requests:\n      cpu: 1 core\n')).toBe(
      'FILE has invalid settings:\nplatform.yaml:4: metallb.resources.requests.cpu is "1 core", which is not a Kubernetes quantity such as 500m, 2, 256Mi or 1Gi');
    expect(failure('k3d:\n  serversMemory: 8 gigs\n')).toBe('FILE has invalid settings:\nplatform.yaml:2: k3d.serversMemory is "8 gigs", which is not a memory size such as 8G or 4096M');
  });

  test('reports every schema violation at once', () => {
    // A list of its own, so the validator is compiled here (loading keeps one per list).
    expect(failure('metalb:\n  addresses: []\nistio:\n  istiod:\n    replicas: two\n', [...COMPONENTS])).toBe('FILE has invalid settings:\n' +
      'platform.yaml:1: unknown setting "metalb"; the top-level settings are profile, kubernetesVersion, charts, k3d, gitops, metallb, istio, seldon, jupyterhub, examples\n' +
      'platform.yaml:5: istio.istiod.replicas is "two", which is not an integer');
  });

  test('gives the line of the setting\'s key when its value is on a line of its own', () => {
    expect(failure('metallb:\n  addresses:\n    172.25.1.1-172.25.1.100\n')).toBe(
      'FILE has invalid settings:\nplatform.yaml:2: metallb.addresses is "172.25.1.1-172.25.1.100", which is not an array');
    expect(failure('istio:\n  istiod:\n    replicas:\n      two\n')).toBe('FILE has invalid settings:\nplatform.yaml:3: istio.istiod.replicas is "two", which is not an integer');
    expect(failure('metallb:\n  ? \n  : x\n  addresses:\n    a\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:2: unknown setting "metallb."; the settings under metallb are namespace, addresses, resources\n' +
      'platform.yaml:4: metallb.addresses is "a", which is not an array');
  });

  test('names settings whose keys hold "/", "~" and digits as they are written', () => {
    expect(failure('v2:\n  a/b~c:\n    2x:\n      one\n', [probe])).toBe('FILE has invalid settings:\nplatform.yaml:3: v2.a/b~c.2x is "one", which is not an integer');
    expect(failure('v2:\n  a/b~c:\n    3y: 1\n', [probe])).toBe('FILE has invalid settings:\nplatform.yaml:3: unknown setting "v2.a/b~c.3y"; the settings under v2.a/b~c are 2x');
  });

  test('words a pattern the schema does not describe by the pattern, an object with no settings by none, and other keywords as ajv does', () => {
    expect(failure('v2:\n  code: ABC\n', [probe])).toBe('FILE has invalid settings:\nplatform.yaml:2: v2.code is "ABC", which is not matching ^[a-z]+$');
    expect(failure('v2:\n  free:\n    x: 1\n', [probe])).toBe('FILE has invalid settings:\nplatform.yaml:3: unknown setting "v2.free.x"; the settings under v2.free are ');
    expect(failure('v2:\n  label: a\n', [probe])).toBe('FILE has invalid settings:\nplatform.yaml:2: v2.label must NOT have fewer than 2 characters');
    expect((loadConfig(write('v2:\n  label: abc\n'), [probe]).config as Record<string, unknown>).v2).toEqual({ ...probe.defaults, label: 'abc' });
  });
});

describe('loadConfig: settings the checks refuse', () => {
  test('fails on a problem the schema cannot see, at its line', () => {
    expect(failure('k3d:\n  httpsPort: 8080\n')).toBe('FILE has invalid settings:\nplatform.yaml:2: k3d.httpsPort: 8080 is already k3d.httpPort; each host port can be bound once');
    expect(failure('metallb:\n  namespace:\n    MetalLB\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:2: metallb.namespace: "MetalLB" is not a DNS label; use lowercase letters, digits and "-", at most 63 characters, e.g. metallb-system');
  });

  test('a problem in a default the file leaves out is at the profile in use, or at the nearest setting the file has', () => {
    expect(failure('profile: cluster\nmetallb:\n  namespace: seldon-system\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml (the cluster profile\'s default): seldon.namespace: "seldon-system" is already metallb.namespace\'s namespace; give each component its own');
    expect(failure('examples:\n  nginx:\n    enabled: true\njupyterhub:\n  hostname: nginx.example.it\n')).toBe('FILE has invalid settings:\n' +
      'platform.yaml:3: examples.nginx.hostname: "nginx.example.it" is already jupyterhub.hostname; each route needs its own hostname');
  });
});

describe('platform.schema.json', () => {
  test('is generated from the components\' slices (npm run config:schema) and is up to date', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  test('requires nothing, so a short platform.yaml checks clean in an editor', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).not.toContain('"required"');
    expect(configSchema().required).toContain('metallb');
  });
});
