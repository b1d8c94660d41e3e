import * as fs from 'fs';
import * as path from 'path';
import { ProtectedPath, checkOutputLocations, checkOwnership, shorten } from '../../lib/output-guard';
import { MARKER_FILE } from '../../lib/output-marker';
import { nodeOutputFs, OutputFs } from '../../lib/output-fs';
import { writeOutput } from '../../lib/output-writer';
import { readTree, tmpDir, treeState } from '../helpers';

const FIX = 'point CDK8S_OUTDIR at a folder of its own (one that holds nothing but synth\'s output)';
const SECRETS_FIX = `${FIX}; the secrets folder follows it as <it>-secrets`;
const FILES = { output: new Map([['01-a.yaml', 'a: 1\n'], ['k3d/cluster.yaml', 'k: 1\n']]), secrets: new Map([['02-b.yaml', 'kind: Secret\n']]) };
const EARLIER = [/^0[0-9]-[^/]+\.yaml$/, 'k3d/cluster.yaml'];

/** A temp dir laid out like a user's machine: a repository, a chart store, a home folder and other folders. */
function machine() {
  const root = fs.realpathSync(tmpDir('guard-'));
  const repo = path.join(root, 'repo');
  const write = (rel: string, content = `${rel}\n`) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  };
  for (const f of ['repo/main.ts', 'repo/.git/HEAD', 'repo/platform.yaml', 'repo/helm-values/istiod.yaml', 'repo/helm-lock.yaml',
    'repo/.platform-key', 'repo/.cache/helm', 'repo/notes.txt', 'stores/charts/metallb-0.16.1.tgz', 'home/photo.jpg']) write(f);
  fs.symlinkSync(repo, path.join(root, 'alias'));
  const protectedPaths: ProtectedPath[] = [
    { path: repo, what: 'the repository' }, { path: path.join(repo, 'platform.yaml'), what: 'the configuration file' },
    { path: path.join(repo, 'helm-values'), what: 'the values folder', containsNoOutput: true }, { path: path.join(repo, 'helm-lock.yaml'), what: 'the chart lock' },
    { path: path.join(root, 'stores/charts'), what: 'the chart store', containsNoOutput: true }, { path: path.join(repo, '.platform-key'), what: 'the installation key file' },
    { path: path.join(repo, '.cache'), what: 'the cache folder' },
  ];
  return { root, repo, write, options: { protectedPaths, homeDir: path.join(root, 'home'), earlierOutputNames: EARLIER, log: () => {} } };
}

/** node's fs that refuses every change: a refusal must come before anything is written. */
const readOnly: OutputFs = {
  ...nodeOutputFs,
  ...Object.fromEntries(['mkdir', 'writeFile', 'rename', 'unlink', 'rmdir'].map((op) => [op, () => { throw new Error(`the guard let a ${op} through`); }])),
};

