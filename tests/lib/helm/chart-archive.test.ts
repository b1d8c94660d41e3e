import * as fs from 'fs';
import * as zlib from 'zlib';
import { chartArchiveProblem } from '../../../lib/helm/chart-archive';
import { packageChart, tmpDir } from '../../helpers';

interface EntryOptions {
  type?: string;
  prefix?: string;
  size?: number;
  checksum?: number;
  /** Raw bytes written over the header at an offset, before the checksum is computed. */
  fields?: Array<[number, string | Buffer]>;
}

/** One tar entry: a ustar header and the data, padded to 512-byte blocks. */
function entry(name: string, body = '', o: EntryOptions = {}): Buffer {
  const data = Buffer.from(body);
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${(o.size ?? data.length).toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(o.type ?? '0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  if (o.prefix) h.write(o.prefix, 345);
  for (const [at, bytes] of o.fields ?? []) (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes).copy(h, at);
  h.write('        ', 148);
  const sum = o.checksum ?? h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** A pax extended header record `<key>=<value>`. */
function paxRecord(key: string, value: string): string {
  const record = ` ${key}=${value}\n`;
  let length = record.length;
  while (`${length}${record}`.length !== length) length = `${length}${record}`.length;
  return `${length}${record}`;
}
const pax = (value: string) => paxRecord('path', value);

/** A 12-byte tar number field in base-256 (GNU, for numbers octal cannot hold). */
function base256(n: number): Buffer {
  const field = Buffer.alloc(12);
  for (let i = 11; i > 0 && n > 0; i--, n = Math.floor(n / 256)) field[i] = n % 256;
  field[0] |= 0x80;
  return field;
}

const targz = (...entries: Buffer[]) => zlib.gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
/** A tar without the two zero blocks that end an archive. */
const unterminated = (...entries: Buffer[]) => zlib.gzipSync(Buffer.concat(entries));
const CHART_YAML = 'apiVersion: v2\nname: demo\nversion: 1.0.0\n';
const chart = entry('demo/Chart.yaml', CHART_YAML);
const MAX = 1 << 20;
const outside = (name: string) => `its tar entry ${JSON.stringify(name)} points outside the chart's folder`;

describe('chartArchiveProblem', () => {
  test('a chart packaged by helm passes', () => {
    const file = packageChart('crds-dir', tmpDir());
    expect(chartArchiveProblem(fs.readFileSync(file), 'crds-dir', MAX)).toBeUndefined();
  });

  test('a tar with the chart\'s Chart.yaml, long names, pax headers and a ustar prefix passes', () => {
    const long = `templates/${'x'.repeat(120)}.yaml`;
    expect(chartArchiveProblem(targz(
      chart,
      entry('././@LongLink', `demo/${long}\0`, { type: 'L' }), entry('demo/short', 'a'),
      entry('PaxHeaders/x', pax(`demo/${long}2`), { type: 'x' }), entry('demo/x', 'b'),
      entry('y.yaml', 'c', { prefix: 'demo/templates' }),
    ), 'demo', MAX)).toBeUndefined();
  });

  const passes: Array<[string, Buffer]> = [
    ['Chart.yaml named by a ustar prefix and a name', targz(entry('Chart.yaml', CHART_YAML, { prefix: 'demo' }))],
    ['Chart.yaml in a GNU header, whose bytes at 345 are an access time, not a prefix', targz(entry('demo/Chart.yaml', CHART_YAML, { fields: [[257, 'ustar  \0'], [345, '14712345670\0']] }))],
    ['Chart.yaml in an old-style header (type byte NUL)', targz(entry('demo/Chart.yaml', CHART_YAML, { fields: [[156, '\0']] }))],
    ['Chart.yaml as a contiguous file (type 7)', targz(entry('demo/Chart.yaml', CHART_YAML, { type: '7' }))],
    ['a size in base-256, as GNU tar writes sizes octal cannot hold', targz(entry('demo/Chart.yaml', CHART_YAML, { fields: [[124, base256(CHART_YAML.length)]] }))],
    ['a size padded with spaces instead of zeros and a NUL, as older tars write it', targz(entry('demo/Chart.yaml', CHART_YAML, { fields: [[124, `${CHART_YAML.length.toString(8)} `.padStart(12)]] }))],
    ['a tar without its end blocks whose last entry ends exactly at the end', unterminated(entry('demo/Chart.yaml', 'x'.repeat(512)))],
    ['a tar with stray bytes after the last whole block (not read as a header)', zlib.gzipSync(Buffer.concat([chart, Buffer.from('stray')]))],
    ['a global pax header named as pax names it by default (its name is no entry\'s)', targz(entry('/tmp/GlobalHead.1.1', paxRecord('comment', 'x'), { type: 'g' }), chart)],
  ];
  test.each(passes)('passes: %s', (_name, bytes) => {
    expect(chartArchiveProblem(bytes, 'demo', MAX)).toBeUndefined();
  });

  const good = targz(chart);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 6] ^= 0x01; // in the gzip trailer's CRC-32
  const notMagic = (at: number) => {
    const bytes = Buffer.from(good);
    bytes[at] = 0;
    return bytes;
  };
  const evil = 'demo/../../evil';
  const afterPax = (data: string) => targz(chart, entry('PaxHeaders/x', data, { type: 'x' }), entry(evil, 'x'));
  const cases: Array<[string, Buffer, string]> = [
    ['a flipped byte (the gzip checksum fails)', flipped, 'its gzip data is damaged (incorrect data check)'],
    ['an archive cut short', good.subarray(0, good.length - 20), 'its gzip data is cut short (unexpected end of file)'],
    ['nothing but the gzip magic', Buffer.from([0x1f, 0x8b]), 'its gzip data is cut short (unexpected end of file)'],
    ['a file that is not gzip', Buffer.from('<html>not found</html>'), 'it is not gzip-compressed, so not a chart archive'],
    ['a gzip file whose first magic byte is wrong', notMagic(0), 'it is not gzip-compressed, so not a chart archive'],
    ['a gzip file whose second magic byte is wrong', notMagic(1), 'it is not gzip-compressed, so not a chart archive'],
    ['a single byte', Buffer.from([0x1f]), 'it is not gzip-compressed, so not a chart archive'],
    ['an archive that unpacks to more than the limit', targz(chart, entry('demo/big', 'x'.repeat(4096))), 'it unpacks to more than 4 KiB'],
    ['a tar header with a bad checksum', targz(entry('demo/Chart.yaml', 'x', { checksum: 1 })), 'its tar header 1 (at byte 0) has a bad checksum'],
    ['a later tar header with a bad checksum', targz(chart, entry('demo/values.yaml', 'x', { checksum: 1 })), 'its tar header 2 (at byte 1024) has a bad checksum'],
    ['an entry that claims more bytes than there are', zlib.gzipSync(entry('demo/Chart.yaml', 'x', { size: 5000 })), 'its tar entry "demo/Chart.yaml" claims 5000 bytes, past the end of the archive'],
    ['a base-256 size past the end', targz(entry('demo/Chart.yaml', 'x', { fields: [[124, base256(5000)]] })), 'its tar entry "demo/Chart.yaml" claims 5000 bytes, past the end of the archive'],
    ['a size with a digit that is not octal', targz(entry('demo/Chart.yaml', '', { fields: [[124, '00000000009\0']] })), 'its tar entry "demo/Chart.yaml" claims NaN bytes, past the end of the archive'],
    ['a size with a sign', targz(entry('demo/Chart.yaml', '', { fields: [[124, '+0000000001\0']] })), 'its tar entry "demo/Chart.yaml" claims NaN bytes, past the end of the archive'],
    ['an entry past the end named by a long prefix (the name shown is cut at 100 characters)', targz(entry('Chart.yaml', 'x', { prefix: `demo/${'p'.repeat(150)}`, size: 5000 })), `its tar entry "demo/${'p'.repeat(95)}" claims 5000 bytes, past the end of the archive`],
    ['an entry with ..', targz(chart, entry('demo/../../evil.yaml', 'x')), outside('demo/../../evil.yaml')],
    ['an entry with an absolute path', targz(chart, entry('/etc/cron.d/evil', 'x')), outside('/etc/cron.d/evil')],
    ['an entry with .. and a name of the full 100 bytes (no NUL)', targz(chart, entry(`../${'x'.repeat(97)}`, 'x')), outside(`../${'x'.repeat(97)}`)],
    ['an entry with .. in its ustar prefix', targz(chart, entry('evil', 'x', { prefix: '..' })), outside('../evil')],
    ['an entry with .. in the last block of a tar without its end blocks', unterminated(chart, entry(evil)), outside(evil)],
    ['a pax path with ..', targz(chart, entry('PaxHeaders/x', pax('../evil'), { type: 'x' }), entry('demo/fine', 'x')), outside('../evil')],
    ['a GNU long name with ..', targz(chart, entry('././@LongLink', '../../evil\0', { type: 'L' }), entry('demo/fine', 'x')), outside('../../evil')],
    ['a GNU long name with .. (the name shown is cut at 100 characters)', targz(chart, entry('././@LongLink', `../${'x'.repeat(200)}\0`, { type: 'L' }), entry('demo/fine', 'x')), outside(`../${'x'.repeat(97)}`)],
    ['an entry with .. after a pax header with a linkpath but no path', afterPax(paxRecord('linkpath', 'demo/target')), outside(evil)],
    ['an entry with .. after a pax record with no "="', afterPax('8 paths\n'), outside(evil)],
    ['an entry with .. after a pax record whose length is not a whole number', afterPax('16.5 path=demo/ok\n'), outside(evil)],
    ['an entry with .. after a pax record of length 0 (reading stops there instead of looping)', afterPax('0 path=demo/ok\n'), outside(evil)],
    ['an entry with .. after a pax record whose length is negative', afterPax('-3 path=demo/ok/x\n'), outside(evil)],
    ['an entry with .. after a pax record whose length runs past the header\'s data', afterPax('99 path=demo/ok\n'), outside(evil)],
    ['another chart', targz(entry('other/Chart.yaml', 'name: other')), 'it holds no demo/Chart.yaml, so it is not the chart demo'],
    ['a Chart.yaml that is a symlink', targz(entry('demo/Chart.yaml', '', { type: '2', fields: [[157, 'other/Chart.yaml']] })), 'it holds no demo/Chart.yaml, so it is not the chart demo'],
    ['a Chart.yaml that is a folder', targz(entry('demo/Chart.yaml', '', { type: '5' })), 'it holds no demo/Chart.yaml, so it is not the chart demo'],
  ];
  test.each(cases)('fails on %s', (_name, bytes, problem) => {
    expect(chartArchiveProblem(bytes, 'demo', 4096)).toBe(problem);
  });
});
