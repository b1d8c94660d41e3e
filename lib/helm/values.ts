// The values files of the releases: one per release, each a YAML mapping, none for a release that is not
// there. Messages name the file and the line, never its content: a values file may hold secrets, or be a
// link to a file that is not values at all.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MiB } from './bytes';
import { FileRefused, readRegularFile } from './regular-file';
import { describeYamlError } from './yaml-error';

/** Values files larger than this are refused; helm values are a few KiB. */
export const MAX_VALUES_FILE_BYTES = MiB;

const FIXES: Record<FileRefused['reason'], string> = {
  'missing': 'create it or remove it from the release',
  'unreadable': 'make it readable by this user',
  'not-a-file': 'a values file is a YAML file; put one there',
  'outside': 'a values file is a YAML file; put one there',
  'too-large': 'helm values are a few KiB; check that it is the right file',
  'changed': 'run again',
};

/** Reads a values file: a regular file, or a symlink to one, of at most `maxBytes`. Throws naming it. */
export function readValuesFile(file: string, maxBytes: number = MAX_VALUES_FILE_BYTES): Buffer {
  try {
    return readRegularFile(file, { maxBytes });
  } catch (e) {
    if (e instanceof FileRefused) throw new Error(`values file ${e.message}: ${FIXES[e.reason]}`);
    throw e;
  }
}

function what(content: unknown): string {
  if (Array.isArray(content)) return 'a list';
  if (typeof content === 'string') return 'a single string';
  return `a ${typeof content}`;
}

/** The values of a file's content (`{}` for an empty file), or its problem: a YAML error with its line, or content that is not a mapping. */
export function parseValues(file: string, content: Buffer | string): { values: Record<string, unknown> } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = yaml.load(content.toString(), { filename: file });
  } catch (e) {
    const { reason, line, column } = describeYamlError(e);
    return { problem: `${file}${line ? `:${line}:${column}` : ''}: the YAML does not parse: ${reason}` };
  }
  if (parsed === null || parsed === undefined) return { values: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: `${file}: holds ${what(parsed)}, not values; helm takes a mapping such as "key: value" (or {} for none)` };
  }
  return { values: parsed as Record<string, unknown> };
}

/** The problem of one values file, if any: one that cannot be read as a values file, does not parse, or is not a mapping. */
export function valuesFileProblem(file: string): string | undefined {
  let content: Buffer;
  try {
    content = readValuesFile(file);
  } catch (e) {
    return (e as Error).message;
  }
  const parsed = parseValues(file, content);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/**
 * Checks a folder of per-release values files (`<release>.yaml`) against the releases: each file parses
 * as a mapping, and each belongs to a release. Throws listing every problem.
 */
export function checkValuesDir(dir: string, releaseNames: readonly string[]): void {
  if (!fs.existsSync(dir)) throw new Error(`no values folder ${dir}: it holds one <release>.yaml per helm release (${releaseNames.join(', ')})`);
  const problems: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const release = name.replace(/\.ya?ml$/, '');
    if (!releaseNames.includes(release)) {
      problems.push(`${path.join(dir, name)}: no helm release is named "${release}", so nothing reads this file; the releases are ${releaseNames.join(', ')} (rename or remove it)`);
      continue;
    }
    const problem = valuesFileProblem(path.join(dir, name));
    if (problem) problems.push(problem);
  }
  for (const release of releaseNames) {
    const file = path.join(dir, `${release}.yaml`);
    if (!fs.existsSync(file) && !isSymlink(file)) problems.push(`${file}: missing; release "${release}" reads its values from it (write {} for none)`);
  }
  if (problems.length) throw new Error(`the helm values in ${dir} are not usable:\n${problems.join('\n')}`);
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The key paths under which `values` holds exactly `value`, e.g. `namespaceOverride` or `controller.namespace`:
 * how a message names the setting that put something where it is.
 */
export function keyPathsOf(values: unknown, value: string, at = ''): string[] {
  if (values === value) return [at];
  if (Array.isArray(values)) return values.flatMap((v, i) => keyPathsOf(v, value, `${at}[${i}]`));
  if (values !== null && typeof values === 'object') {
    return Object.entries(values).flatMap(([k, v]) => keyPathsOf(v, value, at ? `${at}.${k}` : k));
  }
  return [];
}
