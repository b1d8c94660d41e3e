import { Istio } from '../../charts/istio';
import { assignedPhase, Phase } from '../../lib/phases';
import { runtimeFieldsOf } from '../../lib/runtime-fields';
import { tmpDir, writeLock } from '../helpers';
import { app, lock } from './helpers';

describe('Istio', () => {
  test('base, istiod and the gateway released as istio-ingressgateway, all in istio-system', () => {
    const istio = new Istio(app(), 'istio', { lock: lock() });
    const requests = [istio.base, istio.istiod, istio.ingressGateway].map((r) => r.request);
    expect(requests.map((r) => `${r.releaseName}=${r.chart.chart}@${r.chart.version}/${r.namespace}`)).toEqual([
      'istio-base=base@1.30.3/istio-system', 'istiod=istiod@1.30.3/istio-system', 'istio-ingressgateway=gateway@1.30.3/istio-system',
    ]);
  });

  test('istiod\'s ingress controller routes through the gateway release, whose pods carry istio: ingressgateway', () => {
    const istio = new Istio(app(), 'istio', { lock: lock() });
    expect(istio.ingressGatewaySelector).toEqual({ istio: 'ingressgateway' });
    expect(istio.istiod.request.values).toMatchObject({ meshConfig: { ingressService: 'istio-ingressgateway', ingressSelector: 'ingressgateway' } });
  });

  test('the proxy image tag is the chart version from the lock', () => {
    const istio = new Istio(app(), 'istio', { lock: lock() });
    expect(istio.istiod.request.values).toMatchObject({ global: { tag: '1.30.3', istioNamespace: 'istio-system' } });
  });
});

describe('Istio\'s validating webhooks', () => {
  test('declare the failurePolicy istiod sets once it serves, in base and istiod, and nothing on other objects', () => {
    const istio = new Istio(app(), 'istio', { lock: lock() });
    const vwc = (name: string) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks: [] });
    istio.base.addRendered([vwc('istiod-default-validator')]);
    istio.istiod.addRendered([vwc('istio-validator-istio-system'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istiod' } }]);
    istio.ingressGateway.addRendered([vwc('not-istiod')]);
    const declared = [istio.base, istio.istiod, istio.ingressGateway].flatMap((r) => r.apiObjects.map((o) => [o.name, runtimeFieldsOf(o)]));
    expect(declared).toEqual([
      ['istiod-default-validator', ['.webhooks[]?.failurePolicy']],
      ['istio-validator-istio-system', ['.webhooks[]?.failurePolicy']],
      ['istiod', []],
      ['not-istiod', []],
    ]);
  });
});

describe('Istio\'s IngressClass', () => {
  test('names Istio\'s ingress controller and is there before the charts\' Ingresses', () => {
    const istio = new Istio(app(), 'istio', { lock: lock() });
    // The chart's namespace reaches every object; the engine takes it off cluster-scoped ones (see tests/lib/manifests.test.ts).
    expect(istio.ingressClass.toJson()).toMatchObject({
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'istio' }, spec: { controller: 'istio.io/ingress-controller' },
    });
    expect(assignedPhase(istio.ingressClass)).toBe(Phase.CONTROLLERS);
  });
});


describe('Istio and an older lock', () => {
  test('fails naming the new key when the lock still calls the gateway chart istio-gateway', () => {
    const dir = tmpDir();
    const old = writeLock(dir, lock().charts.map((c) => (c.key === 'istio-ingressgateway' ? { ...c, key: 'istio-gateway' } : c)));
    expect(() => new Istio(app(), 'istio', { lock: old })).toThrow(
      `chart lock ${old.file} names the chart "istio-gateway", which is now "istio-ingressgateway": rename the key`);
  });
});
