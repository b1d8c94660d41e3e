import fs = require('fs');
import * as path from 'path';
import { writeOutput } from '../../lib/output-writer';
import { lockFileOf } from '../../lib/output-lock';
import { journalOf } from '../../lib/output-swap';
import { fileForOutput, sha256Hex, writeCheckedFile } from '../../lib/cache-files';
import { changeSince, fileState, folderState, InputStates, programState, readRecord, saveRecord } from '../../lib/synth-record';
import { tmpDir, unflushedFs } from '../helpers';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

/** One synth's worth of inputs and output, recorded: change one thing and ask what changed. */
async function recorded() {
  const dir = fs.realpathSync(tmpDir('record-'));
  const inputs = path.join(dir, 'inputs');
  fs.mkdirSync(path.join(inputs, 'values'), { recursive: true });
  const config = path.join(inputs, 'platform.yaml');
  fs.writeFileSync(config, 'profile: lab\n');
  const archive = path.join(inputs, 'chart-1.0.0.tgz');
  fs.writeFileSync(archive, 'archive bytes');
  const values = path.join(inputs, 'values');
  fs.writeFileSync(path.join(values, 'release.yaml'), 'a: 1\n');
  const helm = path.join(inputs, 'helm');
  fs.writeFileSync(helm, '#!/bin/sh\n', { mode: 0o755 });
  const outdir = path.join(dir, 'dist');
  await writeOutput({ outdir, secretsDir: `${outdir}-secrets` }, {
    output: new Map([['01-crds-namespaces.yaml', 'a: 1\n'], ['k3d/cluster.yaml', 'k: 3\n']]), secrets: new Map([['02-controllers.yaml', 's: 1\n']]),
  }, { fs: unflushedFs, log: () => {} });
  const states = new InputStates().add('file', config).add('file', archive).add('folder', values).add('program', helm);
  const settings = { configFile: config, key: 'k'.repeat(64) };
  const tool = 'tool-digest';
  const file = fileForOutput(path.join(dir, 'cache', 'synth'), outdir);
  expect(saveRecord(file, { tool, settings, inputs: states, outputs: [outdir, `${outdir}-secrets`], printed: ['hosts line'] })).toBe(true);
  const changed = (now: { tool?: string; settings?: Record<string, unknown> } = {}) => changeSince(readRecord(file), { tool: now.tool ?? tool, settings: now.settings ?? settings });
  return { dir, config, archive, values, helm, outdir, file, settings, changed };
}

