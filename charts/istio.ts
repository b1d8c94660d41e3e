import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmRelease, Phase } from '../lib';
import { createNamespace, HelmComponentProps, valuesFile } from './common';

export interface IstioProps extends HelmComponentProps {
  /** @default "istio-system" */
  readonly namespace?: string;
}

/** The release name of the ingress gateway: istiod's ingress controller routes through a service of this name. */
const INGRESS_GATEWAY = 'istio-ingressgateway';

/** Istio: the base chart (CRDs), istiod, and the ingress gateway. */
export class Istio extends Chart {
  public readonly namespace: string;
  public readonly base: HelmRelease;
  public readonly istiod: HelmRelease;
  public readonly ingressGateway: HelmRelease;
  /** The labels of the ingress gateway's pods, for `Gateway.spec.selector`. */
  public readonly ingressGatewaySelector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: IstioProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'istio-system';
    createNamespace(this, this.namespace);
    // The gateway chart labels its pods `istio: <release name without "istio-">`.
    const selectorLabel = INGRESS_GATEWAY.replace(/^istio-/, '');
    this.ingressGatewaySelector = { istio: selectorLabel };
    const global = { istioNamespace: this.namespace };

    this.base = new HelmRelease(this, 'base', {
      chart: props.lock.get('istio-base'),
      releaseName: 'istio-base',
      namespace: this.namespace,
      valuesFiles: [valuesFile(props, 'istio-base')],
      values: { global },
    });
    const istiodChart = props.lock.get('istiod');
    this.istiod = new HelmRelease(this, 'istiod', {
      chart: istiodChart,
      releaseName: 'istiod',
      namespace: this.namespace,
      valuesFiles: [valuesFile(props, 'istiod')],
      values: {
        // Published charts carry their version as the image tag; say it, so the proxies match the chart.
        global: { ...global, tag: istiodChart.version },
        meshConfig: { ingressService: INGRESS_GATEWAY, ingressSelector: selectorLabel },
      },
    });
    // The gateway's pods get their image from istiod's injection webhook, so they come with the apps,
    // once istiod is running; before that they would start with the placeholder image "auto".
    this.ingressGateway = new HelmRelease(this, 'ingress-gateway', {
      chart: props.lock.get('istio-gateway'),
      releaseName: INGRESS_GATEWAY,
      namespace: this.namespace,
      valuesFiles: [valuesFile(props, INGRESS_GATEWAY)],
      phase: Phase.APPS,
    });
  }
}
