// Choosing MetalLB's addresses from the cluster's Docker network, as the tutorial does by hand with
// `docker network inspect k3d-<name>`: a block inside the subnet that Docker will not hand to a container.
import { shown } from '../lib/messages';
import { formatIpv4, parseIpv4, parseSubnet, specialBlocksIn, Subnet } from './addresses';

export interface PoolProposal {
  /** The network the proposal is for. */
  readonly network: string;
  /** Its IPv4 subnet, e.g. `192.168.97.0/24`. */
  readonly subnet: string;
  /** Its gateway, as Docker reports it. @default - none reported */
  readonly gateway?: string;
  /** The proposed range, `first-last`. */
  readonly range: string;
}

interface Block { readonly first: number; readonly last: number; readonly why: string }

const isObject = (x: unknown): x is Record<string, any> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The network's entry in `docker network inspect` output (an array), by name when there are several. */
function pickNetwork(inspect: unknown, name: string | undefined): Record<string, any> {
  const networks = Array.isArray(inspect) ? inspect : [inspect];
  if (!networks.every(isObject) || networks.length === 0) throw new Error('the input is not `docker network inspect` output: expected a JSON array of networks');
  if (name) {
    const found = networks.find((n) => n.Name === name);
    if (!found) throw new Error(`network ${shown(name)} is not in the input, which has ${networks.map((n) => `${shown(n.Name)}`).join(', ')}`);
    return found;
  }
  if (networks.length > 1) throw new Error(`the input has ${networks.length} networks (${networks.map((n) => n.Name).join(', ')}): name one with --network`);
  return networks[0];
}

/**
 * Proposes `count` consecutive addresses inside the network's IPv4 subnet, clear of the network and
 * broadcast addresses, the gateway, the range Docker hands out (`IPRange`, if set) and every
 * container's address. Docker hands out addresses from the bottom of its range, so the proposal keeps
 * away from it: the block from `x.y.1.1` when the subnet is large enough (the tutorial's choice for a
 * /16), else the top of the subnet.
 */
export function proposePool(inspect: unknown, options: { network?: string; count?: number } = {}): PoolProposal {
  const count = options.count ?? 100;
  const net = pickNetwork(inspect, options.network);
  const name = String(net.Name ?? '(unnamed)');
  const configs: unknown = net.IPAM?.Config ?? [];
  if (!Array.isArray(configs)) {
    throw new Error(`network ${shown(name)}: IPAM.Config is ${JSON.stringify(configs).slice(0, 80)}, not a list of subnets: pass the output of docker network inspect as it is`);
  }
  const v4 = configs.find((c) => typeof c?.Subnet === 'string' && c.Subnet.includes('.'));
  if (!v4) throw new Error(`network ${shown(name)} has no IPv4 subnet in IPAM.Config: MetalLB's L2 mode needs one`);
  const subnet: Subnet = parseSubnet(v4.Subnet, `network ${shown(name)} subnet`);

  const taken: Block[] = [
    { first: subnet.first, last: subnet.first, why: 'the network address' },
    { first: subnet.last, last: subnet.last, why: 'the broadcast address' },
  ];
  const gateway = typeof v4.Gateway === 'string' ? parseIpv4(v4.Gateway) : undefined;
  taken.push(gateway !== undefined ? { first: gateway, last: gateway, why: 'the gateway' } : { first: subnet.first + 1, last: subnet.first + 1, why: 'the gateway Docker gives the first host address' });
  for (const b of specialBlocksIn(subnet.first, subnet.last)) taken.push({ first: b.first, last: b.last, why: `the ${b.what} block ${b.cidr}` });
  if (typeof v4.IPRange === 'string' && v4.IPRange) {
    const r = parseSubnet(v4.IPRange, `network ${shown(name)} IPRange`);
    taken.push({ first: r.first, last: r.last, why: 'the range Docker hands out' });
  }
  for (const c of Object.values(net.Containers ?? {}) as any[]) {
    const ip = typeof c?.IPv4Address === 'string' ? parseIpv4(c.IPv4Address.split('/')[0]) : undefined;
    if (ip !== undefined) taken.push({ first: ip, last: ip, why: `container ${c.Name ?? ''}` });
  }
  const free = (first: number) => first >= subnet.first && first + count - 1 <= subnet.last &&
    taken.every((t) => first + count - 1 < t.first || first > t.last);

  const size = subnet.last - subnet.first + 1;
  const candidates = [
    ...(size >= 512 ? [subnet.first + 257] : []),
    subnet.last - count,
  ];
  // Failing those, the highest free block: Docker fills from the bottom.
  let start = candidates.find(free);
  for (let first = subnet.last - count; start === undefined && first > subnet.first; first--) if (free(first)) start = first;
  if (start === undefined) {
    throw new Error(`network ${shown(name)} (${subnet.text}) has no ${count} free consecutive addresses clear of ${taken.map((t) => t.why).join(', ')}: ask for fewer with --count`);
  }
  return {
    network: name, subnet: subnet.text, ...(gateway !== undefined ? { gateway: formatIpv4(gateway) } : {}),
    range: `${formatIpv4(start)}-${formatIpv4(start + count - 1)}`,
  };
}
