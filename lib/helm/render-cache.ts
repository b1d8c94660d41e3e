// What `helm template` rendered for one release, kept for the next run: keyed by everything the render
// depends on (helm's version, the render target, the archive's sha256, release, namespace, chart version,
// the values files' bytes and the computed values), so a hit is exactly what helm would print again.
// Entries can hold derived secrets: the folder is private (0700, files 0600). A missing, cut or damaged
// entry is a miss; the folder is bounded, the least recently used entries going first.
import * as fs from 'fs';
import * as path from 'path';
import { isPlainJson, readCheckedFile, sha256Hex, writeCheckedFile } from '../cache-files';
import { MiB } from './bytes';

/** How much the render cache keeps unless told otherwise. */
export const DEFAULT_RENDER_CACHE_BYTES = 256 * MiB;

const ENTRY = /^[0-9a-f]{64}\.json$/;
/** Bumped when what an entry holds, or how a render is made, changes. */
const FORMAT = 'render-cache 1';

export interface RenderCacheOptions {
  /** The cache's own folder (made private). */
  readonly dir: string;
  /** The most the entries may take together; the least recently used go first. @default 256 MiB */
  readonly maxBytes?: number;
}

export class RenderCache {
  public readonly dir: string;
  private readonly maxBytes: number;

  constructor(options: RenderCacheOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_RENDER_CACHE_BYTES;
  }

  /** The key for everything a render depends on, given as one JSON-able value. */
  public static keyOf(inputs: unknown): string {
    return sha256Hex(`${FORMAT}\n${JSON.stringify(inputs)}`);
  }

  /** Whether there is an entry for `key` (which `get` may still find damaged). */
  public has(key: string): boolean {
    return fs.existsSync(this.fileOf(key));
  }

  /** The objects an earlier run rendered for `key`, or undefined. */
  public get(key: string): Array<Record<string, any>> | undefined {
    const file = this.fileOf(key);
    const body = readCheckedFile(file);
    if (body === undefined) return undefined;
    let objects: unknown;
    try {
      objects = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (!Array.isArray(objects) || !objects.every((o) => o !== null && typeof o === 'object' && !Array.isArray(o))) return undefined;
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch { /* only the eviction order suffers */ }
    return objects;
  }

  /** Keeps `objects` under `key` (unless JSON cannot hold them exactly), then evicts beyond the bound. */
  public put(key: string, objects: ReadonlyArray<Record<string, any>>): void {
    if (!isPlainJson(objects)) return;
    // writeCheckedFile makes the folder, private, first; a folder it cannot make is a write that failed.
    if (writeCheckedFile(this.fileOf(key), JSON.stringify(objects))) this.evict();
  }

  /** Removes the least recently used entries until the rest fit the bound. */
  public evict(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => ENTRY.test(n));
    } catch {
      return;
    }
    const entries = names.flatMap((name) => {
      try {
        const st = fs.statSync(path.join(this.dir, name));
        return [{ name, size: st.size, used: st.mtimeMs }];
      } catch {
        return [];
      }
    }).sort((a, b) => a.used - b.used || (a.name < b.name ? -1 : 1));
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      fs.rmSync(path.join(this.dir, e.name), { force: true });
      total -= e.size;
    }
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}