describe('the record of a synth', () => {
  test('finds nothing changed when nothing did, and keeps what the synth printed', async () => {
    const r = await recorded();
    expect(r.changed()).toBeUndefined();
    expect(readRecord(r.file)?.printed).toEqual(['hosts line']);
  });

  test('lives in a private folder, readable by this user only', async () => {
    const r = await recorded();
    expect([mode(path.dirname(r.file)), mode(r.file)]).toEqual(['700', '600']);
  });

  test('holds no secret in the clear: the settings (with the key) only as a digest', async () => {
    const r = await recorded();
    expect(fs.readFileSync(r.file, 'utf8')).not.toContain('k'.repeat(64));
  });

  test.each([
    ['the configuration', (r: Awaited<ReturnType<typeof recorded>>) => fs.appendFileSync(r.config, '# a comment\n'), (r: any) => `${r.config} changed`],
    ['an archive', (r: any) => fs.writeFileSync(r.archive, 'other bytes'), (r: any) => `${r.archive} changed`],
    ['an archive removed', (r: any) => fs.rmSync(r.archive), (r: any) => `${r.archive} changed`],
    ['a values file', (r: any) => fs.writeFileSync(path.join(r.values, 'release.yaml'), 'a: 2\n'), (r: any) => `${r.values} changed`],
    ['a file added to the values folder', (r: any) => fs.writeFileSync(path.join(r.values, 'other.yaml'), '{}\n'), (r: any) => `${r.values} changed`],
    ['helm rebuilt (a new modification time)', (r: any) => fs.utimesSync(r.helm, new Date(), new Date(Date.now() + 5000)), (r: any) => `${r.helm} changed`],
    ['helm replaced (a new inode)', (r: any) => { fs.rmSync(r.helm); fs.writeFileSync(r.helm, '#!/bin/sh\n', { mode: 0o755 }); }, (r: any) => `${r.helm} changed`],
  ])('fails to find nothing changed when %s changed', async (_name, change, why) => {
    const r = await recorded();
    change(r);
    expect(r.changed()).toBe(why(r));
  });

  test('fails to find nothing changed when the tool or the settings changed', async () => {
    const r = await recorded();
    expect(r.changed({ tool: 'another build' })).toBe('the tool\'s code or its dependencies changed');
    expect(r.changed({ settings: { ...r.settings, key: 'j'.repeat(64) } })).toMatch(/^the environment changed/);
    expect(r.changed({ settings: { ...r.settings, adminPassword: 'p'.repeat(32) } })).toMatch(/^the environment changed/);
  });

  test.each([
    ['a file edited', (r: any) => fs.appendFileSync(path.join(r.outdir, '01-crds-namespaces.yaml'), '# mine\n'), (r: any) => `${r.outdir}/01-crds-namespaces.yaml changed`],
    ['a file in a subfolder edited', (r: any) => fs.writeFileSync(path.join(r.outdir, 'k3d', 'cluster.yaml'), 'k: 4\n'), (r: any) => `${r.outdir}/k3d/cluster.yaml changed`],
    ['a file added', (r: any) => fs.writeFileSync(path.join(r.outdir, 'extra.yaml'), ''), (r: any) => `${r.outdir}/extra.yaml is not synth's`],
    ['a folder added', (r: any) => fs.mkdirSync(path.join(r.outdir, 'new')), (r: any) => `${r.outdir}/new/ is new`],
    ['a file removed', (r: any) => fs.rmSync(path.join(r.outdir, '01-crds-namespaces.yaml')), (r: any) => `${r.outdir}/01-crds-namespaces.yaml is missing`],
    ['a Secrets file edited', (r: any) => fs.writeFileSync(path.join(`${r.outdir}-secrets`, '02-controllers.yaml'), 's: 2\n'), (r: any) => `${r.outdir}-secrets/02-controllers.yaml changed`],
    ['a file\'s mode', (r: any) => fs.chmodSync(path.join(`${r.outdir}-secrets`, '02-controllers.yaml'), 0o644), (r: any) => `${r.outdir}-secrets/02-controllers.yaml changed its mode`],
    ['a file turned into a symlink', (r: any) => { const f = path.join(r.outdir, '01-crds-namespaces.yaml'); const copy = path.join(r.dir, 'copy'); fs.copyFileSync(f, copy); fs.rmSync(f); fs.symlinkSync(copy, f); },
      (r: any) => `${r.outdir}/01-crds-namespaces.yaml is not a regular file`],
    ['the output removed', (r: any) => fs.rmSync(r.outdir, { recursive: true }), (r: any) => `${r.outdir} is missing`],
    ['an interrupted swap', (r: any) => fs.writeFileSync(journalOf(r.outdir), ''), (r: any) => `${journalOf(r.outdir)} exists (an interrupted or running synth)`],
    ['a synth running', (r: any) => fs.writeFileSync(lockFileOf(r.outdir), `${process.pid}\n`), (r: any) => `${lockFileOf(r.outdir)} exists (an interrupted or running synth)`],
  ])('fails to find nothing changed in the output: %s', async (_name, change, why) => {
    const r = await recorded();
    change(r);
    expect(r.changed()).toBe(why(r));
  });

  test('a marker edited to match an edited file is still a change', async () => {
    const r = await recorded();
    const file = path.join(r.outdir, '01-crds-namespaces.yaml');
    fs.writeFileSync(file, 'a: 2\n');
    const marker = path.join(r.outdir, '.synth-manifest');
    const sha = require('crypto').createHash('sha256').update('a: 2\n').digest('hex');
    fs.writeFileSync(marker, fs.readFileSync(marker, 'utf8').replace(/^[0-9a-f]{64}(?= {2}01-crds-namespaces\.yaml)/m, sha));
    expect(r.changed()).toBe(`${marker} changed`);
  });

  test.each([
    ['missing', (f: string) => fs.rmSync(f)],
    ['cut short', (f: string) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 100))],
    ['damaged', (f: string) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('tool-digest', 'tool-digesT'))],
  ])('a record %s is no record: synth runs', async (_name, damage) => {
    const r = await recorded();
    damage(r.file);
    expect(r.changed()).toBe('no record of an earlier synth into this output');
  });

  test('is not kept when the output does not hold what its marker lists', async () => {
    const r = await recorded();
    fs.appendFileSync(path.join(r.outdir, '01-crds-namespaces.yaml'), '# mine\n');
    expect(saveRecord(r.file, { tool: 't', settings: {}, inputs: new InputStates(), outputs: [r.outdir], printed: [] })).toBe(false);
  });

  test('an input\'s state taken before it was read is what is recorded, so an edit meanwhile is a change next time', async () => {
    const r = await recorded();
    const before = new InputStates().add('file', r.config);
    fs.appendFileSync(r.config, '# edited while synth ran\n');
    saveRecord(r.file, { tool: 'tool-digest', settings: r.settings, inputs: before.add('file', r.config), outputs: [r.outdir], printed: [] });
    expect(r.changed()).toBe(`${r.config} changed`);
  });
});

