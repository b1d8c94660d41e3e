// Whether the output and the GitOps objects that deliver it agree: every object of the output is in
// exactly one phase path, every path a GitOps object names is in the output and holds objects, no other
// file is under a phase path (a controller would apply it), and the Argo CD project allows exactly the
// namespaces and cluster-scoped kinds the output holds. Each problem names the object and what is missing.
import { describeObject, Manifest } from '../manifests';
import { PHASE_FILES, PHASE_FOLDERS, PHASES } from '../phases';
import { projectScope } from './argocd';
import { GITOPS_FOLDER } from './options';

/** An object as written, and its file in the output folder. */
export interface WrittenObject {
  readonly file: string;
  readonly object: Manifest['object'];
}

/** A folder of the output that something applies: a GitOps object's path, or (no engine) a phase folder. */
interface PathReference {
  /** Who names it, for messages: `gitops/flux.yaml: Kustomization flux-system/x: .spec.path "./dist/01-x"`. */
  readonly where: string;
  /** The folder in the output, `/`-separated; undefined when the path is outside the output. */
  readonly folder: string | undefined;
}

const under = (file: string, folder: string) => folder === '' || file.startsWith(`${folder}/`);

/** The folder of the output a repository path names, or undefined when it is outside the output (at `outputPath` in the repository). */
function outputFolder(outputPath: string, repoPath: string): string | undefined {
  const p = repoPath.replace(/^\.\//, '').replace(/\/+$/, '');
  if (outputPath === '.') return p === '.' ? '' : p;
  if (p === outputPath) return '';
  return p.startsWith(`${outputPath}/`) ? p.slice(outputPath.length + 1) : undefined;
}

/** The paths the GitOps objects name; with no GitOps objects, the phase folders the output has. */
function pathReferences(objects: readonly WrittenObject[], manifests: readonly Manifest[], outputPath: string): PathReference[] {
  if (!objects.length) {
    return PHASES.filter((p) => manifests.some((m) => m.phase === p)).map((p) => ({ where: `phase ${p}`, folder: PHASE_FOLDERS[p] }));
  }
  return objects.flatMap(({ file, object }) => {
    const [field, value] = object.kind === 'Kustomization' ? ['.spec.path', object.spec?.path] : object.kind === 'Application' ? ['.spec.source.path', object.spec?.source?.path] : [];
    if (typeof value !== 'string') return [];
    return [{ where: `${file}: ${describeObject(object)}: ${field} ${JSON.stringify(value)}`, folder: outputFolder(outputPath, value) }];
  });
}

/** Every named path is in the output and holds some of `written`; `fix` says what to name instead. */
function referenceProblems(refs: readonly PathReference[], written: readonly WrittenObject[], fix: string): string[] {
  return refs.flatMap(({ where, folder }) => {
    if (folder === undefined) return [`${where}: the path is outside the output folder in the repository: ${fix}`];
    if (!written.some((w) => under(w.file, folder))) return [`${where}: the output has no objects under ${folder || 'its root'}/: ${fix}`];
    return [];
  });
}

/** Every object of the output in exactly one phase path; nothing else under one. */
function placementProblems(phaseRefs: readonly PathReference[], manifests: readonly Manifest[], files: Iterable<string>): string[] {
  const problems: string[] = [];
  const holding = (file: string) => phaseRefs.filter((r) => r.folder !== undefined && under(file, r.folder));
  for (const m of manifests) {
    const refs = holding(PHASE_FILES[m.phase]);
    if (refs.length !== 1) {
      problems.push(`${PHASE_FILES[m.phase]}: ${describeObject(m.object)}: in ${refs.length ? `${refs.length} phase paths (${refs.map((r) => r.where).join('; ')})` : 'no phase path'}: ` +
        'each object must be applied by exactly one');
    }
  }
  const phaseFiles = new Set(Object.values(PHASE_FILES));
  for (const file of files) {
    const refs = phaseFiles.has(file) ? [] : holding(file);
    if (refs.length) problems.push(`${file}: inside the phase path of ${refs[0].where}, which would apply it: keep it out of the phase folders`);
  }
  return problems;
}

/** The AppProject allows the namespaces and cluster-scoped kinds of the output, and nothing more. */
function projectProblems(objects: readonly WrittenObject[], manifests: readonly Manifest[]): string[] {
  const { namespaces, clusterKinds } = projectScope(manifests);
  const usedBy = (test: (m: Manifest) => boolean) => {
    const m = manifests.find(test)!;
    return `${PHASE_FILES[m.phase]}: ${describeObject(m.object)}`;
  };
  return objects.filter((o) => o.object.kind === 'AppProject').flatMap(({ file, object }) => {
    const at = `${file}: ${describeObject(object)}`;
    const allowedNs = new Set<string>((object.spec?.destinations ?? []).map((d: any) => d.namespace));
    const allowedKinds = new Set<string>((object.spec?.clusterResourceWhitelist ?? []).map((k: any) => `${k.group}/${k.kind}`));
    const kinds = new Set(clusterKinds.map((k) => `${k.group}/${k.kind}`));
    return [
      ...namespaces.filter((ns) => !allowedNs.has(ns)).map((ns) => `${at}: .spec.destinations lacks namespace "${ns}", which ${usedBy((m) => m.object.metadata.namespace === ns || m.object.metadata.name === ns)} uses`),
      ...[...allowedNs].filter((ns) => !namespaces.includes(ns)).map((ns) => `${at}: .spec.destinations allows namespace "${ns}", which no object of the output uses: allow only the output's`),
      ...clusterKinds.filter((k) => !allowedKinds.has(`${k.group}/${k.kind}`)).map((k) =>
        `${at}: .spec.clusterResourceWhitelist lacks ${k.kind} (group "${k.group}"), which ${usedBy((m) => !m.object.metadata.namespace && m.object.kind === k.kind)} is`),
      ...[...allowedKinds].filter((k) => !kinds.has(k)).map((k) => `${at}: .spec.clusterResourceWhitelist allows ${k}, which the output holds no object of: allow only the output's`),
    ];
  });
}

/**
 * The problems of an output and its GitOps objects: `manifests` are the committed output's objects,
 * `objects` the GitOps objects as written, `files` every file of the output folder, `outputPath` the
 * output folder's path in the repository (gitops.path).
 */
export function consistencyProblems(manifests: readonly Manifest[], objects: readonly WrittenObject[], files: Iterable<string>, outputPath: string): string[] {
  const refs = pathReferences(objects, manifests, outputPath);
  const gitopsRefs = refs.filter((r) => r.folder?.startsWith(`${GITOPS_FOLDER}/`));
  const phaseRefs = refs.filter((r) => !gitopsRefs.includes(r));
  const present = PHASES.filter((p) => manifests.some((m) => m.phase === p)).map((p) => PHASE_FOLDERS[p]);
  return [
    ...referenceProblems(phaseRefs, manifests.map((m) => ({ file: PHASE_FILES[m.phase], object: m.object })), `name a phase folder (${present.join(', ')})`),
    ...referenceProblems(gitopsRefs, objects, `name a folder of ${GITOPS_FOLDER}/ that holds GitOps objects`),
    ...placementProblems(phaseRefs, manifests, files),
    ...projectProblems(objects, manifests),
  ];
}
