import { carriesSecretData, renderFiles, renderOutputs } from '../../lib/output';
import { Phase, toYaml } from '../../lib';
import { loadAll } from '../helpers';

describe('renderFiles', () => {
  test('writes one file per phase with objects, in apply order, one object per document', () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    const files = renderFiles([
      { phase: Phase.FOUNDATIONS, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, path: 'a' },
      { phase: Phase.APPS, object: cm('x'), path: 'b' },
      { phase: Phase.APPS, object: cm('y'), path: 'c' },
    ]);
    expect([...files.keys()]).toEqual(['01-crds-namespaces/manifests.yaml', '04-apps/manifests.yaml']);
    expect(loadAll(files.get('04-apps/manifests.yaml')!).map((o) => o.metadata.name)).toEqual(['x', 'y']);
    expect(files.get('04-apps/manifests.yaml')).toMatch(/^# Phase 4: apps and routes\./);
  });

  test('keeps the objects\' key order, quotes YAML 1.1 booleans and does not fold long lines', () => {
    const text = toYaml({ kind: 'K', apiVersion: 'v1', data: { a: 'yes', b: 'x'.repeat(200), c: 'line1\nline2\n' } });
    expect(text.split('\n')[0]).toBe('kind: K');
    expect(text).toContain('a: "yes"');
    expect(text).toContain(`b: ${'x'.repeat(200)}\n`);
    expect(text).toContain('c: |\n');
  });
});

describe('renderOutputs', () => {
  const secret = (name: string, data?: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, ...(data ? { data } : {}) });

  test('Secrets that carry values go to their own files; empty placeholder Secrets stay', () => {
    const outputs = renderOutputs([
      { phase: Phase.CONTROLLERS, object: secret('placeholder'), path: 'a' },
      { phase: Phase.CONTROLLERS, object: secret('token', { token: 'c2VjcmV0' }), path: 'b' },
      { phase: Phase.APPS, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } }, path: 'c' },
    ]);
    expect([...outputs.manifests.keys()]).toEqual(['02-controllers/manifests.yaml', '04-apps/manifests.yaml']);
    expect(outputs.manifests.get('02-controllers/manifests.yaml')).toContain('name: placeholder');
    expect([...outputs.secrets.keys()]).toEqual(['02-controllers/manifests.yaml']);
    expect(loadAll(outputs.secrets.get('02-controllers/manifests.yaml')!).map((o) => o.metadata.name)).toEqual(['token']);
  });

  test('stringData counts as values too', () => {
    expect(carriesSecretData({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } })).toBe(true);
    expect(carriesSecretData({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: {} })).toBe(false);
  });
});
