import { Edge, Istio } from '../../charts';
import { assignedPhase, Phase } from '../../lib';
import { app, lock } from './helpers';

describe('Edge', () => {
  const edge = () => {
    const a = app();
    return new Edge(a, 'edge', { istio: new Istio(a, 'istio', { lock: lock() }) });
  };

  test('seldon-gateway in istio-system selects the ingress gateway on HTTP port 80 for any host', () => {
    expect(edge().gateway.toJson()).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
      metadata: { name: 'seldon-gateway', namespace: 'istio-system' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    });
  });

  test('the istio IngressClass names Istio\'s ingress controller and is there before the charts\' Ingresses', () => {
    const e = edge();
    expect(e.ingressClass.toJson()).toEqual({
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'istio' }, spec: { controller: 'istio.io/ingress-controller' },
    });
    expect(assignedPhase(e.ingressClass)).toBe(Phase.CONTROLLERS);
  });
});
