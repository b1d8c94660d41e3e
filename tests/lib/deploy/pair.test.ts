import * as fs from 'fs';
import * as path from 'path';
import { checkOutputPair } from '../../../lib/deploy/pair';
import { MARKER_FILE } from '../../../lib/output-marker';
import { writeOutput } from '../../../lib/output-writer';
import { tmpDir } from '../../helpers';

const files = (key: string) => ({ output: new Map([['01-a.yaml', 'kind: Namespace\n']]), secrets: new Map([['02-b.yaml', `kind: Secret # ${key}\n`]]) });

async function pair(key = 'one') {
  const parent = tmpDir();
  const p = { outdir: path.join(parent, 'dist'), secretsDir: path.join(parent, 'dist-secrets') };
  await writeOutput(p, files(key), { log: () => {} });
  return p;
}

describe('checkOutputPair', () => {
  test('passes on the two folders of one synth', async () => {
    expect(checkOutputPair(await pair())).toEqual([]);
  });

  test('passes without a secrets folder, saying no Secrets will be applied', async () => {
    const p = await pair();
    fs.rmSync(p.secretsDir, { recursive: true });
    expect(checkOutputPair(p)).toEqual([`no Secrets will be applied: ${p.secretsDir} does not exist (synth writes it beside dist/; deliver them another way if this output came from git)`]);
  });

  test('fails on halves of two synths, naming both markers', async () => {
    const p = await pair();
    const other = await pair();
    await writeOutput(other, { output: new Map([['01-a.yaml', 'kind: Namespace # changed\n']]), secrets: files('one').secrets }, { log: () => {} });
    fs.rmSync(p.secretsDir, { recursive: true });
    fs.cpSync(other.secretsDir, p.secretsDir, { recursive: true });
    expect(() => checkOutputPair(p)).toThrow(new RegExp(`^${p.outdir} and ${p.secretsDir} come from different synths: ${p.secretsDir}/\\${MARKER_FILE} pairs with an output whose \\${MARKER_FILE} ` +
      `has sha256 [0-9a-f]{12}…, but ${p.outdir}/\\${MARKER_FILE} has [0-9a-f]{12}…; run npm run synth to write both again \\(for a dist/ from git, with the sources and key it was built from\\)$`));
  });

  test('another installation key changes only the secrets folder: its halves still pair', async () => {
    const p = await pair('one');
    const before = fs.readFileSync(path.join(p.outdir, MARKER_FILE));
    await writeOutput(p, files('two'), { log: () => {} });
    expect(fs.readFileSync(path.join(p.outdir, MARKER_FILE))).toEqual(before);
    expect(checkOutputPair(p)).toEqual([]);
  });

  test('fails on halves without markers (written before synth wrote them) and on a secrets marker naming no pair', async () => {
    const p = await pair();
    fs.rmSync(path.join(p.outdir, MARKER_FILE));
    expect(() => checkOutputPair(p)).toThrow(new Error(`${p.outdir}/${MARKER_FILE} is missing, so nothing tells whether ${p.outdir} and ${p.secretsDir} come from the same synth ` +
      '(an earlier synth wrote no marker): run npm run synth to write both again'));
    const q = await pair();
    fs.writeFileSync(path.join(q.secretsDir, MARKER_FILE), '# synth-manifest 1\n');
    expect(() => checkOutputPair(q)).toThrow(new Error(`${q.secretsDir}/${MARKER_FILE} names no output folder it pairs with (no "# pair" line): run npm run synth to write both again`));
  });
});
