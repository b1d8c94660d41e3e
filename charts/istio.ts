import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmRelease, Phase } from '../lib';
import { createNamespace, HelmComponentProps, lockedRelease, ResourceRequirements } from './common';

/** Replicas and resources of one Istio workload. */
export interface IstioWorkloadOptions {
  /** @default 1 */
  readonly replicas?: number;
  /** @default - the chart's */
  readonly resources?: ResourceRequirements;
}

export interface IstioProps extends HelmComponentProps {
  /** @default "istio-system" */
  readonly namespace?: string;
  /** @default - one replica, the chart's resources */
  readonly istiod?: IstioWorkloadOptions;
  /** @default - one replica, the chart's resources */
  readonly ingressGateway?: IstioWorkloadOptions;
  /**
   * Give istiod and the ingress gateway a PodDisruptionBudget each (both need 2+ replicas).
   * @default false - the charts' defaults: istiod has one, the gateway none
   */
  readonly podDisruptionBudgets?: boolean;
  /** The LoadBalancer address the ingress gateway asks MetalLB for. @default - any address of the pool */
  readonly ingressAddress?: string;
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

    this.base = lockedRelease(this, 'base', props, { chart: 'istio-base', releaseName: 'istio-base', namespace: this.namespace, values: { global } });
    this.istiod = lockedRelease(this, 'istiod', props, {
      chart: 'istiod',
      releaseName: 'istiod',
      namespace: this.namespace,
      // Its webhooks validate the Gateway (phase 3) and inject the ingress gateway's proxy (phase 4).
      readyBeforeNextPhase: true,
      values: {
        // Published charts carry their version as the image tag; say it, so the proxies match the chart.
        global: {
          ...global, tag: props.lock.get('istiod').version,
          ...(props.podDisruptionBudgets ? { defaultPodDisruptionBudget: { enabled: true } } : {}),
        },
        meshConfig: { ingressService: INGRESS_GATEWAY, ingressSelector: selectorLabel },
        // The chart scales istiod with an HPA from autoscaleMin; replicaCount is for when that is off.
        ...(props.istiod?.replicas !== undefined ? { replicaCount: props.istiod.replicas, autoscaleMin: props.istiod.replicas } : {}),
        ...(props.istiod?.resources ? { resources: props.istiod.resources } : {}),
      },
    });
    // The gateway's pods get their image from istiod's injection webhook, so they come with the apps,
    // once istiod is running; before that they would start with the placeholder image "auto".
    this.ingressGateway = lockedRelease(this, 'ingress-gateway', props, {
      chart: 'istio-gateway', releaseName: INGRESS_GATEWAY, namespace: this.namespace, phase: Phase.APPS,
      values: {
        ...(props.ingressGateway?.replicas !== undefined
          ? { replicaCount: props.ingressGateway.replicas, autoscaling: { minReplicas: props.ingressGateway.replicas } } : {}),
        ...(props.ingressGateway?.resources ? { resources: props.ingressGateway.resources } : {}),
        ...(props.podDisruptionBudgets ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
        ...(props.ingressAddress ? { service: { annotations: { 'metallb.io/loadBalancerIPs': props.ingressAddress } } } : {}),
      },
    });
  }
}