describe('output folders synth refuses to replace', () => {
  type Case = [name: string, pair: (root: string, repo: string) => [string, string?], message: (root: string, repo: string) => string];
  const LOCATIONS: Case[] = [
    ['the file-system root', () => ['/'], () => `output folder / is the root of the file system, which synth would replace as a whole: ${FIX}`],
    ['the home folder', (root) => [path.join(root, 'home')], (root) => `output folder ${root}/home is your home folder, which synth would replace as a whole: ${FIX}`],
    ['a folder holding the home folder', (root) => [root], (root) => `output folder ${root} holds your home folder ${root}/home, which synth would replace with it: ${FIX}`],
    ['the repository', (_, repo) => [repo], (_, repo) => `output folder ${repo} is the repository, which synth would replace as a whole: ${FIX}`],
    ['the repository, as CDK8S_OUTDIR=. sees it', (_, repo) => [`${repo}/dist/..`], (_, repo) => `output folder ${repo} is the repository, which synth would replace as a whole: ${FIX}`],
    ['a folder holding the chart store', (root) => [path.join(root, 'stores')], (root) => `output folder ${root}/stores holds the chart store ${root}/stores/charts, which synth would replace with it: ${FIX}`],
    ['the configuration file', (_, repo) => [`${repo}/platform.yaml`], (_, repo) => `output folder ${repo}/platform.yaml is the configuration file, which synth would replace as a whole: ${FIX}`],
    ['the values folder', (_, repo) => [`${repo}/helm-values`], (_, repo) => `output folder ${repo}/helm-values is the values folder, which synth would replace as a whole: ${FIX}`],
    ['a folder inside the values folder', (_, repo) => [`${repo}/helm-values/out`], (_, repo) => `output folder ${repo}/helm-values/out is inside the values folder ${repo}/helm-values, which holds no output: ${FIX}`],
    ['a new folder two levels inside the values folder, through a symlinked parent', (root) => [`${root}/alias/helm-values/a/out`],
      (root, repo) => `output folder ${root}/alias/helm-values/a/out is inside the values folder ${repo}/helm-values, which holds no output: ${FIX}`],
    ['the values folder through a symlinked parent', (root) => [`${root}/alias/helm-values`], (root) => `output folder ${root}/alias/helm-values is the values folder, which synth would replace as a whole: ${FIX}`],
    ['the chart lock', (_, repo) => [`${repo}/helm-lock.yaml`], (_, repo) => `output folder ${repo}/helm-lock.yaml is the chart lock, which synth would replace as a whole: ${FIX}`],
    ['the chart store', (root) => [`${root}/stores/charts`], (root) => `output folder ${root}/stores/charts is the chart store, which synth would replace as a whole: ${FIX}`],
    ['a folder inside the chart store', (root) => [`${root}/stores/charts/dist`], (root) => `output folder ${root}/stores/charts/dist is inside the chart store ${root}/stores/charts, which holds no output: ${FIX}`],
    ['the key file', (_, repo) => [`${repo}/.platform-key`], (_, repo) => `output folder ${repo}/.platform-key is the installation key file, which synth would replace as a whole: ${FIX}`],
    ['the cache folder', (_, repo) => [`${repo}/.cache`], (_, repo) => `output folder ${repo}/.cache is the cache folder, which synth would replace as a whole: ${FIX}`],
    ['a regular file', (_, repo) => [`${repo}/notes.txt`], (_, repo) => `output folder ${repo}/notes.txt is a file, not a folder: ${FIX}`],
    ['a symlink', (root) => [`${root}/alias`], (root, repo) => `output folder ${root}/alias is a symbolic link to ${repo}: synth replaces its folder by renaming, which would replace the link, not the folder: point CDK8S_OUTDIR at the real folder, or remove the link`],
    ['a secrets folder that is the repository', (root, repo) => [`${root}/out`, repo], (_, repo) => `secrets folder ${repo} is the repository, which synth would replace as a whole: ${SECRETS_FIX}`],
    ['a secrets folder that is a file', (root, repo) => [`${root}/out`, `${repo}/notes.txt`], (_, repo) => `secrets folder ${repo}/notes.txt is a file, not a folder: ${SECRETS_FIX}`],
    ['a secrets folder that is the output folder', (root) => [`${root}/out`, `${root}/out`], (root) => `secrets folder ${root}/out is the output folder too: Secrets that carry values must stay out of the output; give them a folder of their own`],
    ['a secrets folder inside the output folder', (root) => [`${root}/out`, `${root}/out/secrets`], (root) => `secrets folder ${root}/out/secrets is inside the output folder ${root}/out: each is replaced as a whole, so neither may hold the other; keep them apart`],
    ['an output folder inside the secrets folder', (root) => [`${root}/s/out`, `${root}/s`], (root) => `output folder ${root}/s/out is inside the secrets folder ${root}/s: each is replaced as a whole, so neither may hold the other; keep them apart`],
  ];

  test.each(LOCATIONS)('fails on %s, before anything is written, and changes nothing', async (_name, pairOf, message) => {
    const { root, repo, options } = machine();
    const before = treeState(root);
    const [outdir, secretsDir] = pairOf(root, repo);
    await expect(writeOutput({ outdir, secretsDir: secretsDir ?? `${outdir}-secrets` }, FILES, { ...options, fs: readOnly })).rejects.toThrow(new Error(message(root, repo)));
    expect(treeState(root)).toEqual(before);
  });

  test('fails on a mount point, whose rename would fail with EBUSY', async () => {
    const { root, options } = machine();
    fs.mkdirSync(path.join(root, 'mnt'));
    fs.mkdirSync(path.join(root, 'mnt-secrets'));
    const before = treeState(root);
    // A mount point is where the device changes; a test cannot mount, so the fs reports one.
    const mountedAt = (at: string): OutputFs => ({ ...readOnly, lstat: (p) => { const st = nodeOutputFs.lstat(p); return st && p === at ? { ...st, dev: st.dev + 1 } : st; } });
    const pair = { outdir: path.join(root, 'mnt'), secretsDir: path.join(root, 'mnt-secrets') };
    await expect(writeOutput(pair, FILES, { ...options, fs: mountedAt(pair.outdir) })).rejects.toThrow(new Error(
      `output folder ${root}/mnt is a mount point (another file system than ${root}): synth replaces its folder by renaming, which a mount point refuses (EBUSY): use a plain folder inside the mount instead (point CDK8S_OUTDIR at it)`));
    await expect(writeOutput(pair, FILES, { ...options, fs: mountedAt(pair.secretsDir) })).rejects.toThrow(new Error(
      `secrets folder ${root}/mnt-secrets is a mount point (another file system than ${root}): synth replaces its folder by renaming, which a mount point refuses (EBUSY): ` +
      'use plain folders inside the mount instead (point CDK8S_OUTDIR at one; the secrets folder follows it as <it>-secrets)'));
    expect(treeState(root)).toEqual(before);
  });

  const OWNERSHIP: Array<[name: string, files: Record<string, string>, message: (dir: string) => string]> = [
    ['other files and no marker', { 'notes.txt': 'mine', 'photos/a.jpg': 'jpg', '01-a.yaml': 'old' },
      (dir) => `output folder ${dir} holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): notes.txt, photos/a.jpg; synth replaces the folder as a whole, so move them out, or ${FIX}`],
    ['many other files, naming the first three', { 'a.txt': '1', 'b.txt': '2', 'c.txt': '3', 'd.txt': '4', 'e.txt': '5' },
      (dir) => `output folder ${dir} holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): a.txt, b.txt, c.txt and more; synth replaces the folder as a whole, so move them out, or ${FIX}`],
    ['a file beside an earlier synth\'s k3d config', { '01-a.yaml': 'old', 'k3d/cluster.yaml': 'old', 'k3d/notes.txt': 'mine' },
      (dir) => `output folder ${dir} holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): k3d/notes.txt; synth replaces the folder as a whole, so move them out, or ${FIX}`],
    ['a file its marker does not list', { [MARKER_FILE]: `# synth-manifest 1\n${'0'.repeat(64)}  01-a.yaml\n`, '01-a.yaml': 'old', 'my-patch.yaml': 'mine' },
      (dir) => `output folder ${dir} holds files its ${MARKER_FILE} does not list: my-patch.yaml; synth replaces the folder as a whole, so move them out, or ${FIX}`],
    ['a marker synth did not write', { [MARKER_FILE]: 'hello\n', '01-a.yaml': 'old' },
      (dir) => `output folder ${dir} has a ${MARKER_FILE} synth did not write (line 1 is "hello", not "# synth-manifest 1"), so synth cannot tell its files from yours: move your files out of the folder and delete it, or ${FIX}`],
  ];

  test.each(OWNERSHIP)('fails on a non-empty folder synth did not write: %s, and changes nothing', async (_name, files, message) => {
    const { root, write, options } = machine();
    for (const [f, c] of Object.entries(files)) write(`out/${f}`, c);
    const before = treeState(root);
    await expect(writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options)).rejects.toThrow(new Error(message(`${root}/out`)));
    expect(treeState(root)).toEqual(before);
  });

  test('fails on a special file (a FIFO, a socket, a device)', () => {
    const { root, repo, options } = machine();
    const special: OutputFs = { ...readOnly, lstat: (p) => { const st = nodeOutputFs.lstat(p); return st && p === `${repo}/notes.txt` ? { ...st, type: 'other' } : st; } };
    expect(() => checkOutputLocations({ outdir: `${repo}/notes.txt`, secretsDir: `${root}/s` }, { ...options, fs: special })).toThrow(new Error(
      `output folder ${repo}/notes.txt is a special file, not a folder: ${FIX}`));
  });

  test('fails on a marker that is a folder, naming why synth cannot trust it', () => {
    const { root, write, options } = machine();
    write('out/01-a.yaml', 'old');
    fs.mkdirSync(`${root}/out/${MARKER_FILE}`);
    expect(() => checkOwnership({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, options)).toThrow(new Error(
      `output folder ${root}/out has a ${MARKER_FILE} synth did not write (it is not a file), so synth cannot tell its files from yours: move your files out of the folder and delete it, or ${FIX}`));
  });

  test('names three files without "and more" when there are three, in name order whatever order the folder lists them in', () => {
    const { root, write, options } = machine();
    for (const f of ['c.txt', 'a.txt', 'b.txt']) write(`out/${f}`);
    const reversed: OutputFs = { ...readOnly, readdir: (p) => nodeOutputFs.readdir(p).sort().reverse() };
    expect(() => checkOwnership({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, { ...options, fs: reversed })).toThrow(new Error(
      `output folder ${root}/out holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): a.txt, b.txt, c.txt; synth replaces the folder as a whole, so move them out, or ${FIX}`));
  });

  test('checks the folders the swap replaces: an empty path is the working folder, not an absent one', () => {
    const { root, write, options } = machine();
    write('work/notes.txt');
    const cwd = process.cwd();
    process.chdir(`${root}/work`);
    try {
      expect(() => checkOwnership({ outdir: `${root}/out`, secretsDir: '' }, options)).toThrow(new Error(
        `secrets folder ${root}/work holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): notes.txt; synth replaces the folder as a whole, so move them out, or ${FIX}`));
    } finally {
      process.chdir(cwd);
    }
  });

  test('stops looking after the fourth file it does not own: a folder past them is not listed', () => {
    const { root, write, options } = machine();
    for (const f of ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'z/e.txt']) write(`out/${f}`);
    const unlistable: OutputFs = { ...readOnly, readdir: (p) => { if (p === `${root}/out/z`) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }); return nodeOutputFs.readdir(p); } };
    expect(() => checkOwnership({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, { ...options, fs: unlistable })).toThrow(new Error(
      `output folder ${root}/out holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): a.txt, b.txt, c.txt and more; synth replaces the folder as a whole, so move them out, or ${FIX}`));
  });

  test('fails on a link named like a phase file, and on a secrets folder with other files', async () => {
    const { root, repo, write, options } = machine();
    fs.mkdirSync(`${root}/out`);
    fs.symlinkSync(`${repo}/main.ts`, `${root}/out/01-a.yaml`);
    const before = treeState(root);
    await expect(writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options)).rejects.toThrow(new Error(
      `output folder ${root}/out holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): 01-a.yaml (a symbolic link); synth replaces the folder as a whole, so move them out, or ${FIX}`));
    fs.rmSync(`${root}/out/01-a.yaml`);
    write('out-secrets/token.txt', 'mine');
    const before2 = treeState(root);
    await expect(writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options)).rejects.toThrow(new Error(
      `secrets folder ${root}/out-secrets holds files synth did not write (it has no ${MARKER_FILE}, and they are not names synth writes): token.txt; synth replaces the folder as a whole, so move them out, or ${FIX}`));
    expect(treeState(root)).toEqual(before2);
    expect(before2).not.toEqual(before);
  });
});

