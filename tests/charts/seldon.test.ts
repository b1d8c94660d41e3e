import { Edge, Istio, SeldonCore } from '../../charts';
import { app, lock } from './helpers';

describe('SeldonCore', () => {
  const seldon = (usageMetrics?: boolean) => {
    const a = app();
    const edge = new Edge(a, 'edge', { istio: new Istio(a, 'istio', { lock: lock() }) });
    return new SeldonCore(a, 'seldon', { lock: lock(), gateway: edge.gateway, usageMetrics });
  };

  test('the tutorial\'s --set flags: usage metrics and Istio on, routing through the gateway object', () => {
    const s = seldon();
    expect(s.release.request).toMatchObject({ releaseName: 'seldon-core-operator', namespace: 'seldon-system', chart: { chart: 'seldon-core-operator', version: '1.18.2' } });
    expect(s.release.request.values).toEqual({ usageMetrics: { enabled: true }, istio: { enabled: true, gateway: 'istio-system/seldon-gateway' } });
  });

  test('usage metrics can be turned off', () => {
    expect(seldon(false).release.request.values).toMatchObject({ usageMetrics: { enabled: false } });
  });
});
