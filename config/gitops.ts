// The checks of the gitops settings a schema cannot make: the repository URL, the revision (a Git
// reference name), the output's path in the repository, the object names and the durations.
import { shown } from '../lib/messages';
import type { CoreSettings } from './core';
import { isDnsLabel, isDnsName } from './hostnames';
import { ConfigProblem, problemList } from './problems';

type GitOpsSettings = CoreSettings['gitops'];

const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;
const URL_EXAMPLES = 'use https://host/path.git, ssh://git@host/path.git or git@host:path.git';

/** Throws unless `url` is a Git URL Argo CD and Flux both fetch (Flux: no scp-like form), without credentials. */
export function checkRepoURL(url: string, engine: GitOpsSettings['engine']): void {
  if (/\s/.test(url)) throw new Error(`${shown(url)} holds a space or line break; ${URL_EXAMPLES}`);
  const scp = SCP_LIKE.exec(url);
  if (scp) {
    if (engine === 'flux') {
      throw new Error(`${shown(url)} is an scp-like address, which Flux's GitRepository does not take; write it as ssh://${scp[1]}@${scp[2]}/${scp[3].replace(/^\//, '')}`);
    }
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${shown(url)} is not a Git URL; ${URL_EXAMPLES}`);
  }
  if (parsed.protocol === 'http:') throw new Error(`${shown(url)} is plain HTTP; use https:// (or ssh://)`);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'ssh:') throw new Error(`${shown(url)} is a ${parsed.protocol} URL, not a Git repository's; ${URL_EXAMPLES}`);
  if (parsed.password || (parsed.protocol === 'https:' && parsed.username)) {
    throw new Error(`${shown(url.replace(/\/\/[^@/]*@/, '//…@'))} holds credentials, which do not belong in platform.yaml: remove them and give ${engine === 'flux' ? 'Flux' : 'Argo CD'} its own (a repository Secret)`);
  }
  if (!parsed.hostname || parsed.pathname.replace(/\/+$/, '') === '') throw new Error(`${shown(url)} names no repository on ${shown(parsed.hostname)}; ${URL_EXAMPLES}`);
  if (parsed.search || parsed.hash) throw new Error(`${shown(url)} has a query or fragment, which Git URLs do not; ${URL_EXAMPLES}`);
}

/** Throws unless `revision` is a branch or tag name by `git check-ref-format`'s rules. */
export function checkRevision(revision: string): void {
  const bad = (why: string) => new Error(`${shown(revision)} is not a branch or tag name: ${why}; use one such as main or v1.4.0`);
  if (revision === '' || revision === '@') throw bad('it is empty or "@"');
  // eslint-disable-next-line no-control-regex
  const char = /[\x00-\x20\x7f~^:?*[\\]/.exec(revision);
  if (char) throw bad(`it holds ${char[0] === ' ' ? 'a space' : JSON.stringify(char[0])}`);
  const sequence = ['..', '@{', '//'].find((x) => revision.includes(x));
  if (sequence) throw bad(`it holds "${sequence}"`);
  if (/^[-/]/.test(revision)) throw bad(`it starts with "${revision[0]}"`);
  if (/[/.]$/.test(revision)) throw bad(`it ends with "${revision[revision.length - 1]}"`);
  if (revision.split('/').some((c) => c.startsWith('.') || c.endsWith('.lock'))) throw bad('a part of it starts with "." or ends with ".lock"');
}

/** Throws unless `p` is a relative, "/"-separated path inside a repository ("." for its root). */
export function checkRepoPath(p: string): void {
  if (p === '.') return;
  const parts = p.split('/');
  if (p.startsWith('/') || p.includes('\\') || parts.some((x) => x === '' || x === '.' || x === '..') || /[\x00-\x1f]/.test(p)) {
    const tidy = parts.filter((x) => x !== '' && x !== '.' && x !== '..').join('/') || '.';
    throw new Error(`${shown(p)} is not a path inside the repository: give it relative, with "/" between folders and no "", "." or ".." part, e.g. ${shown(tidy)}`);
  }
}

/** The longest suffix a phase adds to a name: `-03-custom-resources`. */
const PHASE_SUFFIX = '-03-custom-resources'.length;

/** Throws unless `name` with a phase's suffix is still a DNS label (Flux and Argo CD put it in a label). */
export function checkObjectName(name: string, example: string): void {
  if (!isDnsLabel(name) || name.length > 63 - PHASE_SUFFIX) {
    throw new Error(`${shown(name)} is not a name the phases can extend: use lowercase letters, digits and "-", at most ${63 - PHASE_SUFFIX} characters ` +
      `(<name>-03-custom-resources must stay a 63-character label), e.g. ${example}`);
  }
}

/** Go's duration in milliseconds (the schema's pattern has checked the form). */
const durationMs = (d: string) => [...d.matchAll(/([0-9.]+)(ms|s|m|h)/g)]
  .reduce((sum, [, n, unit]) => sum + Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'], 0);

function destinationProblems(destination: NonNullable<GitOpsSettings['argocd']['destination']>): ConfigProblem[] {
  const at = ['argocd', 'destination'];
  const { server, name } = destination;
  if ((server === undefined) === (name === undefined)) {
    return [{ setting: at, message: `${server === undefined ? 'gives neither server nor name' : 'gives both server and name'}; give one: server: https://kubernetes.default.svc, or name: in-cluster` }];
  }
  if (server !== undefined && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(server)) {
    return [{ setting: [...at, 'server'], message: `${shown(server)} is not a cluster's API URL; use one such as https://kubernetes.default.svc` }];
  }
  if (name !== undefined && !/^\S+$/.test(name)) return [{ setting: [...at, 'name'], message: `${shown(name)} is not a cluster name as Argo CD registers it, e.g. in-cluster` }];
  return [];
}

/** Every problem of the gitops settings, at settings under `gitops`; `engine` none checks what is set, but needs no repository. */
export function gitopsProblems(g: GitOpsSettings): ConfigProblem[] {
  const { problems, check } = problemList();
  if (g.repoURL !== undefined) check(['repoURL'], () => checkRepoURL(g.repoURL!, g.engine));
  else if (g.engine !== 'none') {
    problems.push({ setting: ['repoURL'], message: `is required with gitops.engine "${g.engine}": set the URL of the repository dist/ is committed to, e.g. https://git.example.com/fleet.git` });
  }
  check(['revision'], () => checkRevision(g.revision));
  check(['path'], () => checkRepoPath(g.path));
  for (const [engine, ns] of [['argocd', g.argocd.namespace], ['flux', g.flux.namespace]] as const) {
    if (!isDnsLabel(ns)) problems.push({ setting: [engine, 'namespace'], message: `${shown(ns)} is not a DNS label; use lowercase letters, digits and "-", e.g. ${engine === 'flux' ? 'flux-system' : 'argocd'}` });
  }
  check(['argocd', 'project'], () => checkObjectName(g.argocd.project, 'ml-platform'));
  check(['flux', 'gitRepository'], () => checkObjectName(g.flux.gitRepository, 'ml-platform'));
  if (g.argocd.destination) problems.push(...destinationProblems(g.argocd.destination));
  if (g.flux.secretRef !== undefined && !isDnsName(g.flux.secretRef)) {
    problems.push({ setting: ['flux', 'secretRef'], message: `${shown(g.flux.secretRef)} is not a Secret name; use lowercase letters, digits, "-" and ".", e.g. flux-git-auth` });
  }
  for (const key of ['interval', 'timeout'] as const) {
    if (durationMs(g.flux[key]) < 1000) problems.push({ setting: ['flux', key], message: `${shown(g.flux[key])} is shorter than a second; use one such as 10m` });
  }
  return problems;
}
