import * as fs from 'fs';
import * as path from 'path';
import { OutputFs } from '../../lib/output-fs';
import { withMarkers } from '../../lib/output-marker';
import { journalOf, recoverPair, writePair } from '../../lib/output-swap';
import { recoverOutput, writeOutput } from '../../lib/output-writer';
import { faultyFs, readTree, tmpDir, treeState, unflushedFs } from '../helpers';

const OLD = {
  output: new Map([['01-a.yaml', 'a: old\n'], ['02-b.yaml', 'b: old\n'], ['k3d/cluster.yaml', 'k3d: old\n']]),
  secrets: new Map([['02-b.yaml', 'secret: old\n']]),
};
const NEW = {
  output: new Map([['01-a.yaml', 'a: new\n'], ['03-c.yaml', 'c: new\n'], ['k3d/cluster.yaml', 'k3d: new\n']]),
  secrets: new Map([['02-b.yaml', 'secret: new\n'], ['04-d.yaml', 'secret: new\n']]),
};
const quiet = { log: () => {} };

/** A folder holding the old pair, written by the writer. */
async function oldPair() {
  const parent = tmpDir('swap-');
  const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
  await writeOutput(pair, OLD, { ...quiet, fs: unflushedFs });
  return { parent, pair };
}

const pairState = (parent: string) => ({ beside: fs.readdirSync(parent).sort(), dist: treeState(path.join(parent, 'dist')), secrets: treeState(path.join(parent, 'dist-secrets')) });

/** node's fs (unflushed) that fails, once each, the first call each fault matches (`op path...`, as faultyFs counts them). */
function failingFs(...faults: Array<{ when: (call: string) => boolean; code: string }>): OutputFs {
  const left = [...faults];
  return Object.fromEntries(Object.entries(unflushedFs).map(([op, fn]) => [op, (...args: any[]) => {
    const call = `${op} ${args.filter((a) => typeof a === 'string').join(' ')}`;
    const fault = left.find((f) => f.when(call));
    if (fault) {
      left.splice(left.indexOf(fault), 1);
      throw Object.assign(new Error(`${fault.code}: simulated, ${op} '${args[0]}'`), { code: fault.code });
    }
    return (fn as (...a: any[]) => unknown)(...args);
  }])) as unknown as OutputFs;
}

