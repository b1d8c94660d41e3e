// Replacing the two output folders as one, crash-consistent: each is written and flushed in a staging
// folder beside it; a journal beside the output folder then records the swap before any rename, so that
// after a crash at any instant `recoverPair` finds the whole old pair or finishes the whole new one.
// The caller holds the output's lock (output-lock.ts).
import { randomBytes } from 'crypto';
import * as path from 'path';
import { describedFs, makeFolders, nodeOutputFs, OutputFs, OutputFsError, removeTree } from './output-fs';
import { OutputPair, shorten } from './output-guard';

export interface SwapOptions {
  /** @default - node's fs */
  readonly fs?: OutputFs;
  /** Where it says what it repaired or could not clean up. @default - stderr */
  readonly log?: (line: string) => void;
}

/** A run's unique part of its temporary names: the PID and 8 random hex digits. */
const RUN_ID = '[0-9]+-[0-9a-f]{8}';
/** The temporary folders of the writer before this one (fs.mkdtemp's six characters). */
const EARLIER_RUN_ID = '[A-Za-z0-9]{6}';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const beside = (target: string, suffix: string) => path.join(path.dirname(target), `.${path.basename(target)}.${suffix}`);

/** The journal of the pair whose output folder is `outdir`: it exists only while a swap is under way. */
export const journalOf = (outdir: string): string => beside(path.resolve(outdir), 'swap');

interface FolderSwap {
  readonly target: string;
  readonly staging: string;
  readonly old: string;
}

interface Journal {
  readonly journal: 'synth-swap';
  readonly version: 1;
  readonly folders: readonly FolderSwap[];
}

const swapOf = (target: string, id: string): FolderSwap => ({ target, staging: beside(target, `new-${id}`), old: beside(target, `old-${id}`) });

const targetsOf = (pair: OutputPair) => [path.resolve(pair.outdir), path.resolve(pair.secretsDir)];

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Writes the files into `staging` (created here), each flushed, then every folder flushed. */
function stage(io: OutputFs, staging: string, files: ReadonlyMap<string, string>, secret: boolean): void {
  const dirMode = secret ? 0o700 : 0o755;
  io.mkdir(staging, dirMode);
  const folders = [staging];
  for (const [name, content] of files) {
    const file = path.join(staging, ...name.split('/'));
    for (let dir = staging, parts = name.split('/').slice(0, -1); parts.length; parts = parts.slice(1)) {
      dir = path.join(dir, parts[0]);
      if (!folders.includes(dir)) {
        io.mkdir(dir, dirMode);
        folders.push(dir);
      }
    }
    io.writeFile(file, Buffer.from(content, 'utf8'), secret ? 0o600 : 0o644);
    io.fsyncFile(file);
  }
  for (const dir of folders.reverse()) io.fsyncDir(dir);
}

export interface PairFiles {
  readonly output: ReadonlyMap<string, string>;
  readonly secrets: ReadonlyMap<string, string>;
}

/** How far a swap got: what it staged, whether its journal is in place, which targets it moved away and in. */
interface SwapProgress {
  readonly staged: string[];
  journaled: boolean;
  readonly movedAway: Set<string>;
  readonly movedIn: Set<string>;
}

/**
 * Puts back what a failed swap already did, newest first, and removes what it staged. Returns '' when
 * that worked, else the end of the message saying the next run finishes or undoes it.
 */
function undoSwap(io: OutputFs, swap: {
  folders: ReadonlyArray<{ target: string; staging: string; old: string }>; parents: readonly string[]; journal: string; journalTemp: string; done: SwapProgress;
}): string {
  const { folders, parents, journal, journalTemp, done } = swap;
  try {
    for (const f of [...folders].reverse()) {
      if (done.movedIn.has(f.target)) io.rename(f.target, f.staging);
      if (done.movedAway.has(f.target)) io.rename(f.old, f.target);
    }
    for (const p of parents) io.fsyncDir(p);
    if (done.journaled) {
      io.unlink(journal);
      io.fsyncDir(path.dirname(journal));
    }
    if (io.lstat(journalTemp)) io.unlink(journalTemp);
    for (const s of done.staged) removeTree(io, s);
    return '';
  } catch (undo) {
    return `; undoing it failed too (${(undo as Error).message}), so the next synth, deploy or synth --check ` +
      `${done.journaled ? 'finishes the swap' : 'removes what this one left'} before anything else`;
  }
}

