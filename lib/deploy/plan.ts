// The deploy plan, derived from the output folders alone (so it works on a dist/ checked out of git):
// apply each phase, then wait for what the next phase needs before applying it.
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { describeObject, isCrd } from '../manifests';
import { carriesSecretData } from '../output';
import { FLAT_PHASE_FILE, Phase, PHASE_FILES, PHASE_FOLDERS, PHASES, READY_BEFORE_NEXT_PHASE } from '../phases';

/** A workload to wait for, as `kubectl rollout status` names it. */
export interface Workload {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly namespace: string;
  readonly name: string;
}

export type Wait =
  /** The CRDs the phase applied are served. */
  | { readonly type: 'established'; readonly crds: readonly string[] }
  /** The marked operators of the phase are rolled out. */
  | { readonly type: 'rollout'; readonly workloads: readonly Workload[] }
  /** The API server accepts the next phase in a server-side dry run: its CRDs are served and the webhooks it passes through answer. */
  | { readonly type: 'accepted'; readonly phase: Phase; readonly files: readonly string[] };

export interface PhasePlan {
  readonly phase: Phase;
  /** The files to apply: the phase's file in the output folder, then its Secrets file, where they exist. */
  readonly files: readonly string[];
  /** What to wait for after applying, before the next phase. */
  readonly waits: readonly Wait[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function readObjects(file: string): any[] {
  try {
    return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d !== null && typeof d === 'object');
  } catch (e) {
    throw new Error(`${file} does not parse (${(e as Error).message.split('\n')[0]}): run npm run synth to write it again`);
  }
}

/** The error for an output folder without phase files: synth first, or again if it holds the flat files of an earlier synth. */
function noPhaseFiles(dir: string): Error {
  const flat = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => FLAT_PHASE_FILE.test(f)).sort() : [];
  if (flat.length) {
    return new Error(`${dir} holds phase files of an earlier synth (${flat.join(', ')}), which wrote one file per phase; ` +
      'each phase is a folder now: run npm run synth to write them so');
  }
  return new Error(`no phase files (${Object.values(PHASE_FILES).join(', ')}) in ${dir}: run npm run synth first`);
}

/** The phases with a file in any of `dirs`, in order, each with those files (in the order of `dirs`). */
function presentPhases(dirs: readonly string[]): Array<{ phase: Phase; files: string[] }> {
  return PHASES
    .map((phase) => ({ phase, files: dirs.map((d) => path.join(d, PHASE_FILES[phase])).filter((f) => fs.existsSync(f)) }))
    .filter((p) => p.files.length > 0);
}

/**
 * What must be ready before the next phase is applied: the CRDs among `objects` Established and the
 * workloads marked ready-before-next-phase rolled out. `file` names where they come from, for messages.
 */
export function readinessWaits(objects: readonly any[], file: string): Wait[] {
  const waits: Wait[] = [];
  const crds = objects.filter((o) => isCrd({ apiVersion: String(o.apiVersion), kind: o.kind })).map((o): string => {
    if (typeof o.metadata?.name !== 'string' || o.metadata.name === '') throw new Error(`${file}: ${describeObject(o)} has no name: run npm run synth to write it again`);
    return o.metadata.name;
  });
  if (crds.length) waits.push({ type: 'established', crds });
  const workloads = objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind) && o.metadata?.annotations?.[READY_BEFORE_NEXT_PHASE] === 'true')
    .map((o): Workload => {
      if (!o.metadata.namespace) throw new Error(`${file}: ${describeObject(o)} has no namespace: run npm run synth to write it again`);
      return { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
    });
  if (workloads.length) waits.push({ type: 'rollout', workloads });
  return waits;
}

/**
 * Plans a deploy of `outdir` (and the Secrets in `secretsDir`): phase by phase, the files to apply and
 * the waits before the next phase. Only the phase files are read; anything else in the folders is left out.
 * Refuses an output folder that holds a Secret carrying data.
 */
