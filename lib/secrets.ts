import { createHmac, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readTextFile, writeFileAtomically } from './files';

/** The secret every per-installation secret is derived from. */
export interface InstallationKey {
  readonly key: string;
  /** Where it came from, for messages. */
  readonly source: string;
  /** True when this run created the key file. */
  readonly created: boolean;
}

const KEY = /^[0-9a-f]{64}$/;

/**
 * The installation key: `explicit` (an env var) if given, else the key file, created with 32 random
 * bytes on first use. Secrets derived from it are stable across synths and differ between installations.
 */
export function loadInstallationKey(options: { explicit?: string; explicitName?: string; file: string }): InstallationKey {
  if (options.explicit !== undefined && options.explicit !== '') {
    if (!KEY.test(options.explicit)) {
      throw new Error(`${options.explicitName ?? 'the installation key'} is not 64 lowercase hex digits: generate one with \`openssl rand -hex 32\``);
    }
    return { key: options.explicit, source: options.explicitName ?? 'explicit', created: false };
  }
  if (fs.existsSync(options.file)) return readKeyFile(options.file);
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  // Irreplaceable: flushed to disk before it is linked into place, and never over an existing file.
  try {
    writeFileAtomically(options.file, `${key}\n`, { mode: 0o600, noClobber: true });
  } catch (e) {
    // Another synth created the key between the look and the write: the key is theirs, and so is ours.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(options.file);
    throw e;
  }
  return { key, source: options.file, created: true };
}

/** The key in an existing key file. */
function readKeyFile(file: string): InstallationKey {
  const key = readTextFile(file, 'installation key file', {
    maxBytes: 1024, fix: 'restore the key file (64 hex digits) from your backup, or set PLATFORM_KEY',
  }).trim();
  if (!KEY.test(key)) {
    throw new Error(`installation key file ${file} does not hold 64 lowercase hex digits: restore it from your backup, or delete it to start a new installation (every derived secret changes)`);
  }
  return { key, source: file, created: false };
}

/**
 * The key loadInstallationKey would return, without creating a key file or reporting a problem: undefined
 * when it would create one or stop with an error.
 */
export function peekInstallationKey(options: { explicit?: string; file: string }): string | undefined {
  if (options.explicit !== undefined && options.explicit !== '') return KEY.test(options.explicit) ? options.explicit : undefined;
  try {
    const st = fs.statSync(options.file);
    if (!st.isFile() || st.size > 1024) return undefined;
    const key = fs.readFileSync(options.file, 'utf8').trim();
    return KEY.test(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** A secret for one purpose: HMAC-SHA256 of `purpose` under the key, as `hexChars` hex digits (at most 64). */
export function deriveSecret(key: string, purpose: string, hexChars = 64): string {
  if (hexChars < 1 || hexChars > 64) throw new Error(`cannot derive ${hexChars} hex digits: use 1 to 64`);
  return createHmac('sha256', key).update(purpose).digest('hex').slice(0, hexChars);
}
