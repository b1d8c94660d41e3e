import { helmTimeoutFrom } from '../../config/environment';
import { shown } from '../../lib/messages';

describe('helmTimeoutFrom', () => {
  test('reads HELM_TIMEOUT as whole seconds; unset or empty leaves the engine\'s default', () => {
    expect(helmTimeoutFrom({ HELM_TIMEOUT: '300' })).toBe(300);
    expect(helmTimeoutFrom({})).toBeUndefined();
    expect(helmTimeoutFrom({ HELM_TIMEOUT: '' })).toBeUndefined();
  });

  test.each(['0', '-5', '1.5', '2m', ' 120', '1e3', '9'.repeat(20), `${'9'.repeat(100)}x`])('fails on HELM_TIMEOUT=%j, naming the value and the fix', (value) => {
    expect(() => helmTimeoutFrom({ HELM_TIMEOUT: value })).toThrow(new Error(
      `HELM_TIMEOUT is ${shown(value)}: give the seconds helm may take for one release as a positive whole number, such as 120, or unset it`));
  });
});
