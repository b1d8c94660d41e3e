import { checkPoolAddresses, dockerNetworkBounds, formatIpv4, parseAddressRange, parseAddressRanges, parseIpv4, parseSubnet } from '../../config/addresses';

describe('address ranges', () => {
  test('parses a range and a CIDR into their bounds', () => {
    expect(parseAddressRange('172.25.1.1-172.25.1.100')).toEqual({ text: '172.25.1.1-172.25.1.100', first: 0xac190101, last: 0xac190164 });
    expect(parseAddressRange('10.0.0.0/30')).toEqual({ text: '10.0.0.0/30', first: 0x0a000000, last: 0x0a000003 });
  });

  test.each([
    ['10.0.0.9-10.0.0.1', 'invalid address range "10.0.0.9-10.0.0.1": start is after end; write it as "10.0.0.1-10.0.0.9"'],
    ['10.0.0.300-10.0.1.1', 'invalid address range "10.0.0.300-10.0.1.1": not two IPv4 addresses'],
    ['10.0.0.1/33', 'invalid address range "10.0.0.1/33": not an IPv4 CIDR'],
    ['10.0.0.1/24', 'invalid address range "10.0.0.1/24": 10.0.0.1 is not the first address of a /24'],
    ['pool', 'invalid address range "pool": use "first-last"'],
  ])('fails on %s', (text, message) => {
    expect(() => parseAddressRange(text)).toThrow(message);
  });

  test('fails on overlapping ranges and on an empty pool', () => {
    expect(() => parseAddressRanges(['10.0.0.1-10.0.0.10', '10.0.0.0/28'])).toThrow('"10.0.0.0/28" and "10.0.0.1-10.0.0.10" overlap');
    expect(() => parseAddressRanges([])).toThrow('invalid address pool: no addresses');
  });
});

