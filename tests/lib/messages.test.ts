import { shown } from '../../lib/messages';

describe('shown', () => {
  test('shows a value as JSON', () => {
    expect(shown('a')).toBe('"a"');
    expect(shown(42)).toBe('42');
    expect(shown({ a: [1] })).toBe('{"a":[1]}');
    expect(shown(undefined)).toBe('undefined');
  });

  test('cuts a value longer than the limit, saying its length; a value at the limit stays whole', () => {
    expect(shown('a'.repeat(80))).toBe(`"${'a'.repeat(80)}"`);
    expect(shown('a'.repeat(81))).toBe(`"${'a'.repeat(79)}… (83 characters)`);
    expect(shown('abcdef', 4)).toBe('"abc… (8 characters)');
    expect(shown('abcd', 4)).toBe('"abcd"');
  });
});
