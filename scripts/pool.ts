// `npm run pool [-- --file F | --file -] [--network NAME] [--count N] [--dry-run]`: proposes MetalLB's
// addresses from the cluster's Docker network and writes them, with the subnet, into platform.yaml.
// Without --file it runs `docker network inspect k3d-<k3d.name>`; --file - reads that JSON from stdin.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { loadConfig, pathsFrom, proposePool } from '../config';
import { CommandSpec, parseCommandLine, ParsedOptions, positiveInteger, readStdin, readTextFile, runCommand, writeFileAtomically } from '../lib';

export const POOL_COMMAND = {
  name: 'npm run pool',
  summary: 'Proposes MetalLB\'s addresses from the k3d cluster\'s Docker network and writes them, with the subnet and its gateway, into platform.yaml.',
  options: {
    file: { type: 'string', value: 'FILE|-', description: 'read docker network inspect output from FILE (- for stdin) instead of running docker' },
    network: { type: 'string', value: 'NAME', description: 'the Docker network (default k3d-<k3d.name>)' },
    count: { type: 'string', value: 'N', description: 'how many addresses to propose (default 100)' },
    'dry-run': { type: 'boolean', description: 'print the proposal, write nothing' },
  },
  environment: [['PLATFORM_CONFIG', 'the configuration file to read and write (default platform.yaml)']],
} as const satisfies CommandSpec<any>;

export interface PoolArgs { file?: string; network?: string; count: number; dryRun: boolean }

export function parsePoolArgs(argv: readonly string[]): PoolArgs {
  return poolArgs(parseCommandLine(POOL_COMMAND, argv).options);
}

function poolArgs(v: ParsedOptions<typeof POOL_COMMAND.options>): PoolArgs {
  return {
    ...(v.file !== undefined ? { file: v.file } : {}),
    ...(v.network !== undefined ? { network: v.network } : {}),
    count: v.count === undefined ? 100 : positiveInteger('--count', v.count, 'a positive whole number', '50'),
    dryRun: v['dry-run'] ?? false,
  };
}

/** Writes the pool, the subnet and its gateway into the configuration file, keeping its comments and layout. */
export function writePool(configFile: string, range: string, subnet: string, gateway?: string): void {
  const doc = parseDocument(readTextFile(configFile, 'configuration file', { maxBytes: 1024 * 1024, fix: 'point PLATFORM_CONFIG at the platform\'s configuration' }));
  const addresses = doc.createNode([range]);
  addresses.flow = true;
  doc.setIn(['metallb', 'addresses'], addresses);
  doc.setIn(['k3d', 'dockerSubnet'], subnet);
  if (gateway !== undefined) doc.setIn(['k3d', 'dockerGateway'], gateway);
  else doc.deleteIn(['k3d', 'dockerGateway']);
  const text = doc.toString();
  // The result must still be a valid configuration before it replaces the user's file.
  const draft = path.join(path.dirname(configFile), `.${path.basename(configFile)}.${process.pid}.pool-draft.yaml`);
  fs.writeFileSync(draft, text);
  try {
    loadConfig(draft);
  } finally {
    fs.rmSync(draft, { force: true });
  }
  writeFileAtomically(configFile, text);
}

function readInspect(args: PoolArgs, network: string): { json: string; source: string } {
  if (args.file === '-') return { json: readStdin('--file -', { maxBytes: 16 * 1024 * 1024, fix: 'pipe in the output of docker network inspect' }), source: 'stdin' };
  if (args.file) {
    const json = readTextFile(args.file, '--file', { maxBytes: 16 * 1024 * 1024, fix: 'pass the output of docker network inspect saved to a file, or - for stdin' });
    return { json, source: args.file };
  }
  const res = spawnSync('docker', ['network', 'inspect', network], { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : res.stderr.trim().split('\n')[0];
    throw new Error(`docker network inspect ${network} failed (${why}): create the cluster first (k3d cluster create --config dist/k3d/cluster.yaml), ` +
      'or pass the JSON with --file FILE or --file - (stdin)');
  }
  return { json: res.stdout, source: `docker network inspect ${network}` };
}

function main(args: PoolArgs): void {
  const configFile = pathsFrom(process.env).configFile;
  const { config } = loadConfig(configFile);
  const network = args.network ?? `k3d-${config.k3d.name}`;
  const { json, source } = readInspect(args, network);
  let inspect: unknown;
  try {
    inspect = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source} is not JSON (${(e as Error).message.slice(0, 120)}): pass the output of docker network inspect`);
  }
  const proposal = proposePool(inspect, { network: args.file ? args.network : network, count: args.count });
  process.stderr.write(`network ${proposal.network}: subnet ${proposal.subnet}; proposed pool ${proposal.range}\n`);
  if (args.dryRun) return;
  writePool(configFile, proposal.range, proposal.subnet, proposal.gateway);
  process.stderr.write(`wrote metallb.addresses [${proposal.range}], k3d.dockerSubnet ${proposal.subnet}${proposal.gateway ? ` and k3d.dockerGateway ${proposal.gateway}` : ''} into ${path.relative(process.cwd(), configFile) || configFile}; run npm run synth\n`);
}

runCommand(module, POOL_COMMAND, (options) => main(poolArgs(options)));
