import { Istio } from '../../charts/istio';
import { SeldonCore } from '../../charts/seldon-core';
import { app, lock } from './helpers';

describe('SeldonCore', () => {
  const seldon = (usageMetrics?: boolean) => {
    const a = app();
    return new SeldonCore(a, 'seldon', { lock: lock(), istio: new Istio(a, 'istio', { lock: lock() }), usageMetrics });
  };

  test('the tutorial\'s --set flags: usage metrics and Istio on, routing through the gateway object', () => {
    const s = seldon();
    expect(s.release.request).toMatchObject({ releaseName: 'seldon-core-operator', namespace: 'seldon-system', chart: { chart: 'seldon-core-operator', version: '1.18.2' } });
    expect(s.release.request.values).toEqual({ usageMetrics: { enabled: true }, istio: { enabled: true, gateway: 'istio-system/seldon-gateway' } });
  });

  test('usage metrics can be turned off', () => {
    expect(seldon(false).release.request.values).toMatchObject({ usageMetrics: { enabled: false } });
  });

  test('seldon-gateway in Istio\'s namespace selects the ingress gateway on HTTP port 80 for any host', () => {
    expect(seldon().gateway.toJson()).toEqual({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
      metadata: { name: 'seldon-gateway', namespace: 'istio-system' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    });
  });
});
