import * as fs from 'fs';
import * as path from 'path';
import { proposePool } from '../../config/docker-network';

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'docker', 'k3d-lab.json'), 'utf8'));
const network = (config: object, containers: object = {}) => [{ Name: 'k3d-test', IPAM: { Config: [config] }, Containers: containers }];

describe('proposePool', () => {
  test('a /24 gives its top 100 addresses, clear of the gateway and the containers Docker numbered from the bottom', () => {
    expect(proposePool(FIXTURE)).toEqual({ network: 'k3d-lab', subnet: '192.168.97.0/24', gateway: '192.168.97.1', range: '192.168.97.155-192.168.97.254' });
  });

  test('the tutorial\'s /16 gives the tutorial\'s pool, 172.25.1.1-172.25.1.100', () => {
    expect(proposePool(network({ Subnet: '172.25.0.0/16', Gateway: '172.25.0.1' })).range).toBe('172.25.1.1-172.25.1.100');
  });

  test('keeps clear of the IPRange Docker hands out from', () => {
    expect(proposePool(network({ Subnet: '10.0.0.0/16', Gateway: '10.0.0.1', IPRange: '10.0.0.0/23' })).range).toBe('10.0.255.155-10.0.255.254');
  });

  test('moves below a container that sits in the preferred block, and keeps the top when it is clear', () => {
    const busy = network({ Subnet: '192.168.97.0/24', Gateway: '192.168.97.1' }, { a: { Name: 'stray', IPv4Address: '192.168.97.200/24' } });
    expect(proposePool(busy, { count: 20 }).range).toBe('192.168.97.235-192.168.97.254');
    expect(proposePool(busy, { count: 100 }).range).toBe('192.168.97.100-192.168.97.199');
  });

  test('takes the IPv4 subnet of a dual-stack network and picks a network by name', () => {
    const nets = [
      { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } },
      { Name: 'k3d-dual', IPAM: { Config: [{ Subnet: 'fd00:1::/64' }, { Subnet: '172.30.0.0/24', Gateway: '172.30.0.1' }] } },
    ];
    expect(proposePool(nets, { network: 'k3d-dual', count: 10 })).toEqual({ network: 'k3d-dual', subnet: '172.30.0.0/24', gateway: '172.30.0.1', range: '172.30.0.245-172.30.0.254' });
  });

  test('fails when the subnet has no room, naming what is in the way and the fix', () => {
    expect(() => proposePool(network({ Subnet: '10.0.0.0/26', Gateway: '10.0.0.1' }))).toThrow(
      'network "k3d-test" (10.0.0.0/26) has no 100 free consecutive addresses clear of the network address, the broadcast address, the gateway: ask for fewer with --count');
  });

  test('never proposes a special-purpose block inside the subnet', () => {
    // 192.0.0.0/16 holds 192.0.0.0/24 (IETF) and 192.0.2.0/24 (TEST-NET-1): 300 addresses from 192.0.1.1 would reach into the latter.
    expect(proposePool(network({ Subnet: '192.0.0.0/16', Gateway: '192.0.0.1' }), { count: 300 }).range).toBe('192.0.254.211-192.0.255.254');
    expect(proposePool(network({ Subnet: '192.0.0.0/16', Gateway: '192.0.0.1' }), { count: 100 }).range).toBe('192.0.1.1-192.0.1.100');
  });

  test('keeps clear of the first host address when the input names no gateway: Docker gives it to the gateway', () => {
    expect(proposePool(network({ Subnet: '10.0.0.0/26' }), { count: 61 })).toEqual({ network: 'k3d-test', subnet: '10.0.0.0/26', range: '10.0.0.2-10.0.0.62' });
    expect(() => proposePool(network({ Subnet: '10.0.0.0/26' }), { count: 62 })).toThrow(
      'network "k3d-test" (10.0.0.0/26) has no 62 free consecutive addresses clear of the network address, the broadcast address, the gateway Docker gives the first host address: ask for fewer with --count');
  });

  test('fails on an IPAM.Config that is not a list, naming it', () => {
    expect(() => proposePool([{ Name: 'k3d-x', IPAM: { Config: { Subnet: '10.0.0.0/24' } } }])).toThrow(
      'network "k3d-x": IPAM.Config is {"Subnet":"10.0.0.0/24"}, not a list of subnets: pass the output of docker network inspect as it is');
  });

  test('fails on input that is not docker network inspect output, or lacks the network or an IPv4 subnet', () => {
    expect(() => proposePool({ foo: 1 } as unknown)).toThrow('network "(unnamed)" has no IPv4 subnet');
    expect(() => proposePool([1, 2])).toThrow('the input is not `docker network inspect` output');
    expect(() => proposePool(FIXTURE, { network: 'k3d-other' })).toThrow('network "k3d-other" is not in the input, which has "k3d-lab"');
    expect(() => proposePool(network({ Subnet: 'fd00::/64' }))).toThrow('network "k3d-test" has no IPv4 subnet in IPAM.Config');
  });
});

