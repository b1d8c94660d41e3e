// `npm run synth` as a user runs it (node bin/synth.js), in a scratch copy of the repository with
// node_modules linked: the build it makes and remakes, the "nothing changed" path, and output that is
// byte for byte what a synth without caches writes, cold, warm and after each kind of edit.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { copyRepository } from '../scripts/bench';
import { childEnv, readTree, standInCharts, TEST_KEY, testHelm, tmpDir } from './helpers';

const HOSTS = '# /etc/hosts: the routed hostnames at the ingress gateway (the first address of the MetalLB pool)\n';
/** What a synth must not load on the "nothing changed" path: the synth's bundle (which holds cdk8s, cdk8s-plus, constructs and the YAML libraries) and the packages it loads. */
const HEAVY = /node_modules\/(cdk8s|cdk8s-plus-27|ajv|js-yaml|yaml|kubernetes-models|constructs)\/|build\/main\.js$/;

describe('npm run synth (bin/synth.js and its build)', () => {
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let lockFile: string;
  let storeDir: string;
  let loadedFile: string;

  beforeAll(() => {
    repo = path.join(fs.realpathSync(tmpDir('launcher-')), 'repo');
    copyRepository(repo);
    fs.writeFileSync(path.join(repo, 'platform.yaml'), 'profile: lab\n');
    const standIns = standInCharts();
    lockFile = path.join(repo, 'mirror-lock.yaml');
    fs.copyFileSync(standIns.lock.file, lockFile);
    storeDir = standIns.store.dir;
    // Writes, when a synth exits, the packages it loaded that the "nothing changed" path must not load.
    loadedFile = path.join(repo, 'loaded.txt');
    const preload = path.join(repo, 'loaded.js');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loadedFile)}, Object.keys(require.cache).filter((k) => ${HEAVY}.test(k)).join('\\n')));\n`);
    env = childEnv({
      PLATFORM_CONFIG: path.join(repo, 'platform.yaml'), CHART_STORE: storeDir, CHART_LOCK: lockFile,
      CDK8S_OUTDIR: path.join(repo, 'dist'), SYNTH_CACHE: path.join(repo, '.synth-cache'), NODE_OPTIONS: `--require ${preload}`, HELM: testHelm().path,
    });
  });

  const synth = (args: string[] = [], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [path.join(repo, 'bin', 'synth.js'), ...args], { cwd: repo, encoding: 'utf8', env: { ...env, ...extra } });
  const loaded = () => fs.readFileSync(loadedFile, 'utf8').split('\n').filter(Boolean);
  /** Both output folders of a synth into `outdir`, markers included. */
  const output = (outdir: string) => ({ dist: readTree(outdir), secrets: readTree(`${outdir}-secrets`) });
  /** What a synth without caches writes now, into a folder of its own. */
  const uncached = (extra: NodeJS.ProcessEnv = {}) => {
    const outdir = path.join(tmpDir('uncached-'), 'dist');
    const res = synth(['--no-cache'], { ...extra, CDK8S_OUTDIR: outdir });
    expect([res.status, res.stderr]).toEqual([0, expect.not.stringContaining('error')]);
    return output(outdir);
  };

  test('builds build/ when it has none, synthesizes, and then finds nothing changed without loading cdk8s, helm or the validators', () => {
    const first = synth();
    expect([first.status, first.stdout.startsWith(HOSTS)]).toEqual([0, true]);
    expect(first.stderr).toMatch(/^rebuilt build\/ \(there is no build yet\) in [\d.]+ s\nsynthesizing: no record of an earlier synth into this output\nhelm v/);
    expect(first.stderr).toMatch(/\nrendered istiod \(istiod 1\.30\.3\): \d+ objects in \d+ ms\n/);
    expect(first.stderr).toMatch(/\nvalidated \d+ objects in \d+ ms\n/);
    expect(first.stderr).toMatch(/\nwrote \d+ objects to dist\/ \(01-crds-namespaces: \d+, .*\), \d+ Secrets? with values to dist-secrets\/ \(.*\) and the k3d cluster config to dist\/k3d\/cluster\.yaml .* in [\d.]+ s\n$/);
    expect(loaded()).toContainEqual(expect.stringMatching(/\/build\/main\.js$/));
    // V8's code cache of the bundle, for the next synth
    expect(fs.existsSync(path.join(repo, 'build', 'main.js.code-cache'))).toBe(true);

    const again = synth();
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/^nothing changed since the last synth: dist\/ and dist-secrets\/ are as it wrote them \(every input and output file checked in \d+ ms\)\n$/);
    expect(again.stdout).toBe(first.stdout);
    expect(loaded()).toEqual([]);
  });

  test('gives byte for byte what a synth without caches gives: cold, warm, and after each kind of input changed', () => {
    fs.rmSync(env.SYNTH_CACHE!, { recursive: true, force: true });
    const cold = synth();
    expect(cold.stderr).toContain('synthesizing: no record');
    expect(output(env.CDK8S_OUTDIR!)).toEqual(uncached());
    const warm = synth();
    expect(warm.stderr).toMatch(/^nothing changed/);
    expect(output(env.CDK8S_OUTDIR!)).toEqual(uncached());

    const edits: Array<[string, () => NodeJS.ProcessEnv | void, RegExp]> = [
      ['the configuration', () => fs.writeFileSync(path.join(repo, 'platform.yaml'), 'profile: lab\njupyterhub: { hostname: hub.example.org }\n'), /platform\.yaml changed/],
      ['a values file', () => fs.appendFileSync(path.join(repo, 'helm-values', 'istiod.yaml'), 'pilot: { replicaCount: 2 }\n'), /helm-values changed/],
      ['the lock', () => fs.appendFileSync(lockFile, '# a comment\n'), /mirror-lock\.yaml changed/],
      ['the key', () => ({ PLATFORM_KEY: '7a'.repeat(32) }), /the environment changed/],
      ['the admin password', () => ({ PLATFORM_KEY: '7a'.repeat(32), JUPYTERHUB_ADMIN_PASSWORD: 'p'.repeat(40) }), /the environment changed/],
      ['helm at another path', () => {
        const other = path.join(tmpDir('helm-'), 'helm');
        fs.symlinkSync(testHelm().path, other);
        return { HELM: other };
      }, /the environment changed/],
    ];
    let extra: NodeJS.ProcessEnv = {};
    for (const [name, edit, why] of edits) {
      extra = { ...extra, ...(edit() ?? {}) };
      const res = synth([], extra);
      expect([name, res.status, res.stderr.split('\n')[0]]).toEqual([name, 0, expect.stringMatching(why)]);
      expect([name, output(env.CDK8S_OUTDIR!)]).toEqual([name, uncached(extra)]);
      expect(synth([], extra).stderr).toMatch(/^nothing changed/);
    }
  });

  test('an archive with other bytes (and the lock pinning them) is synthesized anew', () => {
    expect(synth().status).toBe(0);
    const archive = path.join(storeDir, 'metallb-0.16.1.tgz');
    const bytes = fs.readFileSync(archive);
    bytes[4] ^= 1; // gzip's header time: the same chart in other bytes
    const before = require('crypto').createHash('sha256').update(fs.readFileSync(archive)).digest('hex');
    fs.writeFileSync(archive, bytes);
    const after = require('crypto').createHash('sha256').update(bytes).digest('hex');
    fs.writeFileSync(lockFile, fs.readFileSync(lockFile, 'utf8').replace(before, after));
    const res = synth();
    expect([res.status, res.stderr.split('\n')[0]]).toEqual([0, `synthesizing: ${lockFile} changed`]);
    expect(output(env.CDK8S_OUTDIR!)).toEqual(uncached());
  });

  test('a file of dist/ or dist-secrets/ edited, added or removed is synthesized anew', () => {
    const dist = env.CDK8S_OUTDIR!;
    expect(synth().status).toBe(0);
    const reference = output(dist);
    const edits: Array<[() => void, string]> = [
      [() => fs.appendFileSync(path.join(dist, '04-apps', 'manifests.yaml'), '# mine\n'), `synthesizing: ${dist}/04-apps/manifests.yaml changed`],
      [() => fs.rmSync(path.join(dist, 'k3d', 'cluster.yaml')), `synthesizing: ${dist}/k3d/cluster.yaml is missing`],
      [() => fs.writeFileSync(path.join(`${dist}-secrets`, '02-controllers', 'manifests.yaml'), 'kind: Secret\n'), `synthesizing: ${dist}-secrets/02-controllers/manifests.yaml changed`],
    ];
    for (const [edit, said] of edits) {
      edit();
      const res = synth();
      expect([res.status, res.stderr.split('\n')[0]]).toEqual([0, said]);
      expect(output(dist)).toEqual(reference);
    }
    // A file synth did not write makes synth refuse the folder, as it always has.
    fs.writeFileSync(path.join(dist, 'mine.yaml'), 'a: 1\n');
    const refused = synth();
    expect([refused.status, refused.stderr.split('\n')[0]]).toEqual([1, `synthesizing: ${dist}/mine.yaml is not synth's`]);
    fs.rmSync(path.join(dist, 'mine.yaml'));
  });

  test('damaged render cache entries are misses: the output is still what a synth without caches gives', () => {
    const renders = path.join(env.SYNTH_CACHE!, 'render');
    expect(synth().status).toBe(0);
    const names = fs.readdirSync(renders);
    expect(names.length).toBeGreaterThan(0);
    for (const [i, name] of names.entries()) {
      const file = path.join(renders, name);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, i % 2 ? text.slice(0, text.length / 2) : text.replace(/"name":"/, '"name":"x'));
    }
    fs.appendFileSync(path.join(repo, 'platform.yaml'), '# edited\n');
    const res = synth();
    expect(res.status).toBe(0);
    expect(res.stderr).not.toContain('from the render cache');
    expect(output(env.CDK8S_OUTDIR!)).toEqual(uncached());
  });

  test('--quiet prints no step: a synth says only its summary and the hosts lines, a run with nothing changed one line', () => {
    fs.appendFileSync(path.join(repo, 'platform.yaml'), '# edited again\n');
    const full = synth(['--quiet']);
    expect(full.status).toBe(0);
    expect(full.stderr).toMatch(/^wrote \d+ objects to dist\/ .* in [\d.]+ s\n$/);
    expect(full.stdout.startsWith(HOSTS)).toBe(true);
    const quick = synth(['--quiet']);
    expect(quick.stderr).toMatch(/^nothing changed since the last synth: [^\n]*\n$/);
    expect(quick.stdout).toBe(full.stdout);
  });

  test('rebuilds build/ when a source changed, and the change shows; a hand-edited or missing build is rebuilt too', () => {
    const platform = path.join(repo, 'charts', 'platform.ts');
    fs.writeFileSync(platform, fs.readFileSync(platform, 'utf8').replace('# /etc/hosts: the routed hostnames', '# /etc/hosts (edited): the routed hostnames'));
    const res = synth();
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^rebuilt build\/ \(charts\/platform\.ts changed\) in [\d.]+ s\nsynthesizing: the tool's code or its dependencies changed\n/);
    expect(res.stdout).toContain('# /etc/hosts (edited): the routed hostnames');

    // Installing other versions of the packages rebuilds too: the bundle holds some of them.
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(repo, 'build', 'build-info.json'), 'utf8')).sources)).toContain('node_modules/.package-lock.json');

    fs.appendFileSync(path.join(repo, 'build', 'main.js'), '\n// edited by hand\n');
    expect(synth().stderr).toMatch(/^rebuilt build\/ \(build\/main\.js was changed by hand\)/);
    fs.rmSync(path.join(repo, 'build'), { recursive: true });
    const rebuilt = synth();
    expect(rebuilt.stderr).toMatch(/^rebuilt build\/ \(there is no build yet\)/);
    // The same sources give the same bundle: the record still holds.
    expect(rebuilt.stderr.split('\n')[1]).toMatch(/^nothing changed/);
  });

  test('tsx main.ts (cdk8s synth) writes the same output as npm run synth', () => {
    expect(synth().status).toBe(0);
    const outdir = path.join(tmpDir('tsx-'), 'dist');
    const res = spawnSync(path.join(repo, 'node_modules', '.bin', 'tsx'), ['main.ts'], { cwd: repo, encoding: 'utf8', env: { ...env, CDK8S_OUTDIR: outdir, NODE_OPTIONS: '' } });
    expect(res.status).toBe(0);
    expect(output(outdir)).toEqual(output(env.CDK8S_OUTDIR!));
  });

  test('fails on an unknown argument with the usage and exit code 2, without looking at the output', () => {
    const res = synth(['--chek']);
    expect([res.status, res.stderr]).toEqual([2, 'error: Unknown option \'--chek\'\nusage: npm run synth -- [--check] [--quiet] [--no-cache]\n(npm run synth -- --help for more)\n']);
  });

  test('the key is recorded only as part of a digest', () => {
    const records = path.join(env.SYNTH_CACHE!, 'synth');
    for (const name of fs.readdirSync(records)) expect(fs.readFileSync(path.join(records, name), 'utf8')).not.toContain(TEST_KEY);
  });
});
