import * as yaml from 'js-yaml';
import { describeYamlError } from '../../../lib/helm/yaml-error';

function errorOf(text: string): unknown {
  try {
    yaml.load(text);
  } catch (e) {
    return e;
  }
  throw new Error(`${JSON.stringify(text)} parses`);
}

describe('describeYamlError', () => {
  test('gives the reason and the line and column from 1, never the snippet of the text', () => {
    const e = errorOf('a: 1\nb: [secret-value\n');
    const described = describeYamlError(e);
    expect(described).toEqual({ reason: 'unexpected end of the stream within a flow collection', line: 3, column: 1 });
    expect(JSON.stringify(described)).not.toContain('secret-value');
  });

  test('a YAML error without a place gives its reason alone; one without a reason says the YAML is invalid', () => {
    expect(describeYamlError(new yaml.YAMLException('bad thing'))).toEqual({ reason: 'bad thing' });
    expect(describeYamlError(new yaml.YAMLException(''))).toEqual({ reason: 'invalid YAML' });
  });

  test('another error gives the first line of its message', () => {
    expect(describeYamlError(new Error('first line\nsecond line'))).toEqual({ reason: 'first line' });
  });
});
