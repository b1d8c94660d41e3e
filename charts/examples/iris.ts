import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SeldonDeployment } from '../../imports/machinelearning.seldon.io';
import { Gateway } from '../../imports/networking.istio.io';
import { createNamespace } from '../common';

export interface IrisProps {
  /** The Istio Gateway the model is served through. */
  readonly gateway: Gateway;
  /** @default "seldon", as in Seldon's own docs */
  readonly namespace?: string;
  /** @default "gs://seldon-models/v1.18.2/sklearn/iris" */
  readonly modelUri?: string;
  /** @default 1 */
  readonly replicas?: number;
}

/** Seldon's hello-world: the Iris classifier on the prepackaged scikit-learn server. */
export class IrisExample extends Chart {
  public readonly namespace: string;
  public readonly deployment: SeldonDeployment;

  constructor(scope: Construct, id: string, props: IrisProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'seldon';
    createNamespace(this, this.namespace);
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
        }],
      },
    });
  }
}
