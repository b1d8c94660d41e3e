import fs = require('fs');
import * as path from 'path';
import { ChartLock } from '../../../lib/helm/lock';
import { ChartsNotReady, copyCharts, pullCharts, writeMirrorLock } from '../../../lib/helm/pull';
import { ChartStore } from '../../../lib/helm/store';
import { HelmBinary } from '../../../lib/helm/binary';
import { fakeHelm, fakeRepositoryHelm, packageChart, sha256Of, tmpDir, writeLock } from '../../helpers';

const REPO = 'https://charts.example.com';
const OFFLINE = 'without network, copy the published archive into a folder DIR and run `npm run charts:pull -- --from DIR`';

/** Three charts as their repository publishes them (the stand-in fixture under three names), and a lock that pins two. */
function published() {
  const dir = tmpDir('published-');
  const archives = {
    alpha: packageChart('stand-in', dir, { name: 'alpha', version: '1.0.0' }),
    beta: packageChart('stand-in', dir, { name: 'beta', version: '2.0.0' }),
    gamma: packageChart('stand-in', dir, { name: 'gamma', version: '3.0.0' }),
  };
  const sha = { alpha: sha256Of(archives.alpha), beta: sha256Of(archives.beta), gamma: sha256Of(archives.gamma) };
  return { dir, archives, sha };
}

/** An archive of the same chart, name and version that is not the published one (another chart's templates). */
const repackaged = (name: string, version: string) => packageChart('crds-dir', tmpDir('repackaged-'), { name, version });

