import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { describeObject } from './manifests';

/** The files of an output folder and its subfolders, by relative path (`/`-separated); empty when the folder does not exist. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const name of (fs.readdirSync(dir, { recursive: true }) as string[]).map((n) => n.split(path.sep).join('/')).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) files.set(name, fs.readFileSync(file, 'utf8'));
  }
  return files;
}

/** The JSON paths at which two values differ, up to `limit`. */
function fieldDiffs(a: unknown, b: unknown, at: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    for (const k of keys) fieldDiffs((a as any)[k], (b as any)[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 80));
    out.push(`${at || '.'}: ${show(a)} → ${show(b)}`);
  }
}

/** The lines at which two texts differ, up to `limit` (for files that are not YAML, such as synth's marker). */
function lineDiffs(name: string, a: string, b: string, limit: number): string[] {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const show = (line: string | undefined) => (line === undefined ? '(absent)' : JSON.stringify(line.length > 100 ? `${line.slice(0, 99)}…` : line));
  const out: string[] = [];
  for (let i = 0; i < Math.max(linesA.length, linesB.length) && out.length < limit; i++) {
    if (linesA[i] !== linesB[i]) out.push(`${name}: line ${i + 1}: ${show(linesA[i])} → ${show(linesB[i])}`);
  }
  return out;
}

/**
 * Describes how two sets of output files differ: by file, then by object, then by field (JSON path); files
 * that are not YAML by line. Empty when they are byte-identical.
 */
export function diffOutputs(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>, limit = 20): string[] {
  const out: string[] = [];
  for (const name of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const a = expected.get(name);
    const b = actual.get(name);
    if (a === b) continue;
    if (a === undefined) { out.push(`${name}: not expected, but written`); continue; }
    if (b === undefined) { out.push(`${name}: expected, but not written`); continue; }
    if (!/\.ya?ml$/.test(name)) { out.push(...lineDiffs(name, a, b, 5)); continue; }
    let docsA: any[];
    let docsB: any[];
    try {
      docsA = yaml.loadAll(a).filter((d) => d !== null);
      docsB = yaml.loadAll(b).filter((d) => d !== null);
    } catch (e) {
      out.push(`${name}: does not parse (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const byId = (docs: any[]) => new Map(docs.map((d) => [describeObject(d ?? {}), d]));
    const mapA = byId(docsA);
    const mapB = byId(docsB);
    const before = out.length;
    for (const id of new Set([...mapA.keys(), ...mapB.keys()])) {
      if (!mapB.has(id)) { out.push(`${name}: ${id}: missing`); continue; }
      if (!mapA.has(id)) { out.push(`${name}: ${id}: not expected`); continue; }
      const fields: string[] = [];
      fieldDiffs(mapA.get(id), mapB.get(id), '', fields, 5);
      out.push(...fields.map((f) => `${name}: ${id}: ${f}`));
    }
    if (out.length === before) out.push(`${name}: same objects, different bytes (order, comments or formatting)`);
  }
  return out.slice(0, limit).concat(out.length > limit ? [`... and ${out.length - limit} more`] : []);
}
