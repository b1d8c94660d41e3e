// The YAML of each object the last synth into an output wrote, by the sha256 of its JSON: most objects
// come back unchanged, and dumping them again is most of what rendering the files costs. Only plain JSON
// objects are kept (their YAML depends on nothing else), and never a Secret. The file is private; a
// missing or damaged one is empty.
import { isPlainJson, keepNewest, readCheckedFile, sha256Hex, writeCheckedFile } from './cache-files';
import * as path from 'path';

/** How many outputs' files are kept; the least recently written go first. */
const MAX_FILES = 16;

export class YamlCache {
  private readonly before: ReadonlyMap<string, string>;
  private readonly now = new Map<string, string>();
  private dumped = 0;

  /** @param file the cache of one output (see fileForOutput) @param dump how an object becomes YAML */
  constructor(private readonly file: string, private readonly toYaml: (object: unknown) => string) {
    let entries: unknown;
    try {
      entries = JSON.parse(readCheckedFile(file) ?? '[]');
    } catch {
      entries = [];
    }
    const valid = Array.isArray(entries) && entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
    this.before = new Map(valid ? entries as Array<[string, string]> : []);
  }

  /** The object's YAML: the one kept from the last run for the same JSON, else dumped now. */
  public readonly dump = (object: Record<string, any>): string => {
    if ((object.apiVersion === 'v1' && object.kind === 'Secret') || !isPlainJson(object)) return this.toYaml(object);
    const key = sha256Hex(JSON.stringify(object));
    let text = this.before.get(key) ?? this.now.get(key);
    if (text === undefined) {
      text = this.toYaml(object);
      this.dumped++;
    }
    this.now.set(key, text);
    return text;
  };

  /** Keeps the YAML of this run's objects (only those) for the next, when it differs from what was kept. */
  public save(): void {
    if (this.dumped === 0 && this.now.size === this.before.size) return;
    if (writeCheckedFile(this.file, JSON.stringify([...this.now]))) keepNewest(path.dirname(this.file), MAX_FILES);
  }
}