export function planDeploy(outdir: string, secretsDir: string): PhasePlan[] {
  const present = presentPhases([outdir, secretsDir]);
  if (!present.some((p) => p.files.some((f) => f.startsWith(path.join(outdir, path.sep))))) throw noPhaseFiles(outdir);
  return present.map(({ phase, files }, i) => {
    const objects = files.flatMap((file) => {
      const read = readObjects(file);
      const secret = file.startsWith(path.join(outdir, path.sep)) ? read.find((o) => carriesSecretData(o)) : undefined;
      if (secret) {
        throw new Error(`${file}: ${describeObject(secret)} carries data, but Secrets with values belong in ${secretsDir}, not in ${outdir}, which may be committed: ` +
          'run npm run synth to move it, and change the values if this folder was pushed anywhere');
      }
      return read;
    });
    const waits = readinessWaits(objects, files[0]);
    const next = present[i + 1];
    if (next) waits.push({ type: 'accepted', phase: next.phase, files: next.files });
    return { phase, files, waits };
  });
}

/**
 * Plans applying the Secrets alone (`deploy --secrets-only`), when a GitOps controller applies `dist/`:
 * each phase's file in `secretsDir`, in order, with no waits (their namespaces must exist).
 */
export function planSecrets(secretsDir: string): PhasePlan[] {
  const present = presentPhases([secretsDir]);
  if (!present.length) {
    throw new Error(`no Secrets to apply: ${secretsDir} holds no phase files (${Object.values(PHASE_FILES).join(', ')}): run npm run synth first`);
  }
  return present.map(({ phase, files }) => ({ phase, files, waits: [] }));
}

/** The kubectl arguments that apply files. */
export function applyArgs(files: readonly string[], dryRun = false): string[] {
  return ['apply', '--server-side', ...(dryRun ? ['--dry-run=server'] : []), ...files.flatMap((f) => ['-f', f])];
}

/** The kubectl arguments of a wait, each command on its own. */
export function waitCommands(wait: Wait, timeoutSeconds: number): string[][] {
  switch (wait.type) {
    case 'established':
      return [['wait', '--for=condition=Established', `--timeout=${timeoutSeconds}s`, ...wait.crds.map((c) => `crd/${c}`)]];
    case 'rollout':
      return wait.workloads.map((w) => ['rollout', 'status', `--timeout=${timeoutSeconds}s`, '-n', w.namespace, `${w.kind.toLowerCase()}/${w.name}`]);
    case 'accepted':
      return [applyArgs(wait.files, true)];
  }
}

/** One line saying what a wait waits for. */
export function describeWait(wait: Wait): string {
  switch (wait.type) {
    case 'established':
      return `${wait.crds.length} CRD(s) Established`;
    case 'rollout':
      return `rolled out: ${wait.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ')}`;
    case 'accepted':
      return `phase ${wait.phase} accepted by the API server in a server-side dry run (its CRDs served, the webhooks it passes through answering)`;
  }
}

/** The plan as text: each phase, the command that applies it, and its waits with their commands. */
export function describePlan(plan: readonly PhasePlan[], options: { kubectl: string; timeoutSeconds: number; relativeTo?: string }): string {
  const rel = (f: string) => (options.relativeTo ? path.relative(options.relativeTo, f) || '.' : f);
  const cmd = (args: string[]) => ['kubectl', ...args.map((a) => (path.isAbsolute(a) ? rel(a) : a))].join(' ');
  const lines: string[] = [];
  for (const p of plan) {
    lines.push(`phase ${p.phase} (${PHASE_FOLDERS[p.phase]})`);
    lines.push(`  apply: ${cmd(applyArgs(p.files))}`);
    for (const w of p.waits) {
      lines.push(`  wait:  ${describeWait(w)}`);
      for (const c of waitCommands(w, options.timeoutSeconds)) lines.push(`         ${cmd(c)}${w.type === 'accepted' ? '   (retried while it fails for a reason that passes)' : ''}`);
    }
  }
  lines.push(`kubectl: ${options.kubectl}; each wait gives up after ${options.timeoutSeconds} s`);
  return lines.join('\n');
}