describe('checkPoolAddresses', () => {
  const check = (ranges: string[], subnet?: string, gateway?: string) =>
    () => checkPoolAddresses(parseAddressRanges(ranges), dockerNetworkBounds({ dockerSubnet: subnet, dockerGateway: gateway }));
  const fix = 'not an address a LoadBalancer can answer on; use unicast addresses of your network, e.g. 172.25.1.1-172.25.1.100, or run npm run pool';

  test.each([
    ['0.0.0.0/0', `"0.0.0.0/0" holds 0.0.0.0, which is unspecified ("this network") (0.0.0.0/8), ${fix}`],
    ['127.0.0.1-127.0.0.9', `"127.0.0.1-127.0.0.9" holds 127.0.0.1, which is loopback (127.0.0.0/8), ${fix}`],
    ['169.254.10.0/28', `"169.254.10.0/28" holds 169.254.10.0, which is link-local (169.254.0.0/16), ${fix}`],
    ['224.0.0.0/28', `"224.0.0.0/28" holds 224.0.0.0, which is multicast (224.0.0.0/4), ${fix}`],
    ['255.255.255.255/32', `"255.255.255.255/32" holds 255.255.255.255, which is reserved (240.0.0.0/4, with the broadcast address 255.255.255.255) (240.0.0.0/4), ${fix}`],
    ['192.0.2.10-192.0.2.20', `"192.0.2.10-192.0.2.20" holds 192.0.2.10, which is reserved for documentation (TEST-NET-1) (192.0.2.0/24), ${fix}`],
    ['10.0.0.250-10.0.1.5', undefined],
    ['126.255.255.200-127.0.0.3', `"126.255.255.200-127.0.0.3" holds 127.0.0.0, which is loopback (127.0.0.0/8), ${fix}`],
  ])('%s', (range, message) => {
    if (message) expect(check([range])).toThrow(message);
    else expect(check([range])).not.toThrow();
  });

  test('inside a known Docker network: not outside it, not its network or broadcast address, not its gateway', () => {
    expect(check(['192.168.97.155-192.168.97.254'], '192.168.97.0/24', '192.168.97.1')).not.toThrow();
    expect(check(['192.168.97.0/28'], '192.168.97.0/24')).toThrow('"192.168.97.0/28" holds 192.168.97.0, the network address of the Docker network 192.168.97.0/24');
    expect(check(['192.168.97.250-192.168.97.255'], '192.168.97.0/24')).toThrow('"192.168.97.250-192.168.97.255" holds 192.168.97.255, the broadcast address');
    expect(check(['192.168.97.1-192.168.97.9'], '192.168.97.0/24')).toThrow('"192.168.97.1-192.168.97.9" holds 192.168.97.1, the gateway of the Docker network 192.168.97.0/24');
    expect(check(['192.168.97.100-192.168.97.120'], '192.168.97.0/24', '192.168.97.110')).toThrow('holds 192.168.97.110, the gateway');
    expect(check(['192.168.98.1-192.168.98.9'], '192.168.97.0/24')).toThrow('"192.168.98.1-192.168.98.9" is outside the Docker network\'s subnet 192.168.97.0/24 (k3d.dockerSubnet), so its addresses are unreachable; use addresses from 192.168.97.1 to 192.168.97.254, or run npm run pool');
  });

  test('fails on a gateway that is not a host address of the subnet', () => {
    expect(check(['192.168.97.155-192.168.97.254'], '192.168.97.0/24', '10.0.0.1')).toThrow(
      'k3d.dockerGateway: "10.0.0.1" is not a host address of 192.168.97.0/24; use the Gateway docker network inspect shows, or run npm run pool');
  });

  test('a runaway value is cut in the message', () => {
    expect(() => parseAddressRange('x'.repeat(100000))).toThrow(/^invalid address range "x{79}… \(100002 characters\): use "first-last"/);
  });
});

describe('address ranges, the edges', () => {
  test('takes octet 255 and 0, a /32 and a /0, and a single-address range', () => {
    expect(parseAddressRange('10.255.255.255-10.255.255.255')).toEqual({ text: '10.255.255.255-10.255.255.255', first: 0x0affffff, last: 0x0affffff });
    expect(parseAddressRange('10.0.0.7/32')).toEqual({ text: '10.0.0.7/32', first: 0x0a000007, last: 0x0a000007 });
    expect(parseAddressRange('0.0.0.0/0')).toEqual({ text: '0.0.0.0/0', first: 0, last: 0xffffffff });
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('0.0.0.0')).toBe(0);
  });

  test.each([
    ['10.0.0-10.0.1', 'not two IPv4 addresses'], ['10.0.0.1.2-10.0.0.3', 'not two IPv4 addresses'], ['10.0.0.256-10.0.0.257', 'not two IPv4 addresses'],
    ['10.0.0.01-10.0.0.2', 'not two IPv4 addresses'], ['10.0.0.-1-10.0.0.2', 'use "first-last"'], ['10.0.0/24', 'not an IPv4 CIDR'],
    ['10.0.0.0/', 'use "first-last"'], ['10.0.0.0/123', 'use "first-last"'], [' 10.0.0.1-10.0.0.2', 'use "first-last"'],
  ])('fails on %s', (text, message) => {
    expect(() => parseAddressRange(text)).toThrow(`invalid address range ${JSON.stringify(text)}: ${message}`);
  });

  test('ranges that touch or are apart are disjoint; ranges that share one address overlap, whatever their order', () => {
    expect(parseAddressRanges(['10.0.0.1-10.0.0.10', '10.0.0.11-10.0.0.20', '10.0.1.0/24']).map((r) => r.text)).toEqual(['10.0.0.1-10.0.0.10', '10.0.0.11-10.0.0.20', '10.0.1.0/24']);
    expect(() => parseAddressRanges(['10.0.0.11-10.0.0.20', '10.0.0.1-10.0.0.11'])).toThrow(
      new Error('invalid address pool: "10.0.0.1-10.0.0.11" and "10.0.0.11-10.0.0.20" overlap; make the ranges disjoint'));
  });

  test('a subnet is parsed with its bounds, and must start its block', () => {
    expect(parseSubnet('192.168.97.0/24', 's')).toEqual({ text: '192.168.97.0/24', first: 0xc0a86100, last: 0xc0a861ff, bits: 24 });
    expect(() => parseSubnet('192.168.97.1/24', 'k3d.dockerSubnet')).toThrow(new Error('k3d.dockerSubnet: "192.168.97.1/24" does not start its /24; use 192.168.97.0/24'));
    expect(() => parseSubnet('192.168.97.0', 'k3d.dockerSubnet')).toThrow(new Error('k3d.dockerSubnet: "192.168.97.0" is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16'));
    expect(formatIpv4(0xc0a861ff)).toBe('192.168.97.255');
  });
});

