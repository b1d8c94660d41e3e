import { checkRepoPath, checkRepoURL, checkRevision, gitopsProblems } from '../../config/gitops';
import { CORE_DEFAULTS } from '../../config/core';

describe('the gitops settings', () => {
  test('accepts the Git URLs both controllers fetch, and scp-like addresses for Argo CD', () => {
    for (const url of ['https://git.example.com/fleet.git', 'https://git.example.com:8443/org/fleet', 'ssh://git@git.example.com/org/fleet.git', 'ssh://git@git.example.com:2222/fleet']) {
      expect(() => checkRepoURL(url, 'flux')).not.toThrow();
    }
    expect(() => checkRepoURL('git@github.com:acme/fleet.git', 'argocd')).not.toThrow();
  });

  test('fails on credentials in an ssh:// URL too, and on a URL that names no repository', () => {
    expect(() => checkRepoURL('ssh://git:pw@git.example.com/fleet.git', 'flux')).toThrow('"ssh://…@git.example.com/fleet.git" holds credentials');
    expect(() => checkRepoURL('https://git.example.com/', 'argocd')).toThrow('"https://git.example.com/" names no repository on "git.example.com"');
    expect(() => checkRepoURL('file:///srv/fleet.git', 'argocd')).toThrow('"file:///srv/fleet.git" is a file: URL, not a Git repository\'s');
  });

  test('accepts branch and tag names git accepts, and refuses what git check-ref-format refuses', () => {
    for (const r of ['main', 'v1.4.0', 'release/2024-q1', 'refs/tags/v1.4.0', 'feature_x']) expect(() => checkRevision(r)).not.toThrow();
    const refused: Array<[string, string]> = [
      ['', 'it is empty'], ['@', 'it is empty or "@"'], ['a~1', 'it holds "~"'], ['a:b', 'it holds ":"'], ['a@{1}', 'it holds "@{"'], ['a//b', 'it holds "//"'],
      ['main/', 'it ends with "/"'], ['main.', 'it ends with "."'], ['/main', 'it starts with "/"'], ['a/.b', 'a part of it starts with "." or ends with ".lock"'],
      ['a.lock', 'a part of it starts with "." or ends with ".lock"'], ['a\tb', 'it holds "\\t"'],
    ];
    for (const [r, why] of refused) expect(() => checkRevision(r)).toThrow(why);
  });

  test('accepts a relative path and "." for the repository\'s root', () => {
    for (const p of ['.', 'dist', 'clusters/lab/dist']) expect(() => checkRepoPath(p)).not.toThrow();
    for (const p of ['', 'dist/', './dist', 'a//b', 'a\\b']) expect(() => checkRepoPath(p)).toThrow('is not a path inside the repository');
  });

  test('the defaults have no problem, and need no repository while the engine is none', () => {
    expect(gitopsProblems(CORE_DEFAULTS.gitops)).toEqual([]);
    expect(gitopsProblems({ ...CORE_DEFAULTS.gitops, engine: 'argocd', repoURL: 'https://git.example.com/fleet.git', argocd: { ...CORE_DEFAULTS.gitops.argocd, destination: { name: 'prod' } } })).toEqual([]);
  });
});
