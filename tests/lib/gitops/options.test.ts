import { GITOPS_FOLDER, GitOpsOptions, IN_CLUSTER, phaseObjectName, repoPath } from '../../../lib/gitops/options';
import { Phase } from '../../../lib/phases';

const options = (p: string) => ({ path: p }) as GitOpsOptions;

describe('the paths and names GitOps objects use', () => {
  test('a folder of the output, as a path in the repository: under the output\'s path, or alone at the root', () => {
    expect(repoPath(options('dist'), '02-controllers')).toBe('dist/02-controllers');
    expect(repoPath(options('clusters/lab/dist'), GITOPS_FOLDER)).toBe('clusters/lab/dist/gitops');
    expect(repoPath(options('.'), '02-controllers')).toBe('02-controllers');
    expect(repoPath(options('./dist'), '04-apps')).toBe('./dist/04-apps');
  });

  test('each phase\'s object is named after the base and the phase folder', () => {
    expect(phaseObjectName('ml-platform', Phase.FOUNDATIONS)).toBe('ml-platform-01-crds-namespaces');
    expect(phaseObjectName('fleet', Phase.APPS)).toBe('fleet-04-apps');
  });

  test('the GitOps folder and the in-cluster server are the names Argo CD and the output use', () => {
    expect(GITOPS_FOLDER).toBe('gitops');
    expect(IN_CLUSTER).toBe('https://kubernetes.default.svc');
  });
});
