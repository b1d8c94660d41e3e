import * as path from 'path';
import { executePlan, isPassingFailure, kubectlAt, KubectlResult } from '../../../lib/deploy/execute';
import { Phase } from '../../../lib/phases';
import { PhasePlan } from '../../../lib/deploy/plan';

const PLAN: PhasePlan[] = [
  { phase: Phase.FOUNDATIONS, files: ['/d/01.yaml'], waits: [{ type: 'established', crds: ['a.example.com'] }, { type: 'accepted', phase: Phase.CONTROLLERS, files: ['/d/02.yaml'] }] },
  { phase: Phase.CONTROLLERS, files: ['/d/02.yaml'], waits: [{ type: 'rollout', workloads: [{ kind: 'Deployment', namespace: 'ops', name: 'operator' }] }, { type: 'accepted', phase: Phase.CUSTOM_RESOURCES, files: ['/d/03.yaml'] }] },
  { phase: Phase.CUSTOM_RESOURCES, files: ['/d/03.yaml'], waits: [] },
];

const ok: KubectlResult = { status: 0, stdout: '', stderr: '' };
const fail = (stderr: string): KubectlResult => ({ status: 1, stdout: '', stderr });
const WEBHOOK_DOWN = 'Error from server (InternalError): Internal error occurred: failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io": ' +
  'Post "https://metallb-webhook-service.metallb-system.svc:443/validate": dial tcp 10.43.1.2:443: connect: connection refused';
const DENIED = 'Error from server (Forbidden): admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: overlapping CIDRs';

/** A scripted cluster: answers the dry run of `file` with the given results in turn, everything else with success. */
function cluster(dryRunAnswers: Record<string, KubectlResult[]> = {}, other: (args: readonly string[]) => KubectlResult | undefined = () => undefined) {
  const calls: string[] = [];
  const kubectl = async (args: readonly string[]) => {
    const line = args.join(' ');
    calls.push(line);
    const custom = other(args);
    if (custom) return custom;
    if (args.includes('--dry-run=server')) {
      const file = args[args.length - 1];
      const answers = dryRunAnswers[file] ?? [];
      return answers.shift() ?? ok;
    }
    return ok;
  };
  let clock = 0;
  const options = { kubectl, timeoutSeconds: 30, pollSeconds: 5, log: () => {}, sleep: async (ms: number) => { clock += ms; }, now: () => clock };
  return { calls, options };
}

describe('executePlan', () => {
  test('applies the phases in order, each after the waits of the one before', async () => {
    const { calls, options } = cluster();
    await executePlan(PLAN, options);
    expect(calls).toEqual([
      'apply --server-side -f /d/01.yaml',
      'wait --for=condition=Established --timeout=30s crd/a.example.com',
      'apply --server-side --dry-run=server -f /d/02.yaml',
      'apply --server-side -f /d/02.yaml',
      'rollout status --timeout=30s -n ops deployment/operator',
      'apply --server-side --dry-run=server -f /d/03.yaml',
      'apply --server-side -f /d/03.yaml',
    ]);
  });

  test('retries the dry run while a webhook is not answering yet, then applies', async () => {
    const { calls, options } = cluster({ '/d/03.yaml': [fail(WEBHOOK_DOWN), fail(WEBHOOK_DOWN), ok] });
    const log: string[] = [];
    await executePlan(PLAN, { ...options, log: (l) => log.push(l) });
    expect(calls.filter((c) => c.endsWith('/d/03.yaml'))).toEqual([
      ...Array(3).fill('apply --server-side --dry-run=server -f /d/03.yaml'), 'apply --server-side -f /d/03.yaml',
    ]);
    expect(log.filter((l) => l.includes('not accepted yet'))).toHaveLength(2);
  });

  test('fails at once when a webhook denies the next phase, before applying it', async () => {
    const { calls, options } = cluster({ '/d/03.yaml': [fail(DENIED)] });
    await expect(executePlan(PLAN, options)).rejects.toThrow(`phase 3 is rejected by the API server (kubectl apply --server-side --dry-run=server -f /d/03.yaml):\n${DENIED}`);
    expect(calls).not.toContain('apply --server-side -f /d/03.yaml');
  });

  test('gives up after the timeout, naming the phase, the tries and the last answer', async () => {
    const { calls, options } = cluster({ '/d/02.yaml': Array(100).fill(fail(WEBHOOK_DOWN)) });
    await expect(executePlan(PLAN, options)).rejects.toThrow(`phase 2 is still not accepted after 30 s (7 tries); the last answer:\n${WEBHOOK_DOWN}`);
    expect(calls).not.toContain('apply --server-side -f /d/02.yaml');
  });

  test('stops when a rollout fails, before the next phase', async () => {
    const { calls, options } = cluster({}, (args) => (args[0] === 'rollout' ? fail('error: timed out waiting for the condition') : undefined));
    await expect(executePlan(PLAN, options)).rejects.toThrow(
      'waiting for rolled out: Deployment ops/operator failed (kubectl rollout status --timeout=30s -n ops deployment/operator):\nerror: timed out waiting for the condition');
    expect(calls[calls.length - 1]).toBe('rollout status --timeout=30s -n ops deployment/operator');
  });

  test('stops when an apply fails', async () => {
    const { calls, options } = cluster({}, (args) => (args.join(' ') === 'apply --server-side -f /d/01.yaml' ? fail('error: the server has asked for the client to provide credentials') : undefined));
    await expect(executePlan(PLAN, options)).rejects.toThrow('applying phase 1 failed');
    expect(calls).toHaveLength(1);
  });
});

