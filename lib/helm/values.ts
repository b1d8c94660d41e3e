// The values files of the releases: one per release, each a YAML mapping, none for a release that is not there.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** Problems with one values file: a YAML error with its line, or content that is not a mapping. */
export function valuesFileProblem(file: string): string | undefined {
  let content: unknown;
  try {
    content = yaml.load(fs.readFileSync(file, 'utf8'), { filename: file });
  } catch (e) {
    const err = e as yaml.YAMLException;
    const where = err.mark ? `${file}:${err.mark.line + 1}:${err.mark.column + 1}` : file;
    return `${where}: the YAML does not parse: ${err.reason ?? err.message.split('\n')[0]}`;
  }
  if (content !== null && content !== undefined && (typeof content !== 'object' || Array.isArray(content))) {
    return `${file}: holds ${Array.isArray(content) ? 'a list' : JSON.stringify(content)}, not values; helm takes a mapping such as "key: value" (or {} for none)`;
  }
  return undefined;
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
    if (!fs.existsSync(path.join(dir, `${release}.yaml`))) problems.push(`${path.join(dir, `${release}.yaml`)}: missing; release "${release}" reads its values from it (write {} for none)`);
  }
  if (problems.length) throw new Error(`the helm values in ${dir} are not usable:\n${problems.join('\n')}`);
}