/**
 * Replaces both folders of `pair` with exactly `files`, as one: when this returns, both hold the new
 * files; when it throws, both are as they were (what was swapped already is swapped back); after a crash,
 * `recoverPair` completes or undoes it. Secrets are written mode 600 in folders mode 700.
 */
export function writePair(pair: OutputPair, files: PairFiles, options: SwapOptions = {}): void {
  const io = describedFs(options.fs ?? nodeOutputFs);
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const [outdir, secretsDir] = targetsOf(pair);
  const folders = [{ ...swapOf(outdir, id), files: files.output, secret: false }, { ...swapOf(secretsDir, id), files: files.secrets, secret: true }];
  const parents = unique(folders.map((f) => path.dirname(f.target)));
  const journal = journalOf(outdir);
  const journalTemp = `${journal}.tmp-${id}`;
  const done: SwapProgress = { staged: [], journaled: false, movedAway: new Set<string>(), movedIn: new Set<string>() };
  try {
    for (const p of parents) makeFolders(io, p);
    for (const f of folders) {
      done.staged.push(f.staging);
      stage(io, f.staging, f.files, f.secret);
    }
    for (const p of parents) io.fsyncDir(p);
    // From here the staging folders are complete and on disk: a journal that names them means "roll forward".
    const record: Journal = { journal: 'synth-swap', version: 1, folders: folders.map(({ target, staging, old }) => ({ target, staging, old })) };
    io.writeFile(journalTemp, Buffer.from(`${JSON.stringify(record, null, 2)}\n`), 0o600);
    io.fsyncFile(journalTemp);
    io.rename(journalTemp, journal);
    done.journaled = true;
    io.fsyncDir(path.dirname(journal));
    for (const f of folders) {
      if (io.lstat(f.target)) {
        io.rename(f.target, f.old);
        done.movedAway.add(f.target);
      }
      io.rename(f.staging, f.target);
      done.movedIn.add(f.target);
    }
    for (const p of parents) io.fsyncDir(p);
    io.unlink(journal);
  } catch (e) {
    const undone = undoSwap(io, { folders, parents, journal, journalTemp, done });
    throw new Error(`cannot replace ${shorten(outdir)} and ${shorten(secretsDir)}${undone ? '' : ', so both are as they were'}: ${(e as Error).message}${undone}`);
  }
  // The swap is done and recorded as done: what is left is cleanup, which the next run repeats if it fails.
  try {
    io.fsyncDir(path.dirname(journal));
    for (const f of folders) removeTree(io, f.old);
  } catch (e) {
    log(`warning: ${(e as Error).message}; the new output is in place, and the next synth removes what is left of the old one`);
  }
}

function readJournal(io: OutputFs, file: string, pair: OutputPair): FolderSwap[] {
  const broken = (why: string) => new Error(`the swap journal ${shorten(file)} ${why}; synth writes it whole, so it was changed by hand: ` +
    `check that ${shorten(path.resolve(pair.outdir))} and ${shorten(path.resolve(pair.secretsDir))} hold what you expect, then delete it`);
  let record: Journal;
  try {
    record = JSON.parse(io.readFile(file).toString('utf8'));
  } catch (e) {
    if (e instanceof OutputFsError) throw e;
    throw broken(`does not parse (${(e as Error).message.slice(0, 80)})`);
  }
  const targets = targetsOf(pair);
  const folders = Array.isArray(record?.folders) ? record.folders : [];
  const valid = record?.journal === 'synth-swap' && record.version === 1 && folders.length === 2 && folders.every((f) => {
    const id = new RegExp(`^\\.${escape(path.basename(String(f?.target)))}\\.new-(${RUN_ID})$`).exec(path.basename(String(f?.staging)))?.[1];
    return typeof f?.target === 'string' && id !== undefined && f.staging === swapOf(f.target, id).staging && f.old === swapOf(f.target, id).old;
  });
  if (!valid) throw broken('is not one synth writes');
  const recorded = folders.map((f) => f.target);
  if (recorded.some((t, i) => t !== targets[i])) {
    throw new Error(`the swap journal ${shorten(file)} records a swap of ${recorded.join(' and ')}, not of ${targets.join(' and ')}: ` +
      'an interrupted synth wrote to other folders beside this one; run synth with those folders to finish it, or delete the journal');
  }
  return folders;
}

