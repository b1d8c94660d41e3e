export { addGitOps, type GitOpsObject, gitopsFiles, gitopsObjects } from './render';
export { GITOPS_FOLDER, type GitOpsOptions } from './options';
export { type WrittenObject } from './checks';
