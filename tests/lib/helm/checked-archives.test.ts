import * as fs from 'fs';
import * as path from 'path';
import { CheckedArchivesFile, checkKey } from '../../../lib/helm/checked-archives';
import { tmpDir } from '../../helpers';

describe('CheckedArchivesFile', () => {
  const key = (n: number) => checkKey(n.toString(16).padStart(64, '0'), 'demo', 100);
  /** A file body with its right digest line, as writeCheckedFile writes it. */
  const checked = (body: string) => `${require('crypto').createHash('sha256').update(body).digest('hex')}\n${body}`;

  test('remembers what was added for the next run, in a file only this user can read', () => {
    const file = path.join(tmpDir(), 'cache', 'checked-archives.json');
    const first = new CheckedArchivesFile(file);
    expect(first.has(key(1))).toBe(false);
    first.add(key(1));
    // Adding what it holds writes nothing.
    fs.utimesSync(file, new Date(0), new Date(0));
    first.add(key(1));
    expect(fs.statSync(file).mtimeMs).toBe(0);
    expect(first.has(key(1))).toBe(true);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const second = new CheckedArchivesFile(file);
    expect([second.has(key(1)), second.has(key(2))]).toEqual([true, false]);
    expect(key(1)).toBe(`${'0'.repeat(63)}1 demo 100`);
  });

  test('keeps the 256 added last', () => {
    const file = path.join(tmpDir(), 'checked-archives.json');
    const record = new CheckedArchivesFile(file);
    for (let n = 1; n <= 257; n++) record.add(key(n));
    const again = new CheckedArchivesFile(file);
    expect([again.has(key(1)), again.has(key(2)), again.has(key(257))]).toEqual([false, true, true]);
  });

  test.each([
    ['cut short', (t: string) => t.slice(0, -3)],
    ['with a byte changed', (t: string) => t.replace('1 demo', '2 demo')],
    ['whole, but a list that is not all strings', () => checked(JSON.stringify([key(1), 1]))],
    ['whole, but not a list', () => checked(JSON.stringify({ [key(1)]: key(1) }))],
    ['whole, but not JSON', () => checked(`${key(1)}]`)],
  ])('takes a file %s as empty', (_name, damage) => {
    const file = path.join(tmpDir(), 'checked-archives.json');
    new CheckedArchivesFile(file).add(key(1));
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    const again = new CheckedArchivesFile(file);
    expect([again.has(key(1)), again.has(key(2))]).toEqual([false, false]);
    // Nothing of the damaged file is kept.
    again.add(key(2));
    expect(fs.readFileSync(file, 'utf8')).toBe(checked(JSON.stringify([key(2)])));
  });
});
