import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { assignPhase, declareRuntimeFields, HelmRelease, Phase } from '../lib';
import { NAMESPACE, REPLICAS, RESOURCES, ResourceRequirements, requests } from '../config/schema-fragments';
import { defineComponent } from './component';
import { ComponentChart, HelmProps } from './component-chart';
import { metallb } from './metallb';

/** Replicas and resources of one Istio workload. */
export interface IstioWorkloadOptions {
  /** @default 1 */
  readonly replicas?: number;
  /** @default - the chart's */
  readonly resources?: ResourceRequirements;
}

export interface IstioProps extends HelmProps {
  /** @default "istio-system" */
  readonly namespace?: string;
  /** @default - one replica, the chart's resources */
  readonly istiod?: IstioWorkloadOptions;
  /** The ingress gateway, released as `istio-ingressgateway`. @default - one replica, the chart's resources */
  readonly ingressGateway?: IstioWorkloadOptions;
  /**
   * Give istiod and the ingress gateway a PodDisruptionBudget each (both need 2+ replicas).
   * @default false - the charts' defaults: istiod has one, the gateway none
   */
  readonly podDisruptionBudgets?: boolean;
  /** The LoadBalancer address the ingress gateway asks MetalLB for. @default - any address of the pool */
  readonly ingressAddress?: string;
  /** The IngressClass that hands Ingresses to Istio. @default "istio" */
  readonly ingressClassName?: string;
}

/** The release name of the ingress gateway, as Istio's docs install it: istiod's ingress controller routes through a service of this name. */
const INGRESS_GATEWAY = 'istio-ingressgateway';

/** Istio: the base chart (CRDs), istiod, the ingress gateway, and the IngressClass of Istio's ingress controller. */
export class Istio extends ComponentChart {
  public readonly base: HelmRelease;
  public readonly istiod: HelmRelease;
  public readonly ingressGateway: HelmRelease;
  /** The labels of the ingress gateway's pods, for `Gateway.spec.selector`. */
  public readonly ingressGatewaySelector: Readonly<Record<string, string>>;
  public readonly ingressClass: k8s.KubeIngressClass;

  constructor(scope: Construct, id: string, props: IstioProps) {
    super(scope, id, { namespace: props.namespace ?? 'istio-system' });
    // The gateway chart labels its pods `istio: <release name without "istio-">`.
    const selectorLabel = INGRESS_GATEWAY.replace(/^istio-/, '');
    this.ingressGatewaySelector = { istio: selectorLabel };
    const global = { istioNamespace: this.namespace };

    this.base = this.addRelease(props, { releaseName: 'istio-base', values: { global } });
    this.istiod = this.addRelease(props, {
      releaseName: 'istiod',
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
    // istiod fills its validating webhooks' CA and, once it serves, turns their failurePolicy from Ignore to Fail
    // (base's default validator too): a GitOps controller that set them back would undo it at every sync.
    for (const release of [this.base, this.istiod]) {
      release.patch((objects) => objects.filter((o) => o.kind === 'ValidatingWebhookConfiguration')
        .forEach((o) => declareRuntimeFields(o, ['.webhooks[]?.failurePolicy'])));
    }
    // The gateway's pods get their image from istiod's injection webhook, so they come with the apps,
    // once istiod is running; before that they would start with the placeholder image "auto".
    this.ingressGateway = this.addRelease(props, {
      releaseName: INGRESS_GATEWAY, phase: Phase.APPS, formerLockKeys: ['istio-gateway'],
      values: {
        ...(props.ingressGateway?.replicas !== undefined
          ? { replicaCount: props.ingressGateway.replicas, autoscaling: { minReplicas: props.ingressGateway.replicas } } : {}),
        ...(props.ingressGateway?.resources ? { resources: props.ingressGateway.resources } : {}),
        ...(props.podDisruptionBudgets ? { podDisruptionBudget: { minAvailable: 1 } } : {}),
        ...(props.ingressAddress ? { service: { annotations: { 'metallb.io/loadBalancerIPs': props.ingressAddress } } } : {}),
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

const WORKLOAD = { type: 'object', additionalProperties: false, properties: { replicas: REPLICAS, resources: RESOURCES } } as const;

export const istio = defineComponent({
  type: 'object', additionalProperties: false, required: ['namespace', 'podDisruptionBudgets', 'istiod', 'ingressGateway'],
  properties: {
    namespace: NAMESPACE,
    podDisruptionBudgets: {
      type: 'boolean',
      description: 'Give istiod and the ingress gateway a PodDisruptionBudget each (needs 2+ replicas). false: the charts\' defaults (istiod has one, the gateway none).',
    },
    istiod: WORKLOAD,
    ingressGateway: WORKLOAD,
  },
} as const)({
  key: 'istio',
  defaults: { namespace: 'istio-system', podDisruptionBudgets: false, istiod: {}, ingressGateway: {} },
  profiles: {
    cluster: {
      podDisruptionBudgets: true,
      istiod: { replicas: 2, resources: requests('500m', '2Gi') },
      ingressGateway: { replicas: 2, resources: requests('100m', '128Mi') },
    },
  },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  check: (s) => (s.podDisruptionBudgets ? (['istiod', 'ingressGateway'] as const) : [])
    .filter((part) => (s[part].replicas ?? 1) < 2)
    .map((part) => ({
      setting: [part, 'replicas'],
      message: `${s[part].replicas ?? 'the chart\'s default of 1'} replica with istio.podDisruptionBudgets on would block every node drain; ` +
        'use 2 or more replicas, or set istio.podDisruptionBudgets to false',
    })),
  // The gateway asks for the pool's first address, so the hosts lines printed after synth hold.
  build: (scope, s, context) => new Istio(scope, 'istio', { ...context, ...s, ingressAddress: context.get(metallb).firstAddress }),
});
