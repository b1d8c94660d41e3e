// The two output folders a deploy applies must come from one synth: the secrets folder's marker names the
// output folder's marker by its sha256.
import * as fs from 'fs';
import * as path from 'path';
import { OutputPair } from '../output-guard';
import { MARKER_FILE, parseMarker, sha256 } from '../output-marker';

/**
 * Throws unless the secrets folder is missing (a `dist/` checked out of git; then a note says no Secrets
 * are applied) or pairs with the output folder. Returns the notes for the user.
 */
export function checkOutputPair(pair: OutputPair): string[] {
  const { outdir, secretsDir } = pair;
  if (!fs.existsSync(secretsDir)) {
    return [`no Secrets will be applied: ${secretsDir} does not exist (synth writes it beside ${path.basename(outdir)}/; deliver them another way if this output came from git)`];
  }
  const resynth = `run npm run synth to write both again`;
  const outMarker = path.join(outdir, MARKER_FILE);
  const secretsMarker = path.join(secretsDir, MARKER_FILE);
  for (const file of [outMarker, secretsMarker]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing, so nothing tells whether ${outdir} and ${secretsDir} come from the same synth (an earlier synth wrote no marker): ${resynth}`);
    }
  }
  const marker = parseMarker(fs.readFileSync(secretsMarker, 'utf8'));
  if ('error' in marker || !marker.pair) {
    throw new Error(`${secretsMarker} names no output folder it pairs with (${'error' in marker ? marker.error : 'no "# pair" line'}): ${resynth}`);
  }
  const actual = sha256(fs.readFileSync(outMarker));
  if (marker.pair !== actual) {
    throw new Error(`${outdir} and ${secretsDir} come from different synths: ${secretsMarker} pairs with an output whose ${MARKER_FILE} has sha256 ` +
      `${marker.pair.slice(0, 12)}…, but ${outMarker} has ${actual.slice(0, 12)}…; ${resynth} (for a ${path.basename(outdir)}/ from git, with the sources and key it was built from)`);
  }
  return [];
}
