import { IrisExample } from '../../charts/examples/iris';
import { Istio } from '../../charts/istio';
import { SeldonCore } from '../../charts/seldon-core';
import { app, lock } from './helpers';

describe('IrisExample', () => {
  test('Seldon\'s hello-world Iris model on SKLEARN_SERVER, in namespace seldon, served through seldon-gateway', () => {
    const a = app();
    const seldon = new SeldonCore(a, 'seldon', { lock: lock(), istio: new Istio(a, 'istio', { lock: lock() }) });
    const iris = new IrisExample(a, 'iris', { gateway: seldon.gateway });
    expect(iris.deployment.toJson()).toEqual({
      apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment',
      metadata: { name: 'iris-model', namespace: 'seldon', annotations: { 'seldon.io/istio-gateway': 'istio-system/seldon-gateway' } },
      spec: {
        name: 'iris',
        predictors: [{ name: 'default', replicas: 1, graph: { name: 'classifier', implementation: 'SKLEARN_SERVER', modelUri: 'gs://seldon-models/v1.18.2/sklearn/iris' } }],
      },
    });
  });

  test('with resources, names the model server\'s container only to give it requests and limits', () => {
    const a = app();
    const seldon = new SeldonCore(a, 'seldon', { lock: lock(), istio: new Istio(a, 'istio', { lock: lock() }) });
    const iris = new IrisExample(a, 'iris', { gateway: seldon.gateway, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } } });
    expect(iris.deployment.toJson().spec.predictors[0].componentSpecs).toEqual([
      { spec: { containers: [{ name: 'classifier', resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } } }] } },
    ]);
  });
});