const EIO_FIX = 'the disk reports an I/O error: check it, then run it again';
const RUN = '[0-9]+-[0-9a-f]{8}';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Written before the suites that share a counted write in a beforeAll hook: these state the plain write
// on their own, so each fails by itself when the write is broken.
describe('writePair', () => {
  test('creates missing parent folders and writes exactly the files, nested folders included; Secrets mode 600 in folders mode 700', () => {
    const parent = path.join(tmpDir('swap-'), 'a', 'b');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    const output = new Map([['01-a.yaml', 'a\n'], ['k3d/cluster.yaml', 'k\n'], ['k3d/registry.yaml', 'r\n'], ['x/y/z.yaml', 'z\n']]);
    writePair(pair, { output, secrets: new Map([['s/02-b.yaml', 'secret\n']]) }, quiet);
    expect(readTree(pair.outdir)).toEqual({ '01-a.yaml': 'a\n', 'k3d/cluster.yaml': 'k\n', 'k3d/registry.yaml': 'r\n', 'x/y/z.yaml': 'z\n' });
    expect(treeState(pair.secretsDir)).toEqual({ '.': 'folder 700', s: 'folder 700', 's/02-b.yaml': `file 600 ${Buffer.from('secret\n').toString('base64')}` });
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
  });

  test('flushes each file and each folder it staged before the journal names them, and the parent after the renames, before the journal goes', async () => {
    const { parent, pair } = await oldPair();
    const { io, calls } = faultyFs();
    writePair(pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: io });
    const journalWrite = calls.findIndex((c) => c.startsWith('writeFile ') && c.includes('.dist.swap.tmp-'));
    const staged = calls.slice(0, journalWrite);
    const written = staged.filter((c) => c.startsWith('writeFile ')).map((c) => c.split(' ')[1]);
    const folders = staged.filter((c) => c.startsWith('mkdir ')).map((c) => c.split(' ')[1]);
    expect(written).toHaveLength(NEW.output.size + NEW.secrets.size + 2);
    expect(folders).toHaveLength(3); // two staging folders and the output's k3d/
    for (const f of written) expect(staged.indexOf(`fsyncFile ${f}`)).toBeGreaterThan(staged.indexOf(`writeFile ${f}`));
    for (const d of folders) {
      // The folder's entries are final once the last file or folder in it is created.
      const lastInside = Math.max(...staged.map((c, i) => (/^(mkdir|writeFile) /.test(c) && path.dirname(c.split(' ')[1]) === d ? i : -1)));
      expect(staged.lastIndexOf(`fsyncDir ${d}`)).toBeGreaterThan(lastInside);
    }
    const journalGone = calls.indexOf(`unlink ${journalOf(pair.outdir)}`);
    const lastRename = Math.max(...calls.map((c, i) => (c.startsWith('rename ') ? i : -1)));
    expect(calls.slice(lastRename, journalGone)).toContain(`fsyncDir ${parent}`);
  });

  test('reports a cleanup that fails after the swap as a warning, to stderr unless told otherwise', async () => {
    const warning = (old: string) => new RegExp(`^warning: cannot remove the folder ${escapeRe(path.dirname(old))}/\\.dist\\.old-${RUN} \\(EIO: simulated\\): ${EIO_FIX}; ` +
      'the new output is in place, and the next synth removes what is left of the old one$');
    const first = await oldPair();
    const log: string[] = [];
    writePair(first.pair, withMarkers(NEW.output, NEW.secrets), { log: (l) => log.push(l), fs: failingFs({ when: (c) => /^rmdir .*\/\.dist\.old-[0-9]+-[0-9a-f]{8}$/.test(c), code: 'EIO' }) });
    expect(log).toEqual([expect.stringMatching(warning(first.pair.outdir))]);
    const second = await oldPair();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      writePair(second.pair, withMarkers(NEW.output, NEW.secrets), { fs: failingFs({ when: (c) => /^rmdir .*\/\.dist\.old-[0-9]+-[0-9a-f]{8}$/.test(c), code: 'EIO' }) });
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(new RegExp(`${warning(second.pair.outdir).source.slice(0, -1)}\\n$`))]);
    } finally {
      stderr.mockRestore();
    }
  });

  test('fails saying the next run finishes the swap when undoing a recorded swap fails too; the next run does', async () => {
    const { parent, pair } = await oldPair();
    const io = failingFs(
      { when: (c) => /^rename .*\/\.dist-secrets\.new-\S+ .*\/dist-secrets$/.test(c), code: 'EIO' },
      { when: (c) => /^rename .*\/dist .*\/\.dist\.new-/.test(c), code: 'EIO' },
    );
    const error = (() => { try { writePair(pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: io }); } catch (e) { return e as Error; } return undefined; })();
    expect(error?.message).toMatch(new RegExp(`^cannot replace ${escapeRe(pair.outdir)} and ${escapeRe(pair.secretsDir)}: ` +
      `cannot rename ${escapeRe(parent)}/\\.dist-secrets\\.new-${RUN} to ${escapeRe(pair.secretsDir)} \\(EIO: simulated\\): ${EIO_FIX}; ` +
      `undoing it failed too \\(cannot rename ${escapeRe(pair.outdir)} to ${escapeRe(parent)}/\\.dist\\.new-${RUN} \\(EIO: simulated\\): ${EIO_FIX}\\), ` +
      'so the next synth, deploy or synth --check finishes the swap before anything else$'));
    await recoverOutput(pair, quiet);
    expect(readTree(pair.outdir)).toEqual(Object.fromEntries(withMarkers(NEW.output, NEW.secrets).output));
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
  });

  test('fails saying the next run removes what it left when undoing an unrecorded swap fails too; the next run does', async () => {
    const { parent, pair } = await oldPair();
    const before = pairState(parent);
    const io = failingFs(
      { when: (c) => /^writeFile .*\/\.dist-secrets\.new-/.test(c), code: 'ENOSPC' },
      { when: (c) => /^unlink .*\/\.dist\.new-/.test(c), code: 'EIO' },
    );
    expect(() => writePair(pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: io })).toThrow(new RegExp(
      `^cannot replace ${escapeRe(pair.outdir)} and ${escapeRe(pair.secretsDir)}: cannot write ${escapeRe(parent)}/\\.dist-secrets\\.new-${RUN}/\\S+ \\(ENOSPC: simulated\\): ` +
      `free space on that disk and run it again; undoing it failed too \\(cannot remove ${escapeRe(parent)}/\\.dist\\.new-${RUN}/\\S+ \\(EIO: simulated\\): ${EIO_FIX}\\), ` +
      'so the next synth, deploy or synth --check removes what this one left before anything else$'));
    expect(fs.readdirSync(parent).filter((n) => n.startsWith('.dist.new-'))).toHaveLength(1);
    await recoverOutput(pair, quiet);
    expect(pairState(parent)).toEqual(before);
  });
});