describe('the state of an input', () => {
  test('a file: the sha256 of its bytes, read whole whatever its size up to 512 MiB', () => {
    const dir = tmpDir('state-');
    const file = path.join(dir, 'chart.tgz');
    const bytes = Buffer.alloc(4096, 7);
    fs.writeFileSync(file, bytes);
    expect(fileState(file)).toBe(sha256Hex(bytes));
  });

  test('a file of exactly 512 MiB is read; one byte more is not, and never counts as unchanged', () => {
    const dir = tmpDir('state-');
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, 'small');
    const realStat = fs.statSync;
    const spy = jest.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) =>
      (p === file ? Object.assign(realStat(p, o) as fs.Stats, { size: 512 * 1024 * 1024 }) : realStat(p, o))) as typeof fs.statSync);
    try {
      expect(fileState(file)).toBe(sha256Hex('small'));
    } finally {
      spy.mockRestore();
    }
    fs.truncateSync(file, 512 * 1024 * 1024 + 1);
    expect(fileState(file)).toBe('not a file');
  });

  test('missing, a folder, or unreadable: a word, not a digest', () => {
    const dir = tmpDir('state-');
    const file = path.join(dir, 'values.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(() => { throw new Error('EACCES: permission denied'); });
    try {
      expect(fileState(file)).toBe('unreadable');
    } finally {
      spy.mockRestore();
    }
    expect([fileState(path.join(dir, 'nope')), fileState(dir), folderState(path.join(dir, 'nope')), programState(path.join(dir, 'nope'))])
      .toEqual(['missing', 'not a file', 'missing', 'missing']);
  });

  test('a folder: a subfolder is not the same as a file there that cannot be read', () => {
    const a = tmpDir('state-');
    const b = tmpDir('state-');
    fs.mkdirSync(path.join(a, 'sub'));
    fs.writeFileSync(path.join(b, 'sub'), '');
    fs.truncateSync(path.join(b, 'sub'), 512 * 1024 * 1024 + 1);
    expect(folderState(a)).not.toBe(folderState(b));
    fs.mkdirSync(path.join(b, 'other'));
    fs.rmSync(path.join(b, 'sub'));
    fs.mkdirSync(path.join(b, 'sub'));
    fs.rmdirSync(path.join(b, 'other'));
    expect(folderState(a)).toBe(folderState(b));
  });

  test('a folder\'s state does not depend on the order the system lists its names in', () => {
    const dir = tmpDir('state-');
    for (const n of ['a.yaml', 'b.yaml', 'c.yaml']) fs.writeFileSync(path.join(dir, n), n);
    const before = folderState(dir);
    const realReaddir = fs.readdirSync;
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => (realReaddir(p, o) as unknown[]).reverse()) as typeof fs.readdirSync);
    try {
      expect(folderState(dir)).toBe(before);
    } finally {
      spy.mockRestore();
    }
  });

  test('an input is kept once, with its first state; the same path as another kind is another input', () => {
    const dir = tmpDir('state-');
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, 'profile: lab\n');
    const states = new InputStates().add('file', file);
    fs.writeFileSync(file, 'profile: other\n');
    states.add('file', file).add('program', file);
    expect(states.states).toEqual([
      { kind: 'file', path: file, state: sha256Hex('profile: lab\n') },
      { kind: 'program', path: file, state: programState(file) },
    ]);
  });
});

