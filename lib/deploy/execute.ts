// Runs a deploy plan with kubectl. kubectl is passed in as a function, so the wait logic runs offline in
// the tests against a scripted cluster.
import { spawn } from 'child_process';
import { applyArgs, describeWait, PhasePlan, Wait, waitCommands } from './plan';

export interface KubectlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with the given arguments. */
export type Kubectl = (args: readonly string[]) => Promise<KubectlResult>;

/** kubectl at `bin`, with `extraArgs` (e.g. `--context`) before every command. */
export function kubectlAt(bin: string, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Kubectl {
  return (args) => new Promise((resolve, reject) => {
    const child = spawn(bin, [...extraArgs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => reject(new Error(`kubectl at ${bin} does not run (${e.message}): set KUBECTL to a working kubectl`)));
    child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/**
 * Failures that pass once the cluster catches up: a CRD not served yet, a webhook whose pods, endpoints
 * or certificate are not there yet. Anything else (a webhook that denies an object, a bad manifest) is final.
 */
const PASSING_FAILURES = [
  /failed calling webhook/i,
  /no endpoints available for service/i,
  /connection refused/i,
  /context deadline exceeded/i,
  /i\/o timeout/i,
  /x509: certificate signed by unknown authority/i,
  /ensure CRDs are installed first/i,
  /no matches for kind/i,
  /the server could not find the requested resource/i,
  /service unavailable/i,
];

export function isPassingFailure(stderr: string): boolean {
  return PASSING_FAILURES.some((re) => re.test(stderr));
}

export interface ExecuteOptions {
  readonly kubectl: Kubectl;
  /** How long each wait may take. */
  readonly timeoutSeconds: number;
  /** Between retries of a dry run. @default 5 */
  readonly pollSeconds?: number;
  readonly log: (line: string) => void;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

const firstLines = (text: string) => text.trim().split('\n').slice(0, 6).join('\n');

async function runOrFail(o: ExecuteOptions, args: readonly string[], what: string): Promise<void> {
  const res = await o.kubectl(args);
  if (res.status !== 0) throw new Error(`${what} failed (kubectl ${args.join(' ')}):\n${firstLines(res.stderr || res.stdout)}`);
}

async function waitFor(o: ExecuteOptions, wait: Wait): Promise<void> {
  if (wait.type !== 'accepted') {
    for (const args of waitCommands(wait, o.timeoutSeconds)) await runOrFail(o, args, `waiting for ${describeWait(wait)}`);
    return;
  }
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + o.timeoutSeconds * 1000;
  const args = applyArgs(wait.files, true);
  for (let attempt = 1; ; attempt++) {
    const res = await o.kubectl(args);
    if (res.status === 0) return;
    const reason = firstLines(res.stderr || res.stdout);
    if (!isPassingFailure(reason)) throw new Error(`phase ${wait.phase} is rejected by the API server (kubectl ${args.join(' ')}):\n${reason}`);
    if (now() >= deadline) {
      throw new Error(`phase ${wait.phase} is still not accepted after ${o.timeoutSeconds} s (${attempt} tries); the last answer:\n${reason}\n` +
        'check the pods of the webhooks it names (kubectl get pods -A), or retry with a longer --timeout');
    }
    o.log(`  phase ${wait.phase} not accepted yet (${reason.split('\n')[0].slice(0, 160)}); retrying`);
    await sleep((o.pollSeconds ?? 5) * 1000);
  }
}

/** Applies each phase and runs its waits; stops at the first failure, before the next phase is applied. */
export async function executePlan(plan: readonly PhasePlan[], o: ExecuteOptions): Promise<void> {
  for (const p of plan) {
    o.log(`phase ${p.phase}: applying ${p.files.length} file(s)`);
    await runOrFail(o, applyArgs(p.files), `applying phase ${p.phase}`);
    for (const w of p.waits) {
      o.log(`  waiting: ${describeWait(w)}`);
      await waitFor(o, w);
    }
  }
  o.log('deployed: every phase applied');
}
