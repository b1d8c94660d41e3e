import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IpAddressPool } from '../imports/ipaddresspools-metallb.io';
import { L2Advertisement } from '../imports/l2advertisements-metallb.io';
import { HelmRelease } from '../lib';
import { AddressRange, parseAddressRanges } from './addresses';
import { createNamespace, HelmComponentProps, lockedRelease, ResourceRequirements } from './common';

export interface MetalLbProps extends HelmComponentProps {
  /** @default "metallb-system" */
  readonly namespace?: string;
  /** The LoadBalancer addresses MetalLB hands out: ranges `a.b.c.d-e.f.g.h` or CIDRs. @default ["172.25.1.1-172.25.1.100"] */
  readonly addresses?: readonly string[];
  /** Requests and limits of the controller and the speakers. @default - the chart's (none) */
  readonly resources?: ResourceRequirements;
}

/** MetalLB in L2 mode: the chart, one address pool and its L2 advertisement. */
export class MetalLb extends Chart {
  public readonly namespace: string;
  public readonly release: HelmRelease;
  public readonly pool: IpAddressPool;
  /** The pool's address ranges, parsed. */
  public readonly addresses: readonly AddressRange[];
  public readonly l2Advertisement: L2Advertisement;

  constructor(scope: Construct, id: string, props: MetalLbProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'metallb-system';
    const addresses = this.addresses = parseAddressRanges(props.addresses ?? ['172.25.1.1-172.25.1.100']);
    createNamespace(this, this.namespace);
    // Its controller's webhook validates the IPAddressPool and L2Advertisement of the next phase.
    this.release = lockedRelease(this, 'release', props, {
      chart: 'metallb', releaseName: 'metallb', namespace: this.namespace, readyBeforeNextPhase: true,
      values: props.resources ? { controller: { resources: props.resources }, speaker: { resources: props.resources } } : undefined,
    });
    this.pool = new IpAddressPool(this, 'ip-pool', {
      metadata: { name: 'ip-pool', namespace: this.namespace },
      spec: { addresses: addresses.map((r) => r.text) },
    });
    this.l2Advertisement = new L2Advertisement(this, 'l2advertise', {
      metadata: { name: 'l2advertise', namespace: this.namespace },
      spec: { ipAddressPools: [this.pool.name] },
    });
  }
}