describe('keeping and reading a record', () => {
  test('names its format, so a later format can tell it apart', async () => {
    const r = await recorded();
    expect(readRecord(r.file)?.format).toBe('synth-record 1');
  });

  test.each([
    ['another format', { format: 'synth-record 2' }],
    ['no tool', { tool: undefined }],
    ['no settings', { settings: 1 }],
    ['no inputs', { inputs: {} }],
    ['no outputs', { outputs: 'dist' }],
    ['no printed lines', { printed: null }],
  ])('a record with %s is no record', async (_name, change) => {
    const r = await recorded();
    const record = readRecord(r.file)!;
    expect(writeCheckedFile(r.file, JSON.stringify({ ...record, ...change }))).toBe(true);
    expect(readRecord(r.file)).toBeUndefined();
    expect(writeCheckedFile(r.file, JSON.stringify(record))).toBe(true);
    expect(readRecord(r.file)).toEqual(record);
  });

  test.each([['not JSON', '{'], ['null', 'null']])('a record that is %s is no record', (_name, body) => {
    const file = path.join(tmpDir('record-'), 'r.json');
    writeCheckedFile(file, body);
    expect(readRecord(file)).toBeUndefined();
  });

  test('is not kept when a file its marker lists is missing', async () => {
    const r = await recorded();
    fs.rmSync(path.join(r.outdir, 'k3d', 'cluster.yaml'));
    expect(saveRecord(r.file, { tool: 't', settings: {}, inputs: new InputStates(), outputs: [r.outdir], printed: [] })).toBe(false);
  });

  test('is not kept when it cannot be written', async () => {
    const r = await recorded();
    const notAFolder = path.join(r.dir, 'file');
    fs.writeFileSync(notAFolder, '');
    expect(saveRecord(path.join(notAFolder, 'r.json'), { tool: 't', settings: {}, inputs: new InputStates(), outputs: [r.outdir], printed: [] })).toBe(false);
  });

  test('an empty folder of the output removed is a change', async () => {
    const r = await recorded();
    fs.mkdirSync(path.join(r.outdir, 'empty'));
    expect(saveRecord(r.file, { tool: 'tool-digest', settings: r.settings, inputs: new InputStates(), outputs: [r.outdir], printed: [] })).toBe(true);
    expect(r.changed()).toBeUndefined();
    fs.rmdirSync(path.join(r.outdir, 'empty'));
    expect(r.changed()).toBe(`${r.outdir}/empty/ is missing`);
  });

  test.each([
    ['the output folder\'s own mode', (r: any) => fs.chmodSync(r.outdir, 0o777), (r: any) => `${r.outdir}/ changed its mode`],
    ['the output replaced by a file', (r: any) => { fs.rmSync(r.outdir, { recursive: true }); fs.writeFileSync(r.outdir, ''); }, (r: any) => `${r.outdir} is not a folder`],
    ['the marker removed', (r: any) => fs.rmSync(path.join(r.outdir, '.synth-manifest')), (r: any) => `${r.outdir}/.synth-manifest is missing`],
    ['the marker damaged', (r: any) => fs.writeFileSync(path.join(r.outdir, '.synth-manifest'), 'not a marker\n'), (r: any) => `${r.outdir}/.synth-manifest is damaged`],
  ])('fails to find nothing changed in the output: %s', async (_name, change, why) => {
    const r = await recorded();
    change(r);
    expect(r.changed()).toBe(why(r));
  });

  test('an output that cannot be read is a change, with the reason', async () => {
    const r = await recorded();
    const realReaddir = fs.readdirSync;
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => {
      if (p === r.outdir) throw new Error('EACCES: permission denied');
      return realReaddir(p, o);
    }) as typeof fs.readdirSync);
    try {
      expect(r.changed()).toBe(`${r.outdir} cannot be read (EACCES: permission denied)`);
    } finally {
      spy.mockRestore();
    }
  });

  test('an output whose parent folder became a file is a change, with the reason, not a crash', async () => {
    const dir = fs.realpathSync(tmpDir('record-'));
    const outdir = path.join(dir, 'parent', 'dist');
    await writeOutput({ outdir, secretsDir: path.join(dir, 'secrets') }, { output: new Map([['a.yaml', 'a: 1\n']]), secrets: new Map() }, { fs: unflushedFs, log: () => {} });
    const file = fileForOutput(path.join(dir, 'cache', 'synth'), outdir);
    expect(saveRecord(file, { tool: 't', settings: {}, inputs: new InputStates(), outputs: [outdir], printed: [] })).toBe(true);
    expect(changeSince(readRecord(file), { tool: 't', settings: {} })).toBeUndefined();

    fs.rmSync(path.join(dir, 'parent'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'parent'), 'now a file\n');
    expect(changeSince(readRecord(file), { tool: 't', settings: {} }))
      .toBe(`${journalOf(outdir)} cannot be checked (ENOTDIR: not a directory, lstat '${journalOf(outdir)}')`);
  });

  test('a busy file that cannot be checked is a change, with the reason', async () => {
    const r = await recorded();
    const realLstat = fs.lstatSync;
    const spy = jest.spyOn(fs, 'lstatSync').mockImplementation(((p: fs.PathLike, o?: any) => {
      if (p === lockFileOf(r.outdir)) throw new Error('EACCES: permission denied');
      return realLstat(p, o);
    }) as typeof fs.lstatSync);
    try {
      expect(r.changed()).toBe(`${lockFileOf(r.outdir)} cannot be checked (EACCES: permission denied)`);
    } finally {
      spy.mockRestore();
    }
  });

  test('names the first changed file in name order, whatever order the system lists them in', async () => {
    const r = await recorded();
    fs.writeFileSync(path.join(r.outdir, '01-crds-namespaces.yaml'), 'a: 2\n');
    fs.writeFileSync(path.join(r.outdir, 'k3d', 'cluster.yaml'), 'k: 4\n');
    const realReaddir = fs.readdirSync;
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: any) => (realReaddir(p, o) as unknown[]).reverse()) as typeof fs.readdirSync);
    try {
      expect(r.changed()).toBe(`${r.outdir}/01-crds-namespaces.yaml changed`);
    } finally {
      spy.mockRestore();
    }
  });
});
