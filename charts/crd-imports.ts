// The CRDs whose typed constructs the components (and the GitOps objects of lib/gitops) build their
// custom resources from. `npm run import` generates exactly these modules into imports/ from the CRD files
// in ../shared/crds (or CRD_DIR), and nothing else; a test checks that imports/ holds them and that every
// module is used.

export interface CrdImport {
  /** The CRD file, relative to the CRD folder, as SOURCES.md names it. */
  readonly file: string;
  /** `cdk8s import`'s name prefix for a single-CRD file, as cdk8s.yaml gives it. @default - none: one module per API group */
  readonly prefix?: string;
  /** The generated modules to keep (a file of several groups generates one module per group). */
  readonly modules: readonly string[];
  /** The CRD has no upstream file (Seldon's is what its chart renders): imported from the local copy, not pinned in cdk8s.yaml. @default false */
  readonly localOnly?: boolean;
  /**
   * The CRD is not in the output, but synth validates objects of its kind: `npm run import` also writes the
   * CRD document, without its descriptions, to `imports/crds/<module>.json` (the file must hold one CRD). @default false
   */
  readonly validate?: boolean;
}

export const CRD_IMPORTS: readonly CrdImport[] = [
  { file: 'metallb/metallb.io_ipaddresspools.yaml', prefix: 'ipaddresspools', modules: ['ipaddresspools-metallb.io'] },
  { file: 'metallb/metallb.io_l2advertisements.yaml', prefix: 'l2advertisements', modules: ['l2advertisements-metallb.io'] },
  { file: 'istio/crd-all.gen.yaml', modules: ['networking.istio.io'] },
  { file: 'seldon/machinelearning.seldon.io_seldondeployments.yaml', modules: ['machinelearning.seldon.io'], localOnly: true },
  // The GitOps objects synth writes to dist/gitops/ (lib/gitops); Argo CD and Flux are not installed by the platform.
  { file: 'argocd/application-crd.yaml', prefix: 'applications', modules: ['applications-argoproj.io'], validate: true },
  { file: 'argocd/appproject-crd.yaml', prefix: 'appprojects', modules: ['appprojects-argoproj.io'], validate: true },
  { file: 'flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml', modules: ['kustomize.toolkit.fluxcd.io'], validate: true },
  { file: 'flux/source.toolkit.fluxcd.io_gitrepositories.yaml', modules: ['source.toolkit.fluxcd.io'], validate: true },
];
