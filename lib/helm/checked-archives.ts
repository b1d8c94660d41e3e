// The chart archives an earlier synth found to be chart archives, by sha256: unpacking and walking an
// archive again gives the same answer for the same bytes, and cost about 15 ms of every synth for the six
// archives. Kept in the caches' private folder, written whole when an archive is added; a missing or
// damaged file is empty. Only what passed is kept, so a refusal is always found again.
import { readCheckedFile, writeCheckedFile } from '../cache-files';

/** How many archives are remembered; the first added go first. */
const MAX_ARCHIVES = 256;

/** The archives found to be chart archives, by what identifies a check: the archive's sha256, the chart's name and the unpacked-size limit. */
export interface CheckedArchives {
  has(key: string): boolean;
  add(key: string): void;
}

/** What identifies the check of an archive: the same bytes, checked for the same chart within the same limit, pass again. */
export const checkKey = (sha256: string, chart: string, maxUnpackedBytes: number): string => `${sha256} ${chart} ${maxUnpackedBytes}`;

/** CheckedArchives kept in a file (see cacheFolders). */
export class CheckedArchivesFile implements CheckedArchives {
  private readonly keys: string[];

  constructor(private readonly file: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readCheckedFile(file) ?? '[]');
    } catch { /* whole, but not JSON: it holds nothing */ }
    this.keys = Array.isArray(parsed) && parsed.every((k) => typeof k === 'string') ? parsed as string[] : [];
  }

  public has(key: string): boolean {
    return this.keys.includes(key);
  }

  public add(key: string): void {
    if (this.has(key)) return;
    this.keys.push(key);
    this.keys.splice(0, this.keys.length - MAX_ARCHIVES);
    writeCheckedFile(this.file, JSON.stringify(this.keys));
  }
}
