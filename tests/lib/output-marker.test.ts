import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkOutputName, MARKER_FILE, parseMarker, renderMarker, sha256, withMarkers } from '../../lib/output-marker';
import { tmpDir } from '../helpers';

const files = new Map([['02-b.yaml', 'b\n'], ['01-a.yaml', 'a\n'], ['k3d/cluster.yaml', 'k\n']]);

describe('renderMarker', () => {
  test('lists every file with its sha256, sorted, and nothing that changes between runs', () => {
    const text = renderMarker(files);
    expect(text).toBe([
      '# synth-manifest 1',
      '# Written by synth: the files it owns in this folder and their sha256 (sha256sum -c .synth-manifest checks them).',
      '# Synth replaces the folder as a whole, and refuses to while it holds any file not listed here.',
      `${sha256('a\n')}  01-a.yaml`,
      `${sha256('b\n')}  02-b.yaml`,
      `${sha256('k\n')}  k3d/cluster.yaml`,
      '',
    ].join('\n'));
    expect(renderMarker(new Map([...files].reverse()))).toBe(text);
  });

  test('reads as sha256sum output: sha256sum -c checks the folder against it', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'k3d'));
    for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
    fs.writeFileSync(path.join(dir, MARKER_FILE), renderMarker(files, 'f'.repeat(64)));
    let sha256sum: string | undefined;
    try {
      sha256sum = execFileSync('sha256sum', ['-c', '--strict', MARKER_FILE], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // Where coreutils is missing (macOS), parsing it back is the check.
    if (sha256sum !== undefined) expect(sha256sum).toBe('01-a.yaml: OK\n02-b.yaml: OK\nk3d/cluster.yaml: OK\n');
    expect(parseMarker(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8'))).toEqual({
      files: new Map([['01-a.yaml', sha256('a\n')], ['02-b.yaml', sha256('b\n')], ['k3d/cluster.yaml', sha256('k\n')]]),
      pair: 'f'.repeat(64),
    });
  });

  test('fails on a name a marker line cannot hold or that leaves the folder', () => {
    for (const bad of ['../x.yaml', '/abs.yaml', 'a//b.yaml', 'a\nb.yaml', 'a\\b.yaml', MARKER_FILE, './a.yaml']) {
      expect(() => checkOutputName(bad)).toThrow(`output file name "${bad}" is not allowed: use a relative path with / between folders, ` +
        `no "..", no empty part, no newline or backslash, and not ${MARKER_FILE}`);
    }
    expect(() => renderMarker(new Map([['../escape.yaml', 'x']]))).toThrow('output file name "../escape.yaml" is not allowed');
    const long = `../${'a'.repeat(100)}.yaml`;
    expect(() => checkOutputName(long)).toThrow(new Error(`output file name "${long.slice(0, 80)}" is not allowed: use a relative path with / between folders, ` +
      `no "..", no empty part, no newline or backslash, and not ${MARKER_FILE}`));
  });
});

describe('parseMarker', () => {
  test('names the first line that is not a marker line', () => {
    expect(parseMarker('notes\n')).toEqual({ error: 'line 1 is "notes", not "# synth-manifest 1"' });
    expect(parseMarker(`# synth-manifest 1\n${'a'.repeat(64)}  x.yaml`)).toEqual({ error: 'it does not end with a newline (cut short?)' });
    expect(parseMarker('# synth-manifest 1\nabc  x.yaml\n')).toEqual({ error: 'line 2 "abc  x.yaml" is not "<sha256>  <file>"' });
    expect(parseMarker(`# synth-manifest 1\n# pair ${'a'.repeat(64)}\n# pair ${'b'.repeat(64)}\n`)).toEqual({ error: `line 3 "# pair ${'b'.repeat(64)}" is not one "# pair <sha256>" line` });
  });

  test('takes a sha256 only as the whole of its field: nothing before or after it, no carriage return', () => {
    const hex = 'a'.repeat(64);
    expect(parseMarker(`# synth-manifest 1\n# pair ${hex}0\n`)).toEqual({ error: `line 2 "# pair ${hex}0" is not one "# pair <sha256>" line` });
    expect(parseMarker(`# synth-manifest 1\n# pair 0${hex}\n`)).toEqual({ error: `line 2 "# pair 0${hex}" is not one "# pair <sha256>" line` });
    expect(parseMarker(`# synth-manifest 1\n${hex}  a.yaml\n0${hex}  b.yaml\n`)).toEqual({ error: `line 3 "0${hex}  b.yaml" is not "<sha256>  <file>"` });
    expect(parseMarker(`# synth-manifest 1\n${hex}  a.yaml\r\n`)).toEqual({ error: `line 2 "${hex}  a.yaml\r" is not "<sha256>  <file>"` });
    expect(parseMarker(`# synth-manifest 1\nx# pair ${hex}\n`)).toEqual({ error: `line 2 "x# pair ${hex}" is not "<sha256>  <file>"` });
  });

  test('quotes a long line cut to a readable length', () => {
    const long = 'x'.repeat(200);
    expect(parseMarker(`${long}\n`)).toEqual({ error: `line 1 is "${'x'.repeat(60)}", not "# synth-manifest 1"` });
    expect(parseMarker(`# synth-manifest 1\n${long}\n`)).toEqual({ error: `line 2 "${'x'.repeat(80)}" is not "<sha256>  <file>"` });
    expect(parseMarker(`# synth-manifest 1\n# pair ${long}\n`)).toEqual({ error: `line 2 "# pair ${'x'.repeat(73)}" is not one "# pair <sha256>" line` });
  });
});

describe('withMarkers', () => {
  test('adds a marker to each folder; the secrets folder\'s names the output folder\'s marker by its sha256', () => {
    const { output, secrets } = withMarkers(files, new Map([['02-b.yaml', 'secret\n']]));
    expect([...output.keys()]).toEqual([...files.keys(), MARKER_FILE]);
    expect(parseMarker(secrets.get(MARKER_FILE)!)).toEqual({ files: new Map([['02-b.yaml', sha256('secret\n')]]), pair: sha256(output.get(MARKER_FILE)!) });
  });

  test('a different installation key (other Secrets) changes the secrets folder only', () => {
    const one = withMarkers(files, new Map([['02-b.yaml', 'key one\n']]));
    const two = withMarkers(files, new Map([['02-b.yaml', 'key two\n']]));
    expect(two.output).toEqual(one.output);
    expect(two.secrets.get(MARKER_FILE)).not.toBe(one.secrets.get(MARKER_FILE));
    expect((parseMarker(two.secrets.get(MARKER_FILE)!) as { pair: string }).pair).toBe((parseMarker(one.secrets.get(MARKER_FILE)!) as { pair: string }).pair);
  });
});
