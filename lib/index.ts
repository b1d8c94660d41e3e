// What components and entry points use. Tests reach internal modules by their paths.
export { type HelmBinary, findHelm } from './helm/binary';
export { ChartLock, type LockedChart } from './helm/lock';
export { HelmRelease, type HelmReleaseProps } from './helm/release';
export { HelmRenderer, type HelmRendererOptions, type RenderTarget } from './helm/renderer';
export { ChartStore } from './helm/store';
export { pullCharts } from './helm/pull';
export { checkValuesDir } from './helm/values';
export { type Manifest } from './manifests';
export { toYaml } from './output';
export { ARGO_CD_SYNC_WAVE, assignPhase, Phase, PHASE_FILES } from './phases';
export { checkSynthesis, synthesize, secretsDirOf } from './synth';
export { deriveSecret, loadInstallationKey } from './secrets';
export { BUILT_IN_SCHEMA_VERSION } from './validation';
export { findTool } from './tools';
export { describePlan, planDeploy } from './deploy/plan';
export { executePlan, kubectlAt } from './deploy/execute';
export { runEntryPoint } from './entry-point';