/** Removes what interrupted runs left beside `target` (only names this writer and the one before it create); restores an earlier writer's lost folder. */
function removeLeftovers(io: OutputFs, target: string, withJournal: boolean, log: (line: string) => void): void {
  const parent = path.dirname(target);
  if (io.lstat(parent)?.type !== 'directory') return;
  const base = escape(path.basename(target));
  const ours = new RegExp(`^\\.${base}\\.(new|old)-${RUN_ID}$`);
  const earlier = new RegExp(`^\\.${base}\\.(new|old)-${EARLIER_RUN_ID}$`);
  const journalTemp = new RegExp(`^\\.${base}\\.swap\\.tmp-${RUN_ID}$`);
  const names = io.readdir(parent).sort();
  // The writer before this one renamed the folder away before renaming the new one in: a kill between left only the old.
  const earlierOld = names.filter((n) => earlier.test(n) && n.includes('.old-') && io.lstat(path.join(parent, n))?.type === 'directory');
  if (!io.lstat(target) && earlierOld.length === 1) {
    io.rename(path.join(parent, earlierOld[0]), target);
    io.fsyncDir(parent);
    log(`restored ${target} from ${earlierOld[0]}, which an interrupted synth of an earlier version left`);
  }
  const removed: string[] = [];
  for (const name of names) {
    const p = path.join(parent, name);
    const st = io.lstat(p);
    const isLeftover = (st?.type === 'directory' && (ours.test(name) || earlier.test(name))) || (withJournal && st?.type === 'file' && journalTemp.test(name));
    if (!isLeftover) continue;
    removeTree(io, p);
    removed.push(name);
  }
  if (removed.length) {
    io.fsyncDir(parent);
    log(`removed what an interrupted synth left beside ${target}: ${removed.join(', ')}`);
  }
}

/**
 * Finishes a swap a crash interrupted (the journal exists, so the new folders are complete: roll forward)
 * and removes the staging and old folders interrupted runs left. Run before anything reads or writes the pair.
 */
export function recoverPair(pair: OutputPair, options: SwapOptions = {}): void {
  const io = describedFs(options.fs ?? nodeOutputFs);
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const [outdir, secretsDir] = targetsOf(pair);
  const journal = journalOf(outdir);
  if (io.lstat(journal)) {
    const folders = readJournal(io, journal, pair);
    for (const f of folders) {
      if (io.lstat(f.staging)?.type !== 'directory') continue; // swapped in already
      if (io.lstat(f.target)) {
        if (io.lstat(f.old)) {
          throw new Error(`cannot finish the swap the journal ${shorten(journal)} records: ${f.target} and ${f.old} both exist, so the old folder has nowhere to go; ` +
            `something other than synth changed them: keep the one you want as ${f.target}, then delete the journal`);
        }
        io.rename(f.target, f.old);
      }
      io.rename(f.staging, f.target);
    }
    for (const p of unique(folders.map((f) => path.dirname(f.target)))) io.fsyncDir(p);
    io.unlink(journal);
    io.fsyncDir(path.dirname(journal));
    for (const f of folders) removeTree(io, f.old);
    log(`finished the swap an interrupted synth began: ${outdir} and ${secretsDir} hold its output`);
  }
  removeLeftovers(io, outdir, true, log);
  removeLeftovers(io, secretsDir, false, log);
}