describe('recovery', () => {
  test('finishes a swap a crash stopped between the renames (dist/ new, dist-secrets/ old), from its journal', async () => {
    const first = await oldPair();
    const counting = faultyFs();
    writePair(first.pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: counting.io });
    const expected = pairState(first.parent);
    const at = counting.calls.findIndex((c) => c.startsWith('rename ') && c.endsWith(` ${first.pair.outdir}`)) + 1;
    const { parent, pair } = await oldPair();
    expect(() => writePair(pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: faultyFs({ at, code: 'ECRASH', crash: true }).io })).toThrow();
    expect(fs.readdirSync(parent)).toContain('.dist.swap');
    expect(fs.readFileSync(path.join(pair.outdir, '03-c.yaml'), 'utf8')).toBe('c: new\n');
    expect(fs.readFileSync(path.join(pair.secretsDir, '02-b.yaml'), 'utf8')).toBe('secret: old\n');
    const log: string[] = [];
    recoverPair(pair, { log: (l) => log.push(l) });
    expect(log).toEqual([`finished the swap an interrupted synth began: ${pair.outdir} and ${pair.secretsDir} hold its output`]);
    expect(pairState(parent)).toEqual(expected);
  });

  test('removes only what the writer and the one before it leave, and restores a folder the one before it lost', async () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    const make = (name: string, file = true) => (file ? fs.mkdirSync(path.join(parent, name), { recursive: true }) : fs.writeFileSync(path.join(parent, name), 'x'));
    for (const n of ['.dist.new-1234-0123abcd', '.dist.old-99-ffffffff', '.dist-secrets.new-1234-0123abcd/sub', '.dist.new-Ab3xYz', '.dist-secrets.old-q1w2e3']) make(n);
    make('.dist.swap.tmp-1234-0123abcd', false);
    const kept = ['.dist.newer', '.dist.new-1234-xyz', '.dist.new-abcdefg', 'dist.new-1-0123abcd', '.dist.new-notes', '.dist-secrets.swap.tmp-1-0123abcd'];
    for (const n of kept) make(n);
    make('.dist.old-5-0123abcd', false); // a file, not a folder the writer makes
    fs.writeFileSync(path.join(parent, '.dist-secrets.old-q1w2e3', '02-b.yaml'), 'the only copy');
    const log: string[] = [];
    recoverPair(pair, { log: (l) => log.push(l) });
    expect(fs.readdirSync(parent).sort()).toEqual([...kept, '.dist.old-5-0123abcd', 'dist-secrets'].sort());
    expect(fs.readFileSync(path.join(pair.secretsDir, '02-b.yaml'), 'utf8')).toBe('the only copy');
    expect(log).toEqual([
      `removed what an interrupted synth left beside ${pair.outdir}: .dist.new-1234-0123abcd, .dist.new-Ab3xYz, .dist.old-99-ffffffff, .dist.swap.tmp-1234-0123abcd`,
      `restored ${pair.secretsDir} from .dist-secrets.old-q1w2e3, which an interrupted synth of an earlier version left`,
      `removed what an interrupted synth left beside ${pair.secretsDir}: .dist-secrets.new-1234-0123abcd`,
    ]);
  });

  test('fails on a journal changed by hand, or one that records other folders, and changes nothing', async () => {
    const { parent, pair } = await oldPair();
    const journal = journalOf(pair.outdir);
    const cases: Array<[string, string]> = [
      ['{"journal": "synth-swap"', `the swap journal ${journal} does not parse (`],
      [JSON.stringify({ journal: 'synth-swap', version: 1, folders: [{ target: '/', staging: '/etc', old: '/x' }, {}] }), `the swap journal ${journal} is not one synth writes; synth writes it whole, so it was changed by hand: ` +
        `check that ${pair.outdir} and ${pair.secretsDir} hold what you expect, then delete it`],
      [JSON.stringify({ journal: 'synth-swap', version: 1, folders: ['/o/dist', '/o/dist-secrets'].map((t) => ({ target: t, staging: `/o/.${path.basename(t)}.new-1-0123abcd`, old: `/o/.${path.basename(t)}.old-1-0123abcd` })) }),
        `the swap journal ${journal} records a swap of /o/dist and /o/dist-secrets, not of ${pair.outdir} and ${pair.secretsDir}: an interrupted synth wrote to other folders beside this one; run synth with those folders to finish it, or delete the journal`],
    ];
    for (const [text, message] of cases) {
      fs.writeFileSync(journal, text);
      const before = treeState(parent);
      expect(() => recoverPair(pair, quiet)).toThrow(message);
      expect(treeState(parent)).toEqual(before);
    }
  });
});

