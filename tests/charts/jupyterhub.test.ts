import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { Istio } from '../../charts/istio';
import { JupyterHub } from '../../charts/jupyterhub';
import { TEST_KEY } from '../helpers';
import { app, lock } from './helpers';

describe('JupyterHub', () => {
  const hub = (hostname?: string, installationKey = TEST_KEY, adminPassword?: string) => {
    const a = app();
    const istio = new Istio(a, 'istio', { lock: lock() });
    return new JupyterHub(a, 'jupyterhub', { lock: lock(), ingressClass: istio.ingressClass, hostname, installationKey, adminPassword });
  };

  test('release jupyterhub 4.4.0 in jupyterhub-system, its Ingress on the host and the istio class', () => {
    const h = hub();
    expect(h.release.request).toMatchObject({ releaseName: 'jupyterhub', namespace: 'jupyterhub-system', chart: { chart: 'jupyterhub', version: '4.4.0' } });
    expect(h.release.request.values).toMatchObject({ ingress: { enabled: true, hosts: ['jupyterhub.example.it'], ingressClassName: 'istio' } });
  });

  test('the hub\'s three secrets are set from the installation key: the same key gives the same values, another key others', () => {
    const config = (key: string) => (hub(undefined, key).release.request.values as any).hub.config;
    const a = config(TEST_KEY);
    const secrets = (c: any) => [c.ConfigurableHTTPProxy.auth_token, c.JupyterHub.cookie_secret, c.CryptKeeper.keys[0]];
    expect(secrets(a).every((s) => /^[0-9a-f]{64}$/.test(s))).toBe(true);
    expect(new Set(secrets(a)).size).toBe(3);
    expect(secrets(config(TEST_KEY))).toEqual(secrets(a));
    expect(secrets(config('7'.repeat(64)))).not.toEqual(secrets(a));
  });

  test('no open login: admin signs in with a shared admin password, derived unless given', () => {
    const h = hub();
    const config = (h.release.request.values as any).hub.config;
    expect(config.JupyterHub.authenticator_class).toBe('shared-password');
    expect(config.Authenticator).toEqual({ admin_users: ['admin'] });
    expect(config.SharedPasswordAuthenticator).toEqual({ admin_password: h.adminPassword });
    expect(h.adminPassword).toMatch(/^[0-9a-f]{64}$/);
    expect(hub(undefined, TEST_KEY, 'a-password-of-at-least-32-characters').adminPassword).toBe('a-password-of-at-least-32-characters');
  });

  test('fails on an admin password shorter than 32 characters', () => {
    expect(() => hub(undefined, TEST_KEY, 'admin')).toThrow('invalid jupyterhub admin password: it has 5 characters');
  });

  test('the values file is the tutorial\'s config.yaml: /lab and the jupyter_server app', () => {
    const values = yaml.load(fs.readFileSync(hub().release.request.valuesFiles[0], 'utf8')) as any;
    expect(values.singleuser).toEqual({ defaultUrl: '/lab', extraEnv: { JUPYTERHUB_SINGLEUSER_APP: 'jupyter_server.serverapp.ServerApp' } });
    expect(values.ingress).toEqual({ annotations: {} });
  });

  test('fails on a hostname that is not a DNS name', () => {
    expect(() => hub('Jupyter Hub')).toThrow('invalid jupyterhub hostname "Jupyter Hub": use a lowercase DNS name');
  });
});
