// What a synth read and wrote, kept for the next run (synth's "nothing changed" path): a digest of every
// input (files by their bytes, folders by their listing and files, programs by path, size, modification
// time and inode, the settings, the tool's own code), and the output folders as written (their markers'
// sha256, every file's mode). When all of it is the same, the output is what a synth would write again.
// Node's built-ins only: it runs before cdk8s, helm or the validators are loaded.
import * as fs from 'fs';
import * as path from 'path';
import { keepNewest, readCheckedFile, sha256Hex, writeCheckedFile } from './cache-files';
import { lockFileOf } from './output-lock';
import { MARKER_FILE, parseMarker } from './output-marker';
import { journalOf } from './output-swap';

const FORMAT = 'synth-record 1';
/** Input files larger than this are not read: such an input never counts as unchanged. */
const MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** How many outputs' records are kept; the least recently written go first. */
const MAX_RECORDS = 64;

export type InputKind = 'file' | 'folder' | 'program';

export interface InputState {
  readonly kind: InputKind;
  readonly path: string;
  /** What it is now: a digest, or a word when it is missing or not what it should be. */
  readonly state: string;
}

/** A file's bytes, as a sha256; `missing`, or `not a file` for a folder, a device or a pipe (never opened). */
export function fileState(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return 'missing';
  }
  if (!st.isFile() || st.size > MAX_INPUT_BYTES) return 'not a file';
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch {
    return 'unreadable';
  }
}

/** A folder's names, each with its kind, and its files' bytes (not its subfolders'). */
export function folderState(dir: string): string {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 'missing';
  }
  const lines = entries.map((e) => e.name).sort().map((name) => {
    const p = path.join(dir, name);
    const state = fileState(p);
    return `${name}\0${state === 'not a file' && fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ? 'folder' : state}`;
  });
  return sha256Hex(lines.join('\n'));
}

/** A program, by what changes when it is rebuilt or replaced: size, modification time, inode and device. */
export function programState(file: string): string {
  try {
    const st = fs.statSync(file);
    return JSON.stringify([st.size, st.mtimeMs, st.ino, st.dev]);
  } catch {
    return 'missing';
  }
}

const STATE_OF: Readonly<Record<InputKind, (p: string) => string>> = { file: fileState, folder: folderState, program: programState };

/** The inputs of one run, in the order it read them. */
export class InputStates {
  public readonly states: InputState[] = [];

  /** Adds an input as it is now, or with the state taken before it was read (`state`). */
  public add(kind: InputKind, file: string, state: string = STATE_OF[kind](file)): this {
    if (!this.states.some((s) => s.kind === kind && s.path === file)) this.states.push({ kind, path: file, state });
    return this;
  }
}

/** The sha256 of the settings, as JSON. */
export const settingsDigest = (settings: Record<string, unknown>): string => sha256Hex(JSON.stringify(settings));

/** One output folder as synth wrote it. */
interface OutputState {
  readonly dir: string;
  /** The sha256 of its marker, which holds every file's sha256. */
  readonly marker: string;
  /** The mode of every file and folder in it, by relative path (folders end in `/`). */
  readonly modes: Readonly<Record<string, number>>;
}

export interface SynthRecord {
  readonly format: typeof FORMAT;
  /** A digest of the tool's own code and dependencies. */
  readonly tool: string;
  readonly settings: string;
  readonly inputs: readonly InputState[];
  readonly outputs: readonly OutputState[];
  /** What the synth printed on stdout, to print again. */
  readonly printed: readonly string[];
}

/** The output folder as it is, or why it is not synth's untouched output: a file changed, added or removed. */
function outputState(dir: string): OutputState | string {
  try {
    return readOutput(dir);
  } catch (e) {
    return `${dir} cannot be read (${(e as Error).message})`;
  }
}