describe('recovery, journal and leftovers', () => {
  /** The old pair with a swap that crashed right after its journal was put in place: both staging folders complete, no target renamed. */
  async function crashedAfterJournal() {
    const { parent, pair } = await oldPair();
    const io = faultyFs({ after: (c) => /^rename .*\.swap\.tmp-/.test(c), code: 'ECRASH', crash: true }).io;
    expect(() => writePair(pair, withMarkers(NEW.output, NEW.secrets), { ...quiet, fs: io })).toThrow();
    const journal = journalOf(pair.outdir);
    return { parent, pair, journal, record: JSON.parse(fs.readFileSync(journal, 'utf8')) };
  }

  test('finishes a swap recorded before any folder was renamed: both targets move away and the new ones in', async () => {
    const { parent, pair } = await crashedAfterJournal();
    const log: string[] = [];
    recoverPair(pair, { log: (l) => log.push(l) });
    expect(log).toEqual([`finished the swap an interrupted synth began: ${pair.outdir} and ${pair.secretsDir} hold its output`]);
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'dist-secrets']);
    expect(readTree(pair.secretsDir)).toEqual(Object.fromEntries(withMarkers(NEW.output, NEW.secrets).secrets));
  });

  test('fails when a recorded swap\'s old folder is in the way, and changes nothing', async () => {
    const { parent, pair, record } = await crashedAfterJournal();
    fs.mkdirSync(record.folders[0].old);
    const before = treeState(parent);
    expect(() => recoverPair(pair, quiet)).toThrow(new Error(`cannot finish the swap the journal ${journalOf(pair.outdir)} records: ${pair.outdir} and ${record.folders[0].old} both exist, ` +
      `so the old folder has nowhere to go; something other than synth changed them: keep the one you want as ${pair.outdir}, then delete the journal`));
    expect(treeState(parent)).toEqual(before);
  });

  test('fails on a journal that is not one synth writes, field by field, and changes nothing', async () => {
    const { parent, pair, journal, record } = await crashedAfterJournal();
    const [out, secrets] = record.folders;
    const dir = path.dirname(out.target);
    const notOurs = `the swap journal ${journal} is not one synth writes; synth writes it whole, so it was changed by hand: ` +
      `check that ${pair.outdir} and ${pair.secretsDir} hold what you expect, then delete it`;
    const cases: Array<[string, unknown]> = [
      ['null', null],
      ['a string', 'synth-swap'],
      ['another kind', { ...record, journal: 'other-swap' }],
      ['another version', { ...record, version: 2 }],
      ['no folders', { journal: 'synth-swap', version: 1 }],
      ['one folder', { ...record, folders: [out] }],
      ['three folders', { ...record, folders: [out, secrets, secrets] }],
      ['an entry that is not an object', { ...record, folders: [out, null] }],
      ['a target that is not a string', { ...record, folders: [out, { target: 5, staging: `${dir}/.5.new-1-0123abcd`, old: `${dir}/.5.old-1-0123abcd` }] }],
      ['a staging folder without a run id', { ...record, folders: [out, { ...secrets, staging: `${dir}/.dist-secrets.new-undefined`, old: `${dir}/.dist-secrets.old-undefined` }] }],
      ['a staging folder of another target', { ...record, folders: [out, { ...secrets, staging: out.staging }] }],
      ['an old folder of another run', { ...record, folders: [out, { ...secrets, old: `${dir}/.dist-secrets.old-1-0123abcd` }] }],
      ['a staging folder in another folder', { ...record, folders: [out, { ...secrets, staging: path.join('/elsewhere', path.basename(secrets.staging)) }] }],
    ];
    for (const [name, text] of cases) {
      fs.writeFileSync(journal, JSON.stringify(text));
      const before = treeState(parent);
      expect([name, (() => { try { recoverPair(pair, quiet); return 'no error'; } catch (e) { return (e as Error).message; } })()]).toEqual([name, notOurs]);
      expect(treeState(parent)).toEqual(before);
    }
    const other = path.join(dir, 'other-secrets');
    fs.writeFileSync(journal, JSON.stringify({ ...record, folders: [out, { target: other, staging: `${dir}/.other-secrets.new-1-0123abcd`, old: `${dir}/.other-secrets.old-1-0123abcd` }] }));
    expect(() => recoverPair(pair, quiet)).toThrow(new Error(`the swap journal ${journal} records a swap of ${pair.outdir} and ${other}, not of ${pair.outdir} and ${pair.secretsDir}: ` +
      'an interrupted synth wrote to other folders beside this one; run synth with those folders to finish it, or delete the journal'));
  });

  test('fails naming the journal when it cannot be read', async () => {
    const { pair, journal } = await crashedAfterJournal();
    expect(() => recoverPair(pair, { ...quiet, fs: failingFs({ when: (c) => c === `readFile ${journal}`, code: 'EIO' }) })).toThrow(new Error(
      `cannot read ${journal} (EIO: simulated): ${EIO_FIX}`));
  });

  test('does nothing where the parent folder does not exist, or holds nothing of synth\'s', () => {
    const log: string[] = [];
    const nowhere = path.join(tmpDir('swap-'), 'missing');
    recoverPair({ outdir: path.join(nowhere, 'dist'), secretsDir: path.join(nowhere, 'dist-secrets') }, { log: (l) => log.push(l) });
    expect(fs.existsSync(nowhere)).toBe(false);
    const parent = tmpDir('swap-');
    fs.mkdirSync(path.join(parent, 'notes'));
    recoverPair({ outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') }, { log: (l) => log.push(l) });
    expect(fs.readdirSync(parent)).toEqual(['notes']);
    expect(log).toEqual([]);
  });

  test('restores an earlier writer\'s old folder only where the folder is missing, it is a folder, and it is the only one', () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    fs.mkdirSync(pair.outdir);
    fs.writeFileSync(path.join(pair.outdir, '01-a.yaml'), 'current');
    fs.mkdirSync(path.join(parent, '.dist.old-q1w2e3'));
    fs.writeFileSync(path.join(parent, '.dist-secrets.old-q1w2e3'), 'a file of the same name');
    const log: string[] = [];
    recoverPair(pair, { log: (l) => log.push(l) });
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-secrets.old-q1w2e3', 'dist']);
    expect(fs.readFileSync(path.join(pair.outdir, '01-a.yaml'), 'utf8')).toBe('current');
    expect(log).toEqual([`removed what an interrupted synth left beside ${pair.outdir}: .dist.old-q1w2e3`]);
  });

  test('does not restore this writer\'s own old folder: without a journal its swap never began, so the folder is a leftover', () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    fs.mkdirSync(path.join(parent, '.dist.old-12-0123abcd'));
    recoverPair(pair, quiet);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  test('removes a journal\'s temporary file beside the output folder only, and only a file', () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    fs.writeFileSync(path.join(parent, '.dist.swap.tmp-1-0123abcd'), '{');
    fs.mkdirSync(path.join(parent, '.dist.swap.tmp-2-0123abcd'));
    fs.writeFileSync(path.join(parent, '.dist-secrets.swap.tmp-1-0123abcd'), '{');
    recoverPair(pair, quiet);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-secrets.swap.tmp-1-0123abcd', '.dist.swap.tmp-2-0123abcd']);
  });

  test('recognizes the leftovers of a folder whose name holds regular-expression characters', () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'out.v2'), secretsDir: path.join(parent, 'out.v2-secrets') };
    for (const n of ['.out.v2.new-1-0123abcd', '.outXv2.new-1-0123abcd']) fs.mkdirSync(path.join(parent, n));
    recoverPair(pair, quiet);
    expect(fs.readdirSync(parent)).toEqual(['.outXv2.new-1-0123abcd']);
  });

  test('names what it removed in name order, whatever order the folder lists them in, on stderr unless told otherwise', () => {
    const parent = tmpDir('leftovers-');
    const pair = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
    const names = ['.dist.new-1-0123abcd', '.dist.new-2-0123abcd', '.dist.old-3-0123abcd'];
    for (const n of names) fs.mkdirSync(path.join(parent, n));
    const reversed: OutputFs = { ...unflushedFs, readdir: (p) => unflushedFs.readdir(p).sort().reverse() };
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      recoverPair(pair, { fs: reversed });
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([`removed what an interrupted synth left beside ${pair.outdir}: ${names.join(', ')}\n`]);
    } finally {
      stderr.mockRestore();
    }
  });
});