describe('proposePool: what the input must be', () => {
  const NOT_INSPECT = new Error('the input is not `docker network inspect` output: expected a JSON array of networks');

  test('fails on an empty list, a null network, or a list with anything but networks in it', () => {
    expect(() => proposePool([])).toThrow(NOT_INSPECT);
    expect(() => proposePool(null)).toThrow(NOT_INSPECT);
    expect(() => proposePool([network({ Subnet: '10.0.0.0/24' })[0], 1])).toThrow(NOT_INSPECT);
  });

  test('fails on several networks and no name, naming them; a missing name lists them all', () => {
    const nets = [network({ Subnet: '10.0.0.0/24' })[0], { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }];
    expect(() => proposePool(nets)).toThrow(new Error('the input has 2 networks (k3d-test, bridge): name one with --network'));
    expect(() => proposePool(nets, { network: 'k3d-lab' })).toThrow(new Error('network "k3d-lab" is not in the input, which has "k3d-test", "bridge"'));
    expect(proposePool(nets, { network: 'bridge' }).network).toBe('bridge');
  });

  test('fails on a network without IPAM, and cuts a long IPAM.Config that is not a list at 80 characters', () => {
    expect(() => proposePool([{ Name: 'k3d-x' }])).toThrow(new Error('network "k3d-x" has no IPv4 subnet in IPAM.Config: MetalLB\'s L2 mode needs one'));
    const config = { Subnet: '10.0.0.0/24', Gateway: '10.0.0.1', IPRange: '10.0.0.0/25', AuxiliaryAddresses: { host: '10.0.0.2' } };
    expect(() => proposePool([{ Name: 'k3d-x', IPAM: { Config: config } }])).toThrow(new Error(
      `network "k3d-x": IPAM.Config is ${JSON.stringify(config).slice(0, 80)}, not a list of subnets: pass the output of docker network inspect as it is`));
  });

  test('passes over IPAM entries with no subnet or one that is not text', () => {
    const nets = [{ Name: 'k3d-x', IPAM: { Config: [null, { Subnet: 5 }, { Subnet: '10.0.0.0/24', Gateway: '10.0.0.1' }] } }];
    expect(proposePool(nets, { count: 10 })).toEqual({ network: 'k3d-x', subnet: '10.0.0.0/24', gateway: '10.0.0.1', range: '10.0.0.245-10.0.0.254' });
  });

  test('fails on a subnet or an IPRange that is not a CIDR, naming the network and the field', () => {
    expect(() => proposePool(network({ Subnet: '10.0.0.0/33' }))).toThrow(new Error(
      'network "k3d-test" subnet: "10.0.0.0/33" is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16'));
    expect(() => proposePool(network({ Subnet: '10.0.0.0/24', IPRange: '10.0.0.0' }))).toThrow(new Error(
      'network "k3d-test" IPRange: "10.0.0.0" is not an IPv4 subnet; use a CIDR such as 172.25.0.0/16'));
  });

  test('passes over an empty IPRange, or one that is not text', () => {
    expect(proposePool(network({ Subnet: '10.0.0.0/24', IPRange: '' }), { count: 10 }).range).toBe('10.0.0.245-10.0.0.254');
    expect(proposePool(network({ Subnet: '10.0.0.0/24', IPRange: 5 }), { count: 10 }).range).toBe('10.0.0.245-10.0.0.254');
  });

  test('passes over containers with no IPv4 address', () => {
    const nets = network({ Subnet: '10.0.0.0/24' }, { a: null, b: { Name: 'v6', IPv6Address: 'fd00::2/64' }, c: { Name: 'odd', IPv4Address: 'none' } });
    expect(proposePool(nets, { count: 10 }).range).toBe('10.0.0.245-10.0.0.254');
  });
});

describe('proposePool: where the block goes', () => {
  test('a /23 is large enough for the block from x.y.1.1', () => {
    expect(proposePool(network({ Subnet: '10.0.0.0/23', Gateway: '10.0.0.1' })).range).toBe('10.0.1.1-10.0.1.100');
  });

  test('never proposes an address outside the subnet, even when every one inside is taken', () => {
    expect(() => proposePool(network({ Subnet: '10.0.0.5/32' }), { count: 1 })).toThrow(new Error(
      'network "k3d-test" (10.0.0.5/32) has no 1 free consecutive addresses clear of the network address, the broadcast address, the gateway Docker gives the first host address: ask for fewer with --count'));
  });

  test('the failure names every block in the way: special blocks, the range Docker hands out and the containers, named or not', () => {
    const nets = network({ Subnet: '192.0.2.0/25', Gateway: '192.0.2.1', IPRange: '192.0.2.0/28' },
      { a: { Name: 'stray', IPv4Address: '192.0.2.100/25' }, b: { IPv4Address: '192.0.2.101/25' } });
    expect(() => proposePool(nets, { count: 10 })).toThrow(new Error(
      'network "k3d-test" (192.0.2.0/25) has no 10 free consecutive addresses clear of the network address, the broadcast address, the gateway, ' +
      'the reserved for documentation (TEST-NET-1) block 192.0.2.0/24, the range Docker hands out, container stray, container : ask for fewer with --count'));
  });
});