describe('subnets, the edges', () => {
  const notASubnet = (text: string) => new Error(`k3d.dockerSubnet: ${JSON.stringify(text)} is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16`);

  test('takes a prefix of 0 and of 32', () => {
    expect(parseSubnet('0.0.0.0/0', 'k3d.dockerSubnet')).toEqual({ text: '0.0.0.0/0', first: 0, last: 0xffffffff, bits: 0 });
    expect(parseSubnet('10.0.0.7/32', 'k3d.dockerSubnet')).toEqual({ text: '10.0.0.7/32', first: 0x0a000007, last: 0x0a000007, bits: 32 });
  });

  test.each(['10.0.0.0/33', '10.0.0.0/99', '10.0.0.0/-1', '10.0.0.0/243', '10.0.0.0/24x', ' 10.0.0.0/24', '10.0.0.0/24 ', 'x/10.0.0.0/24', '10.0.0.0/24/24', '10.0.0.256/24', '10.0.0.0/'])(
    'refuses %j, naming the setting', (text) => {
      expect(() => parseSubnet(text, 'k3d.dockerSubnet')).toThrow(notASubnet(text));
    });

  test('dockerNetworkBounds names k3d.dockerSubnet when the subnet is malformed, and knows no network without one', () => {
    expect(() => dockerNetworkBounds({ dockerSubnet: '192.168.97.0/33' })).toThrow(notASubnet('192.168.97.0/33'));
    expect(dockerNetworkBounds({})).toBeUndefined();
    expect(dockerNetworkBounds({ dockerSubnet: '192.168.97.0/24' })).toEqual({ subnet: { text: '192.168.97.0/24', first: 0xc0a86100, last: 0xc0a861ff, bits: 24 } });
  });
});

describe('address ranges, text around a CIDR', () => {
  test.each([' 10.0.0.0/24', 'x10.0.0.0/24 ', '10.0.0.0/24 ', '10.0.0.0/24x', 'a/10.0.0.0/24'])('refuses %j', (text) => {
    expect(() => parseAddressRange(text)).toThrow(new Error(
      `invalid address range ${JSON.stringify(text)}: use "first-last" (e.g. 172.25.1.1-172.25.1.100) or a CIDR (e.g. 172.25.1.0/24)`));
  });
});

describe('checkPoolAddresses, every special-purpose block', () => {
  const fix = 'not an address a LoadBalancer can answer on; use unicast addresses of your network, e.g. 172.25.1.1-172.25.1.100, or run npm run pool';
  const check = (range: string) => () => checkPoolAddresses(parseAddressRanges([range]));

  test.each([
    ['192.0.0.0/28', '192.0.0.0', 'reserved for IETF protocol assignments (192.0.0.0/24)'],
    ['192.0.2.0/24', '192.0.2.0', 'reserved for documentation (TEST-NET-1) (192.0.2.0/24)'],
    ['198.51.100.7-198.51.100.9', '198.51.100.7', 'reserved for documentation (TEST-NET-2) (198.51.100.0/24)'],
    ['203.0.113.128/25', '203.0.113.128', 'reserved for documentation (TEST-NET-3) (203.0.113.0/24)'],
    ['0.0.0.0/32', '0.0.0.0', 'unspecified ("this network") (0.0.0.0/8)'],
    ['169.254.255.255/32', '169.254.255.255', 'link-local (169.254.0.0/16)'],
    ['239.255.255.255/32', '239.255.255.255', 'multicast (224.0.0.0/4)'],
    ['240.0.0.0/32', '240.0.0.0', 'reserved (240.0.0.0/4, with the broadcast address 255.255.255.255) (240.0.0.0/4)'],
  ])('%s is refused, naming the block', (range, at, what) => {
    expect(check(range)).toThrow(new Error(`"${range}" holds ${at}, which is ${what}, ${fix}`));
  });

  test('a range that reaches a block\'s first or last address by one address is refused; one that stops next to it is not', () => {
    expect(check('126.255.255.250-127.0.0.0')).toThrow(new Error(`"126.255.255.250-127.0.0.0" holds 127.0.0.0, which is loopback (127.0.0.0/8), ${fix}`));
    expect(check('127.255.255.255-128.0.0.5')).toThrow(new Error(`"127.255.255.255-128.0.0.5" holds 127.255.255.255, which is loopback (127.0.0.0/8), ${fix}`));
    expect(check('126.255.255.250-126.255.255.255')).not.toThrow();
    expect(check('128.0.0.0-128.0.0.5')).not.toThrow();
    expect(check('198.51.99.0-198.51.99.255')).not.toThrow();
    expect(check('198.51.101.0/24')).not.toThrow();
    expect(check('223.255.255.255/32')).not.toThrow();
  });
});

