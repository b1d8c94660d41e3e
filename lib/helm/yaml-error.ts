import * as yaml from 'js-yaml';

/**
 * A YAML parse error as messages tell it: the reason and where, never the snippet of the file that
 * js-yaml's own message carries (the file may hold secrets, or be something else than YAML).
 */
export function describeYamlError(e: unknown): { reason: string; line?: number; column?: number } {
  if (e instanceof yaml.YAMLException) {
    return { reason: e.reason || 'invalid YAML', ...(e.mark ? { line: e.mark.line + 1, column: e.mark.column + 1 } : {}) };
  }
  return { reason: (e as Error).message.split('\n')[0] };
}
