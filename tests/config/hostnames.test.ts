import { checkHostname, isDnsLabel, isDnsName } from '../../config/hostnames';

describe('isDnsLabel', () => {
  test.each([
    ['a', true], ['jupyterhub-system', true], ['0', true], ['a1-b2', true], ['x'.repeat(63), true],
    ['', false], ['x'.repeat(64), false], ['-a', false], ['a-', false], ['A', false], ['a.b', false], ['a_b', false], ['ä', false],
    ['a\n', false], ['\na', false],
  ])('%j: %s', (name, ok) => {
    expect(isDnsLabel(name)).toBe(ok);
  });
});

describe('isDnsName', () => {
  const label63 = 'x'.repeat(63);
  const name253 = [label63, label63, label63, 'x'.repeat(61)].join('.');
  test.each([
    ['a', true], ['jupyterhub.example.it', true], ['a-1.b-2.c', true], [label63, true], [name253, true],
    ['', false], [`${name253}x`, false], ['x'.repeat(64), false], [`${'x'.repeat(64)}.it`, false], ['a..b', false], ['.a', false], ['a.', false],
    ['-a.b', false], ['a-.b', false], ['a.-b', false], ['a.b-', false], ['A.b', false], ['a.B', false], ['a_b.c', false], ['a b', false],
    ['a.b\n', false], ['*.example.it', false],
  ])('%j: %s', (name, ok) => {
    expect(name253).toHaveLength(253);
    expect(isDnsName(name)).toBe(ok);
  });
});

describe('checkHostname', () => {
  test('returns a DNS name as it is', () => {
    expect(checkHostname('nginx.example.it', 'hostname')).toBe('nginx.example.it');
  });

  test('names the setting, the value and the fix', () => {
    expect(() => checkHostname('Nginx.Example.it', 'jupyterhub hostname')).toThrow(
      new Error('invalid jupyterhub hostname "Nginx.Example.it": use a lowercase DNS name such as jupyterhub.example.it'));
  });
});
