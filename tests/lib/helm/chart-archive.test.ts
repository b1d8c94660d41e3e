import * as fs from 'fs';
import * as zlib from 'zlib';
import { chartArchiveProblem } from '../../../lib/helm/chart-archive';
import { packageChart, tmpDir } from '../../helpers';

/** One tar entry: a ustar header and the data, padded to 512-byte blocks. */
function entry(name: string, body = '', o: { type?: string; prefix?: string; size?: number; checksum?: number } = {}): Buffer {
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
  h.write('        ', 148);
  const sum = o.checksum ?? h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** A pax extended header record `path=<value>`. */
function pax(value: string): string {
  const record = ` path=${value}\n`;
  let length = record.length;
  while (`${length}${record}`.length !== length) length = `${length}${record}`.length;
  return `${length}${record}`;
}

const targz = (...entries: Buffer[]) => zlib.gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
const chart = entry('demo/Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 1.0.0\n');
const MAX = 1 << 20;

describe('chartArchiveProblem', () => {
  test('a chart packaged by helm passes, and a tar with the chart\'s Chart.yaml, long names and pax headers', () => {
    const file = packageChart('crds-dir', tmpDir());
    expect(chartArchiveProblem(fs.readFileSync(file), 'crds-dir', MAX)).toBeUndefined();
    const long = `templates/${'x'.repeat(120)}.yaml`;
    expect(chartArchiveProblem(targz(
      chart,
      entry('././@LongLink', `demo/${long}\0`, { type: 'L' }), entry('demo/short', 'a'),
      entry('PaxHeaders/x', pax(`demo/${long}2`), { type: 'x' }), entry('demo/x', 'b'),
      entry('y.yaml', 'c', { prefix: 'demo/templates' }),
    ), 'demo', MAX)).toBeUndefined();
  });

  const good = targz(chart);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 6] ^= 0x01; // in the gzip trailer's CRC-32
  const cases: Array<[string, Buffer, string]> = [
    ['a flipped byte (the gzip checksum fails)', flipped, 'its gzip data is damaged (incorrect data check)'],
    ['an archive cut short', good.subarray(0, good.length - 20), 'its gzip data is cut short (unexpected end of file)'],
    ['a file that is not gzip', Buffer.from('<html>not found</html>'), 'it is not gzip-compressed, so not a chart archive'],
    ['an archive that unpacks to more than the limit', targz(chart, entry('demo/big', 'x'.repeat(4096))), 'it unpacks to more than 4 KiB'],
    ['a tar header with a bad checksum', targz(entry('demo/Chart.yaml', 'x', { checksum: 1 })), 'its tar header 1 (at byte 0) has a bad checksum'],
    ['an entry that claims more bytes than there are', zlib.gzipSync(entry('demo/Chart.yaml', 'x', { size: 5000 })), 'its tar entry "demo/Chart.yaml" claims 5000 bytes, past the end of the archive'],
    ['an entry with ..', targz(chart, entry('demo/../../evil.yaml', 'x')), 'its tar entry "demo/../../evil.yaml" points outside the chart\'s folder'],
    ['an entry with an absolute path', targz(chart, entry('/etc/cron.d/evil', 'x')), 'its tar entry "/etc/cron.d/evil" points outside the chart\'s folder'],
    ['a pax path with ..', targz(chart, entry('PaxHeaders/x', pax('../evil'), { type: 'x' }), entry('demo/fine', 'x')), 'its tar entry "../evil" points outside the chart\'s folder'],
    ['a GNU long name with ..', targz(chart, entry('././@LongLink', '../../evil\0', { type: 'L' }), entry('demo/fine', 'x')), 'its tar entry "../../evil" points outside the chart\'s folder'],
    ['another chart', targz(entry('other/Chart.yaml', 'name: other')), 'it holds no demo/Chart.yaml, so it is not the chart demo'],
  ];
  test.each(cases)('fails on %s', (_name, bytes, problem) => {
    expect(chartArchiveProblem(bytes, 'demo', 4096)).toBe(problem);
  });
});
