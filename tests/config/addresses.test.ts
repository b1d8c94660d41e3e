import { parseAddressRange, parseAddressRanges } from '../../config';

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
