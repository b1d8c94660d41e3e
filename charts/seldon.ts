import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway } from '../imports/networking.istio.io';
import { HelmRelease } from '../lib';
import { createNamespace, HelmComponentProps, lockedRelease, ResourceRequirements } from './common';

export interface SeldonCoreProps extends HelmComponentProps {
  /** The Istio Gateway SeldonDeployments are served through. */
  readonly gateway: Gateway;
  /** @default "seldon-system" */
  readonly namespace?: string;
  /** Send Seldon anonymous usage metrics, as the tutorial does. @default true */
  readonly usageMetrics?: boolean;
  /** Requests and limits of the operator. @default - the chart's (100m/200Mi requested) */
  readonly resources?: ResourceRequirements;
}

/** The Seldon Core v1 operator, with Istio routing through the given Gateway. Seldon Core 1.18 is BSL 1.1. */
export class SeldonCore extends Chart {
  public readonly namespace: string;
  public readonly release: HelmRelease;

  constructor(scope: Construct, id: string, props: SeldonCoreProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'seldon-system';
    createNamespace(this, this.namespace);
    this.release = lockedRelease(this, 'release', props, {
      chart: 'seldon-core-operator',
      releaseName: 'seldon-core-operator',
      namespace: this.namespace,
      // The operator creates its webhook at run time and reconciles the SeldonDeployments of the next phase.
      readyBeforeNextPhase: true,
      values: {
        usageMetrics: { enabled: props.usageMetrics ?? true },
        istio: { enabled: true, gateway: `${props.gateway.metadata.namespace}/${props.gateway.name}` },
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
