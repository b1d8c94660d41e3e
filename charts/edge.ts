import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Gateway } from '../imports/networking.istio.io';
import { assignPhase, Phase } from '../lib';
import { Istio } from './istio';

export interface EdgeProps {
  /** The Istio install whose ingress gateway serves the routes. */
  readonly istio: Istio;
  /** @default "seldon-gateway", the name Seldon Core looks for */
  readonly gatewayName?: string;
  /** @default "istio" */
  readonly ingressClassName?: string;
}

/** The way in: the Istio Gateway Seldon routes through, and the IngressClass that hands Ingresses to Istio. */
export class Edge extends Chart {
  public readonly gateway: Gateway;
  public readonly ingressClass: k8s.KubeIngressClass;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    this.gateway = new Gateway(this, 'seldon-gateway', {
      metadata: { name: props.gatewayName ?? 'seldon-gateway', namespace: props.istio.namespace },
      spec: {
        selector: { ...props.istio.ingressGatewaySelector },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    });
    this.ingressClass = new k8s.KubeIngressClass(this, 'ingress-class', {
      metadata: { name: props.ingressClassName ?? 'istio' },
      spec: { controller: 'istio.io/ingress-controller' },
    });
    // Charts' Ingresses (JupyterHub's) name the class from the controllers phase on.
    assignPhase(this.ingressClass, Phase.CONTROLLERS);
  }
}
