// The marker synth leaves in each output folder: the files it owns there and their sha256. It is how
// synth knows a folder is its own to replace, and how readers know two folders come from one synth.
import { createHash } from 'crypto';

/** No .yaml/.yml/.json extension: `kubectl apply -f dist/`, Argo CD and Flux read those. */
export const MARKER_FILE = '.synth-manifest';

const MAGIC = '# synth-manifest 1';
const SHA256 = /^[0-9a-f]{64}$/;

export interface Marker {
  /** The files synth owns, by relative path (`/`-separated), with their sha256. */
  readonly files: ReadonlyMap<string, string>;
  /** In a secrets folder: the sha256 of the output folder's marker, so readers can tell the halves belong together. */
  readonly pair?: string;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Throws unless `name` is a relative path synth may own: no `..`, no leading `/`, nothing a marker line cannot hold. */
export function checkOutputName(name: string): void {
  const parts = name.split('/');
  if (name === MARKER_FILE || /[\n\r\\]/.test(name) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`output file name "${name.slice(0, 80)}" is not allowed: use a relative path with / between folders, ` +
      `no "..", no empty part, no newline or backslash, and not ${MARKER_FILE}`);
  }
}

/**
 * The marker for `files`: the same files give the same bytes (sorted, no time, no process id). It reads
 * as `sha256sum` output, so `sha256sum -c .synth-manifest` in the folder checks the files.
 */
export function renderMarker(files: ReadonlyMap<string, string | Buffer>, pair?: string): string {
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const n of names) checkOutputName(n);
  return [
    MAGIC,
    '# Written by synth: the files it owns in this folder and their sha256 (sha256sum -c .synth-manifest checks them).',
    '# Synth replaces the folder as a whole, and refuses to while it holds any file not listed here.',
    ...(pair ? ['# The sha256 of the output folder\'s .synth-manifest, written by the same synth:', `# pair ${pair}`] : []),
    ...names.map((n) => `${sha256(files.get(n)!)}  ${n}`),
  ].join('\n') + '\n';
}

/** The marker's content, or a description of the first line that is not one (for messages). */
export function parseMarker(text: string): Marker | { readonly error: string } {
  const lines = text.split('\n');
  if (lines[0] !== MAGIC) return { error: `line 1 is "${lines[0].slice(0, 60)}", not "${MAGIC}"` };
  if (lines[lines.length - 1] !== '') return { error: 'it does not end with a newline (cut short?)' };
  const files = new Map<string, string>();
  let pair: string | undefined;
  for (const [i, line] of lines.slice(1, -1).entries()) {
    const pairLine = /^# pair (.*)$/.exec(line);
    if (pairLine) {
      if (!SHA256.test(pairLine[1]) || pair) return { error: `line ${i + 2} "${line.slice(0, 80)}" is not one "# pair <sha256>" line` };
      pair = pairLine[1];
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) return { error: `line ${i + 2} "${line.slice(0, 80)}" is not "<sha256>  <file>"` };
    files.set(m[2], m[1]);
  }
  return pair ? { files, pair } : { files };
}

/** The files with their marker added, as synth writes them; the secrets folder's marker names its pair. */
export function withMarkers(output: ReadonlyMap<string, string>, secrets: ReadonlyMap<string, string>): {
  output: Map<string, string>; secrets: Map<string, string>;
} {
  const outputMarker = renderMarker(output);
  return {
    output: new Map([...output, [MARKER_FILE, outputMarker]]),
    secrets: new Map([...secrets, [MARKER_FILE, renderMarker(secrets, sha256(outputMarker))]]),
  };
}
