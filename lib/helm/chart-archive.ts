// What makes a file a chart archive: gzip that decompresses with a correct checksum, around a tar whose
// headers are intact, whose entries stay inside the chart's folder, and which holds <chart>/Chart.yaml.
// Checked on the bytes that helm then gets, so a damaged or doctored archive never reaches it.
import * as zlib from 'zlib';
import { formatBytes } from './bytes';

const BLOCK = 512;

function cString(b: Buffer, start: number, length: number): string {
  const field = b.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** A tar number: octal digits, or base-256 when the first byte's high bit is set. NaN when neither. */
function tarNumber(b: Buffer, start: number, length: number): number {
  const field = b.subarray(start, start + length);
  if (field[0] & 0x80) {
    let n = field[0] & 0x7f;
    for (const byte of field.subarray(1)) n = n * 256 + byte;
    return n;
  }
  const text = cString(b, start, length).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

/** The `path` record of a pax extended header, if any. */
function paxPath(data: Buffer): string | undefined {
  let found: string | undefined;
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number(data.subarray(i, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || i + length > data.length) break;
    const record = data.subarray(space + 1, i + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    i += length;
  }
  return found;
}

function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.split('/').includes('..');
}

/**
 * The problem with `bytes` as the archive of chart `chartName`, or undefined when there is none. Decompresses
 * fully but never past `maxUnpackedBytes`.
 */
export function chartArchiveProblem(bytes: Buffer, chartName: string, maxUnpackedBytes: number): string | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return 'it is not gzip-compressed, so not a chart archive';
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(bytes, { maxOutputLength: maxUnpackedBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') return `it unpacks to more than ${formatBytes(maxUnpackedBytes)}`;
    if (err.code === 'Z_BUF_ERROR') return `its gzip data is cut short (${err.message})`;
    return `its gzip data is damaged (${err.message})`;
  }
  const chartYaml = `${chartName}/Chart.yaml`;
  let hasChartYaml = false;
  let longName: string | undefined;
  let offset = 0;
  for (let entry = 1; offset + BLOCK <= tar.length; entry++) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const stored = tarNumber(header, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    if (stored !== sum) return `its tar header ${entry} (at byte ${offset}) has a bad checksum`;
    const size = tarNumber(header, 124, 12);
    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]);
    const ustar = cString(header, 257, 6) === 'ustar';
    const prefix = ustar ? cString(header, 345, 155) : '';
    const headerName = prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100);
    const dataStart = offset + BLOCK;
    if (!Number.isSafeInteger(size) || dataStart + size > tar.length) {
      return `its tar entry ${JSON.stringify(headerName.slice(0, 100))} claims ${size} bytes, past the end of the archive`;
    }
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const name = longName ?? headerName;
    longName = undefined;
    if (unsafeName(name)) return `its tar entry ${JSON.stringify(name.slice(0, 100))} points outside the chart's folder`;
    if (name === chartYaml && (type === '0' || type === '7')) hasChartYaml = true;
  }
  if (!hasChartYaml) return `it holds no ${chartYaml}, so it is not the chart ${chartName}`;
  return undefined;
}
