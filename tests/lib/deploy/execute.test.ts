import { executePlan, isPassingFailure, KubectlResult } from '../../../lib/deploy/execute';
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
