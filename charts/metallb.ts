import { Construct } from 'constructs';
import { IpAddressPool } from '../imports/ipaddresspools-metallb.io';
import { L2Advertisement } from '../imports/l2advertisements-metallb.io';
import { HelmRelease } from '../lib';
import { AddressRange, checkPoolAddresses, dockerNetworkBounds, formatIpv4, parseAddressRanges } from '../config/addresses';
import { NAMESPACE, RESOURCES, ResourceRequirements, requests } from '../config/schema-fragments';
import { defineComponent } from './component';
import { ComponentChart, HelmProps } from './component-chart';

export interface MetalLbProps extends HelmProps {
  /** @default "metallb-system" */
  readonly namespace?: string;
  /** The LoadBalancer addresses MetalLB hands out: ranges `a.b.c.d-e.f.g.h` or CIDRs. @default ["172.25.1.1-172.25.1.100"] */
  readonly addresses?: readonly string[];
  /** Requests and limits of the controller and the speakers. @default - the chart's (none) */
  readonly resources?: ResourceRequirements;
}

/** MetalLB in L2 mode: the chart, one address pool and its L2 advertisement. */
export class MetalLb extends ComponentChart {
  public readonly release: HelmRelease;
  public readonly pool: IpAddressPool;
  /** The pool's address ranges, parsed. */
  public readonly addresses: readonly AddressRange[];
  public readonly l2Advertisement: L2Advertisement;

  constructor(scope: Construct, id: string, props: MetalLbProps) {
    super(scope, id, { namespace: props.namespace ?? 'metallb-system' });
    const addresses = this.addresses = parseAddressRanges(props.addresses ?? ['172.25.1.1-172.25.1.100']);
    // Its controller's webhook validates the IPAddressPool and L2Advertisement of the next phase.
    this.release = this.addRelease(props, {
      releaseName: 'metallb', readyBeforeNextPhase: true,
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

  /** The pool's first address: the one the ingress gateway asks for. */
  public get firstAddress(): string {
    return formatIpv4(this.addresses[0].first);
  }
}

export const metallb = defineComponent({
  type: 'object', additionalProperties: false, required: ['namespace', 'addresses'],
  properties: {
    namespace: NAMESPACE,
    addresses: { type: 'array', items: { type: 'string' }, description: 'The LoadBalancer addresses: ranges first-last or CIDRs.' },
    resources: RESOURCES,
  },
} as const)({
  key: 'metallb',
  defaults: { namespace: 'metallb-system', addresses: ['172.25.1.1-172.25.1.100'] },
  profiles: { cluster: { resources: requests('100m', '128Mi') } },
  namespaces: (s) => [{ setting: ['namespace'], value: s.namespace }],
  check: (s, core) => {
    try {
      const ranges = parseAddressRanges(s.addresses);
      let network;
      try {
        network = dockerNetworkBounds(core.k3d);
      } catch {
        network = undefined; // reported at k3d.dockerSubnet / k3d.dockerGateway
      }
      checkPoolAddresses(ranges, network);
      return [];
    } catch (e) {
      return [{ setting: ['addresses'], message: (e as Error).message }];
    }
  },
  build: (scope, s, context) => new MetalLb(scope, 'metallb', { ...context, ...s }),
});
