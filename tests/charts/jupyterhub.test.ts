import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { Edge, Istio, JupyterHub } from '../../charts';
import { app, lock } from './helpers';

describe('JupyterHub', () => {
  const hub = (hostname?: string) => {
    const a = app();
    const edge = new Edge(a, 'edge', { istio: new Istio(a, 'istio', { lock: lock() }) });
    return new JupyterHub(a, 'jupyterhub', { lock: lock(), ingressClass: edge.ingressClass, hostname });
  };

  test('release jupyterhub 4.4.0 in jupyterhub-system, its Ingress on the host and the istio class', () => {
    const h = hub();
    expect(h.release.request).toMatchObject({ releaseName: 'jupyterhub', namespace: 'jupyterhub-system', chart: { chart: 'jupyterhub', version: '4.4.0' } });
    expect(h.release.request.values).toEqual({ ingress: { enabled: true, hosts: ['jupyterhub.example.it'], ingressClassName: 'istio' } });
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