describe('isPassingFailure', () => {
  test('a webhook not answering, a CRD not served yet and a CA not injected yet pass; a denial and a bad manifest do not', () => {
    expect(isPassingFailure(WEBHOOK_DOWN)).toBe(true);
    expect(isPassingFailure('error: resource mapping not found for name: "w" namespace: "ops" from "03.yaml": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first')).toBe(true);
    expect(isPassingFailure('failed calling webhook "validation.istio.io": tls: failed to verify certificate: x509: certificate signed by unknown authority')).toBe(true);
    expect(isPassingFailure(DENIED)).toBe(false);
    expect(isPassingFailure('error: error validating "03.yaml": unknown field "spec.sise"')).toBe(false);
  });
});

describe('executePlan, what it says', () => {
  test('logs each phase, each wait, each retry (the first line of the answer, cut at 160 characters) and the end', async () => {
    const long = `failed calling webhook ${'w'.repeat(200)}`;
    const { options } = cluster({ '/d/02.yaml': [fail(`${long}\nsecond line`)] });
    const log: string[] = [];
    await executePlan(PLAN, { ...options, log: (l) => log.push(l) });
    expect(log).toEqual([
      'phase 1: applying 1 file(s)',
      '  waiting: 1 CRD(s) Established',
      '  waiting: phase 2 accepted by the API server in a server-side dry run (its CRDs served, the webhooks it passes through answering)',
      `  phase 2 not accepted yet (${long.slice(0, 160)}); retrying`,
      'phase 2: applying 1 file(s)',
      '  waiting: rolled out: Deployment ops/operator',
      '  waiting: phase 3 accepted by the API server in a server-side dry run (its CRDs served, the webhooks it passes through answering)',
      'phase 3: applying 1 file(s)',
      'deployed: every phase applied',
    ]);
  });

  test('a failure names the first 6 lines of what kubectl said, its stdout when stderr is empty', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`);
    const { options } = cluster({}, (args) => (args[0] === 'wait' ? { status: 1, stdout: `\n  ${lines.join('\n')}\n\n`, stderr: '' } : undefined));
    await expect(executePlan(PLAN, options)).rejects.toThrow(new Error(
      `waiting for 1 CRD(s) Established failed (kubectl wait --for=condition=Established --timeout=30s crd/a.example.com):\n${lines.slice(0, 6).join('\n')}`));
  });

  test('the full message when a phase is never accepted, with the timeout reached exactly', async () => {
    const { options } = cluster({ '/d/02.yaml': Array(100).fill(fail(WEBHOOK_DOWN)) });
    await expect(executePlan(PLAN, { ...options, timeoutSeconds: 10 })).rejects.toThrow(new Error(
      `phase 2 is still not accepted after 10 s (3 tries); the last answer:\n${WEBHOOK_DOWN}\n` +
      'check the pods of the webhooks it names (kubectl get pods -A), or retry with a longer --timeout'));
  });

  test('waits 5 s between tries unless told otherwise', async () => {
    const { options } = cluster({ '/d/02.yaml': [fail(WEBHOOK_DOWN), fail(WEBHOOK_DOWN)] });
    const slept: number[] = [];
    await executePlan(PLAN, { ...options, pollSeconds: undefined, sleep: async (ms) => { slept.push(ms); } });
    expect(slept).toEqual([5000, 5000]);
  });

  test('by default sleeps for real and reads the real clock', async () => {
    const { options } = cluster({ '/d/02.yaml': [fail(WEBHOOK_DOWN), ok], '/d/03.yaml': Array(20).fill(fail(WEBHOOK_DOWN)) });
    const started = Date.now();
    await expect(executePlan(PLAN, { kubectl: options.kubectl, log: () => {}, timeoutSeconds: 0.3, pollSeconds: 0.2 })).rejects.toThrow(
      /^phase 3 is still not accepted after 0.3 s \(\d+ tries\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});

describe('isPassingFailure, each failure that passes once the cluster catches up', () => {
  test.each([
    'Internal error occurred: Failed Calling Webhook "x.example.com"',
    'Internal error occurred: no endpoints available for service "webhook-svc"',
    'dial tcp 10.43.0.5:443: connect: connection refused',
    'Post "https://w.svc:443/validate": context deadline exceeded',
    'dial tcp 10.43.0.5:443: i/o timeout',
    'x509: certificate signed by unknown authority',
    'ensure CRDs are installed first',
    'no matches for kind "Widget" in version "example.com/v1"',
    'Error from server (NotFound): the server could not find the requested resource',
    'Error from server (ServiceUnavailable): the server is currently unable to handle the request (Service Unavailable)',
  ])('passes: %s', (stderr) => {
    expect(isPassingFailure(stderr)).toBe(true);
    expect(isPassingFailure(stderr.toUpperCase())).toBe(true);
  });
});

describe('kubectlAt', () => {
  // node stands in for kubectl: its arguments are kubectlAt's extra arguments, then the command's.
  const script = 'const [, ...a] = process.argv; process.stdout.write(JSON.stringify(a)); process.stderr.write(process.env.KUBECONFIG ?? "none"); process.exitCode = Number(a[a.length - 1]);';

  test('runs kubectl with the extra arguments before each command, in the given environment, and returns its status and output', async () => {
    const kubectl = kubectlAt(process.execPath, ['-e', script, '--', '--context', 'lab'], { PATH: process.env.PATH, KUBECONFIG: '/k' });
    expect(await kubectl(['get', 'pods', '3'])).toEqual({ status: 3, stdout: JSON.stringify(['--context', 'lab', 'get', 'pods', '3']), stderr: '/k' });
  });

  test('with no extra arguments, in this process\'s environment', async () => {
    const kubectl = kubectlAt(process.execPath);
    expect(await kubectl(['-e', 'process.stdout.write(String(process.env.PATH)); process.stderr.write("e")'])).toEqual({ status: 0, stdout: String(process.env.PATH), stderr: 'e' });
  });

  test('kubectl reads nothing from this process: its stdin is at its end', async () => {
    const kubectl = kubectlAt(process.execPath, ['-e', 'setTimeout(() => process.exit(9), 2000).unref(); process.stdin.on("data", () => {}).on("end", () => process.stdout.write("eof"))']);
    expect(await kubectl([])).toEqual({ status: 0, stdout: 'eof', stderr: '' });
  });

  test('a kubectl killed by a signal has failed', async () => {
    const kubectl = kubectlAt(process.execPath, ['-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(await kubectl([])).toEqual({ status: 1, stdout: '', stderr: '' });
  });

  test('fails when kubectl does not run, saying how to choose another', async () => {
    const bin = path.join(__dirname, 'no-such-kubectl');
    await expect(kubectlAt(bin)(['version'])).rejects.toThrow(new Error(`kubectl at ${bin} does not run (spawn ${bin} ENOENT): set KUBECTL to a working kubectl`));
  });
});
