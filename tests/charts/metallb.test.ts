import { MetalLb } from '../../charts/metallb';
import { app, lock } from './helpers';

describe('MetalLb', () => {
  test('the tutorial\'s pool and advertisement, in metallb-system, the advertisement referencing the pool', () => {
    const m = new MetalLb(app(), 'metallb', { lock: lock() });
    expect(m.pool.toJson()).toEqual({
      apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool',
      metadata: { name: 'ip-pool', namespace: 'metallb-system' },
      spec: { addresses: ['172.25.1.1-172.25.1.100'] },
    });
    expect(m.l2Advertisement.toJson()).toEqual({
      apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement',
      metadata: { name: 'l2advertise', namespace: 'metallb-system' },
      spec: { ipAddressPools: ['ip-pool'] },
    });
  });

  test('installs chart metallb 0.16.1 as release metallb with its values file', () => {
    const m = new MetalLb(app(), 'metallb', { lock: lock(), namespace: 'lb' });
    expect(m.release.request).toMatchObject({ releaseName: 'metallb', namespace: 'lb', chart: { chart: 'metallb', version: '0.16.1' } });
    expect(m.release.request.valuesFiles).toEqual([expect.stringMatching(/helm-values\/metallb\.yaml$/)]);
  });

  test('fails on a reversed address range', () => {
    expect(() => new MetalLb(app(), 'metallb', { lock: lock(), addresses: ['172.25.1.100-172.25.1.1'] })).toThrow('start is after end');
  });

  test('fails on a namespace that is not a DNS label', () => {
    expect(() => new MetalLb(app(), 'metallb', { lock: lock(), namespace: 'MetalLB_System' })).toThrow('invalid namespace "MetalLB_System": use a DNS label');
  });
});