// Last: each of these replays a write once per file-system call; a mutant the tests above kill never waits for them.
describe('writing the pair, with a fault at every file-system call', () => {
  let oldState: ReturnType<typeof pairState>;
  let newState: ReturnType<typeof pairState>;
  let calls: string[];
  let commit: number;
  let countedIn: string;
  /** The path call `at` of the counted write touched, as it is called in `parent` (run ids differ from run to run). */
  const pathOfCall = (at: number, parent: string) =>
    new RegExp(calls[at].split(' ')[1].replace(countedIn, parent).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[0-9]+-[0-9a-f]{8}/g, '[0-9]+-[0-9a-f]{8}'));

  beforeAll(async () => {
    const { parent, pair } = await oldPair();
    countedIn = parent;
    oldState = pairState(parent);
    const counting = faultyFs();
    await writeOutput(pair, NEW, { ...quiet, fs: counting.io });
    newState = pairState(parent);
    calls = counting.calls;
    commit = calls.indexOf(`unlink ${journalOf(pair.outdir)}`);
  });

  test('a full write with an old pair in place is a sequence of flushed writes, a journal, renames and removals', () => {
    expect(oldState.beside).toEqual(['dist', 'dist-secrets']);
    expect(newState.beside).toEqual(['dist', 'dist-secrets']);
    expect(newState.dist['03-c.yaml']).toBe(`file 644 ${Buffer.from('c: new\n').toString('base64')}`);
    expect(newState.secrets['.']).toBe('folder 700');
    expect(newState.secrets['04-d.yaml']).toMatch(/^file 600 /);
    const ops = calls.map((c) => c.split(' ')[0]);
    // Every file is flushed after it is written, and the journal is in place before the first rename of a target.
    expect(ops.filter((o) => o === 'writeFile').length).toBe(ops.filter((o) => o === 'fsyncFile').length + 1); // the lock is not flushed
    const journal = calls.findIndex((c) => /^rename .*\.swap\.tmp-/.test(c));
    expect(calls.findIndex((c) => /^rename .*\/dist .*\.dist\.old-/.test(c))).toBeGreaterThan(journal);
    expect(commit).toBeGreaterThan(journal);
    expect(calls.length).toBeGreaterThan(60);
  });

  test('a crash (kill -9, power loss) at any call leaves the whole old pair or the whole new pair once recovered, and nothing beside', async () => {
    const outcomes: string[] = [];
    for (let at = 0; at < calls.length; at++) {
      const { parent, pair } = await oldPair();
      await writeOutput(pair, NEW, { ...quiet, fs: faultyFs({ at, code: 'ECRASH', crash: true }).io }).catch(() => undefined);
      await recoverOutput(pair, quiet);
      const state = pairState(parent);
      const outcome = JSON.stringify(state) === JSON.stringify(oldState) ? 'old' : JSON.stringify(state) === JSON.stringify(newState) ? 'new' : 'mixed';
      if (outcome === 'mixed') throw new Error(`a crash at call ${at} (${calls[at]}) leaves ${JSON.stringify(state, null, 1)}`);
      outcomes.push(outcome);
    }
    // Before the journal's removal recovery rolls forward or finds the old pair; after it, the new pair is final.
    expect(outcomes.slice(commit + 1).every((o) => o === 'new')).toBe(true);
    expect(outcomes.slice(0, 5)).toEqual(['old', 'old', 'old', 'old', 'old']);
  });

  test.each(['ENOSPC', 'EIO', 'EBUSY'])('%s at any call before the swap is recorded as done: the call fails naming the path, and the old pair is intact with nothing beside', async (code) => {
    for (let at = 0; at <= commit; at++) {
      const { parent, pair } = await oldPair();
      const error = await writeOutput(pair, NEW, { ...quiet, fs: faultyFs({ at, code }).io }).then(() => undefined, (e: Error) => e);
      const where = `${code} at call ${at} (${calls[at]})`;
      if (!error) throw new Error(`${where}: the write succeeded`);
      if (!pathOfCall(at, parent).test(error.message) || !error.message.includes(`(${code}: simulated)`) || error.message.startsWith(code)) {
        throw new Error(`${where}: the message does not name the path and the code: ${error.message}`);
      }
      if (JSON.stringify(pairState(parent)) !== JSON.stringify(oldState)) throw new Error(`${where}: leaves ${JSON.stringify(pairState(parent), null, 1)}`);
    }
  });

  test.each(['ENOSPC', 'EIO', 'EBUSY'])('%s after the swap is done: the new pair stands, the problem is reported, and the next run removes what is left', async (code) => {
    for (let at = commit + 1; at < calls.length; at++) {
      const { parent, pair } = await oldPair();
      const log: string[] = [];
      await writeOutput(pair, NEW, { log: (l) => log.push(l), fs: faultyFs({ at, code }).io });
      expect(log).toEqual([expect.stringContaining(`(${code}: simulated)`)]);
      expect(pairState(parent).dist).toEqual(newState.dist);
      await recoverOutput(pair, quiet);
      expect(pairState(parent)).toEqual(newState);
    }
  });

  test('the error says what happened, where, and that both folders are as they were', async () => {
    const { pair } = await oldPair();
    const at = calls.findIndex((c) => /^rename .*\/dist .*\.dist\.old-/.test(c));
    await expect(writeOutput(pair, NEW, { ...quiet, fs: faultyFs({ at, code: 'EBUSY' }).io })).rejects.toThrow(new RegExp(
      `^cannot replace ${pair.outdir} and ${pair.secretsDir}, so both are as they were: cannot rename ${pair.outdir} to .*/\\.dist\\.old-[0-9]+-[0-9a-f]{8} ` +
      '\\(EBUSY: simulated\\): the folder is in use or a mount point: choose an output folder that is a plain folder on the same disk as its parent$'));
  });
});
