// The YAML of each object the last synth into an output wrote, by the sha256 of its JSON: most objects
// come back unchanged, and dumping them again is most of what rendering the files costs. One folder per
// output (folderForOutput), one file per object, so a run reads only the entries of its objects and writes
// only the YAML it dumped; the entries no object of the run used are removed. Only plain JSON objects are
// kept (their YAML depends on nothing else), and never a Secret. The folder is private; an entry that is
// missing, damaged or filed under another object's name is a miss.
import * as fs from 'fs';
import * as path from 'path';
import { isPlainJson, keepNewest, readCheckedFile, sha256Hex, writeCheckedFile } from './cache-files';

/** How many outputs' folders are kept; the least recently written go first. */
const MAX_OUTPUTS = 16;
const ENTRY = /^([0-9a-f]{64})\.yaml$/;
/** What an earlier version kept: one file per output, now unused. */
const LEGACY_FILE = /^[0-9a-f]{64}\.json$/;

export class YamlCache {
  /** The keys of this run's objects. */
  private readonly used = new Set<string>();
  /** The YAML dumped in this run, by key: the entries to write. */
  private readonly dumped = new Map<string, string>();

  /** @param dir the cache of one output (see folderForOutput) @param dump how an object becomes YAML */
  constructor(private readonly dir: string, private readonly toYaml: (object: unknown) => string) {}

  /** The object's YAML: the one kept from an earlier run for the same JSON, else dumped now. */
  public readonly dump = (object: Record<string, any>): string => {
    if ((object.apiVersion === 'v1' && object.kind === 'Secret') || !isPlainJson(object)) return this.toYaml(object);
    const key = sha256Hex(JSON.stringify(object));
    this.used.add(key);
    let text = this.dumped.get(key) ?? this.kept(key);
    if (text === undefined) {
      text = this.toYaml(object);
      this.dumped.set(key, text);
    }
    return text;
  };

  /** Keeps what this run dumped for the next, and drops the entries no object of this run used. */
  public save(): void {
    for (const [key, text] of this.dumped) writeCheckedFile(this.fileOf(key), `${key}\n${text}`);
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const key = ENTRY.exec(name)?.[1];
      if (key && !this.used.has(key)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
    const parent = path.dirname(this.dir);
    try {
      const now = new Date();
      fs.utimesSync(this.dir, now, now);
      for (const name of fs.readdirSync(parent).filter((n) => LEGACY_FILE.test(n))) fs.rmSync(path.join(parent, name), { force: true });
    } catch { /* only the eviction order suffers */ }
    keepNewest(parent, MAX_OUTPUTS, /^[0-9a-f]{64}$/);
  }

  /** The entry kept for `key`, when it is whole and was written for that key. */
  private kept(key: string): string | undefined {
    const body = readCheckedFile(this.fileOf(key));
    return body !== undefined && body.startsWith(`${key}\n`) ? body.slice(key.length + 1) : undefined;
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `${key}.yaml`);
  }
}
