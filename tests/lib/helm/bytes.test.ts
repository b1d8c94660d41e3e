import { formatBytes, MiB } from '../../../lib/helm/bytes';

describe('formatBytes', () => {
  test.each([
    [MiB, '1 MiB'], [256 * MiB, '256 MiB'], [1024, '1 KiB'], [64 * 1024, '64 KiB'], [MiB + 1024, '1025 KiB'],
    [MiB + 1, '1048577 bytes'], [1000, '1000 bytes'], [1023, '1023 bytes'], [1025, '1025 bytes'], [0, '0 bytes'], [1, '1 bytes'],
  ])('%d is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  test('a MiB is 2^20 bytes', () => {
    expect(MiB).toBe(1048576);
  });
});
