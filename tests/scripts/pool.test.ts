import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { run } from '../../main';
import { UsageError } from '../../lib/cli';
import { parsePoolArgs } from '../../scripts/pool';
import { childEnv, loadAll, readTree, ROOT, standInCharts, TEST_KEY, tmpDir } from '../helpers';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'docker', 'k3d-lab.json');
const pool = (args: string[], env: NodeJS.ProcessEnv, input?: string) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/pool.ts'), ...args], {
  cwd: ROOT, encoding: 'utf8', input, env: childEnv(env),
});

describe('npm run pool', () => {
  test('a Docker network with subnet 192.168.97.0/24 gives a pool inside it, written into the configuration, and synth uses it', async () => {
    // GIVEN a platform.yaml with comments
    const dir = tmpDir();
    const configFile = path.join(dir, 'platform.yaml');
    fs.copyFileSync(path.join(ROOT, 'tests', 'fixtures', 'platform', 'commented.yaml'), configFile);
    fs.cpSync(path.join(ROOT, 'helm-values'), path.join(dir, 'helm-values'), { recursive: true });
    // WHEN
    const res = pool(['--file', FIXTURE], { PLATFORM_CONFIG: configFile });
    // THEN
    expect([res.status, res.stderr]).toEqual([0, expect.stringContaining('network k3d-lab: subnet 192.168.97.0/24; proposed pool 192.168.97.155-192.168.97.254')]);
    const text = fs.readFileSync(configFile, 'utf8');
    expect(text).toContain('# A configuration with comments, as users keep theirs: npm run pool must keep them.');
    expect(text).toContain('# metallb: { addresses: [172.25.1.1-172.25.1.100] }');
    expect(yaml.load(text)).toEqual({ profile: 'lab', metallb: { addresses: ['192.168.97.155-192.168.97.254'] }, k3d: { dockerSubnet: '192.168.97.0/24', dockerGateway: '192.168.97.1' } });

    const { lock, store } = standInCharts();
    const outdir = path.join(dir, 'dist');
    const printed: string[] = [];
    await run([], { PATH: process.env.PATH, PLATFORM_CONFIG: configFile, CHART_LOCK: lock.file, CHART_STORE: store.dir, CDK8S_OUTDIR: outdir, PLATFORM_KEY: TEST_KEY },
      ROOT, { log: () => {}, print: (l) => printed.push(l) });
    const objects = Object.values(readTree(outdir)).flatMap(loadAll);
    expect(objects.find((o) => o.kind === 'IPAddressPool').spec.addresses).toEqual(['192.168.97.155-192.168.97.254']);
    expect(objects.find((o) => o.kind === 'Simple')).toMatchObject({ apiVersion: 'k3d.io/v1alpha5', subnet: '192.168.97.0/24' });
    expect(printed[1]).toBe('192.168.97.155 jupyterhub.example.it nginx.example.it');
  });

  test('reads the JSON from stdin, and --dry-run writes nothing', () => {
    const configFile = path.join(tmpDir(), 'platform.yaml');
    fs.writeFileSync(configFile, 'profile: lab\n');
    const res = pool(['--file', '-', '--dry-run', '--count', '10'], { PLATFORM_CONFIG: configFile }, fs.readFileSync(FIXTURE, 'utf8'));
    expect([res.status, res.stderr.trim()]).toEqual([0, 'network k3d-lab: subnet 192.168.97.0/24; proposed pool 192.168.97.245-192.168.97.254']);
    expect(fs.readFileSync(configFile, 'utf8')).toBe('profile: lab\n');
  });

  test('without docker and without --file, fails saying how to pass the JSON', () => {
    const configFile = path.join(tmpDir(), 'platform.yaml');
    fs.writeFileSync(configFile, 'profile: lab\n');
    const bin = tmpDir();
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const res = pool([], { PLATFORM_CONFIG: configFile, PATH: bin });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('error: docker network inspect k3d-k3s-default failed');
    expect(res.stderr).toContain('or pass the JSON with --file FILE or --file - (stdin)');
  });

  test('fails on input that is not JSON, naming it', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'platform.yaml'), 'profile: lab\n');
    fs.writeFileSync(path.join(dir, 'inspect.json'), 'Error: No such network: k3d-lab\n');
    const res = pool(['--file', path.join(dir, 'inspect.json')], { PLATFORM_CONFIG: path.join(dir, 'platform.yaml') });
    expect([res.status, res.stderr]).toEqual([1, expect.stringContaining(`error: ${path.join(dir, 'inspect.json')} is not JSON`)]);
  });

  test('reads --file, --network, --count and --dry-run, and refuses the rest', () => {
    expect(parsePoolArgs(['--file', '-', '--network', 'k3d-x', '--count', '20', '--dry-run'])).toEqual({ file: '-', network: 'k3d-x', count: 20, dryRun: true });
    expect(() => parsePoolArgs(['--count', '0'])).toThrow('--count "0" is not a positive whole number');
    expect(() => parsePoolArgs(['--subnet', 'x'])).toThrow(new UsageError('Unknown option \'--subnet\''));
    expect(() => parsePoolArgs(['--count'])).toThrow(new UsageError('Option \'--count <value>\' argument missing'));
  });
});
