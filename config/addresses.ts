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
    if (first === undefined || last === undefined) throw new Error(`invalid address range "${text}": not two IPv4 addresses; ${fix}`);
    if (first > last) throw new Error(`invalid address range "${text}": start is after end; write it as "${range[2]}-${range[1]}"`);
    return { text, first, last };
  }
  const cidr = /^([^/\s]+)\/(\d{1,2})$/.exec(text);
  if (cidr) {
    const base = parseIpv4(cidr[1]);
    const bits = Number(cidr[2]);
    if (base === undefined || bits > 32) throw new Error(`invalid address range "${text}": not an IPv4 CIDR; ${fix}`);
    const size = 2 ** (32 - bits);
    if (base % size !== 0) throw new Error(`invalid address range "${text}": ${cidr[1]} is not the first address of a /${bits}; ${fix}`);
    return { text, first: base, last: base + size - 1 };
  }
  throw new Error(`invalid address range "${text}": ${fix}`);
}

/** Parses a pool's ranges and refuses an empty pool or overlapping ranges. */
export function parseAddressRanges(texts: readonly string[]): AddressRange[] {
  if (texts.length === 0) throw new Error('invalid address pool: no addresses; give at least one range, e.g. 172.25.1.1-172.25.1.100');
  const ranges = texts.map(parseAddressRange);
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].first <= sorted[i - 1].last) {
      throw new Error(`invalid address pool: "${sorted[i - 1].text}" and "${sorted[i].text}" overlap; make the ranges disjoint`);
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
  if (base === undefined || !(bits >= 0 && bits <= 32)) throw new Error(`${what}: "${text}" is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16`);
  const size = 2 ** (32 - bits);
  if (base % size !== 0) throw new Error(`${what}: "${text}" does not start its /${bits}; use ${formatIpv4(base - (base % size))}/${bits}`);
  return { text, first: base, last: base + size - 1, bits };
}
