import { shown } from '../lib/messages';
/** An IPv4 address range as MetalLB takes it, with its bounds as numbers. */
export interface AddressRange {
  readonly text: string;
  readonly first: number;
  readonly last: number;
}

/** An IPv4 address as a number; undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Parses `a.b.c.d-e.f.g.h` or `a.b.c.d/n`; throws naming the bad value and the accepted forms. */
export function parseAddressRange(text: string): AddressRange {
  const fix = 'use "first-last" (e.g. 172.25.1.1-172.25.1.100) or a CIDR (e.g. 172.25.1.0/24)';
  const range = /^([^-/\s]+)-([^-/\s]+)$/.exec(text);
  if (range) {
    const first = parseIpv4(range[1]);
    const last = parseIpv4(range[2]);
    if (first === undefined || last === undefined) throw new Error(`invalid address range ${shown(text)}: not two IPv4 addresses; ${fix}`);
    if (first > last) throw new Error(`invalid address range ${shown(text)}: start is after end; write it as "${range[2]}-${range[1]}"`);
    return { text, first, last };
  }
  const cidr = /^([^/\s]+)\/(\d{1,2})$/.exec(text);
  if (cidr) {
    const base = parseIpv4(cidr[1]);
    const bits = Number(cidr[2]);
    if (base === undefined || bits > 32) throw new Error(`invalid address range ${shown(text)}: not an IPv4 CIDR; ${fix}`);
    const size = 2 ** (32 - bits);
    if (base % size !== 0) throw new Error(`invalid address range ${shown(text)}: ${cidr[1]} is not the first address of a /${bits}; ${fix}`);
    return { text, first: base, last: base + size - 1 };
  }
  throw new Error(`invalid address range ${shown(text)}: ${fix}`);
}

/** Parses a pool's ranges and refuses an empty pool or overlapping ranges. */
export function parseAddressRanges(texts: readonly string[]): AddressRange[] {
  if (texts.length === 0) throw new Error('invalid address pool: no addresses; give at least one range, e.g. 172.25.1.1-172.25.1.100');
  const ranges = texts.map(parseAddressRange);
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].first <= sorted[i - 1].last) {
      throw new Error(`invalid address pool: ${shown(sorted[i - 1].text)} and ${shown(sorted[i].text)} overlap; make the ranges disjoint`);
    }
  }
  return ranges;
}

/** The dotted form of an IPv4 address given as a number. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** An IPv4 subnet, `a.b.c.d/n`, with its first and last address. */
export interface Subnet {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly bits: number;
}

/** Parses an IPv4 CIDR; throws naming `what`, the bad value and the accepted form. */
export function parseSubnet(text: string, what: string): Subnet {
  const m = /^([^/\s]+)\/(\d{1,2})$/.exec(text);
  const base = m ? parseIpv4(m[1]) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (base === undefined || !(bits >= 0 && bits <= 32)) throw new Error(`${what}: ${shown(text)} is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16`);
  const size = 2 ** (32 - bits);
  if (base % size !== 0) throw new Error(`${what}: ${shown(text)} does not start its /${bits}; use ${formatIpv4(base - (base % size))}/${bits}`);
  return { text, first: base, last: base + size - 1, bits };
}

/** A block of special-purpose addresses (IANA's registry) that a LoadBalancer pool may not hold. */
interface SpecialBlock { readonly cidr: string; readonly what: string }

/**
 * Addresses no LoadBalancer can answer on: unspecified, loopback, link-local, the IETF's protocol and
 * documentation blocks, multicast, and the reserved block with the limited broadcast address.
 */
export const SPECIAL_BLOCKS: readonly SpecialBlock[] = [
  { cidr: '0.0.0.0/8', what: 'unspecified ("this network")' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '192.0.0.0/24', what: 'reserved for IETF protocol assignments' },
  { cidr: '192.0.2.0/24', what: 'reserved for documentation (TEST-NET-1)' },
  { cidr: '198.51.100.0/24', what: 'reserved for documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', what: 'reserved for documentation (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved (240.0.0.0/4, with the broadcast address 255.255.255.255)' },
];

/** The special-purpose blocks `first`-`last` overlaps, lowest first. */
export function specialBlocksIn(first: number, last: number): Array<SpecialBlock & { first: number; last: number }> {
  return SPECIAL_BLOCKS.map((b) => ({ ...b, ...parseAddressRange(b.cidr) })).filter((b) => first <= b.last && last >= b.first);
}

/** What the pool must keep clear of inside a known Docker network. */
export interface DockerNetworkBounds {
  readonly subnet: Subnet;
  /** The network's gateway. @default - the subnet's first host address, as Docker picks it */
  readonly gateway?: number;
}

/**
 * Refuses a pool that holds addresses no LoadBalancer can use: special-purpose blocks and, inside a
 * known Docker network, anything outside the subnet, its network and broadcast addresses and its gateway.
 * Throws naming the range, the address and the fix.
 */
export function checkPoolAddresses(ranges: readonly AddressRange[], network?: DockerNetworkBounds): void {
  for (const r of ranges) {
    const [special] = specialBlocksIn(r.first, r.last);
    if (special) {
      const at = formatIpv4(Math.max(r.first, special.first));
      throw new Error(`${shown(r.text)} holds ${at}, which is ${special.what} (${special.cidr}), not an address a LoadBalancer can answer on; ` +
        'use unicast addresses of your network, e.g. 172.25.1.1-172.25.1.100, or run npm run pool');
    }
    if (!network) continue;
    const { subnet } = network;
    if (r.first < subnet.first || r.last > subnet.last) {
      throw new Error(`${shown(r.text)} is outside the Docker network's subnet ${subnet.text} (k3d.dockerSubnet), so its addresses are unreachable; ` +
        `use addresses from ${formatIpv4(subnet.first + 1)} to ${formatIpv4(subnet.last - 1)}, or run npm run pool`);
    }
    const gateway = network.gateway ?? subnet.first + 1;
    const reserved: Array<[number, string]> = [[subnet.first, 'the network address'], [subnet.last, 'the broadcast address'], [gateway, 'the gateway']];
    for (const [address, what] of reserved) {
      if (address >= r.first && address <= r.last) {
        throw new Error(`${shown(r.text)} holds ${formatIpv4(address)}, ${what} of the Docker network ${subnet.text}; ` +
          'leave it out of the pool, or run npm run pool to propose a free block');
      }
    }
  }
}

/** The Docker network the k3d settings know, if any; throws naming the setting when it is malformed. */
export function dockerNetworkBounds(k3d: { readonly dockerSubnet?: string; readonly dockerGateway?: string }): DockerNetworkBounds | undefined {
  if (k3d.dockerSubnet === undefined) return undefined;
  const subnet = parseSubnet(k3d.dockerSubnet, 'k3d.dockerSubnet');
  if (k3d.dockerGateway === undefined) return { subnet };
  const gateway = parseIpv4(k3d.dockerGateway);
  if (gateway === undefined || gateway <= subnet.first || gateway >= subnet.last) {
    throw new Error(`k3d.dockerGateway: ${shown(k3d.dockerGateway)} is not a host address of ${subnet.text}; use the Gateway docker network inspect shows, or run npm run pool`);
  }
  return { subnet, gateway };
}