/** What a store folder holds, hidden files included. */
const contents = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('the routes to a verified chart store', () => {
  let pub: ReturnType<typeof published>;
  beforeAll(() => {
    pub = published();
  });
  let dir: string;
  let lock: ChartLock;
  let store: ChartStore;
  let lines: string[];
  beforeEach(() => {
    dir = tmpDir();
    lock = writeLock(dir, [
      { key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: pub.sha.alpha },
      { key: 'beta', chart: 'beta', version: '2.0.0', sha256: pub.sha.beta },
      { key: 'gamma', chart: 'gamma', version: '3.0.0' },
    ]);
    store = new ChartStore(path.join(dir, 'store'));
    lines = [];
  });
  const log = (l: string) => lines.push(l);

  describe('online: pullCharts', () => {
    const pull = (helm: HelmBinary = fakeRepositoryHelm(pub.dir), timeoutSeconds?: number) =>
      pullCharts({ lock, store, helm, homeDir: tmpDir('helm-home-'), log, timeoutSeconds });

    test('downloads what is missing, checks it against the lock, records a digest only for what it downloaded, and says so per chart', () => {
      const helm = fakeRepositoryHelm(pub.dir);
      const result = pull(helm);
      expect(lines).toEqual([
        `downloaded  alpha: alpha-1.0.0.tgz from ${REPO}, matches the lock`,
        `downloaded  beta: beta-2.0.0.tgz from ${REPO}, matches the lock`,
        `recorded    gamma: gamma-3.0.0.tgz from ${REPO}; its sha256 ${pub.sha.gamma} is now in ${lock.file}`,
      ]);
      expect(helm.pulls()).toEqual(['alpha 1.0.0', 'beta 2.0.0', 'gamma 3.0.0']);
      expect(ChartLock.load(lock.file).charts.map((c) => c.sha256)).toEqual([pub.sha.alpha, pub.sha.beta, pub.sha.gamma]);
      expect(result.lock.get('gamma').sha256).toBe(pub.sha.gamma);
      expect(contents(store.dir)).toEqual(['alpha-1.0.0.tgz', 'beta-2.0.0.tgz', 'gamma-3.0.0.tgz']);
      expect(fs.readFileSync(store.pathOf(lock.get('beta')))).toEqual(fs.readFileSync(pub.archives.beta));
    });

    test('an archive already in the store and verified is not downloaded again, pinned or not', () => {
      fs.mkdirSync(store.dir);
      for (const a of Object.values(pub.archives)) fs.copyFileSync(a, path.join(store.dir, path.basename(a)));
      const before = fs.readFileSync(lock.file, 'utf8');
      const helm = fakeRepositoryHelm(pub.dir);
      pull(helm);
      expect(lines).toEqual([
        'ok          alpha: alpha-1.0.0.tgz is in the store and matches the lock',
        'ok          beta: beta-2.0.0.tgz is in the store and matches the lock',
        'ok          gamma: gamma-3.0.0.tgz is in the store, a usable chart archive; the lock pins no digest for it ' +
          '(to record the published one, delete the archive and run `npm run charts:pull` again)',
      ]);
      expect(helm.pulls()).toEqual([]);
      expect(fs.readFileSync(lock.file, 'utf8')).toBe(before);
    });

    test('an archive in the store that fails its digest, or is damaged, is downloaded again and replaced', () => {
      fs.mkdirSync(store.dir);
      const wrong = repackaged('alpha', '1.0.0');
      fs.copyFileSync(wrong, store.pathOf(lock.get('alpha')));
      fs.writeFileSync(store.pathOf(lock.get('beta')), '<html>rate limited</html>');
      fs.copyFileSync(pub.archives.gamma, store.pathOf(lock.get('gamma')));
      const helm = fakeRepositoryHelm(pub.dir);
      pull(helm);
      expect(lines.slice(0, 2)).toEqual([
        `downloaded  alpha: alpha-1.0.0.tgz from ${REPO}, matches the lock; it replaced the store's copy, which had sha256 ${sha256Of(wrong)}`,
        `downloaded  beta: beta-2.0.0.tgz from ${REPO}, matches the lock; it replaced the store's copy, which was not usable`,
      ]);
      expect(helm.pulls()).toEqual(['alpha 1.0.0', 'beta 2.0.0']);
      expect([sha256Of(store.pathOf(lock.get('alpha'))), sha256Of(store.pathOf(lock.get('beta')))]).toEqual([pub.sha.alpha, pub.sha.beta]);
      expect(contents(store.dir)).toEqual(['alpha-1.0.0.tgz', 'beta-2.0.0.tgz', 'gamma-3.0.0.tgz']);
    });

    test('fails on a repository that serves other bytes than the lock pins, naming both digests, and stores nothing', () => {
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: 'a'.repeat(64) }]);
      const err = (() => {
        try {
          pull();
        } catch (e) {
          return e as ChartsNotReady;
        }
        throw new Error('pullCharts did not fail');
      })();
      expect(lines).toEqual([`mismatch    alpha: ${REPO} serves alpha-1.0.0.tgz with sha256 ${pub.sha.alpha}, the lock pins ${'a'.repeat(64)}: nothing was stored`]);
      expect(err).toEqual(new Error(`1 of 1 charts of ${lock.file} are not in ${store.dir}, verified: alpha differs from the lock's digest: ` +
        'the repository serves other bytes than the lock pins: the published archive changed, or the repository is not the one the lock means; check why before you change the lock'));
      expect(err.mismatch).toBe(true);
      expect(contents(store.dir)).toEqual([]);
    });

    test('a chart helm cannot pull fails with helm\'s words and the offline route; the others are still brought in', () => {
      const partial = tmpDir();
      fs.copyFileSync(pub.archives.alpha, path.join(partial, 'alpha-1.0.0.tgz'));
      fs.copyFileSync(pub.archives.gamma, path.join(partial, 'gamma-3.0.0.tgz'));
      expect(() => pull(fakeRepositoryHelm(partial))).toThrow(new Error(
        `1 of 3 charts of ${lock.file} are not in ${store.dir}, verified: beta failed: the lines above say why and what to do`));
      expect(lines[1]).toBe(`failed      beta: helm pull beta 2.0.0 from ${REPO} failed: Error: chart "beta" version "2.0.0" not found in ${REPO} repository; ${OFFLINE}`);
      expect(contents(store.dir)).toEqual(['alpha-1.0.0.tgz', 'gamma-3.0.0.tgz']);
      expect(ChartLock.load(lock.file).get('gamma').sha256).toBe(pub.sha.gamma);
    });

    test('a pull that fails while the store holds a copy that fails its digest names that copy and the mirror route too', () => {
      fs.mkdirSync(store.dir);
      const wrong = repackaged('alpha', '1.0.0');
      fs.copyFileSync(wrong, store.pathOf(lock.get('alpha')));
      expect(() => pull(fakeRepositoryHelm(tmpDir()))).toThrow(ChartsNotReady);
      const mirror = path.join(store.dir, 'mirror-lock.yaml');
      expect(lines[0]).toBe(`failed      alpha: helm pull alpha 1.0.0 from ${REPO} failed: Error: chart "alpha" version "1.0.0" not found in ${REPO} repository; ` +
        `the store's copy has sha256 ${sha256Of(wrong)}, which the lock does not pin; ${OFFLINE}; if the store holds archives you re-packaged, pin them in a lock of their own: ` +
        `\`CHART_STORE=${store.dir} npm run charts:pull -- --mirror-lock ${mirror}\`, then \`CHART_STORE=${store.dir} CHART_LOCK=${mirror} npm run synth\``);
      expect(sha256Of(store.pathOf(lock.get('alpha')))).toBe(sha256Of(wrong));
    });

    test('fails on a helm pull that outlasts the time limit, stopping it then, and leaves nothing in the store', () => {
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0' }]);
      const started = Date.now();
      expect(() => pull(fakeHelm('exec sleep 5'), 1)).toThrow(ChartsNotReady);
      expect(lines).toEqual([`failed      alpha: helm pull alpha 1.0.0 from ${REPO}: helm did not finish within 1 s, so it was stopped; ${OFFLINE}`]);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(contents(store.dir)).toEqual([]);
    });

    test('fails on a pulled file that is not a chart archive, and records nothing', () => {
      lock = writeLock(dir, [{ key: 'gamma', chart: 'gamma', version: '3.0.0' }]);
      const junk = tmpDir();
      fs.writeFileSync(path.join(junk, 'gamma-3.0.0.tgz'), '<html>rate limited</html>');
      expect(() => pull(fakeRepositoryHelm(junk))).toThrow(ChartsNotReady);
      expect(lines[0]).toMatch(new RegExp(`^failed      gamma: helm pull gamma 3\\.0\\.0 from ${REPO.replace(/\./g, '\\.')}: archive .*/gamma-3\\.0\\.0\\.tgz is not a usable chart archive: ` +
        `it is not gzip-compressed, so not a chart archive; check that ${REPO.replace(/\./g, '\\.')} is the chart's repository and that nothing between \\(a proxy\\) answers in its place; `));
      expect(ChartLock.load(lock.file).get('gamma').sha256).toBeUndefined();
      expect(contents(store.dir)).toEqual([]);
    });
  });

  describe('online: pullCharts, what helm said', () => {
    /** Pulls alpha alone with a helm that runs `script`; returns its line. */
    const pullWith = (script: string) => {
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: pub.sha.alpha }]);
      let err: ChartsNotReady | undefined;
      try {
        pullCharts({ lock, store, helm: fakeHelm(script), homeDir: tmpDir('helm-home-'), log });
      } catch (e) {
        err = e as ChartsNotReady;
      }
      expect(err?.message).toBe(`1 of 1 charts of ${lock.file} are not in ${store.dir}, verified: alpha failed: the lines above say why and what to do`);
      expect(err?.mismatch).toBe(false);
      return lines[0];
    };
    const failed = (said: string) => `failed      alpha: helm pull alpha 1.0.0 from ${REPO} ${said}; ${OFFLINE}`;

    test('asks helm for the chart, version and repository the lock names, into a folder of its own', () => {
      const args = path.join(tmpDir(), 'args');
      pullWith(`echo "$@" > '${args}'; exit 1`);
      expect(fs.readFileSync(args, 'utf8')).toMatch(new RegExp(`^pull alpha --repo ${REPO.replace(/\./g, '\\.')} --version 1\\.0\\.0 --destination ${store.incomingDir()}/\\S+\n$`));
    });

    test('gives helm\'s error lines trimmed and joined on one line', () => {
      expect(pullWith('printf "  Error: first  \\n\\n   second\\n" >&2; exit 1')).toBe(failed('failed: Error: first second'));
    });

    test('cuts what helm said at 500 characters, and not before', () => {
      expect(pullWith(`printf '%s' '${'e'.repeat(500)}' >&2; exit 1`)).toBe(failed(`failed: ${'e'.repeat(500)}`));
      lines = [];
      expect(pullWith(`printf '%s' '${'e'.repeat(501)}' >&2; exit 1`)).toBe(failed(`failed: ${'e'.repeat(497)}...`));
    });

    test('gives the exit code, or the signal, of a helm that said nothing', () => {
      expect(pullWith('exit 3')).toBe(failed('failed: exit code 3'));
      lines = [];
      expect(pullWith('kill -9 $$')).toBe(failed('failed: exit code SIGKILL'));
    });

    test('fails on a helm that succeeds without writing the archive, naming what it wrote', () => {
      expect(pullWith('exit 0')).toBe(failed('did not produce alpha-1.0.0.tgz (it wrote nothing)'));
      lines = [];
      expect(pullWith('while [ $# -gt 0 ]; do [ "$1" = --destination ] && touch "$2/other.tgz"; shift; done')).toBe(failed('did not produce alpha-1.0.0.tgz (it wrote other.tgz)'));
    });

    test('prints each chart\'s line on stderr when given no log', () => {
      fs.mkdirSync(store.dir);
      fs.copyFileSync(pub.archives.alpha, store.pathOf(lock.get('alpha')));
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: pub.sha.alpha }]);
      const written: string[] = [];
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
      try {
        pullCharts({ lock, store, helm: fakeHelm('exit 1'), homeDir: tmpDir('helm-home-') });
      } finally {
        jest.restoreAllMocks();
      }
      expect(written).toEqual(['ok          alpha: alpha-1.0.0.tgz is in the store and matches the lock\n']);
    });
  });

  describe('offline: copyCharts --from', () => {
    let wrongAlpha: string;
    beforeAll(() => {
      wrongAlpha = repackaged('alpha', '1.0.0');
    });

    test('copies each archive from the folder into the store, verified against the lock, and says so per chart', () => {
      copyCharts({ lock, store, from: pub.dir, log });
      expect(lines).toEqual([
        `copied      alpha: alpha-1.0.0.tgz from ${pub.dir}, matches the lock`,
        `copied      beta: beta-2.0.0.tgz from ${pub.dir}, matches the lock`,
        `copied      gamma: gamma-3.0.0.tgz from ${pub.dir}, a usable chart archive; the lock pins no digest for it`,
      ]);
      expect(contents(store.dir)).toEqual(['alpha-1.0.0.tgz', 'beta-2.0.0.tgz', 'gamma-3.0.0.tgz']);
      expect(fs.readFileSync(store.pathOf(lock.get('gamma')))).toEqual(fs.readFileSync(pub.archives.gamma));
      expect(ChartLock.load(lock.file).get('gamma').sha256).toBeUndefined();
    });

    test('an archive the store already holds, the same bytes, is left as it is', () => {
      copyCharts({ lock, store, from: pub.dir, log: () => undefined });
      const inode = fs.statSync(store.pathOf(lock.get('alpha'))).ino;
      copyCharts({ lock, store, from: pub.dir, log });
      expect(lines[0]).toBe(`ok          alpha: alpha-1.0.0.tgz in the store is the same as in ${pub.dir}, matches the lock`);
      expect(fs.statSync(store.pathOf(lock.get('alpha'))).ino).toBe(inode);
    });

    test('refuses a re-packaged archive, naming both digests and the mirror route, and copies nothing of it', () => {
      const from = tmpDir('from-');
      const wrong = packageChart('crds-dir', from, { name: 'alpha', version: '1.0.0' });
      fs.copyFileSync(pub.archives.beta, path.join(from, 'beta-2.0.0.tgz'));
      fs.copyFileSync(pub.archives.gamma, path.join(from, 'gamma-3.0.0.tgz'));
      const mirror = path.join(store.dir, 'mirror-lock.yaml');
      let err: ChartsNotReady | undefined;
      try {
        copyCharts({ lock, store, from, log });
      } catch (e) {
        err = e as ChartsNotReady;
      }
      expect(lines[0]).toBe(`mismatch    alpha: ${wrong} has sha256 ${sha256Of(wrong)}, the lock pins ${pub.sha.alpha}: it is not the published archive, so it was not copied`);
      expect(err).toEqual(new Error(`1 of 3 charts of ${lock.file} are not in ${store.dir}, verified: alpha differs from the lock's digest: ` +
        'for the published archives, run `npm run charts:pull` where the chart repositories are reachable; if these are re-packaged copies, pin them in a lock of their own: ' +
        `\`CHART_STORE=${store.dir} npm run charts:pull -- --mirror-lock ${mirror} --from ${from}\`, then \`CHART_STORE=${store.dir} CHART_LOCK=${mirror} npm run synth\``));
      expect(err!.mismatch).toBe(true);
      expect(contents(store.dir)).toEqual(['beta-2.0.0.tgz', 'gamma-3.0.0.tgz']);
    });

    const refused: Array<[string, (store: ChartStore, from: string) => void, (store: ChartStore, from: string) => string]> = [
      ['a store copy that fails its digest, with the folder lacking the archive', (s) => {
        fs.mkdirSync(s.dir);
        fs.copyFileSync(wrongAlpha, path.join(s.dir, 'alpha-1.0.0.tgz'));
      }, (_s, from) => `mismatch    alpha: alpha-1.0.0.tgz is not in ${from}, and the store's copy has sha256 ${sha256Of(wrongAlpha)}, the lock pins ${pub.sha.alpha}`],
      ['an archive in neither the folder nor the store', () => undefined,
        (_s, from) => `failed      alpha: alpha-1.0.0.tgz is in neither ${from} nor the store: copy the published archive into ${from} ` +
          `(helm pull alpha --repo ${REPO} --version 1.0.0, where that repository is reachable), or run \`npm run charts:pull\` online`],
      ['a damaged archive in the folder', (_s, from) => fs.writeFileSync(path.join(from, 'alpha-1.0.0.tgz'), 'not gzip'),
        (_s, from) => `failed      alpha: archive ${from}/alpha-1.0.0.tgz is not a usable chart archive: it is not gzip-compressed, so not a chart archive; ` +
          `put the chart's published archive there (helm pull alpha --repo ${REPO} --version 1.0.0, where that repository is reachable); nothing was copied`],
      ['a symlink in the folder that leads out of it', (_s, from) => fs.symlinkSync(pub.archives.alpha, path.join(from, 'alpha-1.0.0.tgz')),
        (_s, from) => `failed      alpha: archive ${from}/alpha-1.0.0.tgz leads to ${fs.realpathSync(pub.archives.alpha)}, outside ${from}: ` +
          `copy the archive itself into ${from}; nothing was copied`],
    ];
    test.each(refused)('refuses %s, offline, naming it', (_name, make, line) => {
      const from = tmpDir('from-');
      make(store, from);
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0', sha256: pub.sha.alpha }]);
      expect(() => copyCharts({ lock, store, from, log })).toThrow(ChartsNotReady);
      expect(lines).toEqual([line(store, from)]);
      expect(contents(store.dir).filter((f) => f !== 'alpha-1.0.0.tgz')).toEqual([]);
    });

    test('fails on a chart store that cannot be created, naming it', () => {
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, '');
      const blocked = new ChartStore(path.join(file, 'store'));
      expect(() => copyCharts({ lock, store: blocked, from: pub.dir, log })).toThrow(new Error(
        `the chart store ${blocked.dir} cannot be created (ENOTDIR): set CHART_STORE to a folder this user may write, or to where it may create one`));
      expect(lines).toEqual([]);
    });

    test('fails on a folder that does not exist, naming the option and the folder', () => {
      expect(() => copyCharts({ lock, store, from: path.join(dir, 'nope'), log })).toThrow(new Error(
        `--from ${path.join(dir, 'nope')} does not exist: give the folder that holds the chart archives`));
    });
  });

  describe('offline: copyCharts --from, the store\'s side', () => {
    const copyAlpha = (from: string, sha256?: string) => {
      lock = writeLock(dir, [{ key: 'alpha', chart: 'alpha', version: '1.0.0', ...(sha256 ? { sha256 } : {}) }]);
      return () => copyCharts({ lock, store, from, log });
    };

    test('a chart the folder lacks is fine when the store\'s copy verifies', () => {
      fs.mkdirSync(store.dir);
      fs.copyFileSync(pub.archives.alpha, store.pathOf(lock.get('alpha')));
      const from = tmpDir('from-');
      copyAlpha(from, pub.sha.alpha)();
      expect(lines).toEqual([`ok          alpha: alpha-1.0.0.tgz is not in ${from}; the store's copy matches the lock`]);
    });

    test('fails on a chart the folder lacks when the store\'s copy is not usable, naming why', () => {
      fs.mkdirSync(store.dir);
      fs.writeFileSync(store.pathOf(lock.get('alpha')), 'not gzip');
      const from = tmpDir('from-');
      expect(copyAlpha(from, pub.sha.alpha)).toThrow(new Error(`1 of 1 charts of ${lock.file} are not in ${store.dir}, verified: alpha failed: the lines above say why and what to do`));
      expect(lines).toEqual([`failed      alpha: alpha-1.0.0.tgz is not in ${from}, and the store's copy is not usable (it is not a usable chart archive: ` +
        `it is not gzip-compressed, so not a chart archive): copy the published archive into ${from} (helm pull alpha --repo ${REPO} --version 1.0.0, ` +
        'where that repository is reachable), or run `npm run charts:pull` online']);
    });

    test('replaces a store copy that differs, for a chart the lock pins no digest for, and says what it replaced', () => {
      fs.mkdirSync(store.dir);
      const wrong = repackaged('alpha', '1.0.0');
      fs.copyFileSync(wrong, store.pathOf(lock.get('alpha')));
      copyAlpha(path.dirname(pub.archives.alpha))();
      expect(lines).toEqual([`copied      alpha: alpha-1.0.0.tgz from ${path.dirname(pub.archives.alpha)}, a usable chart archive; the lock pins no digest for it; ` +
        `it replaced the store's copy (the store's copy has sha256 ${sha256Of(wrong)}, which the lock does not pin)`]);
      expect(sha256Of(store.pathOf(lock.get('alpha')))).toBe(pub.sha.alpha);
    });

    test('fails on a store path it cannot put the archive at, naming it', () => {
      fs.mkdirSync(path.join(store.pathOf(lock.get('alpha')), 'x'), { recursive: true });
      const file = store.pathOf(lock.get('alpha'));
      expect(copyAlpha(path.dirname(pub.archives.alpha), pub.sha.alpha)).toThrow(ChartsNotReady);
      expect(lines).toEqual([`failed      alpha: the archive cannot be put at ${file} (EISDIR): that path must be free or hold an archive; move what is there out of the chart store`]);
    });

    test('names every chart whose archive differs from the lock', () => {
      const from = tmpDir('from-');
      packageChart('crds-dir', from, { name: 'alpha', version: '1.0.0' });
      packageChart('crds-dir', from, { name: 'beta', version: '2.0.0' });
      fs.copyFileSync(pub.archives.gamma, path.join(from, 'gamma-3.0.0.tgz'));
      expect(() => copyCharts({ lock, store, from, log })).toThrow(new Error(`2 of 3 charts of ${lock.file} are not in ${store.dir}, verified: alpha, beta differ from the lock's digest: ` +
        'for the published archives, run `npm run charts:pull` where the chart repositories are reachable; if these are re-packaged copies, pin them in a lock of their own: ' +
        `\`CHART_STORE=${store.dir} npm run charts:pull -- --mirror-lock ${path.join(store.dir, 'mirror-lock.yaml')} --from ${from}\`, then \`CHART_STORE=${store.dir} CHART_LOCK=${path.join(store.dir, 'mirror-lock.yaml')} npm run synth\``));
    });

    test('fails on a --from that is a file, or a path through one, naming it', () => {
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, '');
      expect(() => copyCharts({ lock, store, from: file, log })).toThrow(new Error(
        `--from ${file} is not a folder: give the folder that holds the chart archives, named as helm names them (<chart>-<version>.tgz)`));
      expect(() => copyCharts({ lock, store, from: path.join(file, 'x'), log })).toThrow(new Error(
        `--from ${path.join(file, 'x')} cannot be read (ENOTDIR): give the folder that holds the chart archives`));
    });
  });

  describe('a mirror of re-packaged archives: writeMirrorLock', () => {
    /** A folder of archives that are not the published ones: alpha and beta re-packaged, gamma as published. */
    let mirrorDir: string;
    let sha: Record<string, string>;
    beforeAll(() => {
      mirrorDir = tmpDir('mirror-');
      fs.copyFileSync(pub.archives.gamma, path.join(mirrorDir, 'gamma-3.0.0.tgz'));
      sha = {
        alpha: sha256Of(packageChart('crds-dir', mirrorDir, { name: 'alpha', version: '1.0.0' })),
        beta: sha256Of(packageChart('crd-in-template', mirrorDir, { name: 'beta', version: '2.0.0' })),
        gamma: pub.sha.gamma,
      };
    });
    const expected = (source: string) => [
      `# A mirror lock, written by \`npm run charts:pull -- --mirror-lock\`: the charts of ${lock.file},`,
      `# with the sha256 of the archives in ${source}, which may be re-packaged copies, not the published ones.`,
      '# Synthesize with it: CHART_LOCK=<this file> npm run synth, or charts.lock: <this file> in platform.yaml.',
      '# Write it again the same way after a change to helm-lock.yaml; never copy its digests into helm-lock.yaml.',
      'charts:',
      ...(['alpha', 'beta', 'gamma'] as const).flatMap((k, i) => [`  ${k}:`, `    repo: ${REPO}`, `    chart: ${k}`, `    version: ${i + 1}.0.0`, `    sha256: ${sha[k]}`]),
      '',
    ].join('\n');

    test('pins the archives of a folder in a lock of their own, copies them into the store, and never touches the chart lock', () => {
      const file = path.join(dir, 'mirror', 'mirror-lock.yaml');
      const before = fs.readFileSync(lock.file, 'utf8');
      const result = writeMirrorLock({ lock, store, file, from: mirrorDir, log });
      expect(fs.readFileSync(file, 'utf8')).toBe(expected(mirrorDir));
      expect(lines).toEqual([
        `pinned      alpha: alpha-1.0.0.tgz sha256 ${sha.alpha} (helm-lock.yaml pins ${pub.sha.alpha}: not the published archive), copied from ${mirrorDir} into the store`,
        `pinned      beta: beta-2.0.0.tgz sha256 ${sha.beta} (helm-lock.yaml pins ${pub.sha.beta}: not the published archive), copied from ${mirrorDir} into the store`,
        `pinned      gamma: gamma-3.0.0.tgz sha256 ${sha.gamma} (helm-lock.yaml pins none), copied from ${mirrorDir} into the store`,
      ]);
      expect(result.lock.file).toBe(file);
      expect(fs.readFileSync(lock.file, 'utf8')).toBe(before);
      expect(contents(store.dir)).toEqual(['alpha-1.0.0.tgz', 'beta-2.0.0.tgz', 'gamma-3.0.0.tgz']);
      // The store, with the mirror lock, verifies.
      for (const c of result.lock.charts) expect(store.check(c).pinned).toBe(true);
    });

    test('is reproducible: the same archives give the same bytes, from the folder or from the store', () => {
      const file = path.join(dir, 'mirror-lock.yaml');
      writeMirrorLock({ lock, store, file, from: mirrorDir, log: () => undefined });
      const first = fs.readFileSync(file);
      writeMirrorLock({ lock, store, file, from: mirrorDir, log });
      expect(fs.readFileSync(file)).toEqual(first);
      expect(lines[0]).toBe(`pinned      alpha: alpha-1.0.0.tgz sha256 ${sha.alpha} (helm-lock.yaml pins ${pub.sha.alpha}: not the published archive)`);
      writeMirrorLock({ lock, store, file, log: () => undefined });
      expect(fs.readFileSync(file, 'utf8')).toBe(expected(store.dir));
      expect(contents(dir)).toEqual(['helm-lock.yaml', 'mirror-lock.yaml', 'store']);
    });

    test('refuses to write over the chart lock it reads, by its path or through a symlink, and leaves it as it was', () => {
      const before = fs.readFileSync(lock.file, 'utf8');
      const link = path.join(tmpDir(), 'link.yaml');
      fs.symlinkSync(lock.file, link);
      for (const file of [lock.file, link]) {
        expect(() => writeMirrorLock({ lock, store, file, from: mirrorDir, log })).toThrow(new Error(
          `--mirror-lock ${file} is the chart lock ${lock.file}: a mirror lock is a file of its own and the chart lock keeps the published digests; ` +
          `choose another file, such as ${path.join(store.dir, 'mirror-lock.yaml')}`));
      }
      expect(fs.readFileSync(lock.file, 'utf8')).toBe(before);
      expect(contents(store.dir)).toEqual([]);
    });

    test('refuses to write over a file that is not a mirror lock', () => {
      const file = path.join(dir, 'notes.yaml');
      fs.writeFileSync(file, 'my notes\n');
      expect(() => writeMirrorLock({ lock, store, file, from: mirrorDir, log })).toThrow(new Error(
        `--mirror-lock ${file} exists and is not a mirror lock (it does not start with "# A mirror lock"), so it is not replaced: ` +
        `choose another file, such as ${path.join(store.dir, 'mirror-lock.yaml')}, or move it away`));
      expect(fs.readFileSync(file, 'utf8')).toBe('my notes\n');
    });

    test('writes nothing and copies nothing when an archive is missing or unusable, and names each', () => {
      const partial = tmpDir('partial-');
      fs.copyFileSync(path.join(mirrorDir, 'alpha-1.0.0.tgz'), path.join(partial, 'alpha-1.0.0.tgz'));
      fs.writeFileSync(path.join(partial, 'gamma-3.0.0.tgz'), 'not gzip');
      const file = path.join(dir, 'mirror-lock.yaml');
      expect(() => writeMirrorLock({ lock, store, file, from: partial, log })).toThrow(new Error(
        `2 of 3 charts of ${lock.file} have no usable archive in ${partial} (nothing was written): beta, gamma failed: the lines above say why and what to do`));
      expect(lines).toEqual([
        `failed      beta: archive ${partial}/beta-2.0.0.tgz does not exist: copy the archive into ${partial}`,
        `failed      gamma: archive ${partial}/gamma-3.0.0.tgz is not a usable chart archive: it is not gzip-compressed, so not a chart archive; ` +
          `put the chart's published archive there (helm pull gamma --repo ${REPO} --version 3.0.0, where that repository is reachable)`,
      ]);
      expect(fs.existsSync(file)).toBe(false);
      expect(contents(store.dir)).toEqual([]);
    });

    test('pins the store\'s archives when given no folder, saying which are the published ones', () => {
      fs.mkdirSync(store.dir);
      for (const a of Object.values(pub.archives)) fs.copyFileSync(a, path.join(store.dir, path.basename(a)));
      writeMirrorLock({ lock, store, file: path.join(dir, 'mirror-lock.yaml'), log });
      expect(lines).toEqual([
        `pinned      alpha: alpha-1.0.0.tgz sha256 ${pub.sha.alpha} (the same as helm-lock.yaml: the published archive)`,
        `pinned      beta: beta-2.0.0.tgz sha256 ${pub.sha.beta} (the same as helm-lock.yaml: the published archive)`,
        `pinned      gamma: gamma-3.0.0.tgz sha256 ${pub.sha.gamma} (helm-lock.yaml pins none)`,
      ]);
    });

    test('fails on a chart the store lacks, when given no folder, saying where to put it', () => {
      fs.mkdirSync(store.dir);
      fs.copyFileSync(pub.archives.alpha, store.pathOf(lock.get('alpha')));
      fs.copyFileSync(pub.archives.gamma, store.pathOf(lock.get('gamma')));
      const file = store.pathOf(lock.get('beta'));
      fs.writeFileSync(file, 'x');
      const denied = Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
      jest.spyOn(fs, 'openSync').mockImplementation(() => { throw denied; });
      try {
        expect(() => writeMirrorLock({ lock, store, file: path.join(dir, 'mirror-lock.yaml'), log })).toThrow(ChartsNotReady);
      } finally {
        jest.restoreAllMocks();
      }
      fs.rmSync(file);
      expect(() => writeMirrorLock({ lock, store, file: path.join(dir, 'mirror-lock.yaml'), log })).toThrow(ChartsNotReady);
      expect(lines).toEqual([
        `failed      alpha: archive ${store.pathOf(lock.get('alpha'))} cannot be read: permission denied: make it readable by this user`,
        `failed      beta: archive ${file} cannot be read: permission denied: make it readable by this user`,
        `failed      gamma: archive ${store.pathOf(lock.get('gamma'))} cannot be read: permission denied: make it readable by this user`,
        `failed      beta: archive ${file} does not exist: put the archive in the chart store, or name the folder that holds the archives with --from DIR`,
      ]);
    });

    test('fails on a --from that does not exist, naming the option', () => {
      expect(() => writeMirrorLock({ lock, store, file: path.join(dir, 'mirror-lock.yaml'), from: path.join(dir, 'nope'), log })).toThrow(new Error(
        `--from ${path.join(dir, 'nope')} does not exist: give the folder that holds the chart archives`));
    });

    test('refuses a target that is a folder, or that changes while it is read', () => {
      const folder = path.join(dir, 'a-folder');
      fs.mkdirSync(folder);
      expect(() => writeMirrorLock({ lock, store, file: folder, from: mirrorDir, log })).toThrow(new Error(
        `--mirror-lock ${folder} is a folder, not a regular file: choose another file, such as ${path.join(store.dir, 'mirror-lock.yaml')}`));
      const file = path.join(dir, 'mirror-lock.yaml');
      fs.writeFileSync(file, '# A mirror lock\n');
      const openSync = fs.openSync;
      jest.spyOn(fs, 'openSync').mockImplementationOnce(((p: fs.PathLike, ...rest: any[]) => {
        fs.writeFileSync(`${p}.new`, '# A mirror lock\n');
        fs.renameSync(`${p}.new`, p);
        return (openSync as any)(p, ...rest);
      }) as typeof fs.openSync);
      try {
        expect(() => writeMirrorLock({ lock, store, file, from: mirrorDir, log })).toThrow(new Error(
          `--mirror-lock ${file} changed while it was read (now a regular file): run again, with nothing writing to it`));
      } finally {
        jest.restoreAllMocks();
      }
    });

    test('writes over a mirror lock it wrote before, at another path than the chart lock', () => {
      const file = path.join(dir, 'mirror-lock.yaml');
      fs.writeFileSync(file, '# A mirror lock, stale\n');
      writeMirrorLock({ lock, store, file, from: mirrorDir, log });
      expect(fs.readFileSync(file, 'utf8')).toBe(expected(mirrorDir));
    });
  });
});
