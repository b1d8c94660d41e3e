import { Construct } from 'constructs';
import {
  SeldonDeployment, SeldonDeploymentSpecPredictorsComponentSpecsSpecContainersResourcesLimits as Limit,
  SeldonDeploymentSpecPredictorsComponentSpecsSpecContainersResourcesRequests as Request,
} from '../../imports/machinelearning.seldon.io';
import { Gateway } from '../../imports/networking.istio.io';
import { NAMESPACE, RESOURCES, ResourceRequirements, requests } from '../../config/schema-fragments';
import { defineComponent } from '../component';
import { ComponentChart } from '../component-chart';
import { seldonCore } from '../seldon-core';

export interface IrisProps {
  /** The Istio Gateway the model is served through. */
  readonly gateway: Gateway;
  /** @default "seldon", as in Seldon's own docs */
  readonly namespace?: string;
  /** @default "gs://seldon-models/v1.18.2/sklearn/iris" */
  readonly modelUri?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** Requests and limits of the model server. @default - none: the operator's defaults */
  readonly resources?: ResourceRequirements;
}

/** Seldon's hello-world: the Iris classifier on the prepackaged scikit-learn server. */
export class IrisExample extends ComponentChart {
  public readonly deployment: SeldonDeployment;

  constructor(scope: Construct, id: string, props: IrisProps) {
    super(scope, id, { namespace: props.namespace ?? 'seldon' });
    this.deployment = new SeldonDeployment(this, 'iris-model', {
      metadata: {
        name: 'iris-model',
        namespace: this.namespace,
        annotations: { 'seldon.io/istio-gateway': `${props.gateway.metadata.namespace}/${props.gateway.name}` },
      },
      spec: {
        name: 'iris',
        predictors: [{
          name: 'default',
          replicas: props.replicas ?? 1,
          graph: {
            name: 'classifier',
            implementation: 'SKLEARN_SERVER',
            modelUri: props.modelUri ?? 'gs://seldon-models/v1.18.2/sklearn/iris',
          },
          // The operator fills in the prepackaged server's container; a spec naming it only adds resources.
          ...(props.resources ? { componentSpecs: [{ spec: { containers: [{ name: 'classifier', resources: modelResources(props.resources) }] } }] } : {}),
        }],
      },
    });
  }
}

function modelResources(r: ResourceRequirements) {
  const list = <T>(from: (v: string) => T, l?: { cpu?: string; memory?: string }) =>
    (l ? Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined).map(([k, v]) => [k, from(v!)])) : undefined);
  return { requests: list(Request.fromString, r.requests), limits: list(Limit.fromString, r.limits) };
}

export const iris = defineComponent({
  type: 'object', additionalProperties: false, required: ['enabled', 'namespace'],
  properties: { enabled: { type: 'boolean' }, namespace: NAMESPACE, resources: RESOURCES },
} as const)({
  key: 'iris',
  group: 'examples',
  defaults: { enabled: true, namespace: 'seldon' },
  // Requests, for when the example is asked for.
  profiles: { cluster: { enabled: false, resources: requests('100m', '256Mi') } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  build: (scope, s, context) => new IrisExample(scope, 'iris', { ...s, gateway: context.get(seldonCore).gateway }),
});