describe('checkPoolAddresses inside a Docker network, the edges', () => {
  const check = (ranges: string[], subnet: string, gateway?: string) =>
    () => checkPoolAddresses(parseAddressRanges(ranges), dockerNetworkBounds({ dockerSubnet: subnet, dockerGateway: gateway }));
  const outside = (range: string) => new Error(`"${range}" is outside the Docker network's subnet 192.168.97.0/24 (k3d.dockerSubnet), so its addresses are unreachable; ` +
    'use addresses from 192.168.97.1 to 192.168.97.254, or run npm run pool');

  test('a range below, above or across either end of the subnet is outside it', () => {
    for (const range of ['192.168.96.10-192.168.96.20', '192.168.98.10-192.168.98.20', '192.168.96.250-192.168.97.5', '192.168.97.250-192.168.98.5']) {
      expect(check([range], '192.168.97.0/24')).toThrow(outside(range));
    }
  });

  test('a range that holds the network, broadcast or gateway address is refused with the whole message', () => {
    expect(check(['192.168.97.0-192.168.97.5'], '192.168.97.0/24', '192.168.97.254')).toThrow(new Error(
      '"192.168.97.0-192.168.97.5" holds 192.168.97.0, the network address of the Docker network 192.168.97.0/24; leave it out of the pool, or run npm run pool to propose a free block'));
    expect(check(['192.168.97.250-192.168.97.255'], '192.168.97.0/24')).toThrow(new Error(
      '"192.168.97.250-192.168.97.255" holds 192.168.97.255, the broadcast address of the Docker network 192.168.97.0/24; leave it out of the pool, or run npm run pool to propose a free block'));
    expect(check(['192.168.97.200-192.168.97.254'], '192.168.97.0/24', '192.168.97.254')).toThrow(new Error(
      '"192.168.97.200-192.168.97.254" holds 192.168.97.254, the gateway of the Docker network 192.168.97.0/24; leave it out of the pool, or run npm run pool to propose a free block'));
  });

  test('the gateway may be the first or the last host address, not the network or broadcast address nor outside the subnet', () => {
    const subnet = { text: '192.168.97.0/24', first: 0xc0a86100, last: 0xc0a861ff, bits: 24 };
    expect(dockerNetworkBounds({ dockerSubnet: '192.168.97.0/24', dockerGateway: '192.168.97.1' })).toEqual({ subnet, gateway: 0xc0a86101 });
    expect(dockerNetworkBounds({ dockerSubnet: '192.168.97.0/24', dockerGateway: '192.168.97.254' })).toEqual({ subnet, gateway: 0xc0a861fe });
    for (const gateway of ['192.168.97.0', '192.168.97.255', '192.168.96.255', '192.168.98.0', 'gateway']) {
      expect(() => dockerNetworkBounds({ dockerSubnet: '192.168.97.0/24', dockerGateway: gateway })).toThrow(new Error(
        `k3d.dockerGateway: "${gateway}" is not a host address of 192.168.97.0/24; use the Gateway docker network inspect shows, or run npm run pool`));
    }
  });

  test('with a gateway elsewhere, the subnet\'s first host address may be in the pool', () => {
    expect(check(['192.168.97.1-192.168.97.9'], '192.168.97.0/24', '192.168.97.254')).not.toThrow();
  });
});