describe('output folders synth replaces', () => {
  const replaces = async (files: Record<string, string>) => {
    const { root, write, options } = machine();
    for (const [f, c] of Object.entries(files)) write(`out/${f}`, c);
    await writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options);
    expect(Object.keys(readTree(`${root}/out`)).sort()).toEqual([MARKER_FILE, '01-a.yaml', 'k3d/cluster.yaml']);
    expect(readTree(`${root}/out`)['01-a.yaml']).toBe('a: 1\n');
    expect(fs.readdirSync(root).sort()).toEqual(['alias', 'home', 'out', 'out-secrets', 'repo', 'stores']);
  };

  test('a folder that does not exist yet, or an empty one', async () => {
    await replaces({});
    const { root, options } = machine();
    fs.mkdirSync(`${root}/out/empty/deeper`, { recursive: true });
    await writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options);
    expect(fs.readdirSync(`${root}/out`).sort()).toEqual([MARKER_FILE, '01-a.yaml', 'k3d']);
  });

  test('an earlier synth\'s output without a marker: only phase files and the k3d config', async () => {
    await replaces({ '01-crds.yaml': 'old', '05-gone.yaml': 'old', 'k3d/cluster.yaml': 'old' });
  });

  test('its own output, files it lists edited or deleted included', async () => {
    const { root, options } = machine();
    await writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, { output: new Map([['01-old.yaml', 'x'], ['02-gone.yaml', 'y']]), secrets: new Map() }, options);
    fs.writeFileSync(`${root}/out/01-old.yaml`, 'edited by hand');
    fs.rmSync(`${root}/out/02-gone.yaml`);
    await writeOutput({ outdir: `${root}/out`, secretsDir: `${root}/out-secrets` }, FILES, options);
    expect(readTree(`${root}/out`)).toEqual(expect.objectContaining({ '01-a.yaml': 'a: 1\n', 'k3d/cluster.yaml': 'k: 1\n' }));
    expect(Object.keys(readTree(`${root}/out`))).toHaveLength(3);
  });
});

describe('shorten', () => {
  test('keeps short values and cuts long ones in the middle', () => {
    expect(shorten('abc')).toBe('abc');
    expect(shorten('a'.repeat(160))).toBe('a'.repeat(160));
    expect(shorten('a'.repeat(161))).toBe(`${'a'.repeat(79)}…${'a'.repeat(79)}`);
    expect(shorten('a'.repeat(100) + 'b'.repeat(100))).toBe(`${'a'.repeat(79)}…${'b'.repeat(79)}`);
  });

  test('a location check reads only: it passes on a fresh folder', () => {
    const { root } = machine();
    expect(() => checkOutputLocations({ outdir: `${root}/dist`, secretsDir: `${root}/dist-secrets` }, { fs: readOnly, homeDir: `${root}/home` })).not.toThrow();
  });
});