function readOutput(dir: string): OutputState | string {
  const shown = (rel: string) => path.join(dir, rel);
  const top = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!top?.isDirectory()) return `${dir} is ${top ? 'not a folder' : 'missing'}`;
  const markerFile = path.join(dir, MARKER_FILE);
  const markerText = fs.lstatSync(markerFile, { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(markerFile, 'utf8') : undefined;
  const marker = markerText === undefined ? undefined : parseMarker(markerText);
  if (!marker || 'error' in marker) return `${markerFile} is ${marker ? 'damaged' : 'missing'}`;
  const modes: Record<string, number> = { './': top.mode };
  const seen = new Set<string>();
  const walk = (rel: string): string | undefined => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isDirectory()) {
        modes[`${r}/`] = st.mode;
        const problem = walk(r);
        if (problem) return problem;
        continue;
      }
      if (!st.isFile()) return `${shown(r)} is not a regular file`;
      modes[r] = st.mode;
      if (r === MARKER_FILE) continue;
      const expected = marker.files.get(r);
      if (!expected) return `${shown(r)} is not synth's`;
      if (sha256Hex(fs.readFileSync(path.join(dir, r))) !== expected) return `${shown(r)} changed`;
      seen.add(r);
    }
    return undefined;
  };
  const problem = walk('');
  if (problem) return problem;
  const missing = [...marker.files.keys()].find((f) => !seen.has(f));
  if (missing) return `${shown(missing)} is missing`;
  return { dir, marker: sha256Hex(markerText!), modes };
}

/**
 * Keeps what a synth read and wrote, after checking that the output folders hold exactly what their markers
 * list; returns false (and keeps nothing) when they do not, or the record cannot be written.
 */
export function saveRecord(file: string, run: {
  tool: string; settings: Record<string, unknown>; inputs: InputStates; outputs: readonly string[]; printed: readonly string[];
}): boolean {
  const outputs: OutputState[] = [];
  for (const dir of run.outputs) {
    const state = outputState(dir);
    if (typeof state === 'string') return false;
    outputs.push(state);
  }
  const record: SynthRecord = {
    format: FORMAT, tool: run.tool, settings: settingsDigest(run.settings), inputs: run.inputs.states, outputs, printed: run.printed,
  };
  // writeCheckedFile makes the folder (private) itself.
  if (!writeCheckedFile(file, JSON.stringify(record))) return false;
  keepNewest(path.dirname(file), MAX_RECORDS);
  return true;
}

/** The record of the last synth into an output, or undefined when there is none or it does not read back whole. */
export function readRecord(file: string): SynthRecord | undefined {
  const body = readCheckedFile(file);
  if (body === undefined) return undefined;
  try {
    const record = JSON.parse(body) as SynthRecord;
    const ok = record.format === FORMAT && typeof record.tool === 'string' && typeof record.settings === 'string' &&
      Array.isArray(record.inputs) && Array.isArray(record.outputs) && Array.isArray(record.printed);
    return ok ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Why a journal or a lock file beside an output means a synth must run (it exists, or cannot be checked), if it does. */
function busyState(file: string): string | undefined {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) ? `${file} exists (an interrupted or running synth)` : undefined;
  } catch (e) {
    // A parent that became a file (ENOTDIR), a folder this user cannot search (EACCES): synth says what to do.
    return `${file} cannot be checked (${(e as Error).message})`;
  }
}

/**
 * What changed since the record was made, in a few words, or undefined when nothing did: the tool, the
 * settings, any input, or any file of the output folders (changed, added, removed, its mode); an
 * interrupted or running synth of the output counts as a change.
 */
export function changeSince(record: SynthRecord | undefined, now: { tool: string; settings: Record<string, unknown> }): string | undefined {
  if (!record) return 'no record of an earlier synth into this output';
  if (record.tool !== now.tool) return 'the tool\'s code or its dependencies changed';
  if (record.settings !== settingsDigest(now.settings)) return 'the environment changed (the configuration, store, lock, output, key, password or helm it selects)';
  for (const input of record.inputs) {
    if (!(input.kind in STATE_OF) || STATE_OF[input.kind](input.path) !== input.state) return `${input.path} changed`;
  }
  for (const out of record.outputs) {
    for (const busy of [journalOf(out.dir), lockFileOf(out.dir)]) {
      const found = busyState(busy);
      if (found) return found;
    }
    const state = outputState(out.dir);
    if (typeof state === 'string') return state;
    if (state.marker !== out.marker) return `${path.join(out.dir, MARKER_FILE)} changed`;
    const paths = new Set([...Object.keys(state.modes), ...Object.keys(out.modes)]);
    const moved = [...paths].find((p) => state.modes[p] !== out.modes[p]);
    if (moved) return `${path.join(out.dir, moved)} ${moved in state.modes ? (moved in out.modes ? 'changed its mode' : 'is new') : 'is missing'}`;
  }
  return undefined;
}
