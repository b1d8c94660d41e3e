import * as fs from 'fs';
import * as path from 'path';
import { withMarkers } from '../../lib/output-marker';
import { journalOf, recoverPair, writePair } from '../../lib/output-swap';
import { recoverOutput, writeOutput } from '../../lib/output-writer';
import { faultyFs, tmpDir, treeState, unflushedFs } from '../helpers';

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
