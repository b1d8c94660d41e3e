import * as fs from 'fs';
import * as path from 'path';
import { configSchema } from '../../config/schema';
import { loadConfig } from '../../config/load';
import { PROFILES } from '../../config/profiles';
import { schemaText, SCHEMA_FILE } from '../../scripts/config-schema';
import { tmpDir } from '../helpers';

const load = (text: string) => {
  const file = path.join(tmpDir(), 'platform.yaml');
  fs.writeFileSync(file, text);
  return loadConfig(file);
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

describe('platform.schema.json', () => {
  test('is generated from the components\' slices (npm run config:schema) and is up to date', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  test('requires nothing, so a short platform.yaml checks clean in an editor', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).not.toContain('"required"');
    expect(configSchema().required).toContain('metallb');
  });
});
