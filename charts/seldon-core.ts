import { Construct } from 'constructs';
import { Gateway } from '../imports/networking.istio.io';
import { HelmRelease } from '../lib';
import { NAMESPACE, RESOURCES, ResourceRequirements, requests } from '../config/schema-fragments';
import { defineComponent } from './component';
import { ComponentChart, HelmProps } from './component-chart';
import { Istio, istio } from './istio';

export interface SeldonCoreProps extends HelmProps {
  /** The Istio install whose ingress gateway serves the models. */
  readonly istio: Istio;
  /** @default "seldon-system" */
  readonly namespace?: string;
  /** Send Seldon anonymous usage metrics, as the tutorial does. @default true */
  readonly usageMetrics?: boolean;
  /** Requests and limits of the operator. @default - the chart's (100m/200Mi requested) */
  readonly resources?: ResourceRequirements;
  /** The name of the Istio Gateway SeldonDeployments are served through. @default "seldon-gateway", the name Seldon's docs use */
  readonly gatewayName?: string;
}

/**
 * The Seldon Core v1 operator, with Istio routing through its own Istio Gateway in Istio's namespace.
 * Seldon Core 1.18 is BSL 1.1.
 */
export class SeldonCore extends ComponentChart {
  public readonly release: HelmRelease;
  /** The Gateway SeldonDeployments are served through: HTTP port 80 of the ingress gateway, any host. */
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: SeldonCoreProps) {
    super(scope, id, { namespace: props.namespace ?? 'seldon-system' });
    this.gateway = new Gateway(this, 'seldon-gateway', {
      metadata: { name: props.gatewayName ?? 'seldon-gateway', namespace: props.istio.namespace },
      spec: {
        selector: { ...props.istio.ingressGatewaySelector },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    });
    this.release = this.addRelease(props, {
      releaseName: 'seldon-core-operator',
      // The operator creates its webhook at run time and reconciles the SeldonDeployments of the next phase.
      readyBeforeNextPhase: true,
      // The usage-metrics reporter (spartakus) runs in kube-system, where the chart puts it.
      extraNamespaces: ['kube-system'],
      values: {
        usageMetrics: { enabled: props.usageMetrics ?? true },
        istio: { enabled: true, gateway: `${this.gateway.metadata.namespace}/${this.gateway.name}` },
        ...(props.resources ? { manager: seldonManagerResources(props.resources) } : {}),
      },
    });
  }
}

/** The operator chart takes its resources as four flat values. */
function seldonManagerResources(r: ResourceRequirements): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.requests?.cpu) out.cpuRequest = r.requests.cpu;
  if (r.requests?.memory) out.memoryRequest = r.requests.memory;
  if (r.limits?.cpu) out.cpuLimit = r.limits.cpu;
  if (r.limits?.memory) out.memoryLimit = r.limits.memory;
  return out;
}

export const seldonCore = defineComponent({
  type: 'object', additionalProperties: false, required: ['namespace', 'usageMetrics'],
  properties: {
    namespace: NAMESPACE,
    usageMetrics: { type: 'boolean', description: 'Send Seldon anonymous usage metrics, as the tutorial does.' },
    resources: RESOURCES,
  },
} as const)({
  key: 'seldon',
  defaults: { namespace: 'seldon-system', usageMetrics: true },
  profiles: { cluster: { resources: requests('100m', '200Mi') } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  build: (scope, s, context) => new SeldonCore(scope, 'seldon', { ...context, ...s, istio: context.get(istio) }),
});
